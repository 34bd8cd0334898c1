import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Runs the checks `DatabaseCheckRules` defines, one query per item, and never throws for a fault it finds: a
/// query that fails (an unreadable table) is itself reported. Reads only; safe while the server runs.
public struct DatabaseChecker: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    var sql: any SQLDatabase { db.sql }
    var isPostgres: Bool { sql.dialect.name == "postgresql" }

    /// Collects one check's outcome.
    struct Collector {
        var checks: [CheckItem] = []
        var faults: [CheckFault] = []

        mutating func add(_ kind: CheckFault.Kind, _ name: String, total: Int, listed: [CheckFault]) {
            checks.append(CheckItem(kind: kind, name: name, faults: total))
            faults += listed.prefix(DatabaseCheckRules.listedPerCheck)
        }

        mutating func failed(_ kind: CheckFault.Kind, _ name: String, table: String, _ error: any Error) {
            add(kind, name, total: 1, listed: [CheckFault(kind: kind, check: name, table: table, rowID: nil,
                                                          message: "проверка не выполнена: \(StoreErrors.describe(error))")])
        }
    }

    public func run(knownMigrations: [String] = OporaMigrations.all.map(\.name)) async -> DatabaseCheckReport {
        let started = Date()
        var collector = Collector()
        let (tables, rows) = await readEveryTable(&collector)
        if isPostgres { await postgresIndexes(&collector) } else { await sqliteEngineChecks(&collector) }
        await schema(known: knownMigrations, &collector)
        // A cancelled run (the server stopping) ends early; its caller does not keep a partial report.
        for reference in DatabaseCheckRules.references where !Task.isCancelled { await check(reference, &collector) }
        for part in DatabaseCheckRules.requiredParts where !Task.isCancelled { await check(part, &collector) }
        for rule in DatabaseCheckRules.auditRules where !Task.isCancelled { await check(rule, &collector) }
        return DatabaseCheckReport(startedAt: started, finishedAt: Date(), engine: isPostgres ? "PostgreSQL" : "SQLite",
                                   tables: tables, rows: rows, checks: collector.checks, faults: collector.faults)
    }

    // MARK: - The engine's own checks

    struct Name: Decodable { let name: String }
    struct Count: Decodable { let n: Int }

    /// Counts every table's rows: a table the engine cannot read to its end is a fault (on PostgreSQL this is the
    /// cheap check there is: a damaged page or a missing file fails the scan).
    func readEveryTable(_ collector: inout Collector) async -> (tables: Int, rows: Int) {
        let name = isPostgres ? "каждая таблица читается целиком (COUNT(*) по каждой)" : "каждая таблица читается (COUNT(*) по каждой)"
        let listing: SQLQueryString = isPostgres
            ? """
              SELECT table_name::text AS name FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
              """
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        let tables: [String]
        do {
            tables = try await sql.raw(listing).all(decoding: Name.self).map(\.name).sorted()
        } catch {
            collector.failed(.engine, name, table: "", error)
            return (0, 0)
        }
        var rows = 0
        var faults: [CheckFault] = []
        for table in tables {
            do {
                rows += try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: Count.self)?.n ?? 0
            } catch {
                faults.append(CheckFault(kind: .engine, check: name, table: table, rowID: nil,
                                         message: "таблица не читается: \(StoreErrors.describe(error))"))
            }
        }
        collector.add(.engine, name, total: faults.count, listed: faults)
        return (tables.count, rows)
    }

    func sqliteEngineChecks(_ collector: inout Collector) async {
        struct Integrity: Decodable { let integrity_check: String }
        let integrity = "целостность файла базы (PRAGMA integrity_check)"
        do {
            let lines = try await sql.raw("PRAGMA integrity_check").all(decoding: Integrity.self).map(\.integrity_check)
                .filter { $0 != "ok" }
            collector.add(.engine, integrity, total: lines.count, listed: lines.map {
                CheckFault(kind: .engine, check: integrity, table: "", rowID: nil, message: $0)
            })
        } catch {
            collector.failed(.engine, integrity, table: "", error)
        }
        struct Violation: Decodable { let table: String; let rowid: Int?; let parent: String }
        let keys = "внешние ключи (PRAGMA foreign_key_check)"
        do {
            let violations = try await sql.raw("PRAGMA foreign_key_check").all(decoding: Violation.self)
            collector.add(.engine, keys, total: violations.count, listed: violations.map {
                CheckFault(kind: .engine, check: keys, table: $0.table, rowID: $0.rowid,
                           message: "внешний ключ на таблицу \($0.parent) ведёт к несуществующей записи")
            })
        } catch {
            collector.failed(.engine, keys, table: "", error)
        }
    }

    func postgresIndexes(_ collector: inout Collector) async {
        let name = "индексы исправны (pg_index.indisvalid)"
        do {
            let broken = try await sql.raw("""
                SELECT c.relname::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)
                """).all(decoding: Name.self)
            collector.add(.engine, name, total: broken.count, listed: broken.map {
                CheckFault(kind: .engine, check: name, table: "", rowID: nil,
                           message: "индекс \($0.name) недействителен: перестройте его (REINDEX)")
            })
        } catch {
            collector.failed(.engine, name, table: "", error)
        }
    }

    func schema(known: [String], _ collector: inout Collector) async {
        do {
            let applied = try await sql.raw("SELECT name FROM _fluent_migrations").all(decoding: Name.self).map(\.name)
            let faults = SchemaState.faults(applied: applied, known: known)
            collector.add(.schema, SchemaState.checkName, total: faults.count, listed: faults)
        } catch {
            collector.failed(.schema, SchemaState.checkName, table: "_fluent_migrations", error)
        }
    }

    // MARK: - Our checks

    struct Found: Decodable { let row_id: Int?; let value: Int?; let total: Int }

    func check(_ reference: TableReference, _ collector: inout Collector) async {
        let row: SQLQueryString = reference.rowID.map { "t.\(ident: $0)" } ?? "NULL"
        let zero: SQLQueryString = reference.zeroMeansNone ? " AND t.\(ident: reference.column) <> 0" : ""
        let query: SQLQueryString = """
            SELECT \(row) AS row_id, t.\(ident: reference.column) AS value, COUNT(*) OVER () AS total
            FROM \(ident: reference.table) t
            WHERE t.\(ident: reference.column) IS NOT NULL\(zero)
              AND NOT EXISTS (SELECT 1 FROM \(ident: reference.target) p
                              WHERE p.\(ident: reference.targetColumn) = t.\(ident: reference.column))
            ORDER BY 1, 2 LIMIT \(literal: DatabaseCheckRules.listedPerCheck)
            """
        await run(query, kind: .reference, name: reference.name, table: reference.table, &collector) {
            reference.fault(row: $0.row_id, value: $0.value ?? 0)
        }
    }

    func check(_ part: RequiredPart, _ collector: inout Collector) async {
        let query: SQLQueryString = """
            SELECT t.id AS row_id, NULL AS value, COUNT(*) OVER () AS total FROM \(ident: part.table) t
            WHERE NOT EXISTS (SELECT 1 FROM \(ident: part.part) p WHERE p.\(ident: part.partColumn) = t.id)
            ORDER BY 1 LIMIT \(literal: DatabaseCheckRules.listedPerCheck)
            """
        await run(query, kind: .part, name: part.name, table: part.table, &collector) { part.fault(row: $0.row_id ?? 0) }
    }

    func check(_ rule: AuditRule, _ collector: inout Collector) async {
        let exempt: SQLQueryString = rule.auditedSince.map {
            """
             AND NOT COALESCE(t.\(ident: $0.column) < (SELECT MIN(m.created_at) FROM _fluent_migrations m
                                                       WHERE m.name = \(literal: $0.migration)), \(false))
            """
        } ?? ""
        let query: SQLQueryString = """
            SELECT t.id AS row_id, NULL AS value, COUNT(*) OVER () AS total FROM \(ident: rule.table) t
            WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = \(literal: rule.entity) AND a.entity_id = t.id
                              AND a.action IN (\(literals: rule.actions, joinedBy: ", ")))\(exempt)
            ORDER BY 1 LIMIT \(literal: DatabaseCheckRules.listedPerCheck)
            """
        await run(query, kind: .audit, name: rule.name, table: rule.table, &collector) { rule.fault(row: $0.row_id ?? 0) }
    }

    func run(_ query: SQLQueryString, kind: CheckFault.Kind, name: String, table: String, _ collector: inout Collector,
             fault: (Found) -> CheckFault) async {
        do {
            let found = try await sql.raw(query).all(decoding: Found.self)
            collector.add(kind, name, total: found.first?.total ?? 0, listed: found.map(fault))
        } catch {
            collector.failed(kind, name, table: table, error)
        }
    }
}

