import FluentKit
import SQLKit

/// Task-level results (issue 20), part 2: one aggregate per school × work (participants, points per task, pupils
/// by mark and primary score) instead of a million pupils' rows; the pupils themselves go to `score_groups`.
struct V039TaskTallies: AsyncMigration {
    var name: String { "v039_task_tallies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("task_tallies")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("participants", .int, .required)
            // JSON: {"tasks": [...], "points": [...], "not_attempted": [...], "by_mark": [[...] × 5]} (`TaskTallyCodec`).
            .field("tally", .string, .required)
            .unique(on: "year", "procedure", "grade", "subject", "school_id")
            .create()
        try await database.sql.create(index: "task_tallies_school_idx").on("task_tallies").column("school_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "task_tallies_school_idx").run()
        try await database.schema("task_tallies").delete()
    }
}
