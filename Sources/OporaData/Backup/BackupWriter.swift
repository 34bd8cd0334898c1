import FluentKit
import Foundation
import OporaDomain
import NIOCore
import SQLiteNIO
import SQLKit

/// What a finished backup wrote.
public struct BackupSummary: Sendable {
    public let path: String
    public let bytes: Int
    public let rows: Int
    public let tables: Int
    public let seconds: Double
    public let migrations: Int
}

/// `opora backup`: every record of every table into one archive (`BackupFormat`), read from a consistent snapshot
/// while the server may be writing — SQLite: `VACUUM INTO` a temporary file, which is read instead of the live
/// database; PostgreSQL: one read-only REPEATABLE READ transaction for every read. Rows are read a page at a time
/// and written as they come, so memory does not grow with the database.
public enum Backup {
    /// Not backed up: the migration log (the header carries it), signed-in sessions and the login throttle — after a
    /// restore everyone signs in again; accounts, their passwords and API tokens are kept.
    public static let excludedTables: Set<String> = [DatabaseCatalog.migrationLog, "user_sessions", "login_attempts"]

    static let pageSize = 2_000

    /// The audit row of a backup; `/health` reads the newest one (keep these two names).
    public static let auditAction = "backup"
    public static let auditEntity = "backup"

    @discardableResult
    public static func write(from store: OporaStore, to path: String, actor: Actor = .commandLine) async throws -> BackupSummary {
        let started = Date()
        let partial = path + ".partial"
        var rows = 0
        var tables = 0
        var migrations = 0
        do {
            let archive = try ArchiveWriter(path: partial)
            switch store.target {
            case .postgres:
                (rows, tables, migrations) = try await store.db.transaction { tx in
                    try await tx.sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                    return try await copy(from: tx, engine: "postgresql", into: archive)
                }
            case .sqliteFile, .sqliteMemory:
                let snapshot = path + ".snapshot-\(UUID().uuidString).sqlite"
                defer {
                    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: snapshot + suffix) }
                }
                try await store.sql.raw("VACUUM INTO \(bind: snapshot)").run()
                let copyStore = try await OporaStore.open(.sqliteFile(snapshot), migrating: false, logger: store.logger)
                do {
                    (rows, tables, migrations) = try await copy(from: copyStore.db, engine: "sqlite", into: archive)
                } catch {
                    await copyStore.close()
                    throw error
                }
                await copyStore.close()
            }
            try archive.finish()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        let seconds = Date().timeIntervalSince(started)
        let summary = BackupSummary(path: path, bytes: bytes, rows: rows, tables: tables, seconds: seconds, migrations: migrations)
        try await AuditLog.record(
            on: store.db, actor: actor, action: auditAction, entity: auditEntity, entityID: nil,
            summary: "Резервная копия «\((path as NSString).lastPathComponent)»: \(bytes) байт, \(rows) записей, "
                + String(format: "%.1f", seconds).replacingOccurrences(of: ".", with: ",") + " с",
            changes: [
                FieldChange(field: "file", old: nil, new: path),
                FieldChange(field: "bytes", old: nil, new: String(bytes)),
                FieldChange(field: "rows", old: nil, new: String(rows)),
                FieldChange(field: "seconds", old: nil, new: String(format: "%.3f", seconds)),
            ],
            // A copy changes nothing the pages show: their cache stays valid.
            changesData: false)
        return summary
    }

    private struct MigrationName: Decodable { let name: String }

    /// Writes the header, every table and the trailer; returns (rows, tables, migrations).
    private static func copy(from db: any Database, engine: String, into archive: ArchiveWriter) async throws -> (Int, Int, Int) {
        let sql = db.sql
        let migrations = try await sql.raw("""
            SELECT name FROM _fluent_migrations ORDER BY batch, created_at, name
            """).all(decoding: MigrationName.self).map(\.name)
        let formatter = ISO8601DateFormatter()
        try archive.frame(.header(createdAt: formatter.string(from: Date()), engine: engine, migrations: migrations))
        let catalog = try await DatabaseCatalog.read(sql)
        var tables = 0
        for table in catalog.tables where !excludedTables.contains(table.name) {
            try archive.frame(.table(table.name, columns: table.columns))
            if engine == "postgresql" {
                try await copyPostgresRows(table, from: sql, into: archive)
            } else {
                try await copySQLiteRows(table, from: db, into: archive)
            }
            tables += 1
        }
        try archive.trailer()
        return (archive.totalRows, tables, migrations.count)
    }

    private static func copySQLiteRows(_ table: DatabaseCatalog.Table, from db: any Database, into archive: ArchiveWriter) async throws {
        guard let sqlite = db as? any SQLiteDatabase else { throw BackupError.unsupportedValue("не база SQLite") }
        let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        var after = Int64.min
        while true {
            // The raw rows keep SQLite's own storage classes (integer, real, text, blob), whatever the declared type.
            let page = try await sqlite.query("""
                SELECT rowid, \(columns) FROM "\(table.name)" WHERE rowid > ? ORDER BY rowid LIMIT \(pageSize)
                """, [.integer(Int(after))])
            for row in page {
                let cells = row.columns
                if case .integer(let rowid) = cells[0].data { after = Int64(rowid) }
                var values: [BackupFormat.Value] = []
                values.reserveCapacity(cells.count - 1)
                for cell in cells.dropFirst() {
                    switch cell.data {
                    case .null: values.append(.null)
                    case .integer(let number): values.append(.integer(Int64(number)))
                    case .float(let number):
                        guard let value = BackupFormat.number(number) else {
                            throw BackupError.unsupportedValue("\(table.name).\(cell.name): \(number)")
                        }
                        values.append(value)
                    case .text(let text): values.append(.text(text))
                    case .blob(let buffer): values.append(.text(Data(buffer.readableBytesView).base64EncodedString()))
                    }
                }
                try archive.row(table.name, values)
            }
            if page.count < pageSize { break }
        }
    }

    private static func copyPostgresRows(_ table: DatabaseCatalog.Table, from sql: any SQLDatabase,
                                         into archive: ArchiveWriter) async throws {
        let select = table.columns.map { column -> String in
            let name = "\"\(column.name)\""
            switch column.kind {
            case .timestamp, .date: return "(extract(epoch from \(name)))::text AS \(name)"
            case .uuid, .json: return "\(name)::text AS \(name)"
            default: return name
            }
        }.joined(separator: ", ")
        let order = table.orderBy.map { "\"\($0)\"" }.joined(separator: ", ")
        try await sql.raw("""
            DECLARE opora_backup NO SCROLL CURSOR FOR
              SELECT \(unsafeRaw: select) FROM "\(unsafeRaw: table.name)" ORDER BY \(unsafeRaw: order)
            """).run()
        while true {
            let page = try await sql.raw("FETCH \(literal: pageSize) FROM opora_backup").all()
            for row in page {
                var values: [BackupFormat.Value] = []
                values.reserveCapacity(table.columns.count)
                for column in table.columns {
                    values.append(try postgresValue(row, column, table: table.name))
                }
                try archive.row(table.name, values)
            }
            if page.count < pageSize { break }
        }
        try await sql.raw("CLOSE opora_backup").run()
    }

    private static func postgresValue(_ row: any SQLRow, _ column: BackupFormat.Column, table: String) throws -> BackupFormat.Value {
        let name = column.name
        switch column.kind {
        case .integer:
            return try row.decode(column: name, as: Int64?.self).map { .integer($0) } ?? .null
        case .real:
            guard let number = try row.decode(column: name, as: Double?.self) else { return .null }
            guard let value = BackupFormat.number(number) else { throw BackupError.unsupportedValue("\(table).\(name): \(number)") }
            return value
        case .bool:
            return try row.decode(column: name, as: Bool?.self).map { .bool($0) } ?? .null
        case .blob:
            return try row.decode(column: name, as: Data?.self).map { .text($0.base64EncodedString()) } ?? .null
        case .timestamp, .date:
            guard let text = try row.decode(column: name, as: String?.self) else { return .null }
            if let integer = Int64(text) { return .integer(integer) }
            guard let number = Double(text), number.isFinite else { throw BackupError.unsupportedValue("\(table).\(name): \(text)") }
            return .number(text)
        case .text, .uuid, .json:
            return try row.decode(column: name, as: String?.self).map { .text($0) } ?? .null
        }
    }
}

