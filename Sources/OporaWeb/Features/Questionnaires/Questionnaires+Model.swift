import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Анкеты»: the questionnaires (newest version of each), and the import of a definition file.
struct QuestionnairesModel: Sendable {
    struct Row: Sendable {
        let code: String
        let title: String
        let purpose: String
        let version: Int
        let groups: String
        let questions: Int
        let savedBy: String
        let savedAt: Date
    }

    let rows: [Row]
    let canEdit: Bool
    /// A refused import: every problem as `FILE:LINE: вопрос «id»: message`.
    let importProblems: [String]

    static func build(_ req: Request, importProblems: [String] = []) async throws -> QuestionnairesModel {
        let user = try req.user
        let stored = try await QuestionnaireRepository(db: req.db).list()
        let names = try await req.actorNames
        return QuestionnairesModel(
            rows: stored.map {
                Row(code: $0.code, title: $0.title, purpose: $0.questionnaire.purpose.russianName, version: $0.version,
                    groups: $0.questionnaire.groups.map(\.russianName).joined(separator: ", "), questions: $0.questionnaire.questions.count,
                    savedBy: names($0.createdBy), savedAt: $0.createdAt)
            },
            canEdit: QuestionnaireAccess.mayEdit(user.role), importProblems: importProblems)
    }
}

/// One questionnaire version: its questions per group and the risk mapping, with the other versions.
struct QuestionnairePageModel: Sendable {
    struct Version: Sendable {
        let id: Int
        let number: Int
        let savedBy: String
        let savedAt: Date
    }

    struct MappingRow: Sendable {
        let question: String
        let group: String
        let answer: String
        let factor: String
        let points: Int
    }

    let stored: StoredQuestionnaire
    let isLatest: Bool
    let answered: Bool
    let versions: [Version]
    let groups: [(group: RespondentGroup, questions: [Question])]
    let mapping: [MappingRow]
    let canEdit: Bool

    static func build(_ req: Request, code: String) async throws -> QuestionnairePageModel {
        let user = try req.user
        let repository = QuestionnaireRepository(db: req.db)
        let versions = try await repository.versions(code: code)
        let names = try await req.actorNames
        guard let latest = versions.first else { throw Abort(.notFound, reason: "Анкета не найдена") }
        var stored = latest
        if let id = try req.queryInt("version", in: InputRange.id, "версия") {
            guard let chosen = versions.first(where: { $0.id == id }) else { throw Abort(.notFound, reason: "Версия анкеты не найдена") }
            stored = chosen
        }
        let questionnaire = stored.questionnaire
        let factorNames = Dictionary(uniqueKeysWithValues: RiskFactor.catalogue.map { ($0.number, $0.name) })
        return QuestionnairePageModel(
            stored: stored, isLatest: stored.id == latest.id, answered: try await repository.isAnswered(versionID: stored.id),
            versions: versions.map { Version(id: $0.id, number: $0.version, savedBy: names($0.createdBy), savedAt: $0.createdAt) },
            groups: questionnaire.groups.map { ($0, questionnaire.questions(for: $0)) },
            mapping: questionnaire.riskMapping.filter { $0.points > 0 }.map {
                MappingRow(question: $0.question, group: $0.group.russianName, answer: $0.answer,
                           factor: "\($0.factor). \(factorNames[$0.factor] ?? "")", points: $0.points)
            },
            canEdit: QuestionnaireAccess.mayEdit(user.role))
    }
}

/// The question-by-question edit form: the draft as typed, and the problems beside their questions.
struct QuestionnaireEditModel: Sendable {
    let draft: QuestionnaireDraft
    /// The version the form was opened on (nil: a new questionnaire).
    let expectedVersionID: Int?
    let version: Int?
    let answered: Bool
    /// Problems of the questionnaire's own fields.
    let general: [String]
    /// Problems per question number (from 1).
    let perQuestion: [Int: [String]]
    /// A refusal of one of the questionnaire's own inputs (a code already taken), shown beside it.
    var fieldErrors: [String: String] = [:]

    var isNew: Bool { expectedVersionID == nil }

    static func open(_ req: Request, code: String) async throws -> QuestionnaireEditModel {
        let repository = QuestionnaireRepository(db: req.db)
        guard let latest = try await repository.latest(code: code) else { throw Abort(.notFound, reason: "Анкета не найдена") }
        return QuestionnaireEditModel(draft: QuestionnaireDraft(latest.questionnaire), expectedVersionID: latest.id,
                                      version: latest.version,
                                      answered: try await repository.isAnswered(versionID: latest.id), general: [], perQuestion: [:])
    }

    static func blank() -> QuestionnaireEditModel {
        var draft = QuestionnaireDraft(code: "", title: "", purpose: QuestionnairePurpose.other.rawValue, description: "", questions: [])
        draft.apply(.add)
        return QuestionnaireEditModel(draft: draft, expectedVersionID: nil, version: nil, answered: false, general: [], perQuestion: [:])
    }

    /// The form as posted again, with `problems` placed beside their questions.
    /// The questionnaire's own fields on the form, where a problem stands beside its field.
    static let topFields: Set<String> = ["code", "title", "description"]

    static func echo(_ req: Request, draft: QuestionnaireDraft, expectedVersionID: Int?, problems: [DefinitionProblem] = [],
                     general: [String] = []) async throws -> QuestionnaireEditModel {
        let repository = QuestionnaireRepository(db: req.db)
        var answered = false
        var version: Int?
        if let expectedVersionID, let stored = try await repository.version(id: expectedVersionID) {
            answered = try await repository.isAnswered(versionID: expectedVersionID)
            version = stored.version
        }
        var perQuestion: [Int: [String]] = [:]
        var generalProblems = general
        var fieldErrors: [String: String] = [:]
        for problem in problems {
            if problem.line >= 1 && problem.line <= draft.questions.count {
                perQuestion[problem.line, default: []].append(problem.forForm)
            } else if let key = problem.key, Self.topFields.contains(key), key != "code" || expectedVersionID == nil,
                      fieldErrors[key] == nil {
                fieldErrors[key] = problem.forForm
            } else {
                generalProblems.append(problem.forForm)
            }
        }
        if !fieldErrors.isEmpty || !perQuestion.isEmpty {
            generalProblems.insert("Анкета не сохранена: исправьте отмеченные поля", at: 0)
        }
        var model = QuestionnaireEditModel(draft: draft, expectedVersionID: expectedVersionID, version: version, answered: answered,
                                           general: generalProblems, perQuestion: perQuestion)
        model.fieldErrors = fieldErrors
        return model
    }
}
