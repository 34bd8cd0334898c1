import FluentKit
import Foundation
import SQLKit

/// What pages compute from the stored data (a year's results for every school, identification under a set of
/// criteria), kept until the data changes. Every change is audited, so the newest audit entry is the version
/// of the data: a value computed at version N is used while N is still the newest — whether the change came
/// through this server or through another process (the command line, a second server).
///
/// Requests that ask for the same value at once wait for one computation instead of each making their own.
public final class DerivedCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version = -1
    private var values: [AnyHashable: Task<any Sendable, any Error>] = [:]
    /// Enough for every page × scope × year of a region; beyond it the cache starts again.
    let capacity: Int

    public init(capacity: Int = 2_000) { self.capacity = capacity }

    public func value<T: Sendable>(_ key: AnyHashable, version: Int, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
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

/// The version of the stored data: the newest audit entry (0 for an empty database).
public enum DataVersion {
    public static func current(_ db: any Database) async throws -> Int {
        struct Row: Decodable { let version: Int? }
        return try await db.sql.raw("SELECT MAX(id) AS version FROM audit_log").first(decoding: Row.self)?.version ?? 0
    }
}
