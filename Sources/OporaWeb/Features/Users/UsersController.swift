import Fluent
import OporaData
import OporaDomain
import Vapor

struct UsersController {
    let bcryptCost: Int

    func register(_ routes: any RoutesBuilder) {
        routes.get("users", use: show)
        routes.post("users", use: create)
        routes.post("users", ":login", "deactivate") { try await setActive($0, false) }
        routes.post("users", ":login", "activate") { try await setActive($0, true) }
    }

    func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let user = try req.require(\.canManageUsers)
        guard let login = req.parameters.get("login") else { throw Abort(.notFound) }
        do {
            try await AccountService.setActive(login: login, active: active, by: user.actor, grantorScope: user.scope, on: req.db)
            return req.redirect(to: "/users", flash: .success, active ? "Пользователь \(login) снова может входить"
                                : "Пользователь \(login) отключён: его сеансы завершены, токены не действуют")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            // A button-only form: the reason comes back next to that user's button, the list as it was.
            let check = FormCheck([:], today: req.today)
            return try await refused(req, check.echo(action: UsersView.accessAction(login, active: active), message: error.description))
        }
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        UsersView.page(try await UsersModel.build(req), try req.pageContext())
    }

    struct Form: Content {
        var login: String?; var full_name: String?; var password: String?; var role: String?
        var region_id: String?; var municipality_id: String?; var school_ids: [Int]?; var email: String?
    }

    /// A new user; a refusal comes back with every value as typed except the password, each problem beside its field.
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageUsers)
        let form = try req.content.decode(Form.self)
        let schoolIDs = form.school_ids ?? []
        let typed = ["login": form.login ?? "", "full_name": form.full_name ?? "", "email": form.email ?? "", "role": form.role ?? "",
                     "region_id": form.region_id ?? "", "municipality_id": form.municipality_id ?? "",
                     "school_ids": schoolIDs.map(String.init).joined(separator: ",")]
        var check = FormCheck(typed, today: req.today)
        let role = check.choice("role", Role.self)
        if user.role != .regionalAnalyst && role == .regionalAnalyst {
            check.refuse("role", "Роль регионального аналитика может выдать только региональный аналитик")
        }
        let regionID = check.record("region_id", "Выберите регион", required: false)
        let municipalityID = check.record("municipality_id", "Выберите муниципалитет", required: false)
        if (form.password ?? "").isEmpty { check.refuse("password", "Заполните поле") }
        let action = UsersView.newAction
        guard check.passed, let role else { return try await refused(req, check.echo(action: action)) }
        let new = AccountService.NewUser(login: form.login ?? "", fullName: form.full_name ?? "", password: form.password ?? "", role: role,
                                         regionID: regionID, municipalityID: municipalityID, schoolIDs: schoolIDs, email: form.email)
        do {
            try await AccountService.createUser(new, by: user.actor, grantorScope: user.scope, bcryptCost: bcryptCost, on: req.db)
            return req.redirect(to: "/users", flash: .success, "Пользователь \(new.login) добавлен")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Логин": "login", "Пароль": "password", "ФИО": "full_name",
                                                       "Электронная почта": "email", "Муниципалитет": "municipality_id",
                                                       "Школы": "school_ids", "Область доступа": "role"])
            return try await refused(req, check.echo(action: action, message: message))
        }
    }

    /// The page again with the refused form: 422.
    func refused(_ req: Request, _ echo: FormEcho) async throws -> Response {
        var model = try await UsersModel.build(req)
        model.echo = echo
        return try await UsersView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }
}
