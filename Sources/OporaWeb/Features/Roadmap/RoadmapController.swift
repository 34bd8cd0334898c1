import Fluent
import OporaData
import OporaDomain
import Vapor

struct RoadmapController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans", ":id", "roadmap") { req async throws -> HTMLNode in
            let id = try req.intParameter("id")
            return PlansView.roadmap(try await req.cachedModel { try await RoadmapPageModel.build($0, id: id) }, try req.pageContext())
        }
        routes.get("plans", ":id", "roadmap", "export.xlsx", use: exportXLSX)
        routes.get("plans", ":id", "roadmap", "export.docx", use: exportDOCX)
        routes.get("plans", ":id", "measures", ":measure") { req async throws -> HTMLNode in
            let (plan, row) = try await measure(req)
            return PlansView.measure(plan, row, canChange: plan.canChange(try req.user), try req.pageContext())
        }
        routes.post("plans", ":id", "measures", ":measure", use: saveMeasure)
    }

    func measure(_ req: Request) async throws -> (PlanModel, RoadmapRow) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        let measureID = try req.intParameter("measure")
        guard let model = try await MeasureModel.find(measureID, on: req.db), model.programmeID == plan.id else {
            throw Abort(.notFound, reason: "Мероприятие не найдено")
        }
        return (plan, RoadmapRow.rows([MeasureRow(model)], period: plan.period, today: .today())[0])
    }

    // MARK: measures

    /// The repository's fields under the form's inputs.
    static let measureInputs = ["Дата выполнения": "done_on", "Назначенная дата": "dated_on", "Подтверждение": "evidence",
                                "Комментарий": "comment", "Статус": "status"]

    @Sendable func saveMeasure(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        let (_, row) = try await measure(req)
        var check = FormCheck(req.formValues(), today: req.today)
        let status = check.choice("status", MeasureStatus.self)
        let doneOn = check.day("done_on", expect: .happened)
        let datedOn = check.day("dated_on", expect: .any)
        let evidence = check.text("evidence", limit: 5_000), comment = check.text("comment", limit: 5_000)
        let echoAction = "/plans/\(plan.id!)/measures/\(row.id)"
        func page(_ message: String?, _ code: HTTPStatus) async throws -> Response {
            try await PlansView.measure(plan, row, canChange: true, echo: check.echo(action: echoAction, message: message),
                try req.pageContext())
                .encodeResponse(status: code, for: req)
        }
        guard check.passed, let status else { return try await page(nil, .unprocessableEntity) }
        do {
            let update = PlanRepository.MeasureUpdate(status: status, doneOn: doneOn, datedOn: datedOn, evidence: evidence,
                comment: comment)
            try await PlanRepository(db: req.db).updateMeasure(row.id, programme: plan, expectedVersion: Int(check["version"] ?? "") ?? 0,
                                                               update, actor: user.actor)
            return req.redirect(to: "/plans/\(plan.id!)/roadmap#m\(row.id)", flash: .success,
                "Мероприятие № \(row.measure.number) сохранено")
        } catch let error as RepositoryError {
            // What was typed stays on the page; a stale form is a conflict, not a silent overwrite.
            let message = check.absorb(error, inputs: Self.measureInputs)
            return try await page(message.map { "Не сохранено: " + $0 },
                                  error == .conflict(entity: MeasureModel.schema) ? .conflict : .unprocessableEntity)
        }
    }

    // MARK: exports

    func exportRows(_ req: Request) async throws -> (PlanModel, [RoadmapRow]) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        return (plan, RoadmapRow.rows(try await PlanRepository(db: req.db).measures(plan.id!), period: plan.period, today: .today()))
    }

    @Sendable func exportXLSX(_ req: Request) async throws -> Response {
        let (plan, rows) = try await exportRows(req)
        return try TableExport.response(RoadmapDocument.sheet(rows), format: .xlsx, name: TableExport.fileName(["roadmap", plan.code]),
            sheet: "Дорожная карта")
    }

    @Sendable func exportDOCX(_ req: Request) async throws -> Response {
        let (plan, rows) = try await exportRows(req)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
        headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["roadmap", plan.code]) + ".docx")
        let signature = try await req.signature(issuer: try await req.reportBuilder.issuer(of: plan))
        let document = RoadmapDocument.word(plan, rows: rows, today: req.today, signature: signature)
        return Response(status: .ok, headers: headers, body: .init(data: try document.data()))
    }
}
