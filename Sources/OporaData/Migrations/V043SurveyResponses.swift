import FluentKit
import SQLKit

/// Answers of the public survey form (docs/SURVEYS.md «Кампании»). A response keeps its link (school × group) and the
/// DAY only: no name, address, IP address or browser. A form token is issued per page load, kept as its SHA-256 with
/// its link and time, and used once (`used_at`). A free-text answer waits for a person's review before it is shown
/// beyond its school (`review`: pending, approved, hidden; NULL for other answers).
struct V043SurveyResponses: AsyncMigration {
    var name: String { "v043_survey_responses" }

    func prepare(on database: any Database) async throws {
        try await database.schema("survey_form_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("link_id", .int, .required, .references("survey_links", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("survey_responses")
            .field("id", .int, .identifier(auto: true))
            .field("link_id", .int, .required, .references("survey_links", "id", onDelete: .cascade))
            .field("answered_on", .string, .required)
            .create()
        try await database.schema("survey_answers")
            .field("id", .int, .identifier(auto: true))
            .field("response_id", .int, .required, .references("survey_responses", "id", onDelete: .cascade))
            .field("question_key", .string, .required)
            .field("value", .string, .required)
            .field("review", .string)
            .field("reviewed_by", .string)
            .field("reviewed_at", .datetime)
            .create()
        let sql = database.sql
        try await sql.create(index: "survey_responses_link").on("survey_responses").column("link_id").run()
        try await sql.create(index: "survey_answers_response").on("survey_answers").column("response_id").run()
        try await sql.create(index: "survey_answers_review").on("survey_answers").column("review").run()
        try await sql.create(index: "survey_form_tokens_issued").on("survey_form_tokens").column("issued_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("survey_answers").delete()
        try await database.schema("survey_responses").delete()
        try await database.schema("survey_form_tokens").delete()
    }
}
