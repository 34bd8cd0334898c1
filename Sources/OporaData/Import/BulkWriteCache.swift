import FluentKit
import SQLKit
import SQLiteNIO

/// SQLite's page cache, made large for the length of a bulk import's transaction. With the default 2 MB a million
/// rows inserted into a table and its indexes in school order (not the index's order) evict and re-read index
/// pages and spill half-written pages to the log: over a third of an `events` import went to that I/O (issue 18).
/// PostgreSQL keeps its own buffers: nothing to do there.
enum BulkWriteCache {
    /// Kibibytes of page cache while an import writes (a bound, not an allocation: pages are taken as needed).
    static let importKiB = 96 * 1024
    /// SQLite's default (2 MB), which the pooled connection gets back for the pages it serves next.
    static let defaultKiB = 2_000

    /// Runs `body` with the larger cache on `db`'s connection (the caller's transaction, so one connection).
    static func enlarged<T>(on db: any Database, _ body: () async throws -> T) async throws -> T {
        guard db is any SQLiteDatabase else { return try await body() }
        try await db.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(importKiB))").run()
        // Statement journals in memory: each multi-row statement inside the long transaction journals the pages it
        // touches again, and a temporary file for them cost a twentieth of a `programmes` import. SQLite refuses the
        // change inside a transaction that already has temporary storage open (a database in memory): kept as it is.
        try? await db.sql.raw("PRAGMA temp_store = MEMORY").run()
        do {
            let result = try await body()
            try await restore(on: db)
            return result
        } catch {
            try? await restore(on: db)
            throw error
        }
    }

    private static func restore(on db: any Database) async throws {
        try await db.sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(defaultKiB))").run()
        try? await db.sql.raw("PRAGMA temp_store = DEFAULT").run()
    }
}
