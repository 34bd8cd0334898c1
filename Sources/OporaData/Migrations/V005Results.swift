import FluentKit
import SQLKit

struct V005Results: AsyncMigration {
    var name: String { "v005_results" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await database.schema("results")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("participants", .int, .required)
            .field("m2", .int).field("m3", .int).field("m4", .int).field("m5", .int)
            .field("below_min", .int).field("high", .int).field("mean_score", .double)
            .field("lowered", .int).field("confirmed", .int).field("raised", .int)
            .unique(on: "year", "procedure", "grade", "subject", "school_id")
            .create()
        try await database.schema("scores")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("student", .string, .required)
            .field("class", .string).field("variant", .string)
            .field("primary_score", .double).field("score", .double)
            .field("mark", .int).field("term_mark", .int)
            .unique(on: "year", "procedure", "grade", "subject", "school_id", "student")
            .create()
        try await database.schema("thresholds")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("subject", .string, .required)
            // 0: every grade.
            .field("grade", .int, .required)
            .field("min_score", .double, .required)
            .field("high_score", .double)
            .unique(on: "year", "procedure", "subject", "grade")
            .create()
        try await database.schema("benchmarks")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("level", .string, .required)
            .field("name", .string, .required)
            .field("participants", .int)
            .field("success_rate", .double).field("quality_rate", .double).field("mean_mark", .double)
            .field("mean_score", .double).field("below_min_rate", .double)
            .unique(on: "year", "procedure", "grade", "subject", "level", "name")
            .create()
        try await sql.create(index: "results_school_idx").on("results").column("school_id").run()
        try await sql.create(index: "scores_school_idx").on("scores").column("school_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["benchmarks", "thresholds", "scores", "results"] { try await database.schema(table).delete() }
    }
}
