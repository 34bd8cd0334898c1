import FluentKit
import SQLKit

struct V006Context: AsyncMigration {
    var name: String { "v006_context" }

    func prepare(on database: any Database) async throws {
        try await database.schema("context_values")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("indicator", .string, .required)
            .field("value_text", .string, .required)
            .field("value_number", .double)
            .unique(on: "year", "school_id", "indicator")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("context_values").delete()
    }
}
