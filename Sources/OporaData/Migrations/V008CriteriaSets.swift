import FluentKit
import SQLKit

struct V008CriteriaSets: AsyncMigration {
    var name: String { "v008_criteria_sets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("criteria_sets")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("region_id", .int)
            .field("municipality_id", .int)
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("body", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("criteria_sets").delete()
    }
}
