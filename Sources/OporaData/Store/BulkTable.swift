import FluentKit
import Foundation
import Logging
import NIOCore
import OporaDomain
import PostgresNIO
import SQLKit
import SQLiteNIO

/// One cell of a row written in bulk: typed, so that nothing goes through `Encodable` boxing (a million rows of
/// six cells boxed and encoded one by one take longer than the whole write).
enum BulkValue: Sendable {
    case int(Int)
    case double(Double)
    case text(String)
    /// A text already made as UTF-8 bytes (a passport's JSON): bound or copied as they are, never checked again as a
    /// `String` would be (that check was a third of writing a million passports).
    case utf8([UInt8])
    /// A moment (`updated_at`): on SQLite as Fluent stores it, on PostgreSQL as `timestamptz` text.
    case date(Date)
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
                    values: @escaping (Row) -> [BulkValue]) async throws {
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

    /// `rows` a slice at a time (PostgreSQL's COPY text is held for one slice, not for the file): those `isNew`
    /// inserted, the others upserted by `key`.
    func write<Row>(_ rows: [Row], on db: any Database, slice: Int = 100_000, isNew: (Row) -> Bool, key: [String],
                    values: @escaping (Row) -> [BulkValue]) async throws {
        for start in stride(from: 0, to: rows.count, by: slice) {
            let part = rows[start..<min(start + slice, rows.count)]
            try await write(part.filter(isNew), on: db, values: values)
            try await write(part.filter { !isNew($0) }, on: db, updatingOnConflict: key, values: values)
        }
    }

    func conflictClause(_ key: [String]?) -> String {
        guard let key else { return "" }
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return " ON CONFLICT (\(key.joined(separator: ", "))) " + (updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates)")
    }

    // MARK: SQLite

    func writeSQLite<Row>(_ rows: [Row], on sqlite: any SQLiteDatabase, key: [String]?,
                          values: @escaping (Row) -> [BulkValue]) async throws {
        let perRow = columns.count
        let head = "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES "
        let placeholder = "(" + Array(repeating: "?", count: perRow).joined(separator: ",") + ")"
        let conflict = conflictClause(key)
        // Cells made a few thousand rows at a time and stepped by one prepared statement on the transaction's connection,
        // on a thread of the pool, while this task makes the next few thousand: the two cores work at once (making the
        // cells — a passport's JSON, a roadmap's texts — was a fifth of a write, waited for by SQLite).
        nonisolated(unsafe) let rows = rows, values = values
        let written = try await SQLiteDirect.withHandle(sqlite) { handle in
            let prepared = try SQLitePreparedInsert.open({ rows in
                head + Array(repeating: placeholder, count: rows).joined(separator: ",") + conflict
            }, width: perRow, on: handle)
            var inserting: Task<Void, any Error>? = nil
            do {
                for start in stride(from: 0, to: rows.count, by: 4_096) {
                    var cells: [[BulkValue]] = []
                    cells.reserveCapacity(4_096)
                    for row in rows[start..<min(start + 4_096, rows.count)] { cells.append(values(row)) }
                    try await inserting?.value
                    inserting = Task { [cells] in try await prepared.insert(cells) }
                }
                try await inserting?.value
            } catch {
                // Never return while a slice is still being stepped on the connection.
                _ = try? await inserting?.value
                throw error
            }
            return true
        }
        if written == true { return }
        let chunkSize = max(1, 32_000 / perRow)
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
                statement = head + Array(repeating: placeholder, count: end - start).joined(separator: ",") + conflict
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
        case .utf8(let bytes): .text(String(decoding: bytes, as: UTF8.self))
        case .date(let date): date.sqliteData ?? .null
        case .null: .null
        }
    }

    static func encodable(_ value: BulkValue) -> any Encodable & Sendable {
        switch value {
        case .int(let number): number
        case .double(let number): number
        case .text(let text): text
        case .utf8(let bytes): String(decoding: bytes, as: UTF8.self)
        case .date(let date): date
        case .null: Int?.none
        }
    }

    // MARK: PostgreSQL

    func writePostgres<Row>(_ rows: [Row], on postgres: any PostgresDatabase, key: [String]?, logger: Logger,
                            values: @escaping (Row) -> [BulkValue]) async throws {
        // Plain inserts check their references by set when the role may switch row triggers off (`SetCheckedReferences`).
        let checks = key == nil ? try await SetCheckedReferences.of(table: name, columns: columns, on: postgres, logger: logger) : nil
        let table = name, columns = columns, conflict = conflictClause(key)
        let list = columns.joined(separator: ", ")
        nonisolated(unsafe) let rows = rows, values = values
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
                if checks != nil { try await SetCheckedReferences.switchRowChecks(off: true, on: connection, logger: logger) }
                var wanted = Array(repeating: IDSet(), count: checks?.links.count ?? 0)
                try await connection.copyFrom(table: target, columns: columns, logger: logger) { writer in
                    // COPY's text is made a megabyte at a time while the server stores the one before: the import's
                    // process and the server work at once rather than in turn.
                    var buffer: [UInt8] = []
                    buffer.reserveCapacity(1 << 20 + 64 << 10)
                    var moments = MomentText()
                    for row in rows {
                        let cells = values(row)
                        if let links = checks?.links {
                            for (index, link) in links.enumerated() {
                                switch cells[link.position] {
                                case .int(let id): wanted[index].insert(id)
                                case .null: break
                                case .text, .utf8, .double, .date: throw KeyNotAnInteger(table: table, column: link.column)
                                }
                            }
                        }
                        Self.appendLine(cells, to: &buffer, moments: &moments)
                        if buffer.count >= 1 << 20 {
                            try await writer.write(ByteBuffer(bytes: buffer))
                            buffer.removeAll(keepingCapacity: true)
                        }
                    }
                    if !buffer.isEmpty { try await writer.write(ByteBuffer(bytes: buffer)) }
                }
                if let checks {
                    try await SetCheckedReferences.switchRowChecks(off: false, on: connection, logger: logger)
                    try await checks.check(wanted, on: connection, logger: logger)
                }
                if key != nil {
                    let upsert = "INSERT INTO \(table) (\(list)) SELECT \(list) FROM \(target)\(conflict)"
                    try await connection.query(PostgresQuery(unsafeSQL: upsert), logger: logger)
                }
            }
        }.get()
    }

    /// One line of COPY's text format: tab-separated, `\N` for no value, backslash, tab and line ends escaped.
    /// Written into an array of this write's own: a `ByteBuffer` checks its storage's exclusive access at every
    /// write, a cell and a separator at a time (a tenth of a million programmes' COPY text).
    static func appendLine(_ values: [BulkValue], to out: inout [UInt8], moments: inout MomentText) {
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "\t")) }
            switch value {
            case .int(let number): appendNumber(number, to: &out)
            case .double(let number): out.append(contentsOf: (number.isFinite ? String(number) : "NaN").utf8)
            case .null: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "N"))
            case .date(let date): out.append(contentsOf: moments.text(date).utf8)
            case .text(let text):
                if text.utf8.withContiguousStorageIfAvailable({ appendText($0, to: &out) }) == nil {
                    Array(text.utf8).withUnsafeBufferPointer { appendText($0, to: &out) }
                }
            case .utf8(let bytes): bytes.withUnsafeBufferPointer { appendText($0, to: &out) }
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// A whole number's decimal digits, without a `String` made for each.
    static func appendNumber(_ number: Int, to out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude, digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                                                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: buffer[at...])
        }
    }

    /// A text's bytes, backslash, tab and line ends escaped; most texts need no escape and are written at once.
    static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard mayNeedEscape(bytes) else {
            out.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            default: out.append(byte)
            }
        }
    }

    /// Whether a byte is a backslash or below 0x0E (tab and line ends among them).
    static func mayNeedEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        EightBytes.contains(bytes, words: { EightBytes.below(0x0E, in: $0) | EightBytes.equal(UInt8(ascii: "\\"), in: $0) != 0 }) {
            $0 < 0x0E || $0 == UInt8(ascii: "\\")
        }
    }
}

