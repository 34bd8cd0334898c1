import FluentKit
import SQLKit

/// Task-level results (issue 20), part 1: a work's КИМ specification, its mark scale and the region's and
/// Russia's completion per task. Federal or regional figures, not a school's: no school reference.
struct V038TaskSpecifications: AsyncMigration {
    var name: String { "v038_task_specifications" }

    func prepare(on database: any Database) async throws {
        try await database.schema("task_specs")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            // The task's place in the printed specification (tasks are listed in this order).
            .field("position", .int, .required)
            .field("task", .string, .required)
            .field("max_points", .int, .required)
            .field("requirement", .string)
            .field("block", .string)
            // `basic` / `advanced`.
            .field("level", .string, .required)
            .unique(on: "year", "procedure", "grade", "subject", "task")
            .create()
        try await database.schema("mark_scales")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("mark", .int, .required)
            .field("min_primary", .int, .required)
            .unique(on: "year", "procedure", "grade", "subject", "mark")
            .create()
        try await database.schema("task_benchmarks")
            .field("id", .int, .identifier(auto: true))
            // The importer's region, 0 for the whole installation (as `benchmarks.owner_region_id`).
            .field("owner_region_id", .int, .required)
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("task", .string, .required)
            // `russia` / `region` / `municipality`; `name` is the municipality's (empty otherwise).
            .field("level", .string, .required)
            .field("name", .string, .required)
            .field("percent", .double, .required)
            .unique(on: "owner_region_id", "year", "procedure", "grade", "subject", "task", "level", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("task_benchmarks").delete()
        try await database.schema("mark_scales").delete()
        try await database.schema("task_specs").delete()
    }
}
