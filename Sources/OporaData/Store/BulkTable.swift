import FluentKit
import Logging
import NIOCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// One cell of a row written in bulk: typed, so that nothing goes through `Encodable` boxing (a million rows of
/// six cells boxed and encoded one by one take longer than the whole write).
enum BulkValue: Sendable {
    case int(Int)
    case double(Double)
    case text(String)
    case null

    static func int(_ value: Int?) -> BulkValue { value.map { .int($0) } ?? .null }
    static func double(_ value: Double?) -> BulkValue { value.map { .double($0) } ?? .null }
    static func text(_ value: String?) -> BulkValue { value.map { .text($0) } ?? .null }
}

/// Writes many rows into one table inside the caller's transaction, the way `scores` does: on SQLite multi-row
/// INSERTs with typed binds (under SQLite's 32,766 bound parameters), on PostgreSQL `COPY … FROM STDIN` straight
/// into the table, or into a temporary table and upserted from it by one statement when rows may replace stored
/// ones. Rows are turned into cells a chunk at a time, so memory follows the chunk, not the file.
struct BulkTable {
    let name: String
    let columns: [String]

    /// Inserts `rows`; with `updatingOnConflict`, a row whose key is stored replaces every other column.
    /// `values` gives a row's cells in the order of `columns`.
    func write<Row>(_ rows: [Row], on db: any Database, updatingOnConflict key: [String]? = nil,
                    values: (Row) -> [BulkValue]) async throws {
        guard !rows.isEmpty else { return }
        try await DataVersion.bump(on: db)
        if let sqlite = db as? any SQLiteDatabase {
            try await writeSQLite(rows, on: sqlite, key: key, values: values)
        } else if let postgres = db as? any PostgresDatabase {
            try await writePostgres(rows, on: postgres, key: key, logger: db.logger, values: values)
        } else {
            try await db.sql.insertRows(into: name, columns: columns, rows: rows.map { row in values(row).map(Self.encodable) },
                                        updatingOnConflict: key)
        }
    }

    func conflictClause(_ key: [String]?) -> String {
        guard let key else { return "" }
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return " ON CONFLICT (\(key.joined(separator: ", "))) " + (updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates)")
    }

    // MARK: SQLite

    func writeSQLite<Row>(_ rows: [Row], on sqlite: any SQLiteDatabase, key: [String]?, values: (Row) -> [BulkValue]) async throws {
        let perRow = columns.count
        let chunkSize = max(1, 32_000 / perRow)
        let placeholder = "(" + Array(repeating: "?", count: perRow).joined(separator: ",") + ")"
        let head = "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES "
        var fullStatement: String? = nil
        var start = 0
        var binds: [SQLiteData] = []
        binds.reserveCapacity(chunkSize * perRow)
        while start < rows.count {
            let end = min(start + chunkSize, rows.count)
            binds.removeAll(keepingCapacity: true)
            for row in rows[start..<end] {
                for value in values(row) { binds.append(Self.sqlite(value)) }
            }
            let statement: String
            if end - start == chunkSize, let full = fullStatement {
                statement = full
            } else {
                statement = head + Array(repeating: placeholder, count: end - start).joined(separator: ",") + conflictClause(key)
                if end - start == chunkSize { fullStatement = statement }
            }
            _ = try await sqlite.query(statement, binds)
            start = end
        }
    }

    static func sqlite(_ value: BulkValue) -> SQLiteData {
        switch value {
        case .int(let number): .integer(number)
        case .double(let number): .float(number)
        case .text(let text): .text(text)
        case .null: .null
        }
    }

    static func encodable(_ value: BulkValue) -> any Encodable & Sendable {
        switch value {
        case .int(let number): number
        case .double(let number): number
        case .text(let text): text
        case .null: Int?.none
        }
    }

    // MARK: PostgreSQL

    func writePostgres<Row>(_ rows: [Row], on postgres: any PostgresDatabase, key: [String]?, logger: Logger,
                            values: (Row) -> [BulkValue]) async throws {
        // COPY's text format is built here, on the caller's task; the connection only sends it.
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 20)
        for row in rows {
            Self.appendLine(values(row), to: &buffer)
            if buffer.readableBytes >= 1 << 20 {
                chunks.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
            }
        }
        if buffer.readableBytes > 0 { chunks.append(buffer) }
        let table = name, columns = columns, conflict = conflictClause(key), lines = chunks
        let list = columns.joined(separator: ", ")
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var target = table
                if key != nil {
                    // Dropped at the end of the import's transaction; emptied when one import writes twice.
                    target = "incoming_\(table)"
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        CREATE TEMP TABLE IF NOT EXISTS \(target) ON COMMIT DROP AS SELECT \(list) FROM \(table) WITH NO DATA
                        """), logger: logger)
                    try await connection.query(PostgresQuery(unsafeSQL: "TRUNCATE \(target)"), logger: logger)
                }
                try await connection.copyFrom(table: target, columns: columns, logger: logger) { writer in
                    for chunk in lines { try await writer.write(chunk) }
                }
                if key != nil {
                    let upsert = "INSERT INTO \(table) (\(list)) SELECT \(list) FROM \(target)\(conflict)"
                    try await connection.query(PostgresQuery(unsafeSQL: upsert), logger: logger)
                }
            }
        }.get()
    }

    /// One line of COPY's text format: tab-separated, `\N` for no value, backslash, tab and line ends escaped.
    static func appendLine(_ values: [BulkValue], to buffer: inout ByteBuffer) {
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch value {
            case .int(let number): buffer.writeString(String(number))
            case .double(let number): buffer.writeString(number.isFinite ? String(number) : "NaN")
            case .null: buffer.writeStaticString("\\N")
            case .text(let text):
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }
}
