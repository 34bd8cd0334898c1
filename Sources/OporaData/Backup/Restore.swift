import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// What an archive holds, known after reading it through once (framing and checksum checked).
public struct ArchiveInfo: Sendable {
    public let createdAt: String
    public let engine: String
    public let migrations: [String]
    public let rows: [String: Int]
    public var totalRows: Int { rows.values.reduce(0, +) }
}

public struct RestoreSummary: Sendable {
    public let rows: Int
    public let tables: Int
    /// Migrations run after loading (an archive of an older version).
    public let migrated: Int
    public let seconds: Double
}

/// `opora restore`: an archive into an EMPTY database, all or nothing. The archive is read through once first
/// (framing, schema, checksum) and the target checked empty, so a refusal writes nothing; then one transaction
/// creates the archive's schema, loads every row (parents before children), resets PostgreSQL's id sequences and
/// runs the migrations the archive predates, checking the checksum again as it goes.
public enum Restore {
    /// Tables a migration fills itself (the catalogues): their seeded rows do not make a database «not empty»,
    /// and the archive's rows replace them.
    public static let seededTables: Set<String> = ["subjects", "procedures", "risk_factors", "data_version"]

    /// Reads the whole archive and checks it, writing nothing.
    public static func inspect(_ path: String, known: [String] = OporaMigrations.all.map(\.name)) throws -> ArchiveInfo {
        let reader = try ArchiveReader(path: path)
        let header = try reader.header()
        try check(schema: header.migrations ?? [], known: known)
        var current: (name: String, columns: Int)? = nil
        while let item = try reader.next() {
            switch item {
            case .table(let name, let columns): current = (name, columns.count)
            case .row(let values):
                guard let table = current else { throw BackupError.damaged("строка \(reader.line): данные вне таблицы") }
                guard values.count == table.columns else {
                    throw BackupError.damaged("строка \(reader.line): \(values.count) значений вместо \(table.columns) в «\(table.name)»")
                }
            }
        }
        return ArchiveInfo(createdAt: header.createdAt ?? "", engine: header.engine ?? "",
                           migrations: header.migrations ?? [], rows: reader.counts)
    }

    static func check(schema migrations: [String], known: [String]) throws {
        switch ArchiveSchema.match(archive: migrations, known: known) {
        case .current, .older: return
        case .newer(let unknown): throw BackupError.newerSchema(unknown)
        case .inconsistent: throw BackupError.inconsistentSchema
        }
    }

    private struct One: Decodable { let one: Int }

    /// Tables whose rows are the machine's own traces, not records: a login tried, a session, an `opora check` or the
    /// server's daily check of the empty target. They never make a target «not empty» (the restore replaces them).
    static let traces: Set<String> = Backup.excludedTables.union(["database_checks"])

    /// The tables of `db` holding records (other than the migration log, the catalogues a migration seeds and traces).
    public static func tablesWithRecords(_ db: any Database) async throws -> [String] {
        let sql = db.sql
        var found: [String] = []
        for name in try await DatabaseCatalog.tableNames(sql, isPostgres: sql.dialect.name == "postgresql")
        where !seededTables.contains(name) && !traces.contains(name) {
            if try await sql.raw("SELECT 1 AS one FROM \(ident: name) LIMIT 1").first(decoding: One.self) != nil {
                found.append(name)
            }
        }
        return found
    }

