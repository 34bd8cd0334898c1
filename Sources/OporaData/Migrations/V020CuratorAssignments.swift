import FluentKit
import SQLKit

/// Curators assigned to schools for a period. The account's schools (`user_schools`) stay its scope today; this
/// keeps who curated which school when, so ending an assignment closes a row instead of losing it.
struct V020CuratorAssignments: AsyncMigration {
    var name: String { "v020_curator_assignments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("curator_assignments")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("start_on", .string, .required)
            .field("end_on", .string)
            .field("direction", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "curator_assignments_school").on("curator_assignments").column("school_id").run()
        }
    }

    func revert(on database: any Database) async throws { try await database.schema("curator_assignments").delete() }
}
