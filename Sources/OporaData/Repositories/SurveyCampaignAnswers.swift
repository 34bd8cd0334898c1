import FluentKit
import SQLKit

/// The questionnaire versions a campaign uses: they never change in place (`QuestionnaireRepository` saves a new
/// version instead). A campaign's version counts from its creation, before the first answer: the public form reads a
/// version once and keeps it (`QuestionnaireVersionCache`), and respondents of one campaign answer one text.
public struct SurveyCampaignAnswers: QuestionnaireAnswerLookup {
    public init() {}

    public func answeredVersions(among versionIDs: [Int], on db: any Database) async throws -> Set<Int> {
        guard !versionIDs.isEmpty else { return [] }
        struct Row: Decodable { let questionnaire_id: Int }
        let list = Set(versionIDs).sorted().map(String.init).joined(separator: ",")
        let rows = try await db.sql.raw("""
            SELECT DISTINCT questionnaire_id FROM survey_campaigns WHERE questionnaire_id IN (\(unsafeRaw: list))
            """).all(decoding: Row.self)
        return Set(rows.map(\.questionnaire_id))
    }
}
