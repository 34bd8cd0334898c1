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
            return req.redirect(to: "/users", flash: .success, active ? "Пользователь \(login) снова может входить" : "Пользователь \(login) отключён: его сеансы завершены, токены не действуют")
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            return req.redirect(to: "/users", flash: .error, error.description)
        }
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        UsersView.page(try await UsersModel.build(req), try req.pageContext())
    }

    struct Form: Content {
        var login: String?; var full_name: String?; var password: String?; var role: String?
        var region_id: String?; var municipality_id: String?; var school_ids: [Int]?; var email: String?
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageUsers)
        let form = try req.content.decode(Form.self)
        guard let role = Role(rawValue: form.role ?? "") else { return req.redirect(to: "/users", flash: .error, "Роль: выберите из списка") }
        if user.role != .regionalAnalyst && role == .regionalAnalyst {
            return req.redirect(to: "/users", flash: .error, "Роль регионального аналитика может выдать только региональный аналитик")
        }
        let new = AccountService.NewUser(login: form.login ?? "", fullName: form.full_name ?? "", password: form.password ?? "", role: role,
                                         regionID: form.region_id.cleaned.flatMap { Int($0) },
                                         municipalityID: form.municipality_id.cleaned.flatMap { Int($0) }, schoolIDs: form.school_ids ?? [],
                                         email: form.email)
        do {
            try await AccountService.createUser(new, by: user.actor, grantorScope: user.scope, bcryptCost: bcryptCost, on: req.db)
            return req.redirect(to: "/users", flash: .success, "Пользователь \(new.login) добавлен")
        } catch let error as RepositoryError {
            return req.redirect(to: "/users", flash: .error, error.description)
        }
    }
}
