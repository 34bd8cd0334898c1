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
                headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["indicators", plan.code]) + "." + format.rawValue)
                let document = try await req.signed(try await req.reportBuilder.indicatorReport(plan))
                return Response(status: .ok, headers: headers, body: .init(data: try format.write(document)))
            }
        }
    }

    // MARK: indicator values

    @Sendable func saveValue(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        let form = try req.content.decode([String: String].self)
        let back = "/plans/\(plan.id!)/indicators"
        let columns = ["indicator", "year", "phase", "value", "target", "presence", "dynamics", "documentation", "comment"]
        let bytes = PlansController.csv(["programme"] + columns, [plan.code] + columns.map { form[$0].cleaned ?? "" })
        do {
            let parsed = try ImportParser.parse(.indicatorValues, bytes: bytes, fileName: "форма", catalogues: .standard)
            guard case .indicatorValues(let records) = parsed.content else { throw Abort(.badRequest) }
            _ = try await PlanImporter(db: req.db, actor: user.actor, scope: user.scope, role: user.role).writeValues(records, fileName: "форма")
            return req.redirect(to: back, flash: .success, "Значение сохранено")
        } catch let rejected as ImportRejected {
            return req.redirect(to: back, flash: .error, PlansController.message(rejected))
        }
    }
}