/// `timestamptz` input text for COPY, made once for the moment every row of an import shares.
struct MomentText {
    var last: (date: Date, text: String)?

    mutating func text(_ date: Date) -> String {
        if let last, last.date == date { return last.text }
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let micros = Int(((date.timeIntervalSince1970 - Double(seconds)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let fraction = String(micros)
        let text = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: max(0, 6 - fraction.count)) + fraction + "+00"
        last = (date, text)
        return text
    }
}

/// One row of a bulk read: its cells in the order of the query's columns, typed by the engine.
struct BulkCells {
    let values: [BulkValue]

    func int(_ index: Int) -> Int? {
        switch values[index] {
        case .int(let number): number
        case .double(let number): Int(number)
        case .text(let text): Int(text)
        case .utf8(let bytes): Int(String(decoding: bytes, as: UTF8.self))
        case .date, .null: nil
        }
    }

    func double(_ index: Int) -> Double? {
        switch values[index] {
        case .int(let number): Double(number)
        case .double(let number): number
        case .text(let text): Double(text)
        case .utf8(let bytes): Double(String(decoding: bytes, as: UTF8.self))
        case .date, .null: nil
        }
    }

    func text(_ index: Int) -> String? {
        switch values[index] {
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .text(let text): text
        case .utf8(let bytes): String(decoding: bytes, as: UTF8.self)
        case .date, .null: nil
        }
    }

    init(values: [BulkValue]) {
        self.values = values
    }

    init(sqlite row: SQLiteRow) {
        values = row.columns.map { column in
            switch column.data {
            case .integer(let number): .int(number)
            case .float(let number): .double(number)
            case .text(let text): .text(text)
            case .blob(var buffer): .text(buffer.readString(length: buffer.readableBytes) ?? "")
            case .null: .null
            }
        }
    }

    init(postgres row: PostgresRow) {
        values = row.map { cell in
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return (try? cell.decode(Int.self)).map(BulkValue.int) ?? .null
            case .float4, .float8, .numeric: return (try? cell.decode(Double.self)).map(BulkValue.double) ?? .null
            default: return (try? cell.decode(String.self)).map(BulkValue.text) ?? .null
            }
        }
    }
}

extension BulkTable {
    /// Runs `sql` (ids written into it; a text from a file bound, as `$1`, `$2`, … in order) and folds its rows into
    /// `initial` as they arrive: typed cells and no `Decodable`, so a million stored rows are read in about a second,
    /// not in ten.
    static func read<State>(_ sql: String, binds: [BulkValue] = [], on db: any Database, into initial: State,
                            _ body: @escaping (inout State, BulkCells) -> Void) async throws -> State {
        // The rows arrive one after another on the connection's thread while this task waits for them.
        nonisolated(unsafe) var state = initial
        nonisolated(unsafe) let fold = body
        if let sqlite = db as? any SQLiteDatabase {
            let read = try await SQLiteDirect.withHandle(sqlite) { handle in
                try await SQLiteDirect.read(sql, binds: binds, on: handle) { cells in fold(&state, cells) }
                return true
            }
            if read != true { try await sqlite.query(sql, binds.map(Self.sqlite)) { row in fold(&state, BulkCells(sqlite: row)) } }
        } else if let postgres = db as? any PostgresDatabase {
            let logger = db.logger
            var bindings = PostgresBindings(capacity: binds.count)
            for value in binds {
                switch value {
                case .int(let number): bindings.append(number)
                case .double(let number): bindings.append(number)
                case .text(let text): bindings.append(text)
                case .utf8(let bytes): bindings.append(String(decoding: bytes, as: UTF8.self))
                case .date(let date): bindings.append(date)
                case .null: bindings.appendNull()
                }
            }
            try await postgres.withConnection { [bindings] connection in
                connection.eventLoop.makeFutureWithTask {
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                    for try await row in rows { fold(&state, BulkCells(postgres: row)) }
                }
            }.get()
        } else {
            // Only the two engines above take binds. (SQLiteNIO's way above binds by place: `$n` each once, in order.)
            guard binds.isEmpty else { throw BindsNotSupported() }
            for row in try await db.sql.raw(SQLQueryString(sql)).all() {
                let values = row.allColumns.map { column -> BulkValue in
                    if let number = try? row.decode(column: column, as: Int.self) { return .int(number) }
                    if let number = try? row.decode(column: column, as: Double.self) { return .double(number) }
                    return (try? row.decode(column: column, as: String.self)).map(BulkValue.text) ?? .null
                }
                fold(&state, BulkCells(values: values))
            }
        }
        return state
    }

