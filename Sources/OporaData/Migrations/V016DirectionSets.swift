import FluentKit
import SQLKit

/// Management directions a territory defines for itself, per year, each save a new version (like criteria).
struct V016DirectionSets: AsyncMigration {
    var name: String { "v016_direction_sets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("direction_sets")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("region_id", .int)
            .field("municipality_id", .int)
            .field("version", .int, .required)
            .field("body", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("direction_sets").delete()
    }
}