    /// `store` must be opened without migrating (`OporaStore.open(_, migrating: false)`).
    @discardableResult
    public static func load(_ path: String, into store: OporaStore,
                            migrations all: [any Migration] = OporaMigrations.all) async throws -> RestoreSummary {
        let started = Date()
        let known = all.map(\.name)
        let info = try inspect(path, known: known)
        let busy = try await tablesWithRecords(store.db)
        guard busy.isEmpty else { throw BackupError.targetNotEmpty(busy) }
        let schemaCount: Int = switch ArchiveSchema.match(archive: info.migrations, known: known) {
        case .older(let count): count
        default: all.count
        }
        let isPostgres = store.target.isPostgres
        let loaded = try await store.db.transaction { tx in
            let sql = tx.sql
            if !isPostgres { try await sql.raw("PRAGMA defer_foreign_keys = ON").run() }
            // Tables of an earlier start of Opora (no records in them, checked above) make way for the archive's schema.
            let existing = try await DatabaseCatalog.read(sql)
            let emptiedVersion = existing.names.contains("data_version") ? try await DataVersion.current(sql) : 0
            for table in existing.names.reversed() {
                try await sql.raw("DROP TABLE IF EXISTS \(ident: table)\(unsafeRaw: isPostgres ? " CASCADE" : "")").run()
            }
            try await MigrationLog.migration.prepare(on: tx).get()
            for migration in all.prefix(schemaCount) {
                try await migration.prepare(on: tx).get()
                try await MigrationLog(name: migration.name, batch: 1).create(on: tx)
            }
            let catalog = try await DatabaseCatalog.read(sql)
            for table in catalog.names where table != DatabaseCatalog.migrationLog {
                try await sql.delete(from: table).run()
            }
            let loaded = try await loadRows(path, into: tx, catalog: catalog, isPostgres: isPostgres)
            if isPostgres { try await resetSequences(sql) }
            for migration in all.dropFirst(schemaCount) {
                try await migration.prepare(on: tx).get()
                try await MigrationLog(name: migration.name, batch: 2).create(on: tx)
            }
            if isPostgres { try await resetSequences(sql) }
            // (A restore into an older schema, as its tests make, has no version to move.)
            if all.contains(where: { $0 is V047DataVersion }) { try await DataVersion.bump(sql, above: emptiedVersion) }
            return loaded
        }
        try await store.target.prepare(store.db)
        return RestoreSummary(rows: loaded, tables: info.rows.count, migrated: all.count - schemaCount,
                              seconds: Date().timeIntervalSince(started))
    }

    private static func loadRows(_ path: String, into tx: any Database, catalog: DatabaseCatalog, isPostgres: Bool) async throws -> Int {
        let sql = tx.sql
        let reader = try ArchiveReader(path: path)
        _ = try reader.header()
        var batch = InsertBatch?.none
        var total = 0
        while let item = try reader.next() {
            switch item {
            case .table(let name, let columns):
                try await batch?.flush(sql)
                guard let target = catalog.table(name) else {
                    throw BackupError.schemaMismatch("таблицы «\(name)» нет в схеме версии архива")
                }
                let targetKinds = Dictionary(uniqueKeysWithValues: target.columns.map { ($0.name, $0.kind) })
                var kinds: [BackupFormat.Kind] = []
                for column in columns {
                    guard let kind = targetKinds[column.name] else {
                        throw BackupError.schemaMismatch("в таблице «\(name)» нет столбца «\(column.name)»")
                    }
                    kinds.append(kind)
                }
                batch = InsertBatch(table: name, columns: columns, targetKinds: kinds, isPostgres: isPostgres)
            case .row(let values):
                guard batch != nil else { throw BackupError.damaged("строка \(reader.line): данные вне таблицы") }
                try batch!.add(values, line: reader.line)
                total += 1
                if batch!.isFull { try await batch!.flush(sql) }
            }
        }
        try await batch?.flush(sql)
        return total
    }

    private struct SequenceColumn: Decodable { let table: String; let column: String }

    /// Identity columns continue after the loaded ids.
    static func resetSequences(_ sql: any SQLDatabase) async throws {
        let columns = try await sql.raw("""
            SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns
            WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval%')
            """).all(decoding: SequenceColumn.self)
        for item in columns {
            try await sql.raw("""
                SELECT setval(pg_get_serial_sequence(\(bind: "\"\(item.table)\""), \(bind: item.column)),
                  COALESCE(MAX(\(ident: item.column)), 0) + 1, false) FROM \(ident: item.table)
                """).run()
        }
    }
}

/// Rows of one table waiting to be inserted, converted to the target engine's types.
private struct InsertBatch {
    let table: String
    let columns: [BackupFormat.Column]
    let targetKinds: [BackupFormat.Kind]
    let isPostgres: Bool
    var rows: [[any SQLExpression]] = []
    var bytes = 0

