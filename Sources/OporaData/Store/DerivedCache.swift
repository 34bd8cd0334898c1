import FluentKit
import Foundation
import SQLKit

/// What pages compute from the stored data (a year's results for every school, identification under a set of
/// criteria), kept until the data changes. The data layer bumps `DataVersion` in the transaction of every write:
/// a value computed at version N is used while N is still the newest — whether the change came through this
/// server or through another process (the command line, a second server).
///
/// Requests that ask for the same value at once wait for one computation instead of each making their own.
public final class DerivedCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version = -1
    private var values: [AnyHashable: Task<any Sendable, any Error>] = [:]
    /// Enough for every page × scope × year of a region; beyond it the cache starts again.
    let capacity: Int

    public init(capacity: Int = 2_000) { self.capacity = capacity }

    public func value<T: Sendable>(_ key: AnyHashable, version: Int,
                                   _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        let task: Task<any Sendable, any Error> = lock.withLock {
            if version > self.version || values.count >= capacity {
                values.removeAll()
                self.version = max(self.version, version)
            }
            // A request that read an older version than the cache holds computes for itself, uncached.
            guard version == self.version else { return Task { try await compute() } }
            if let existing = values[key] { return existing }
            let task = Task<any Sendable, any Error> { try await compute() }
            values[key] = task
            return task
        }
        do {
            guard let value = try await task.value as? T else { throw CacheTypeMismatch() }
            return value
        } catch {
            // A failed computation is not kept: the next request tries again.
            lock.withLock { if values[key] == task { values[key] = nil } }
            throw error
        }
    }

    struct CacheTypeMismatch: Error {}
}

/// The version of the stored data: the one row of `data_version` (V047), bumped by the data layer in the
/// transaction of every write — the audit recorder, the bulk writers (`BulkTable`, `BulkRows`, `ScoreGroupStore`),
/// the public survey form, a restore. Its UPDATE takes the row's lock until the commit, so versions follow the
/// order of commits: a reader never sees version N without every change counted up to N (a sequence or
/// `MAX(id)` would hand out numbers before the commit, in another order than the commits).
/// Reads never bump it; the traces of the machine (sessions, sign-in attempts, the outbox, checks) don't either.
public enum DataVersion {
    public static func current(_ db: any Database) async throws -> Int {
        try await current(db.sql)
    }

    public static func current(_ sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let version: Int }
        return try await sql.raw("SELECT version FROM data_version WHERE id = 1").first(decoding: Row.self)?.version ?? 0
    }

    /// Marks the data changed; call it inside the writing transaction (late in it where possible: the row stays
    /// locked until the commit, so concurrent writers queue behind it).
    public static func bump(on db: any Database) async throws {
        try await bump(db.sql)
    }

    public static func bump(_ sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE data_version SET version = version + 1 WHERE id = 1").run()
    }

    /// After a restore: above the version the emptied database had, so that a server which cached its empty pages
    /// sees a newer one. The archive's own version is kept when it is above already (a backup round-trips as is).
    static func bump(_ sql: any SQLDatabase, above previous: Int) async throws {
        try await sql.raw("""
            UPDATE data_version SET version = \(bind: previous + 1) WHERE id = 1 AND version <= \(bind: previous)
            """).run()
    }
}
