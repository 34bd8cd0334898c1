import FluentKit
import SQLKit

/// Sessions kept by Opora itself (expiry, rotation, signing out everywhere), login attempts in the database
/// (throttling that holds across restarts and processes), and when each API token was last used.
/// Vapor's own session table, used before, is dropped.
struct V010AccountSecurity: AsyncMigration {
    var name: String { "v010_account_security" }

    func prepare(on database: any Database) async throws {
        try await database.schema("user_sessions")
            // SHA-256 of the cookie's token: a stolen copy of the table opens no session.
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf", .string, .required)
            .field("flash", .string)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("user_agent", .string)
            .field("address", .string)
            .create()
        let sql = database.sql
        try await sql.create(index: "user_sessions_user_idx").on("user_sessions").column("user_id").run()
        try await database.schema("login_attempts")
            .field("id", .int, .identifier(auto: true))
            .field("key", .string, .required)
            .field("attempt", .string, .required)
            .field("attempted_at", .datetime, .required)
            .create()
        try await sql.create(index: "login_attempts_key_idx").on("login_attempts").column("key").column("attempted_at").run()
        try await sql.create(index: "login_attempts_at_idx").on("login_attempts").column("attempted_at").run()
        try await database.schema("api_tokens").field("last_used_at", .datetime).update()
        try await sql.drop(table: "_fluent_sessions").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").deleteField("last_used_at").update()
        try await database.schema("login_attempts").delete()
        try await database.schema("user_sessions").delete()
    }
}
