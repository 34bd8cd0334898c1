import FluentKit
import SQLKit

struct V007IdentificationLists: AsyncMigration {
    var name: String { "v007_identification_lists" }

    func prepare(on database: any Database) async throws {
        try await database.schema("identification_lists")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("region_id", .int)
            .field("municipality_id", .int)
            .field("scope_label", .string, .required)
            .field("criteria_name", .string, .required)
            .field("criteria_json", .string, .required)
            .field("order_number", .string, .required)
            .field("order_date", .date, .required)
            .field("approved_by", .string, .required)
            .field("approved_at", .datetime, .required)
            .create()
        try await database.schema("identification_list_entries")
            .field("id", .int, .identifier(auto: true))
            .field("list_id", .int, .required, .references("identification_lists", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("explanation", .string, .required)
            .field("reasons_json", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("identification_list_entries").delete()
        try await database.schema("identification_lists").delete()
    }
}
