import FluentKit
import SQLKit

/// Questionnaires as data (issue 22): every version of a definition, kept whole as JSON. A version never changes
/// once answered (campaigns name the version's id), so an edit of an answered one adds the next version.
struct V041Questionnaires: AsyncMigration {
    var name: String { "v041_questionnaires" }

    func prepare(on database: any Database) async throws {
        try await database.schema("questionnaires")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("version", .int, .required)
            .field("title", .string, .required)
            // `risk` / `satisfaction` / `training` / `other`.
            .field("purpose", .string, .required)
            // The definition as canonical JSON (`QuestionnaireFile.json`): equal content gives equal text.
            .field("definition", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "code", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("questionnaires").delete()
    }
}
