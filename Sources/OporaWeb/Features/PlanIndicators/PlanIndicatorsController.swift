import Fluent
import OporaData
import OporaDomain
import Vapor

struct PlanIndicatorsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans", ":id", "indicators") { req async throws -> HTMLNode in
            PlansView.indicators(try await IndicatorsPageModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("plans", ":id", "values", use: saveValue)
        for format in [ReportFormat.docx, .xlsx] {
            routes.get("plans", ":id", "indicators", "export.\(format.rawValue)") { req async throws -> Response in
                let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
                var headers = HTTPHeaders()
                headers.contentType = HTTPMediaType(type: format.mediaType.type, subType: format.mediaType.subType)
                headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["indicators",
                    plan.code]) + "." + format.rawValue)
                let document = try await req.signed(try await req.reportBuilder.indicatorReport(plan))
                return Response(status: .ok, headers: headers, body: .init(data: try format.write(document)))
            }
        }
    }

    // MARK: indicator values

    /// The inputs of the form under the columns of an `indicator_values` file.
    static let inputs = ["indicator": "indicator", "year": "year", "phase": "phase", "value": "value", "target": "target",
                         "presence": "presence", "dynamics": "dynamics", "documentation": "documentation", "comment": "comment"]

    /// The form becomes an `indicator_values` line, so the same checks and audit apply as to an import; a refused
    /// value comes back with what was typed and each problem beside its field.
    @Sendable func saveValue(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        var check = FormCheck(req.formValues(), today: req.today)
        let codes = Set(try await PlanRepository(db: req.db).indicators(plan.id!).map(\.code))
        if let indicator = check.required("indicator"), !codes.contains(indicator) {
            check.refuse("indicator", "Выберите показатель из списка")
        }
        let year = check.integer("year", in: InputRange.year, required: true)
        // The form offers the final phase; a client that sends none means it too.
        let phase = check.choice("phase", MonitoringPhase.self, required: false) ?? .final
        let value = check.decimal("value", in: -1_000_000_000...1_000_000_000, required: true)
        let target = check.decimal("target", in: -1_000_000_000...1_000_000_000)
        let points = [("presence", 0...2), ("dynamics", 0...3), ("documentation", 0...2)].map { input, range in
            check.integer(input, in: range)
        }
        let comment = check.text("comment", limit: 1000)
        guard check.passed, let year, let value else { return try await refused(req, plan, check) }
        func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        let cells = [check["indicator"] ?? "", String(year), phase.rawValue, number(value), number(target)]
            + points.map { $0.map(String.init) ?? "" } + [comment ?? ""]
        let columns = ["indicator", "year", "phase", "value", "target", "presence", "dynamics", "documentation", "comment"]
        let bytes = PlansController.csv(["programme"] + columns, [plan.code] + cells)
        do {
            let parsed = try ImportParser.parse(.indicatorValues, bytes: bytes, fileName: "форма", catalogues: .standard)
            guard case .indicatorValues(let records) = parsed.content else { throw Abort(.badRequest) }
            _ = try await PlanImporter(db: req.db, actor: user.actor, scope: user.scope, role: user.role)
                .writeValues(records, fileName: "форма")
            return req.redirect(to: "/plans/\(plan.id!)/indicators", flash: .success, "Значение сохранено")
        } catch let rejected as ImportRejected {
            return try await refused(req, plan, check, message: PlansController.absorb(rejected, into: &check, inputs: Self.inputs))
        }
    }

    func refused(_ req: Request, _ plan: PlanModel, _ check: FormCheck, message: String? = nil) async throws -> Response {
        try await PlansView.indicators(try await IndicatorsPageModel.build(req, id: plan.id!), try req.pageContext(),
                                       echo: check.echo(action: "/plans/\(plan.id!)/values", message: message))
            .encodeResponse(status: .unprocessableEntity, for: req)
    }
}
