import Fluent
import OporaData
import OporaDomain
import Vapor

struct ProgrammeExecutionController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("programmes", "execution") { req async throws -> HTMLNode in
            ExecutionView.board(try await ExecutionBoardModel.build(req), try req.pageContext())
        }
        routes.get("programmes", ":id", "execution") { req async throws -> HTMLNode in
            ExecutionView.page(try await ProgrammeExecutionModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("programmes", ":id", "execution", "measures", ":key", use: saveMeasure)
        routes.post("programmes", ":id", "execution", "indicators", ":key", use: saveIndicator)
    }

    /// The programme if the user may report on it (its school's administrator, once approved), else 404 / 403.
    func reportable(_ req: Request) async throws -> (SchoolProgrammeModel, CurrentUser) {
        let user = try req.user
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        let approved = ProgrammeExecutionRepository.approvedContent(programme) != nil
        guard SchoolProgrammeExecution.mayReport(user.programmeParticipant, hasApprovedVersion: approved) else {
            throw Abort(.forbidden, reason: "Выполнение программы отмечает администратор школы по утверждённой программе")
        }
        return (programme, user)
    }

    func key(_ req: Request) throws -> String {
        guard let key = req.parameters.get("key"), !key.isEmpty, key.count <= 40,
              key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw Abort(.notFound) }
        return key
    }

    /// The repository's fields under the form's inputs.
    static let measureInputs = ["Статус": "status", "Дата выполнения": "done_on", "Подтверждение": "evidence", "Комментарий": "comment"]

    /// A measure's report: a refused one comes back as typed with each problem beside its field.
    @Sendable func saveMeasure(_ req: Request) async throws -> Response {
        let (programme, user) = try await reportable(req)
        let key = try key(req)
        var check = FormCheck(req.formValues(), today: req.today)
        let status = check.choice("status", MeasureStatus.self)
        let doneOn = check.day("done_on", expect: .happened)
        let evidence = check.text("evidence", limit: 2000), comment = check.text("comment", limit: 2000)
        func refused(_ message: String?, _ code: HTTPStatus) async throws -> Response {
            let model = try await ProgrammeExecutionModel.build(req, id: programme.id!, echo: check.echo(action: req.url.path,
                message: message))
            return try await ExecutionView.page(model, try req.pageContext()).encodeResponse(status: code, for: req)
        }
        guard check.passed, let status else { return try await refused(nil, .unprocessableEntity) }
        do {
            let execution = MeasureExecution(status: status, doneOn: doneOn, evidence: evidence ?? "", comment: comment ?? "")
            try await ProgrammeExecutionRepository(db: req.db).saveMeasure(
                programmeID: programme.id!, measureKey: key, expectedVersion: check["version"].flatMap { Int($0) } ?? 0,
                execution: execution, actor: user.actor)
            return req.redirect(to: "/programmes/\(programme.id!)/execution#measure-\(key)", flash: .success, "Мероприятие отмечено")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            // Nothing typed is lost: the page comes back with the user's values and the version they started from.
            let message = check.absorb(error, inputs: Self.measureInputs)
            return try await refused(message.map { "Не сохранено: " + $0 },
                                     error == .conflict(entity: MeasureReportModel.schema) ? .conflict : .unprocessableEntity)
        }
    }

    @Sendable func saveIndicator(_ req: Request) async throws -> Response {
        let (programme, user) = try await reportable(req)
        let key = try key(req)
        let form = try req.content.decode([String: String].self)
        let back = "/programmes/\(programme.id!)/execution"
        let repository = ProgrammeExecutionRepository(db: req.db)
        do {
            guard let execution = try await repository.execution(programme, today: req.today),
                  let index = execution.content.indicators.indices.first(where: { execution.indicatorKey($0) == key })
            else { throw Abort(.notFound) }
            let stored = execution.summary.indicators[index].values
            var changes: [MonitoringPhase: ProgrammeExecutionRepository.ValueChange] = [:]
            // Every value is read before anything is saved: one unreadable value saves none, and each is named
            // beside its field.
            var check = FormCheck(form, today: req.today)
            let read = MonitoringPhase.allCases.map { phase in
                (phase, check.decimal("value_\(phase.rawValue)", in: -1_000_000_000...1_000_000_000))
            }
            guard check.passed else {
                let model = try await ProgrammeExecutionModel.build(req, id: programme.id!, echo: check.echo(action: req.url.path))
                return try await ExecutionView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
            }
            for (phase, value) in read {
                guard value != stored[phase] else { continue }
                changes[phase] = .init(value: value, expectedVersion: form["version_\(phase.rawValue)"].cleaned.flatMap { Int($0) } ?? 0)
            }
            if !changes.isEmpty {
                try await repository.saveValues(programmeID: programme.id!, indicatorKey: key, changes: changes, actor: user.actor)
            }
            let changed = changes.count
            let message = changed == 0 ? "Значения не изменились" : "Значения сохранены"
            return req.redirect(to: back + "#indicator-\(key)", flash: .success, message)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let conflict = error == .conflict(entity: IndicatorReadingModel.schema)
            let echo = FormEcho(action: req.url.path, values: form, message: error.description)
            let model = try await ProgrammeExecutionModel.build(req, id: programme.id!, echo: echo)
            return try await ExecutionView.page(model, try req.pageContext())
                .encodeResponse(status: conflict ? .conflict : .unprocessableEntity, for: req)
        }
    }
}
