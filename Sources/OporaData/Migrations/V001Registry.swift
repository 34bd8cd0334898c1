import FluentKit
import SQLKit

struct V001Registry: AsyncMigration {
    var name: String { "v001_registry" }

    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema("municipalities")
            .field("id", .int, .identifier(auto: true))
            .field("region_id", .int, .required, .references("regions", "id"))
            .field("name", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "region_id", "name")
            .create()
        try await database.schema("schools")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string)
            .field("number", .string)
            .field("municipality_id", .int, .required, .references("municipalities", "id"))
            .field("organisational_form", .string)
            .field("settlement", .string)
            .field("address", .string)
            .field("director", .string)
            .field("students", .int)
            .field("students_ovz", .int)
            .field("shifts", .int)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.sql.create(index: "schools_municipality_idx").on("schools").column("municipality_id").run()
        try await database.schema("academic_years")
            .field("id", .int, .identifier(auto: true))
            .field("start_year", .int, .required)
            .field("is_current", .bool, .required)
            .field("version", .int, .required)
            .unique(on: "start_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["academic_years", "schools", "municipalities", "regions"] { try await database.schema(table).delete() }
    }
}