/// The last outcomes of the check, kept for the start page and `/health`.
public struct DatabaseCheckStore: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// How many outcomes are kept (a daily run: two months).
    public static let kept = 60

    public enum Source: String, Sendable { case serve, command }

    public func save(_ report: DatabaseCheckReport, source: Source) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        try await db.sql.insert(into: "database_checks").columns("started_at", "finished_at", "ok", "faults", "source", "report")
            .values(SQLBind(report.startedAt), SQLBind(report.finishedAt), SQLBind(report.ok), SQLBind(report.faultCount),
                    SQLBind(source.rawValue), SQLBind(json)).run()
        struct ID: Decodable { let id: Int }
        let keep = try await db.sql.raw("SELECT id FROM database_checks ORDER BY id DESC LIMIT \(unsafeRaw: String(Self.kept))")
            .all(decoding: ID.self)
        if let oldest = keep.last, keep.count == Self.kept {
            try await db.sql.delete(from: "database_checks").where("id", .lessThan, oldest.id).run()
        }
    }

    /// The newest outcome, or nil when the check never ran.
    public func latest() async throws -> DatabaseCheckReport? {
        struct Row: Decodable { let report: String }
        guard let row = try await db.sql.raw("SELECT report FROM database_checks ORDER BY finished_at DESC, id DESC LIMIT 1")
            .first(decoding: Row.self) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(DatabaseCheckReport.self, from: Data(row.report.utf8))
    }

    /// When the check last finished (cheap: for `/health` and the daily schedule).
    public func lastFinished() async throws -> Date? {
        struct Row: Decodable { let finished_at: Date }
        return try await db.sql.raw("SELECT finished_at FROM database_checks ORDER BY finished_at DESC LIMIT 1")
            .first(decoding: Row.self)?.finished_at
    }
}

/// What `/health` reports of the database, read with a few small queries (no login, no content).
public enum DatabaseState {
    /// The names of the migrations the database records.
    public static func appliedMigrations(on db: any Database) async throws -> [String] {
        try await db.sql.raw("SELECT name FROM _fluent_migrations").all(decoding: DatabaseChecker.Name.self)
            .map(\.name)
    }

    /// When the newest backup was made: the newest audit row of `entity = 'backup'` (written by `opora backup`).
    public static func lastBackup(on db: any Database) async throws -> Date? {
        struct Row: Decodable { let at: Date }
        return try await db.sql.raw("SELECT at FROM audit_log WHERE entity = 'backup' ORDER BY at DESC LIMIT 1")
            .first(decoding: Row.self)?.at
    }
}
