import FluentKit
import SQLKit

/// Imports read what is stored, merge and write it back inside one transaction; two at once must queue, not
/// interleave. Taken as the first statement of every import transaction.
public enum ImportWriteLock {
    /// Any constant unique to this use; PostgreSQL advisory locks are named by a 64-bit number.
    static let key = 0x6F70_6F72_6101

    public static func acquire(on db: any Database) async throws {
        let sql = db.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(key)))").run()
        } else {
            // SQLite: a write statement takes the database's write lock now, at the start, rather than when the
            // transaction first writes; two transactions that both read first and then both try to write
            // would otherwise fail one another with «database is locked».
            try await sql.raw("UPDATE audit_log SET id = id WHERE 1 = 0").run()
        }
    }
}

extension ImportWriteLock {
    /// A bulk import's transaction: the lock taken first, and SQLite's larger cache while it writes (`BulkWriteCache`).
    static func transaction<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T)
        async throws -> T {
        try await db.transaction { tx in
            try await acquire(on: tx)
            return try await BulkWriteCache.enlarged(on: tx) { try await body(tx) }
        }
    }
}
