import Fluent
import OporaData
import OporaDomain
import Vapor

struct ProgrammesController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("programmes") { req async throws -> HTMLNode in
            ProgrammesView.board(try await ProgrammesBoardModel.build(req), try req.pageContext())
        }
        routes.post("programmes", use: create)
        routes.get("programmes", ":id") { req async throws -> HTMLNode in
            ProgrammesView.page(try await ProgrammeModel.page(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.get("programmes", ":id", "edit", use: editForm)
        routes.post("programmes", ":id", use: save)
        for action in [ProgrammeAction.submit, .returnForRevision, .approve] {
            routes.post("programmes", ":id", PathComponent(stringLiteral: action.rawValue)) {
                req async throws -> Response in try await decide(req, action)
            }
        }
        routes.post("programmes", ":id", "comments", use: comment)
        routes.post("programmes", ":id", "comments", ":comment", "resolve", use: resolve)
        routes.get("programmes", ":id", "compare") { req async throws -> HTMLNode in
            ProgrammesView.comparison(try await ProgrammeComparisonModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.get("programmes", ":id", "export.docx", use: exportDOCX)
    }

    /// The workflow's answer for this user and programme, or 403.
    func require(_ action: ProgrammeAction, _ programme: SchoolProgrammeModel, _ req: Request) throws -> CurrentUser {
        let user = try req.user
        guard ProgrammeWorkflow.allows(action, programme.programmeStatus, by: user.programmeParticipant) else {
            throw Abort(.forbidden,
                        reason: "Это действие с программой вам недоступно (\(programme.programmeStatus.russianName))")
        }
        return user
    }

    /// The repository's fields under the form's inputs.
    static let newInputs = ["Название": "title", "Фактор риска": "factor", "Период": "end_year", "Школа": "school"]

    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ProgrammeWorkflow.allows(.edit, .draft, by: user.programmeParticipant) else {
            throw Abort(.forbidden, reason: "Программу пишет администратор школы")
        }
        var check = FormCheck(req.formValues(), today: req.today)
        var schoolID: Int? = nil
        if let text = check.required("school") {
            guard let id = Int(text), InputRange.id.contains(id) else {
                throw Abort(.badRequest, reason: "Неверная школа")
            }
            _ = try await req.schoolInScope(id)
            schoolID = id
        }
        let kind = check.choice("kind", ProgrammeKind.self)
        let factor = check.integer("factor", in: 1...99)
        if kind == .antiRisk, factor == nil, check["factor"] == nil {
            check.refuse("factor", "Выберите фактор риска: антирисковая программа пишется по одному")
        }
        let title = check.name("title", limit: 300, required: true)
        let start = check.integer("start_year", in: InputRange.year, required: true)
        let end = check.integer("end_year", in: InputRange.year, required: true)
        if let start, let end, end < start { check.refuse("end_year", "Раньше года начала (\(start))") }
        if let start, let end, end - start > 10 { check.refuse("end_year", "Программа пишется не больше чем на 10 лет") }
        guard check.passed, let schoolID, let kind, let title, let start, let end else {
            return try await refusedNew(req, check)
        }
        do {
            let programme = try await ProgrammeRepository(db: req.db, actor: user.actor)
                .create(schoolID: schoolID, kind: kind, factor: factor, title: title, period: start...end)
            return req.redirect(to: "/programmes/\(programme.id!)/edit", flash: .success, "Документ создан: заполните его")
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: Self.newInputs)
            return try await refusedNew(req, check, message: message.map { "Не сохранено: " + $0 })
        }
    }

    func refusedNew(_ req: Request, _ check: FormCheck, message: String? = nil) async throws -> Response {
        try await ProgrammesView.board(try await ProgrammesBoardModel.build(req), try req.pageContext(),
                                       echo: check.echo(action: ProgrammesView.newProgrammeAction, message: message))
            .encodeResponse(status: .unprocessableEntity, for: req)
    }

    @Sendable func editForm(_ req: Request) async throws -> HTMLNode {
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        _ = try require(.edit, programme, req)
        let remarks = try await ProgrammeRepository(db: req.db, actor: try req.user.actor).openRemarks(programme.id!)
        return ProgrammesView.form(programme, ProgrammeForm(programme.content, version: programme.version), error: nil,
                                   remarks: remarks, try req.pageContext())
    }

    /// The repository's fields (as its refusals name them) under the editor's inputs.
    static let editorInputs = ["Цель": "goal", "Задачи": "tasks", "Задача": "tasks"]

    @Sendable func save(_ req: Request) async throws -> Response {
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        let user = try require(.edit, programme, req)
        let form = try req.content.decode(ProgrammeForm.self)
        do {
            try await ProgrammeRepository(db: req.db, actor: user.actor)
                .save(programme.id!, expectedVersion: form.version ?? 0, content: try form.content)
            return req.redirect(to: "/programmes/\(programme.id!)", flash: .success, "Черновик сохранён")
        } catch let error as RepositoryError {
            // Nothing typed is lost: the form comes back with the user's text and the version they started from,
            // a refused goal or task with its reason beside it.
            if req.prefersJSON { throw error }
            var check = FormCheck(form.fields, today: req.today)
            let unplaced = check.absorb(error, inputs: Self.editorInputs)
            let message = unplaced.map { "Не сохранено: " + $0 } ?? check.echo(action: "").message
            let status = FriendlyErrorMiddleware.describe(error).0
            let remarks = try await ProgrammeRepository(db: req.db, actor: user.actor).openRemarks(programme.id!)
            return try await ProgrammesView.form(programme, form, error: message, fieldErrors: check.errors, remarks: remarks,
                                                 try req.pageContext())
                .encodeResponse(status: status, for: req)
        }
    }

    /// The programme's page again with the refused action beside its button or field: 409 for a conflict, 404 for
    /// a remark that is no more, 422 otherwise. A JSON caller gets the refusal itself.
    static func refused(_ req: Request, _ id: Int, _ error: any Error, echo: FormEcho) async throws -> Response {
        if req.prefersJSON { throw error }
        let model = try await ProgrammeModel.page(req, id: id, echo: echo)
        return try await ProgrammesView.page(model, try req.pageContext())
            .encodeResponse(status: FriendlyErrorMiddleware.describe(error).0, for: req)
    }

    struct Versioned: Content { var version: String?; var confirm: String? }

    func decide(_ req: Request, _ action: ProgrammeAction) async throws -> Response {
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        let participant = try req.user.programmeParticipant, status = programme.programmeStatus
        if !ProgrammeWorkflow.allows(action, status, by: participant),
           ProgrammeStatus.allCases.contains(where: { ProgrammeWorkflow.allows(action, $0, by: participant) }) {
            // The user may do this, but not any more: the page was opened before someone else moved the programme on.
            let message = "Не выполнено: программа уже «\(status.russianName)» — посмотрите, что изменилось"
            let echo = FormEcho(action: "/programmes/\(programme.id!)/\(action.rawValue)", values: [:], message: message)
            return try await Self.refused(req, programme.id!, RepositoryError.conflict(entity: SchoolProgrammeModel.schema), echo: echo)
        }
        let user = try require(action, programme, req)
        let form = try req.content.decode(Versioned.self)
        let version = form.version.cleaned.flatMap { Int($0) } ?? 0
        let confirmed = form.confirm == "1"
        let repository = ProgrammeRepository(db: req.db, actor: user.actor)
        let back = "/programmes/\(programme.id!)"
        let open = try await repository.openRemarks(programme.id!)
        if ProgrammeWorkflow.needsConfirmation(action, openRemarks: open.count), !confirmed {
            let message = ProgrammeWorkflow.confirmationMessage(action, openRemarks: open.count)
            if req.prefersJSON { throw Abort(.conflict, reason: message) }
            let model = try await ProgrammeModel.build(req, id: programme.id!)
            return try await ProgrammesView.confirmation(model, action: action, remarks: open, try req.pageContext())
                .encodeResponse(status: .conflict, for: req)
        }
        do {
            switch action {
            case .submit: try await repository.submit(programme.id!, expectedVersion: version, confirmed: confirmed)
            default: try await repository.decide(programme.id!, expectedVersion: version, action: action, confirmed: confirmed)
            }
            let done: String
            switch action {
            case .submit: done = "Программа отправлена на проверку"
            case .approve: done = "Программа утверждена"
            default: done = "Программа возвращена на доработку"
            }
            return req.redirect(to: back, flash: .success, done)
        } catch let error as RepositoryError {
            let echo = FormEcho(action: "\(back)/\(action.rawValue)", values: [:], message: "Не выполнено: " + error.description)
            return try await Self.refused(req, programme.id!, error, echo: echo)
        }
    }

    /// The longest remark: a longer one is refused with the limit named, never cut.
    static let remarkLimit = ProgrammeRepository.remarkLimit

    @Sendable func comment(_ req: Request) async throws -> Response {
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        let user = try require(.comment, programme, req)
        var check = FormCheck(req.formValues(), today: req.today)
        let parent = try check["parent_id"].map { text -> Int in
            guard let id = Int(text), InputRange.id.contains(id) else { throw Abort(.badRequest, reason: "Неверное замечание") }
            return id
        }
        // Not cut: a key cut short could name another item; one that names none is refused by the repository.
        let itemKey = check["item_key"] ?? "general"
        let text = check.text("text", limit: Self.remarkLimit, required: true)
        let action = "/programmes/\(programme.id!)/comments"
        do {
            guard check.passed, let text else { throw RepositoryError.invalid(field: "Замечание", message: "не заполнено") }
            try await ProgrammeRepository(db: req.db, actor: user.actor)
                .comment(programme, itemKey: itemKey, parentID: parent, text: text, authorName: user.fullName)
            return req.redirect(to: "/programmes/\(programme.id!)#item-\(itemKey)", flash: .success,
                                parent == nil ? "Замечание добавлено" : "Ответ добавлен")
        } catch let error as RepositoryError {
            // The typed remark comes back in its box with the reason beside it.
            let echo = check.echo(action: action, message: check.passed ? "Не сохранено: " + error.description : nil)
            return try await Self.refused(req, programme.id!, error, echo: echo)
        }
    }

    struct Resolution: Content { var resolved: String? }

    @Sendable func resolve(_ req: Request) async throws -> Response {
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        let user = try require(.resolveRemark, programme, req)
        let commentID = try req.intParameter("comment")
        let resolved = try req.content.decode(Resolution.self).resolved != "0"
        do {
            try await ProgrammeRepository(db: req.db, actor: user.actor).setResolved(commentID, programme: programme, resolved: resolved)
            return req.redirect(to: "/programmes/\(programme.id!)", flash: .success,
                resolved ? "Замечание снято" : "Замечание открыто снова")
        } catch let error as RepositoryError {
            let echo = FormEcho(action: "/programmes/\(programme.id!)/comments/\(commentID)/resolve", values: [:],
                                message: "Не выполнено: " + error.description)
            return try await Self.refused(req, programme.id!, error, echo: echo)
        }
    }

    @Sendable func exportDOCX(_ req: Request) async throws -> Response {
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        let factors = try await RiskRepository(db: req.db).factors()
        let approved = programme.revisions.sorted { $0.number < $1.number }.last { $0.decision == ProgrammeStatus.approved.rawValue }
        // Revisions record the approver's login; the document names the person (issue 19: names, never logins).
        let approverLogin = approved?.decidedBy ?? ""
        let approver = try await UserModel.query(on: req.db).filter(\.$login == approverLogin).first()
        let approverName = DocumentSignature.personName(fullName: approver?.fullName, login: approverLogin) ?? "(имя не указано)"
        let document = ProgrammeDocument.word(programme, content: programme.content, schoolName: programme.school.name,
                                              municipality: programme.school.municipality.name,
                                              factorName: programme.factor.flatMap { number in
                                                  factors.first { $0.number == number }?.name
                                              },
                                              approvedBy: approved.map {
                                                  "утвердил \(approverName) \($0.decidedAt.map(RussianFormat.date) ?? "")"
                                              })
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
        headers.contentDisposition = .init(.attachment, filename: "programme-\(programme.id!).docx")
        return Response(status: .ok, headers: headers, body: .init(data: try document.data()))
    }
}
