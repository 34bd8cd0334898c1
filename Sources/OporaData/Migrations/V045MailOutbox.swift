import FluentKit
import SQLKit

/// E-mail (issue 24): a user's address, and the outbox each message is written to in the same transaction as the
/// change that causes it; the background sender reads it, retries with backoff and marks what went.
struct V045MailOutbox: AsyncMigration {
    var name: String { "v045_mail_outbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("email", .string).update()
        try await database.schema("mail_outbox")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("recipient", .string, .required)
            // `NotificationEvent.rawValue`.
            .field("event", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            // One message per event, item and user (an overdue measure or a day's digest is told once).
            .field("dedupe_key", .string)
            .field("unsubscribe_url", .string)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            // Set once `MailRetry.givesUp`: the message stays for the record and is not tried again.
            .field("failed_at", .datetime)
            .field("last_error", .string)
            .unique(on: "dedupe_key")
            .create()
        try await database.sql.create(index: "mail_outbox_pending_idx").on("mail_outbox").column("sent_at").column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "mail_outbox_pending_idx").run()
        try await database.schema("mail_outbox").delete()
        try await database.schema("users").deleteField("email").update()
    }
}
