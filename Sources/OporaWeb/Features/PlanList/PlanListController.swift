import Fluent
import OporaData
import OporaDomain
import Vapor

struct PlanListController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans") { req async throws -> HTMLNode in
            PlansView.list(try await PlansListModel.build(req), try req.pageContext())
        }
        routes.post("plans", use: create)
    }

    struct NewPlan: Content { var code: String?; var name: String?; var municipality: String?; var start: String?; var end: String?; var order_number: String?; var order_date: String? }

    /// The form becomes a `programmes` file, so the same checks, scope and audit apply as to an import.
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode(NewPlan.self)
        var territory = "", level = ProgrammeLevel.region
        if let text = form.municipality.cleaned {
            guard let id = Int(text), let municipality = try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == id).first() else {
                throw Abort(.notFound, reason: "Муниципалитет не найден")
            }
            territory = municipality.name
            level = .municipality
        } else if case .region(let id) = user.scope, let region = try await RegionModel.find(id, on: req.db) {
            territory = region.name
        }
        do {
            let bytes = PlansController.csv(["code", "name", "start", "end", "level", "territory", "order_number", "order_date"],
                                 [try FormInput.name(form.code, "Код программы", limit: 64) ?? "",
                                  try FormInput.name(form.name, "Наименование", limit: PassportLimits.name) ?? "",
                                  form.start.cleaned ?? "", form.end.cleaned ?? "", level.rawValue, territory,
                                  try FormInput.name(form.order_number, "Номер приказа", limit: PassportLimits.orderNumber) ?? "",
                                  form.order_date.cleaned ?? ""])
            let parsed = try ImportParser.parse(.programmes, bytes: bytes, fileName: "форма", catalogues: .standard)
            guard case .programmes(let records) = parsed.content, let code = records.first?.code else { throw Abort(.badRequest) }
            if try await PlanRepository(db: req.db).programme(code: code) != nil {
                return req.redirect(to: "/plans", flash: .error, "Код программы: " + ProgrammeCode.taken(code))
            }
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope).write(parsed)
            guard let plan = try await PlanRepository(db: req.db).programme(code: code) else { throw Abort(.internalServerError) }
            return req.redirect(to: "/plans/\(plan.id!)", flash: .success, "Программа заведена")
        } catch let rejected as ImportRejected {
            return req.redirect(to: "/plans", flash: .error, PlansController.message(rejected))
        } catch let invalid as RepositoryError {
            return req.redirect(to: "/plans", flash: .error, invalid.description)
        }
    }
}
