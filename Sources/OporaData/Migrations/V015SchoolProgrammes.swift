import FluentKit
import SQLKit

/// School programmes (concept, medium-term, anti-risk), every submitted version, and the review comments.
struct V015SchoolProgrammes: AsyncMigration {
    var name: String { "v015_school_programmes" }

    func prepare(on database: any Database) async throws {
        try await database.schema("school_programmes")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("factor", .int)
            .field("title", .string, .required)
            .field("start_year", .int, .required)
            .field("end_year", .int, .required)
            .field("status", .string, .required)
            .field("content_json", .string, .required)
            .field("version", .int, .required)
            .field("submitted_at", .datetime)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        try await database.schema("programme_revisions")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("school_programmes", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("content_json", .string, .required)
            .field("submitted_by", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("decision", .string)
            .field("decided_by", .string)
            .field("decided_at", .datetime)
            .unique(on: "programme_id", "number")
            .create()
        try await database.schema("programme_comments")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("school_programmes", "id", onDelete: .cascade))
            .field("revision", .int, .required)
            .field("item_key", .string, .required)
            .field("parent_id", .int)
            .field("author", .string, .required)
            .field("author_name", .string, .required)
            .field("text", .string, .required)
            .field("resolved", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("programme_comments").delete()
        try await database.schema("programme_revisions").delete()
        try await database.schema("school_programmes").delete()
    }
}
