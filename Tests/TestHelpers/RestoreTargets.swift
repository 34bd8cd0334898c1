import FluentKit
import Foundation
import OporaData
import OporaDomain
import SQLKit

/// Empty databases to restore backups into: a new SQLite file always, and with `OPORA_TEST_POSTGRES_URL` set a
/// second PostgreSQL database next to the test database (its name + `_restore`, created when missing, emptied here).
public enum RestoreTargets {
    public struct Target {
        public let target: DatabaseTarget
        let folder: URL?
        public func remove() { if let folder { try? FileManager.default.removeItem(at: folder) } }
    }

    public static func sqlite() throws -> Target {
        let (target, folder) = try TestEngines.temporarySQLiteFile()
        return Target(target: target, folder: folder)
    }

    /// The PostgreSQL restore database, emptied; nil without `OPORA_TEST_POSTGRES_URL`.
    public static func postgres() async throws -> Target? {
        guard case .postgres(let url)? = TestEngines.postgres else { return nil }
        let name = String(url.path.dropFirst()) + "_restore"
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.path = "/" + name
        let target = DatabaseTarget.postgres(components.url!)
        let admin = try await OporaStore.open(.postgres(url), migrating: false)
        do {
            struct Found: Decodable { let one: Int }
            let exists = try await admin.sql.raw("SELECT 1 AS one FROM pg_database WHERE datname = \(bind: name)")
                .first(decoding: Found.self) != nil
            if !exists { try await admin.sql.raw("CREATE DATABASE \(ident: name)").run() }
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        try await TestEngines.reset(target)
        // `reset` opens with an empty migration list, which still creates Fluent's log: a restore target has nothing.
        let store = try await OporaStore.open(target, migrating: false)
        try await store.sql.raw("DROP TABLE IF EXISTS _fluent_migrations").run()
        await store.close()
        return Target(target: target, folder: nil)
    }

    /// Every empty target: SQLite, and PostgreSQL when configured.
    public static func all() async throws -> [Target] {
        [try sqlite()] + (try await postgres().map { [$0] } ?? [])
    }
}

/// An archive's rows as comparable text, table by table: numbers in millionths, rounded as the restore rounds a time
/// into PostgreSQL (so SQLite's 1 and PostgreSQL's true, or a time as SQLite's double and as PostgreSQL's
/// microseconds, compare equal), texts as they are.
public enum ArchiveDump {
    public static func tables(_ path: String) throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        try Restore.forEachRow(in: path) { table, _, values in
            let line = values.map { value -> String in
                switch value {
                case .null: return "∅"
                case .bool(let flag): return flag ? "1000000" : "0"
                case .integer(let number) where abs(number) > 1_000_000_000_000: return String(number)
                case .integer, .number: return String(Int64(((value.double ?? 0) * 1_000_000).rounded()))
                case .text(let text): return "«" + text + "»"
                }
            }.joined(separator: "|")
            tables[table, default: []].append(line)
        }
        return tables.mapValues { $0.sorted() }
    }
}
