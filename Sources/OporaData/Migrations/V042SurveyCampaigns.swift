import FluentKit
import SQLKit

/// Survey campaigns (docs/SURVEYS.md «Кампании»): a questionnaire version sent to chosen schools of a territory for a
/// period, and one link per school × respondent group with the expected number of respondents. A link's token is
/// kept only as its SHA-256 (`token_hash`), so the database never holds a usable link.
struct V042SurveyCampaigns: AsyncMigration {
    var name: String { "v042_survey_campaigns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("survey_campaigns")
            .field("id", .int, .identifier(auto: true))
            // The questionnaire version asked (`questionnaires`, V041) and its code, to compare campaigns of one code.
            .field("questionnaire_id", .int, .required, .references("questionnaires", "id"))
            .field("questionnaire_code", .string, .required)
            .field("title", .string, .required)
            // The territory that runs it: a region (municipality_id NULL) or a municipality.
            .field("region_id", .int, .references("regions", "id"))
            .field("municipality_id", .int, .references("municipalities", "id"))
            // `YYYY-MM-DD`: calendar days, never shifted by a time zone.
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("survey_links")
            .field("id", .int, .identifier(auto: true))
            .field("campaign_id", .int, .required, .references("survey_campaigns", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("respondent_group", .string, .required)
            .field("expected", .int, .required)
            .field("token_hash", .string, .required)
            .unique(on: "token_hash")
            .unique(on: "campaign_id", "school_id", "respondent_group")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("survey_links").delete()
        try await database.schema("survey_campaigns").delete()
    }
}
