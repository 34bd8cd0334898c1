import FluentKit

/// Which messages a user wants (every event is on until turned off) and the one-use unsubscribe tokens the
/// messages carry (only their SHA-256 is kept).
struct V046MailPreferences: AsyncMigration {
    var name: String { "v046_mail_preferences" }

    func prepare(on database: any Database) async throws {
        try await database.schema("mail_preferences")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            // Comma-separated `NotificationEvent` raw values the user turned off.
            .field("disabled", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id")
            .create()
        try await database.schema("mail_unsubscribe_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mail_unsubscribe_tokens").delete()
        try await database.schema("mail_preferences").delete()
    }
}
