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

    /// The inputs of the form under the columns of a `programmes` file, for the import's own checks.
    static let inputs = ["code": "code", "name": "name", "start": "start", "end": "end", "level": "municipality",
                         "territory": "municipality", "order_number": "order_number", "order_date": "order_date"]

    /// The form becomes a `programmes` file, so the same checks, scope and audit apply as to an import; a refused
    /// form comes back with what was typed and each problem beside its field.
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        var check = FormCheck(req.formValues(), today: req.today)
        let code = check.name("code", limit: 64, required: true)
        let name = check.name("name", limit: PassportLimits.name, required: true)
        let start = PlansController.bound(&check, "start", start: true), end = PlansController.bound(&check, "end", start: false)
        if let start, let end, end < start { check.refuse("end", "Окончание раньше начала (\(start.russian))") }
        let orderNumber = check.name("order_number", limit: PassportLimits.orderNumber)
        let orderDate = check.day("order_date", expect: .any)
        var territory = "", level = ProgrammeLevel.region
        if let text = check["municipality"] {
            if let id = Int(text), let municipality = try await ScopeQueries.municipalities(user.scope, on: req.db)
                .filter(\.$id == id).first() {
                territory = municipality.name
                level = .municipality
            } else {
                check.refuse("municipality", "Выберите муниципалитет из списка")
            }
        } else if case .region(let id) = user.scope, let region = try await RegionModel.find(id, on: req.db) {
            territory = region.name
        } else {
            check.refuse("municipality", "Выберите муниципалитет: региональную программу заводит региональный координатор")
        }
        if let code, try await PlanRepository(db: req.db).programme(code: code) != nil {
            check.refuse("code", ProgrammeCode.taken(code))
        }
        guard check.passed, let code, let name, let start, let end else { return try await refused(req, check) }
        do {
            let bytes = PlansController.csv(["code", "name", "start", "end", "level", "territory", "order_number", "order_date"],
                                            [code, name, start.russian, end.russian, level.rawValue, territory, orderNumber ?? "",
                                             orderDate?.russian ?? ""])
            let parsed = try ImportParser.parse(.programmes, bytes: bytes, fileName: "форма", catalogues: .standard)
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope).write(parsed)
            guard let plan = try await PlanRepository(db: req.db).programme(code: code) else { throw Abort(.internalServerError) }
            return req.redirect(to: "/plans/\(plan.id!)", flash: .success, "Программа заведена")
        } catch let rejected as ImportRejected {
            return try await refused(req, check, message: PlansController.absorb(rejected, into: &check, inputs: Self.inputs))
        } catch let invalid as RepositoryError {
            let message = check.absorb(invalid, inputs: Self.inputs)
            return try await refused(req, check, message: message)
        }
    }

    func refused(_ req: Request, _ check: FormCheck, message: String? = nil) async throws -> Response {
        try await PlansView.list(try await PlansListModel.build(req), try req.pageContext(),
                                 echo: check.echo(action: PlansView.newPlanAction, message: message))
            .encodeResponse(status: .unprocessableEntity, for: req)
    }
}
