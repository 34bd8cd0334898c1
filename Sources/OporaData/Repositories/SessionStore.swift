import FluentKit
import Foundation
import SQLKit
import SQLiteNIO

/// A signed-in browser: who, since when, last seen when, and the form token that proves a post came from us.
public struct StoredSession: Sendable, Codable {
    /// SHA-256 of the cookie's token (the token itself is never stored).
    public let id: String
    public let userID: Int
    public let csrf: String
    public var flash: String?
    public let createdAt: Date
    public var lastSeenAt: Date
    public let userAgent: String?
    public let address: String?

    enum CodingKeys: String, CodingKey {
        case id, csrf, flash, address
        case userID = "user_id", createdAt = "created_at", lastSeenAt = "last_seen_at", userAgent = "user_agent"
    }

    public init(
        id: String, userID: Int, csrf: String, flash: String? = nil, createdAt: Date, lastSeenAt: Date, userAgent: String?, address: String?
    ) {
        self.id = id
        self.userID = userID
        self.csrf = csrf
        self.flash = flash
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.userAgent = userAgent
        self.address = address
    }
}

/// How long a session lives: `idle` without a request, `absolute` in all.
public struct SessionLifetime: Sendable, Hashable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 2 * 3600, absolute: TimeInterval = 12 * 3600) {
        self.idle = idle
        self.absolute = absolute
    }

    public func isAlive(_ session: StoredSession, at now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeenAt) < idle && now.timeIntervalSince(session.createdAt) < absolute
    }
}

public struct SessionStore: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public func find(_ id: String) async throws -> StoredSession? {
        try await db.sql.select().columns("id", "user_id", "csrf", "flash", "created_at", "last_seen_at", "user_agent", "address")
            .from("user_sessions").where("id", .equal, id).first(decoding: StoredSession.self)
    }

    public func create(_ session: StoredSession) async throws {
        try await db.sql.insert(into: "user_sessions").model(session).run()
    }

    /// Records that the session was seen (a hint for idle expiry, written once a minute). On SQLite an import holds the
    /// database's only write lock for its whole transaction: the touch then gives up after a moment rather than keep
    /// the page waiting for the import (and a pool thread spinning in SQLiteNIO's busy handler meanwhile).
    public func touch(_ id: String, at now: Date) async throws {
        guard db.sql.dialect.name == "sqlite" else {
            try await db.sql.update("user_sessions").set("last_seen_at", to: now).where("id", .equal, id).run()
            return
        }
        try await db.withConnection { connection in
            let sql = connection.sql
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.touchPatienceMilliseconds))").run()
            do {
                try await sql.update("user_sessions").set("last_seen_at", to: now).where("id", .equal, id).run()
            } catch let error as SQLiteError where error.reason == .busy {
                // Written by the next request after the import.
            }
            // Later writes on this connection wait for the lock as before, sleeping instead of spinning.
            try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(Self.writerPatienceMilliseconds))").run()
        }
    }

    static let touchPatienceMilliseconds = 100
    static let writerPatienceMilliseconds = 600_000

    public func setFlash(_ id: String, _ flash: String?) async throws {
        try await db.sql.update("user_sessions").set("flash", to: flash).where("id", .equal, id).run()
    }

    public func delete(_ id: String) async throws {
        try await db.sql.delete(from: "user_sessions").where("id", .equal, id).run()
    }

    /// Signs the user out everywhere (a password change, a deactivation, «выйти на всех устройствах»).
    @discardableResult
    public func deleteAll(userID: Int) async throws -> Int {
        struct Count: Decodable { let n: Int }
        let count =
            try await db.sql.raw("SELECT COUNT(*) AS n FROM user_sessions WHERE user_id = \(bind: userID)").first(decoding: Count.self)?.n
            ?? 0
        try await db.sql.delete(from: "user_sessions").where("user_id", .equal, userID).run()
        return count
    }

    public func sessions(userID: Int) async throws -> [StoredSession] {
        try await db.sql.select().columns("id", "user_id", "csrf", "flash", "created_at", "last_seen_at", "user_agent", "address")
            .from("user_sessions").where("user_id", .equal, userID).orderBy("last_seen_at", .descending).all(decoding: StoredSession.self)
    }

    /// Removes sessions that can no longer be used, so the table holds only live ones.
    public func prune(lifetime: SessionLifetime, now: Date) async throws {
        try await db.sql.delete(from: "user_sessions")
            .where("last_seen_at", .lessThan, now.addingTimeInterval(-lifetime.idle))
            .orWhere("created_at", .lessThan, now.addingTimeInterval(-lifetime.absolute))
            .run()
    }
}

/// Login attempts in the database: counted per account and per address over a window, so throttling holds
/// across restarts and server processes. An attempt is written before the password is checked, so a
/// hundred simultaneous guesses are counted before any of them is tried.
public struct LoginAttempts: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// Records one attempt under each key (each insert is its own statement, committed at once).
    public func record(keys: [String], attempt: String, at now: Date) async throws {
        for key in keys {
            try await db.sql.insert(into: "login_attempts").columns("key", "attempt", "attempted_at")
                .values(SQLBind(key), SQLBind(attempt), SQLBind(now)).run()
        }
    }

    public struct Window: Sendable { public let count: Int; public let oldest: Date? }

    public func window(key: String, since: Date) async throws -> Window {
        struct Row: Decodable { let n: Int; let oldest: Date? }
        let row = try await db.sql.raw("""
            SELECT COUNT(*) AS n, MIN(attempted_at) AS oldest FROM login_attempts WHERE key = \(bind: key) AND attempted_at >\
            = \(bind: since)
            """).first(decoding: Row.self)
        return Window(count: row?.n ?? 0, oldest: row?.oldest)
    }

    /// A successful login: the account's failures are forgiven, and this attempt is not a failure of the address.
    public func succeeded(accountKey: String, attempt: String) async throws {
        try await db.sql.delete(from: "login_attempts").where("key", .equal, accountKey).run()
        try await db.sql.delete(from: "login_attempts").where("attempt", .equal, attempt).run()
    }

    /// How many attempts under `key` began before `attempt` (recorded at `at`): the order in which they are checked.
    public func earlier(key: String, than attempt: String, at: Date, since: Date) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await db.sql.raw("""
            SELECT COUNT(*) AS n FROM login_attempts WHERE key = \(bind: key) AND attempted_at >= \(bind: since)
            AND (attempted_at < \(bind: at) OR (attempted_at = \(bind: at) AND attempt < \(bind: attempt)))
            """).first(decoding: Row.self)?.n ?? 0
    }

    /// Removes one attempt's rows (a check that has finished, or one refused before it began).
    public func remove(attempt: String) async throws {
        try await db.sql.delete(from: "login_attempts").where("attempt", .equal, attempt).run()
    }

    public func prune(before: Date) async throws {
        try await db.sql.delete(from: "login_attempts").where("attempted_at", .lessThan, before).run()
    }
}
