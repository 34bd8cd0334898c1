import Fluent
import OporaData
import OporaDomain
import Vapor

struct PlanPassportController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans", ":id") { req async throws -> HTMLNode in
            PlansView.page(try await PlanPageModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("plans", ":id", "amend", use: amend)
        routes.post("plans", ":id", "bands", use: bands)
        // The passport as the document the authority approves (issue 19), in the user's scope like the page.
        routes.get("plans", ":id", "passport.docx") { req async throws -> Response in
            let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: ReportFormat.docx.mediaType.type, subType: ReportFormat.docx.mediaType.subType)
            headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["passport", plan.code]) + ".docx")
            let document = try await req.signed(try await req.reportBuilder.programmePassport(plan))
            return Response(status: .ok, headers: headers, body: .init(data: try ReportFormat.docx.write(document)))
        }
    }

    /// The repository's fields (as it names them) under the form's inputs.
    static let amendInputs = ["Наименование": "name", "Срок": "end", "Приказ": "order_number", "Номер приказа": "order_number"]

    /// An amendment is a new version of the passport with the order approving it; a refused one comes back with
    /// every text as typed and each problem beside its field, a stale one (someone saved meanwhile) too.
    @Sendable func amend(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        var check = FormCheck(req.formValues(), today: req.today)
        let name = check.name("name", limit: PassportLimits.name, required: true)
        let start = PlansController.bound(&check, "start", start: true), end = PlansController.bound(&check, "end", start: false)
        if let start, let end, end < start { check.refuse("end", "Окончание раньше начала (\(start.russian))") }
        let goal = check.text("goal", limit: PassportLimits.goal)
        func lines(_ input: String) -> [String] { ProgrammePassport.lines(check.text(input, limit: PassportLimits.list) ?? "") }
        let tasks = lines("tasks"), results = lines("expected_results"), funding = lines("funding"), basis = lines("basis")
        let participants = try await PlanPageModel.candidates(req, plan).map(\.code)
            .filter { check.values[PlanPageModel.participantInput($0)] != nil }
        let orderNumber = check.name("order_number", limit: PassportLimits.orderNumber, required: true)
        let orderDate = check.day("order_date", expect: .any)
        let note = check.text("note", limit: PassportLimits.note)
        guard check.passed, let name, let start, let end, let orderNumber else { return try await refused(req, plan, check) }
        do {
            let passport = ProgrammePassport(name: name, start: start, end: end, goal: goal ?? "", tasks: tasks,
                                             participants: participants, expectedResults: results, funding: funding, basis: basis)
            try await PlanRepository(db: req.db).amend(
                plan.id!, expectedVersion: Int(check["version"] ?? "") ?? 0, passport: passport, orderNumber: orderNumber,
                orderDate: orderDate, note: note, actor: user.actor)
            return req.redirect(to: "/plans/\(plan.id!)#changes", flash: .success, "Изменения сохранены новой редакцией")
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: Self.amendInputs)
            let status: HTTPStatus = error == .conflict(entity: PlanModel.schema) ? .conflict : .unprocessableEntity
            return try await refused(req, plan, check, message: message.map { "Не сохранено: " + $0 }, status: status)
        }
    }

    func refused(_ req: Request, _ plan: PlanModel, _ check: FormCheck, action: String? = nil, message: String? = nil,
                 status: HTTPStatus = .unprocessableEntity) async throws -> Response {
        let echo = check.echo(action: action ?? "/plans/\(plan.id!)/amend", message: message)
        return try await PlansView.page(try await PlanPageModel.build(req, id: plan.id!), try req.pageContext(), echo: echo)
            .encodeResponse(status: status, for: req)
    }

    /// The levels of effectiveness: whole points, each below the one above.
    @Sendable func bands(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        var check = FormCheck(req.formValues(), today: req.today)
        let high = check.integer("high", in: 0...10_000, required: true)
        let medium = check.integer("medium", in: 0...10_000, required: true)
        let satisfactory = check.integer("satisfactory", in: 1...10_000, required: true)
        if let high, let medium, medium >= high { check.refuse("medium", "Должен быть ниже высокого (\(high))") }
        if let medium, let satisfactory, satisfactory >= medium { check.refuse("satisfactory", "Должен быть ниже среднего (\(medium))") }
        let action = "/plans/\(plan.id!)/bands"
        guard check.passed, let high, let medium, let satisfactory else { return try await refused(req, plan, check, action: action) }
        do {
            try await PlanRepository(db: req.db).setBands(plan.id!, expectedVersion: Int(check["version"] ?? "") ?? 0,
                                                          bands: ScoreBands(high: high, medium: medium, satisfactory: satisfactory),
                                                          actor: user.actor)
            return req.redirect(to: "/plans/\(plan.id!)", flash: .success, "Уровни эффективности сохранены")
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: [:])
            let status: HTTPStatus = error == .conflict(entity: PlanModel.schema) ? .conflict : .unprocessableEntity
            return try await refused(req, plan, check, action: action, message: message.map { "Не сохранено: " + $0 }, status: status)
        }
    }
}
