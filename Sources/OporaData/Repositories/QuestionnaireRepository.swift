import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// One stored version of a questionnaire.
public final class QuestionnaireModel: Model, @unchecked Sendable {
    public static let schema = "questionnaires"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "version") public var version: Int
    @Field(key: "title") public var title: String
    @Field(key: "purpose") public var purpose: String
    @Field(key: "definition") public var definition: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// A version as the pages, the command line and the campaigns read it.
public struct StoredQuestionnaire: Sendable, Hashable {
    /// The version's id: what a campaign points to.
    public let id: Int
    public let version: Int
    public let createdBy: String
    public let createdAt: Date
    public let questionnaire: Questionnaire

    public var code: String { questionnaire.code }
    public var title: String { questionnaire.title }
}

/// What saving a definition did: a new version, the unanswered latest one changed in place, or nothing (same content).
public enum QuestionnaireSaveOutcome: String, Sendable, Hashable {
    case created, replaced, unchanged
}

/// Questionnaire versions (V041). Same content → no new version; changed content → the next version, except that an
/// edit on the page may change the latest version in place while no one has answered it.
public struct QuestionnaireRepository: Sendable {
    public let db: any Database
    public let answers: any QuestionnaireAnswerLookup

    public init(db: any Database, answers: any QuestionnaireAnswerLookup = QuestionnaireAnswerLookups.standard) {
        self.db = db
        self.answers = answers
    }

    /// The newest version of every questionnaire, by title.
    public func list() async throws -> [StoredQuestionnaire] {
        let rows = try await QuestionnaireModel.query(on: db).sort(\.$code).sort(\.$version, .descending).all()
        var seen = Set<String>()
        let newest = rows.filter { seen.insert($0.code).inserted }
        return try newest.map(Self.stored).sorted { ($0.title, $0.code) < ($1.title, $1.code) }
    }

    /// Every version of one questionnaire, newest first.
    public func versions(code: String) async throws -> [StoredQuestionnaire] {
        try await QuestionnaireModel.query(on: db).filter(\.$code == code).sort(\.$version, .descending).all().map(Self.stored)
    }

    public func latest(code: String) async throws -> StoredQuestionnaire? {
        try await QuestionnaireModel.query(on: db).filter(\.$code == code).sort(\.$version, .descending).first().map(Self.stored)
    }

    /// A version by its id (a campaign's questionnaire).
    public func version(id: Int) async throws -> StoredQuestionnaire? {
        try await QuestionnaireModel.find(id, on: db).map(Self.stored)
    }

    public func isAnswered(versionID: Int) async throws -> Bool {
        try await answers.answeredVersions(among: [versionID], on: db).contains(versionID)
    }

    /// Imports a definition file's text (YAML or JSON): refused whole with every mistake, or saved as the next version
    /// unless it equals the latest one.
    @discardableResult
    public func importDefinition(_ text: String, file: String, actor: Actor, place: AuditPlace = .init()) async throws
        -> (StoredQuestionnaire, QuestionnaireSaveOutcome) {
        let questionnaire = try QuestionnaireFile.read(text, file: file)
        return try await save(questionnaire, actor: actor, place: place, replacingUnanswered: false)
    }

    /// Saves a definition. `expectedVersionID`: the version an edit form was opened on; if another has become the
    /// latest meanwhile, nothing is saved (`RepositoryError.conflict`). `replacingUnanswered`: an edit changes the
    /// latest version in place while no response has answered it.
    @discardableResult
    public func save(_ questionnaire: Questionnaire, actor: Actor, place: AuditPlace = .init(), expectedVersionID: Int? = nil,
                     replacingUnanswered: Bool = false) async throws -> (StoredQuestionnaire, QuestionnaireSaveOutcome) {
        // The definition is checked as a file would be, so a page's edit cannot store what an import would refuse.
        let json = QuestionnaireFile.json(questionnaire)
        let checked = try QuestionnaireFile.read(json, file: questionnaire.code)
        let answers = self.answers
        return try await db.transaction { tx in
            let latest = try await QuestionnaireModel.query(on: tx).filter(\.$code == checked.code)
                .sort(\.$version, .descending).first()
            if let expectedVersionID, latest?.id != expectedVersionID { throw RepositoryError.conflict(entity: "анкета") }
            if let latest, latest.definition == json { return (try Self.stored(latest), .unchanged) }
            let model: QuestionnaireModel
            let outcome: QuestionnaireSaveOutcome
            if replacingUnanswered, let latest, let id = latest.id,
               try await answers.answeredVersions(among: [id], on: tx).isEmpty {
                model = latest
                outcome = .replaced
            } else {
                model = QuestionnaireModel()
                model.code = checked.code
                model.version = (latest?.version ?? 0) + 1
                outcome = .created
            }
            let old = model.id == nil ? nil : model.definition
            model.title = checked.title
            model.purpose = checked.purpose.rawValue
            model.definition = json
            model.createdBy = actor.login
            model.createdAt = Date()
            try await model.save(on: tx)
            let summary = outcome == .created
                ? "Сохранена анкета «\(checked.title)» (\(checked.code)), версия \(model.version)"
                : "Изменена анкета «\(checked.title)» (\(checked.code)), версия \(model.version) — ответов на неё ещё не было"
            try await AuditLog.record(on: tx, actor: actor, action: outcome == .created ? "create" : "update", entity: "questionnaire",
                                      entityID: model.id, summary: summary,
                                      changes: [FieldChange(field: "Анкета", old: old ?? latest?.definition, new: json)], place: place)
            return (try Self.stored(model), outcome)
        }
    }

    /// Installs the shipped questionnaires (`QuestionnairePresets`) that are not there yet: on the first start and by
    /// the demo. A preset changed by a person is left as it is (its code exists).
    @discardableResult
    public func installPresets(actor: Actor = .commandLine) async throws -> [StoredQuestionnaire] {
        let present = Set(try await QuestionnaireModel.query(on: db).all(\.$code))
        var installed: [StoredQuestionnaire] = []
        for preset in QuestionnairePresets.all where !present.contains(preset.code) {
            installed.append(try await save(preset, actor: actor).0)
        }
        return installed
    }

    static func stored(_ model: QuestionnaireModel) throws -> StoredQuestionnaire {
        let questionnaire = try QuestionnaireFile.read(model.definition, file: "анкета \(model.code), версия \(model.version)")
        return StoredQuestionnaire(id: model.id!, version: model.version, createdBy: model.createdBy, createdAt: model.createdAt,
                                   questionnaire: questionnaire)
    }
}
