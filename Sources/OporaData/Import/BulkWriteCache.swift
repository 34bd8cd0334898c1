import FluentKit
import SQLKit
import SQLiteNIO

/// SQLite's page cache, made large for the length of a bulk import's transaction. With the default 2 MB a million
/// rows inserted into a table and its indexes in school order (not the index's order) evict and re-read index
/// pages and spill half-written pages to the log: over a third of an `events` import went to that I/O (issue 18).
/// PostgreSQL keeps its own buffers: nothing to do there.
enum BulkWriteCache {
    /// Kibibytes of page cache while an import writes (a bound, not an allocation: pages are taken as needed).
    static let importKiB = 256 * 1024
    /// SQLite's default (2 MB), which the pooled connection gets back for the pages it serves next.
    static let defaultKiB = 2_000

    /// Runs `body` with the larger cache on `db`'s connection (the caller's transaction, so one connection).
    static func enlarged<T>(on db: any Database, _ body: () async throws -> T) async throws -> T {
        guard db is any SQLiteDatabase else { return try await body() }
        try await db.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(importKiB))").run()
        do {
            let result = try await body()
            try await db.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(defaultKiB))").run()
            return result
        } catch {
            try? await db.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(defaultKiB))").run()
            throw error
        }
    }
}
