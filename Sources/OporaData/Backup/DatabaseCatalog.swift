import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The tables of a database as the engine itself lists them (not a hand-kept list, so a table added by a later
/// migration is backed up without a change here), their columns, and an order in which parents come before children.
struct DatabaseCatalog: Sendable {
    struct Table: Sendable {
        let name: String
        let columns: [BackupFormat.Column]
        /// PostgreSQL's column types by name (SQLite's are its declared types): how a value is converted on the way in.
        let orderBy: [String]
    }

    let tables: [Table]

    var names: [String] { tables.map(\.name) }

    func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    static let migrationLog = "_fluent_migrations"

    static func read(_ sql: any SQLDatabase) async throws -> DatabaseCatalog {
        let isPostgres = sql.dialect.name == "postgresql"
        let names = try await tableNames(sql, isPostgres: isPostgres)
        var references: [String: Set<String>] = [:]
        var tables: [String: Table] = [:]
        for name in names {
            let columns = isPostgres ? try await postgresColumns(sql, table: name) : try await sqliteColumns(sql, table: name)
            let key = isPostgres ? try await postgresPrimaryKey(sql, table: name) : ["rowid"]
            tables[name] = Table(name: name, columns: columns, orderBy: key.isEmpty ? columns.prefix(1).map(\.name) : key)
            references[name] = isPostgres
                ? [] : Set(try await sql.raw("SELECT \"table\" AS parent FROM pragma_foreign_key_list(\(bind: name))")
                    .all(decoding: Parent.self).map(\.parent))
        }
        if isPostgres {
            for link in try await sql.raw("""
                SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE k.contype = 'f' AND n.nspname = current_schema()
                """).all(decoding: Link.self) {
                references[link.child, default: []].insert(link.parent)
            }
        }
        return DatabaseCatalog(tables: ordered(names, references: references).compactMap { tables[$0] })
    }

    private struct Parent: Decodable { let parent: String }
    private struct Link: Decodable { let child: String; let parent: String }
    private struct Name: Decodable { let name: String }

    static func tableNames(_ sql: any SQLDatabase, isPostgres: Bool) async throws -> [String] {
        if isPostgres {
            return try await sql.raw("""
                SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename
                """).all(decoding: Name.self).map(\.name)
        }
        return try await sql.raw("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """).all(decoding: Name.self).map(\.name)
    }

    /// Parents before children (a table's own references to itself are kept in order by its key); ties by name.
    static func ordered(_ names: [String], references: [String: Set<String>]) -> [String] {
        var placed: [String] = []
        var done = Set<String>()
        var remaining = names.sorted()
        while !remaining.isEmpty {
            let ready = remaining.first { name in
                (references[name] ?? []).allSatisfy { $0 == name || done.contains($0) || !names.contains($0) }
            } ?? remaining[0] // a cycle (none in Opora's schema): take the first and let the engine check
            placed.append(ready)
            done.insert(ready)
            remaining.removeAll { $0 == ready }
        }
        return placed
    }

    private struct SQLiteColumn: Decodable { let name: String; let type: String }

    static func sqliteColumns(_ sql: any SQLDatabase, table: String) async throws -> [BackupFormat.Column] {
        try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table)) ORDER BY cid")
            .all(decoding: SQLiteColumn.self)
            .map { BackupFormat.Column(name: $0.name, kind: sqliteKind($0.type)) }
    }

    /// SQLite's declared types as Fluent writes them (INTEGER, TEXT, REAL for times, DOUBLE, BOOLEAN, BLOB, DATE).
    static func sqliteKind(_ declared: String) -> BackupFormat.Kind {
        let type = declared.uppercased()
        if type.contains("INT") { return .integer }
        if type.contains("BOOL") { return .bool }
        if type.contains("BLOB") { return .blob }
        if type.contains("DATE") || type.contains("TIME") { return .timestamp }
        if type.contains("REAL") || type.contains("DOUB") || type.contains("FLOA") || type.contains("NUM") { return .real }
        if type.contains("UUID") { return .uuid }
        if type.contains("JSON") { return .json }
        return .text
    }

    private struct PostgresColumn: Decodable { let name: String; let type: String }

    static func postgresColumns(_ sql: any SQLDatabase, table: String) async throws -> [BackupFormat.Column] {
        try await sql.raw("""
            SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
            """).all(decoding: PostgresColumn.self)
            .map { BackupFormat.Column(name: $0.name, kind: postgresKind($0.type)) }
    }

    static func postgresKind(_ type: String) -> BackupFormat.Kind {
        switch type {
        case "bigint", "integer", "smallint": .integer
        case "double precision", "real", "numeric": .real
        case "boolean": .bool
        case "bytea": .blob
        case "timestamp with time zone", "timestamp without time zone": .timestamp
        case "date": .date
        case "uuid": .uuid
        case "json", "jsonb": .json
        default: .text
        }
    }

    private struct KeyColumn: Decodable { let name: String }

    static func postgresPrimaryKey(_ sql: any SQLDatabase, table: String) async throws -> [String] {
        try await sql.raw("""
            SELECT a.attname::text AS name FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE i.indisprimary AND c.relname = \(bind: table) AND n.nspname = current_schema()
            ORDER BY k.position
            """).all(decoding: KeyColumn.self).map(\.name)
    }
}
