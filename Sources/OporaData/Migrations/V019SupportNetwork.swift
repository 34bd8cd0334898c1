import FluentKit
import SQLKit

/// The support network: mentor pairs per period, the visits and consultations log with follow-ups, and the
/// events log with its participations (counts or coded persons, never names).
struct V019SupportNetwork: AsyncMigration {
    var name: String { "v019_support_network" }

    func prepare(on database: any Database) async throws {
        try await database.schema("mentor_pairs")
            .field("id", .int, .identifier(auto: true))
            .field("supported_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("mentor_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("start_year", .int, .required)
            .field("end_year", .int, .required)
            .field("agreement_number", .string)
            .field("agreement_date", .string)
            .field("subject", .string)
            .field("link", .string)
            .field("status", .string, .required)
            .field("activities", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("support_visits")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("visited_on", .string, .required)
            .field("visitor", .string, .required)
            .field("format", .string, .required)
            .field("topic", .string, .required)
            .field("findings", .string)
            .field("recommendations", .string)
            .field("follow_up", .string)
            .field("follow_up_due", .string)
            .field("follow_up_done", .bool, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("support_events")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("title", .string)
            .field("kind", .string, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string)
            .field("hours", .double, .required)
            .field("organiser", .string)
            .field("topic", .string)
            .unique(on: "code")
            .create()
        try await database.schema("event_participations")
            .field("id", .int, .identifier(auto: true))
            .field("event_id", .int, .required, .references("support_events", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("participants", .int, .required)
            .field("person", .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "event_participations_school").on("event_participations").column("school_id").run()
            try await sql.create(index: "event_participations_event").on("event_participations").column("event_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["event_participations", "support_events", "support_visits", "mentor_pairs"] {
            try await database.schema(table).delete()
        }
    }
}