    init(table: String, columns: [BackupFormat.Column], targetKinds: [BackupFormat.Kind], isPostgres: Bool) {
        self.table = table
        self.columns = columns
        self.targetKinds = targetKinds
        self.isPostgres = isPostgres
    }

    var isFull: Bool { rows.count >= max(1, 30_000 / max(1, columns.count)) || bytes >= 8 << 20 }

    mutating func add(_ values: [BackupFormat.Value], line: Int) throws {
        guard values.count == columns.count else {
            throw BackupError.damaged("строка \(line): \(values.count) значений вместо \(columns.count) в «\(table)»")
        }
        var row: [any SQLExpression] = []
        row.reserveCapacity(values.count)
        for index in values.indices {
            row.append(try convert(values[index], column: columns[index], target: targetKinds[index], line: line))
        }
        rows.append(row)
    }

    mutating func flush(_ sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: table).columns(columns.map(\.name))
        for row in rows { insert = insert.values(row) }
        try await insert.run()
        rows.removeAll(keepingCapacity: true)
        bytes = 0
    }

    private mutating func convert(_ value: BackupFormat.Value, column: BackupFormat.Column, target: BackupFormat.Kind,
                                  line: Int) throws -> any SQLExpression {
        func wrong() -> BackupError {
            .damaged("строка \(line): значение столбца «\(table).\(column.name)» не подходит к его типу")
        }
        if value == .null { return SQLLiteral.null }
        if column.kind == .blob || target == .blob {
            guard case .text(let base64) = value, let data = Data(base64Encoded: base64) else { throw wrong() }
            bytes += data.count
            return SQLBind(data)
        }
        switch target {
        case .integer:
            switch value {
            case .integer(let number): return SQLBind(Int(number))
            case .bool(let flag): return SQLBind(flag ? 1 : 0)
            case .number(let text):
                guard let number = Double(text), number == number.rounded() else { throw wrong() }
                return SQLBind(Int(number))
            case .text(let text):
                guard let number = Int(text) else { throw wrong() }
                return SQLBind(number)
            case .null: return SQLLiteral.null
            }
        case .real:
            guard let number = value.double else { throw wrong() }
            return SQLBind(number)
        case .bool:
            switch value {
            case .bool(let flag): return SQLBind(flag)
            case .integer(let number): return SQLBind(number != 0)
            default: throw wrong()
            }
        case .timestamp, .date:
            if case .text(let text) = value {
                bytes += text.utf8.count
                return isPostgres ? SQLCast(SQLBind(text), type: target == .date ? "DATE" : "TIMESTAMPTZ") : SQLBind(text)
            }
            guard let seconds = value.double else { throw wrong() }
            guard isPostgres else { return SQLBind(seconds) }
            return EpochMicroseconds(micros: Int64((seconds * 1_000_000).rounded()), asDate: target == .date)
        case .text, .uuid, .json, .blob:
            let text: String
            switch value {
            case .text(let string): text = string
            case .integer(let number): text = String(number)
            case .number(let string): text = string
            case .bool(let flag): text = flag ? "true" : "false"
            case .null: return SQLLiteral.null
            }
            bytes += text.utf8.count
            if isPostgres && target == .uuid { return SQLCast(SQLBind(text), type: "UUID") }
            if isPostgres && target == .json { return SQLCast(SQLBind(text), type: "JSONB") }
            return SQLBind(text)
        }
    }
}

/// `CAST(value AS type)`.
private struct SQLCast: SQLExpression {
    let value: any SQLExpression
    let type: String