    struct BindsNotSupported: Error {}

    /// `count` ids for new rows of `table`, taken before they are written, so that the rows (and the rows that
    /// refer to them) go out in bulk without being read back.
    static func reserveIDs(_ count: Int, table: String, on db: any Database) async throws -> [Int] {
        guard count > 0 else { return [] }
        if db is any PostgresDatabase {
            // One `nextval` per id: a form may take an id from the same sequence meanwhile, so no range is assumed.
            // The sequence is named once: `pg_get_serial_sequence` in the select list ran per row, 3,2 s of a million
            // programmes' 3,5 s here. The ids come back as runs of consecutive values (in order, each id less its rank
            // is the same along a run), usually one row rather than a million read one by one.
            var ids: [Int] = []
            ids.reserveCapacity(count)
            ids = try await read("""
                WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('\(table)', 'id')::regclass AS sequence), \
                taken AS (SELECT nextval(s.sequence) AS id FROM s, generate_series(1, \(count))), \
                ranked AS (SELECT id, id - row_number() OVER (ORDER BY id) AS run FROM taken) \
                SELECT MIN(id), MAX(id) FROM ranked GROUP BY run ORDER BY MIN(id)
                """, on: db, into: ids) { ids, row in
                if let first = row.int(0), let last = row.int(1), first <= last { ids.append(contentsOf: first...last) }
            }
            guard ids.count == count else { throw IDsNotReserved(table: table, wanted: count, reserved: ids.count) }
            return ids
        }
        // SQLite: the import holds the write lock (`ImportWriteLock`), so nobody adds a row before it commits; an
        // AUTOINCREMENT table never reuses a deleted row's id, so its sequence counts too.
        var last = try await read("SELECT MAX(id) FROM \(table)", on: db, into: 0) { last, row in last = row.int(0) ?? 0 }
        if let sequence = try? await read("SELECT seq FROM sqlite_sequence WHERE name = '\(table)'", on: db, into: 0, { seq, row in
            seq = row.int(0) ?? 0
        }) { last = max(last, sequence) }
        return Array((last + 1)...(last + count))
    }
}

/// The sequence gave fewer ids than asked for: a programming error, never a half-written import.
struct IDsNotReserved: Error, Sendable, CustomStringConvertible {
    let table: String
    let wanted: Int
    let reserved: Int
    var description: String { "\(table): зарезервировано \(reserved) номеров записей из \(wanted)" }
}
