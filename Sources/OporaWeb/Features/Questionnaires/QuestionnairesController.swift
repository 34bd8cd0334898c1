import Fluent
import Foundation
import OporaData
import OporaDomain
import Vapor

/// «Анкеты» (issue 22): everyone signed in reads; analysts and coordinators import, create and edit
/// (`QuestionnaireAccess`). Questionnaires belong to the whole installation, so every territory sees the same ones;
/// the audit row carries the editor's territory.
struct QuestionnairesController {
    static let maximumBody = QuestionnaireFile.largestFile + (1 << 16)
    /// The editor's form: dozens of questions, each with several fields, and Cyrillic text three times its size once
    /// URL-encoded. Over the 2 MB of other forms it answered a bare 413 instead of naming the fields too long.
    static let maximumFormBody = 16 << 20

    func register(_ routes: any RoutesBuilder) {
        routes.get("questionnaires") { req async throws -> HTMLNode in
            QuestionnairesView.list(try await QuestionnairesModel.build(req), try req.pageContext())
        }
        routes.on(.POST, "questionnaires", "import", body: .collect(maxSize: ByteCount(value: Self.maximumBody)), use: importFile)
        routes.get("questionnaires", "new") { req async throws -> HTMLNode in
            _ = try Self.editor(req)
            return QuestionnairesView.edit(QuestionnaireEditModel.blank(), try req.pageContext())
        }
        routes.on(.POST, "questionnaires", "save", body: .collect(maxSize: ByteCount(value: Self.maximumFormBody)), use: save)
        routes.get("questionnaires", ":code") { req async throws -> HTMLNode in
            QuestionnairesView.show(try await QuestionnairePageModel.build(req, code: try Self.code(req)), try req.pageContext())
        }
        routes.get("questionnaires", ":code", "export", use: export)
        routes.get("questionnaires", ":code", "edit") { req async throws -> HTMLNode in
            _ = try Self.editor(req)
            return QuestionnairesView.edit(try await QuestionnaireEditModel.open(req, code: try Self.code(req)), try req.pageContext())
        }
    }

    static func editor(_ req: Request) throws -> CurrentUser {
        let user = try req.user
        guard QuestionnaireAccess.mayEdit(user.role) else {
            throw Abort(.forbidden, reason: "Анкеты меняют региональные аналитики и муниципальные координаторы")
        }
        return user
    }

    /// A code in the path: anything that cannot be one is simply not found.
    static func code(_ req: Request) throws -> String {
        guard let code = req.parameters.get("code"), code.count <= Questionnaire.codeLength, QuestionnaireDefinition.isCode(code) else {
            throw Abort(.notFound, reason: "Анкета не найдена")
        }
        return code
    }

    static func place(_ user: CurrentUser) -> AuditPlace {
        switch user.scope {
        case .region(let id): AuditPlace(regionID: id)
        case .municipality(let id): AuditPlace(municipalityID: id)
        default: AuditPlace()
        }
    }

    struct Upload: Content { var file: File }

