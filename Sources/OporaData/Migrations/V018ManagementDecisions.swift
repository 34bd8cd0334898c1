import FluentKit

/// Management decisions, each linked to the finding that prompted it (an indicator off target, an overdue
/// measure, a school's results or risk), with who answers for it, by when, and what came of it.
struct V018ManagementDecisions: AsyncMigration {
    var name: String { "v018_management_decisions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("management_decisions")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .references("programmes", "id", onDelete: .setNull))
            .field("region_id", .int, .references("regions", "id"))
            .field("municipality_id", .int, .references("municipalities", "id"))
            .field("school_id", .int, .references("schools", "id"))
            .field("finding_kind", .string, .required)
            .field("finding_ref", .int)
            .field("finding", .string, .required)
            .field("decision", .string, .required)
            .field("responsible", .string, .required)
            .field("due_on", .string)
            .field("status", .string, .required)
            .field("outcome", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("management_decisions").delete()
    }
}
