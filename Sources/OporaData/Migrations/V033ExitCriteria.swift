import FluentKit
import SQLKit

/// Exit criteria as data (docs/EXITS.md): versions per territory (a region, a municipality, or none = the whole
/// installation), each kept with its author and time, as criteria sets are.
struct V033ExitCriteria: AsyncMigration {
    var name: String { "v033_exit_criteria" }

    func prepare(on database: any Database) async throws {
        try await database.schema("exit_criteria_sets")
            .field("id", .int, .identifier(auto: true))
            .field("region_id", .int, .references("regions", "id", onDelete: .cascade))
            .field("municipality_id", .int, .references("municipalities", "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("body", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "exit_criteria_sets_owner_idx").on("exit_criteria_sets")
            .column("region_id").column("municipality_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "exit_criteria_sets_owner_idx").run()
        try await database.schema("exit_criteria_sets").delete()
    }
}
