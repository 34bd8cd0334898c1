import FluentKit

/// Seed 002's consultation centre with its branches and support points, seed 004's methodological associations
/// and clusters, each with its schools.
struct V021SupportOrganisations: AsyncMigration {
    var name: String { "v021_support_organisations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("support_organisations")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("parent_id", .int, .references("support_organisations", "id", onDelete: .setNull))
            .field("municipality_id", .int, .references("municipalities", "id", onDelete: .cascade))
            .field("region_id", .int, .references("regions", "id", onDelete: .cascade))
            .field("base_school_id", .int, .references("schools", "id", onDelete: .setNull))
            .field("note", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("support_organisation_schools")
            .field("id", .int, .identifier(auto: true))
            .field("organisation_id", .int, .required, .references("support_organisations", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .unique(on: "organisation_id", "school_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("support_organisation_schools").delete()
        try await database.schema("support_organisations").delete()
    }
}
