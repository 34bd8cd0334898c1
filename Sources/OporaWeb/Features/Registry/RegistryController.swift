import Fluent
import OporaData
import OporaDomain
import Vapor

struct RegistryController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("municipalities", use: municipalities)
        routes.post("municipalities", use: createMunicipality)
        routes.post("municipalities", ":id", use: renameMunicipality)
        routes.get("regions", use: regions)
        routes.post("regions", use: createRegion)
        routes.post("regions", ":id", use: renameRegion)
        routes.get("years", use: years)
        routes.post("years", use: createYear)
        routes.get("catalogues", use: catalogues)
        routes.post("catalogues", "subjects", use: createSubject)
        routes.post("catalogues", "subjects", ":id", use: updateSubject)
        routes.post("catalogues", "procedures", ":id", use: updateProcedure)
        routes.post("catalogues", "risk-factors", ":number", use: renameRiskFactor)
    }

    struct NameForm: Content { var name: String?; var version: Int?; var region_id: Int? }

    /// Runs a change and redirects back with a success message. A refused change (someone saved first, a value
    /// is invalid) re-renders the page with everything typed kept in the form: 409 on a conflict, else 422/404.
    func perform(_ req: Request, back: String, success: String, page: @escaping (FormEcho) async throws -> HTMLNode,
                 _ change: () async throws -> Void) async throws -> Response {
        do {
            try await change()
            return req.redirect(to: back, flash: .success, success)
        } catch let error as RepositoryError {
            let typed = req.formValues().filter { $0.key != CSRF.field }
            let status: HTTPStatus
            switch error {
            case .conflict: status = .conflict
            case .notFound: status = .notFound
            case .invalid, .duplicate: status = .unprocessableEntity
            }
            // The problem beside its field too, named by the label the form shows.
            var check = FormCheck(typed, today: req.today)
            let message = check.absorb(error, inputs: Self.inputs)
            return try await page(check.echo(action: req.url.path, message: message ?? error.description))
                .encodeResponse(status: status, for: req)
        }
    }

    func municipalitiesPage(_ req: Request) -> (FormEcho) async throws -> HTMLNode {
        { echo in
            var model = try await MunicipalitiesModel.build(req)
            model.echo = echo
            return RegistryView.municipalities(model, try req.pageContext())
        }
    }

    func regionsPage(_ req: Request) -> (FormEcho) async throws -> HTMLNode {
        { echo in
            var model = try await RegionsModel.build(req)
            model.echo = echo
            return RegistryView.regions(model, try req.pageContext())
        }
    }

    func cataloguesPage(_ req: Request) -> (FormEcho) async throws -> HTMLNode {
        { echo in
            var model = try await CataloguesModel.build(req)
            model.echo = echo
            return RegistryView.catalogues(model, try req.pageContext())
        }
    }

    func yearsPage(_ req: Request) -> (FormEcho) async throws -> HTMLNode {
        { echo in
            var model = try await YearsModel.build(req)
            model.echo = echo
            return RegistryView.years(model, try req.pageContext())
        }
    }

    /// The repository's field names (the labels the forms show) → the forms' inputs.
    static let inputs = ["Наименование": "name", "Код": "code", "Учебный год": "label", "Год начала": "label",
                         "Другие написания": "aliases", "Краткое название": "short_name"]

    @Sendable func municipalities(_ req: Request) async throws -> HTMLNode {
        let user = try req.user
        guard user.role.canManageMunicipalities || user.role == .municipalCoordinator else { throw Abort(.forbidden) }
        return RegistryView.municipalities(try await MunicipalitiesModel.build(req), try req.pageContext())
    }

    @Sendable func createMunicipality(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageMunicipalities)
        var check = FormCheck(req.formValues(), today: req.today)
        // No region chosen is a slip beside the chooser; a region outside the scope is refused outright.
        guard let regionID = check.record("region_id", "Выберите регион") else {
            _ = check.name("name", limit: 200, required: true)
            return try await municipalitiesPage(req)(check.echo(action: "/municipalities"))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard user.scope.containsRegion(id: regionID) else { throw Abort(.forbidden, reason: "Регион вне вашей области доступа") }
        let name = check["name"] ?? ""
        return try await perform(req, back: "/municipalities", success: "Муниципалитет добавлен", page: municipalitiesPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).createMunicipality(regionID: regionID, name: name)
        }
    }

    @Sendable func renameMunicipality(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageMunicipalities)
        let id = try req.intParameter("id")
        guard try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == id).first() != nil
            else { throw Abort(.notFound) }
        let form = try req.content.decode(NameForm.self)
        return try await perform(req, back: "/municipalities", success: "Сохранено", page: municipalitiesPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).renameMunicipality(id: id, expectedVersion: form.version ?? 0,
                                                                                           name: form.name ?? "")
        }
    }

    @Sendable func regions(_ req: Request) async throws -> HTMLNode {
        RegistryView.regions(try await RegionsModel.build(req), try req.pageContext())
    }

    @Sendable func createRegion(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageRegions)
        guard user.scope == .everything
            else { throw Abort(.forbidden, reason: "Создавать регионы может только аналитик без ограничения региона") }
        let form = try req.content.decode(NameForm.self)
        return try await perform(req, back: "/regions", success: "Регион добавлен", page: regionsPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).createRegion(name: form.name ?? "")
        }
    }

    @Sendable func renameRegion(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageRegions)
        let id = try req.intParameter("id")
        guard user.scope.containsRegion(id: id) else { throw Abort(.notFound) }
        let form = try req.content.decode(NameForm.self)
        return try await perform(req, back: "/regions", success: "Сохранено", page: regionsPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).renameRegion(id: id, expectedVersion: form.version ?? 0,
                                                                                     name: form.name ?? "")
        }
    }

    @Sendable func years(_ req: Request) async throws -> HTMLNode {
        RegistryView.years(try await YearsModel.build(req), try req.pageContext())
    }

    struct YearForm: Content { var label: String?; var current: String? }

    @Sendable func createYear(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let form = try req.content.decode(YearForm.self)
        guard let label = AcademicYearLabel(parsing: form.label ?? "") else {
            var check = FormCheck(req.formValues(), today: req.today)
            check.refuse("label", (form.label ?? "").isEmpty ? "Заполните поле" : "Ожидается запись вида 2025/26")
            return try await yearsPage(req)(check.echo(action: "/years")).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return try await perform(req, back: "/years", success: "Учебный год \(label.label) добавлен", page: yearsPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).createAcademicYear(startYear: label.startYear,
                                                                                           isCurrent: form.current != nil)
        }
    }

    @Sendable func catalogues(_ req: Request) async throws -> HTMLNode {
        RegistryView.catalogues(try await CataloguesModel.build(req), try req.pageContext())
    }

    struct SubjectForm: Content { var code: String?; var name: String?; var aliases: String?; var version: Int? }

    static func aliases(_ text: String?) -> [String] {
        (text ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Sendable func createSubject(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let form = try req.content.decode(SubjectForm.self)
        return try await perform(req, back: "/catalogues", success: "Предмет добавлен", page: cataloguesPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).createSubject(code: form.code ?? "", name: form.name ?? "",
                                                                                      aliases: Self.aliases(form.aliases))
        }
    }

    @Sendable func updateSubject(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let id = try req.intParameter("id")
        let form = try req.content.decode(SubjectForm.self)
        return try await perform(req, back: "/catalogues", success: "Сохранено", page: cataloguesPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).updateSubject(id: id, expectedVersion: form.version ?? 0,
                                                                                      name: form.name ?? "",
                                                                                          aliases: Self.aliases(form.aliases))
        }
    }

    struct RiskFactorForm: Content { var name: String?; var version: Int? }

    @Sendable func renameRiskFactor(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let number = try req.intParameter("number")
        guard RiskFactor.numbers.contains(number) else { throw Abort(.notFound) }
        let form = try req.content.decode(RiskFactorForm.self)
        return try await perform(req, back: "/catalogues", success: "Сохранено", page: cataloguesPage(req)) {
            try await RiskRepository(db: req.db).renameFactor(number, expectedVersion: form.version ?? 0, name: form.name ?? "",
                                                              actor: user.actor)
        }
    }

    struct ProcedureForm: Content { var short_name: String?; var name: String?; var version: Int? }

    @Sendable func updateProcedure(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let id = try req.intParameter("id")
        let form = try req.content.decode(ProcedureForm.self)
        return try await perform(req, back: "/catalogues", success: "Сохранено", page: cataloguesPage(req)) {
            try await RegistryRepository(db: req.db, actor: user.actor).updateProcedure(id: id, expectedVersion: form.version ?? 0,
                                                                                        shortName: form.short_name ?? "",
                                                                                            name: form.name ?? "")
        }
    }
}