    @Sendable func importFile(_ req: Request) async throws -> Response {
        let user = try Self.editor(req)
        let upload = try req.content.decode(Upload.self)
        let fileName = ImportsController.safeFileName(upload.file.filename)
        let text = String(decoding: upload.file.data.readableBytesView, as: UTF8.self)
        do {
            let (stored, outcome) = try await QuestionnaireRepository(db: req.db)
                .importDefinition(text, file: fileName, actor: user.actor, place: Self.place(user))
            let message = outcome == .unchanged
                ? "«\(fileName)»: анкета «\(stored.title)» не изменилась, версия \(stored.version)"
                : "«\(fileName)»: анкета «\(stored.title)» сохранена, версия \(stored.version)"
            return req.redirect(to: "/questionnaires/\(stored.code)", flash: .success, message)
        } catch let error as QuestionnaireDefinitionError {
            let model = try await QuestionnairesModel.build(req, importProblems: error.problems.map { $0.text(file: error.file) })
            return try await QuestionnairesView.list(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    @Sendable func export(_ req: Request) async throws -> Response {
        let model = try await QuestionnairePageModel.build(req, code: try Self.code(req))
        let yaml = try QuestionnaireFile.yaml(model.stored.questionnaire)
        let response = Response(status: .ok, body: .init(string: yaml))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"\(model.stored.code)-v\(model.stored.version).yaml\"")
        return response
    }

    /// The form's fields as typed; `count` questions numbered from 1.
    static func draft(_ fields: [String: String]) throws -> QuestionnaireDraft {
        guard let count = Int(fields["count"] ?? "0"), (0...Questionnaire.maximumQuestions + 1).contains(count) else {
            throw Abort(.badRequest, reason: "Неверное число вопросов формы")
        }
        func value(_ key: String) -> String { fields[key] ?? "" }
        let questions = (0..<count).map { index -> QuestionnaireDraft.QuestionDraft in
            let prefix = "q\(index + 1)_"
            return QuestionnaireDraft.QuestionDraft(
                id: value(prefix + "id").trimmingCharacters(in: .whitespaces), group: value(prefix + "group"),
                grades: value(prefix + "grades"), kind: value(prefix + "kind"), text: value(prefix + "text"),
                required: fields[prefix + "required"] != nil, minimum: value(prefix + "min"), maximum: value(prefix + "max"),
                maxLength: value(prefix + "max_length"), options: value(prefix + "options"))
        }
        return QuestionnaireDraft(code: value("code").trimmingCharacters(in: .whitespaces), title: value("title"),
                                  purpose: value("purpose"), description: value("description"), questions: questions)
    }

    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try Self.editor(req)
        let fields = try req.content.decode([String: String].self)
        var draft = try Self.draft(fields)
        let expected = try FormInput.optionalRecordID(fields["expected"])
        func again(_ model: QuestionnaireEditModel, status: HTTPStatus) async throws -> Response {
            try await QuestionnairesView.edit(model, try req.pageContext()).encodeResponse(status: status, for: req)
        }
        // Moving, adding and removing questions only change the form; nothing is stored until «Сохранить».
        if let action = QuestionnaireDraft.Action(fields["action"] ?? "") {
            draft.apply(action)
            return try await again(try await QuestionnaireEditModel.echo(req, draft: draft, expectedVersionID: expected), status: .ok)
        }
        let repository = QuestionnaireRepository(db: req.db)
        if expected == nil, try await repository.latest(code: draft.code) != nil {
            var model = try await QuestionnaireEditModel.echo(req, draft: draft, expectedVersionID: nil,
                                                              general: ["Анкета с кодом «\(draft.code)» уже есть: выберите другой код"])
            model.fieldErrors["code"] = "Этот код уже занят другой анкетой: выберите другой"
            return try await again(model, status: .unprocessableEntity)
        }
        do {
            let questionnaire = try QuestionnaireDefinition.parse(draft.tree(), file: "форма")
            let (stored, outcome) = try await repository.save(questionnaire, actor: user.actor, place: Self.place(user),
                                                              expectedVersionID: expected, replacingUnanswered: true)
            let message: String
            switch outcome {
            case .unchanged: message = "Изменений нет: версия \(stored.version)"
            case .replaced: message = "Анкета сохранена: версия \(stored.version) изменена (на неё ещё не отвечали)"
            case .created: message = "Анкета сохранена: версия \(stored.version)"
            }
            return req.redirect(to: "/questionnaires/\(stored.code)", flash: .success, message)
        } catch let error as QuestionnaireDefinitionError {
            let model = try await QuestionnaireEditModel.echo(req, draft: draft, expectedVersionID: expected, problems: error.problems)
            return try await again(model, status: .unprocessableEntity)
        } catch let error as RepositoryError {
            let model = try await QuestionnaireEditModel.echo(req, draft: draft, expectedVersionID: expected, general: [error.description])
            return try await again(model, status: error == .conflict(entity: "анкета") ? .conflict : .unprocessableEntity)
        }
    }
}