/// The archive being written: every line goes through the checksum and the gzip stream.
/// Used by one task at a time (the backup's), also inside PostgreSQL's transaction closure.
final class ArchiveWriter: @unchecked Sendable {
    private let output: GzipLineWriter
    private var digest = SHA256Digest()
    private(set) var counts: [String: Int] = [:]
    private(set) var totalRows = 0

    init(path: String) throws {
        output = try GzipLineWriter(path: path)
    }

    func frame(_ frame: BackupFormat.Frame) throws {
        if let table = frame.table { counts[table] = 0 }
        try line(frame.line())
    }

    func row(_ table: String, _ values: [BackupFormat.Value]) throws {
        counts[table, default: 0] += 1
        totalRows += 1
        try line(BackupFormat.rowLine(values))
    }

    /// The last line: row counts and the checksum of everything before it (not part of its own checksum).
    func trailer() throws {
        let line = BackupFormat.Frame.trailer(rows: counts, sha256: digest.hexDigest()).line()
        var bytes = Array(line.utf8)
        bytes.append(10)
        try output.write(bytes)
    }

    func finish() throws { try output.finish() }

    private func line(_ text: String) throws {
        var bytes = Array(text.utf8)
        bytes.append(10)
        digest.update(bytes)
        try output.write(bytes)
    }
}