    init(_ value: any SQLExpression, type: String) {
        self.value = value
        self.type = type
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CAST(")
        value.serialize(to: &serializer)
        serializer.write(" AS \(type))")
    }
}

/// PostgreSQL: a time given as microseconds since 1970, exactly (a double in seconds would round).
private struct EpochMicroseconds: SQLExpression {
    let micros: Int64
    let asDate: Bool

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(asDate ? "CAST(TIMESTAMP 'epoch' + " : "(TIMESTAMPTZ 'epoch' + ")
        SQLBind(Int(micros)).serialize(to: &serializer)
        serializer.write(asDate ? " * INTERVAL '1 microsecond' AS DATE)" : " * INTERVAL '1 microsecond')")
    }
}

/// Reads an archive's lines in order, checking the framing and, at the trailer, the row counts and the checksum.
final class ArchiveReader {
    enum Item {
        case table(String, [BackupFormat.Column])
        case row([BackupFormat.Value])
    }

    private let input: GzipLineReader
    private var digest = SHA256Digest()
    private(set) var counts: [String: Int] = [:]
    private var table: String?
    private var seenTrailer = false

    var line: Int { input.lineNumber }

    init(path: String) throws {
        input = try GzipLineReader(path: path)
    }

    func header() throws -> BackupFormat.Frame {
        guard let bytes = try nextBytes() else { throw BackupError.notAnArchive("файл пуст") }
        guard let frame = BackupFormat.Frame.parse(Substring(decoding: bytes, as: UTF8.self)), frame.kind == "header",
              frame.format == BackupFormat.name else {
            throw BackupError.notAnArchive("нет заголовка «\(BackupFormat.name)»")
        }
        guard let version = frame.version, version <= BackupFormat.version else {
            throw BackupError.notAnArchive("версия формата \(frame.version ?? 0) новее этой программы")
        }
        digest.update(bytes)
        digest.update([10])
        return frame
    }

    /// The next table or row; nil after a trailer that matches what was read.
    func next() throws -> Item? {
        guard !seenTrailer else { return nil }
        guard let bytes = try nextBytes() else { throw BackupError.damaged("нет завершающей строки с контрольной суммой") }
        let text = Substring(decoding: bytes, as: UTF8.self)
        if bytes.first == UInt8(ascii: "[") {
            guard let table else { throw BackupError.damaged("строка \(line): данные вне таблицы") }
            let values: [BackupFormat.Value]
            do { values = try BackupFormat.parseRow(text) } catch let error as BackupFormat.RowError {
                throw BackupError.damaged("строка \(line): \(error.reason)")
            }
            counts[table, default: 0] += 1
            digest.update(bytes)
            digest.update([10])
            return .row(values)
        }
        guard let frame = BackupFormat.Frame.parse(text) else { throw BackupError.damaged("строка \(line) не читается") }
        switch frame.kind {
        case "table":
            guard let name = frame.table, let columns = frame.columns, counts[name] == nil else {
                throw BackupError.damaged("строка \(line): неверный заголовок таблицы")
            }
            table = name
            counts[name] = 0
            digest.update(bytes)
            digest.update([10])
            return .table(name, columns)
        case "end":
            guard frame.sha256 == digest.hexDigest() else { throw BackupError.damaged("контрольная сумма не совпадает") }
            guard frame.rows == counts else { throw BackupError.damaged("число строк не совпадает с записанным в конце") }
            guard try nextBytes() == nil else { throw BackupError.damaged("после завершающей строки есть данные") }
            seenTrailer = true
            return nil
        default:
            throw BackupError.damaged("строка \(line): неизвестный вид «\(frame.kind)»")
        }
    }

    private func nextBytes() throws -> ArraySlice<UInt8>? { try input.nextLine() }
}

extension Restore {
    /// Every row of a checked archive, table by table (for comparisons and tools; the trailer is checked at the end).
    public static func forEachRow(in path: String,
                                  _ body: (_ table: String, _ columns: [BackupFormat.Column],
                                           _ values: [BackupFormat.Value]) throws -> Void)
        throws {
        let reader = try ArchiveReader(path: path)
        _ = try reader.header()
        var current: (String, [BackupFormat.Column])? = nil
        while let item = try reader.next() {
            switch item {
            case .table(let name, let columns): current = (name, columns)
            case .row(let values): if let current { try body(current.0, current.1, values) }
            }
        }
    }
}
