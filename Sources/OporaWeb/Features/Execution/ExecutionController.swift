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

    struct MeasureForm: Content {
        var version: String?; var status: String?; var done_on: String?; var evidence: String?; var comment: String?
    }

    @Sendable func saveMeasure(_ req: Request) async throws -> Response {
        let (programme, user) = try await reportable(req)
        let key = try key(req)
        let form = try req.content.decode(MeasureForm.self)
        let back = "/programmes/\(programme.id!)/execution"
        do {
            guard let status = form.status.cleaned.flatMap(MeasureStatus.init(rawValue:)) else {
                throw RepositoryError.invalid(field: "Статус", message: MeasureStatus.accepted)
            }
            let execution = MeasureExecution(
                status: status, doneOn: try FormInput.day(form.done_on, "Дата выполнения"),
                evidence: try FormInput.text(form.evidence, "Подтверждение", limit: 2000) ?? "",
                comment: try FormInput.text(form.comment, "Комментарий", limit: 2000) ?? "")
            try await ProgrammeExecutionRepository(db: req.db).saveMeasure(
                programmeID: programme.id!, measureKey: key, expectedVersion: form.version.cleaned.flatMap { Int($0) } ?? 0,
                execution: execution, actor: user.actor)
            return req.redirect(to: back + "#measure-\(key)", flash: .success, "Мероприятие отмечено")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            // Nothing typed is lost: the page comes back with the user's values and the version they started from.
            let typed = ["version": form.version ?? "0", "status": form.status ?? "", "done_on": form.done_on ?? "",
                         "evidence": form.evidence ?? "", "comment": form.comment ?? ""]
            let status: HTTPStatus = error == .conflict(entity: MeasureReportModel.schema) ? .conflict : .unprocessableEntity
            let echo = FormEcho(action: req.url.path, values: typed, message: error.description)
            let model = try await ProgrammeExecutionModel.build(req, id: programme.id!, echo: echo)
            return try await ExecutionView.page(model, try req.pageContext())
                .encodeResponse(status: status, for: req)
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
            // Every value is read before anything is saved: one unreadable value saves none.
            for phase in MonitoringPhase.allCases {
                var value: Double? = nil
                if let text = try FormInput.name(form["value_\(phase.rawValue)"], "\(phase.russianName.capitalized) этап", limit: 40) {
                    guard let number = NumberParsing.decimal(text), abs(number) <= 1e9 else {
                        throw RepositoryError.invalid(
                            field: "\(phase.russianName.capitalized) этап", message: "введите число, например 94,5")
                    }
                    value = number
                }
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
