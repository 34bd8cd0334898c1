import Fluent
import OporaData
import OporaDomain
import Vapor

struct AccountController {
    let bcryptCost: Int

    func register(_ routes: any RoutesBuilder) {
        routes.get("account", use: show)
        routes.post("account", "sign-out-everywhere", use: signOutEverywhere)
        routes.post("account", "password", use: changePassword)
        routes.post("account", "phone", use: changePhone)
        routes.post("account", "mail", use: changeMail)
        routes.post("account", "tokens", use: issueToken)
        routes.post("account", "tokens", ":id", "revoke", use: revokeToken)
    }

    @Sendable func show(_ req: Request) async throws -> HTMLNode {
        AccountView.page(try await AccountModel.build(req), try req.pageContext())
    }

    @Sendable func signOutEverywhere(_ req: Request) async throws -> Response {
        let user = try req.user
        try await SessionStore(db: req.db).deleteAll(userID: user.id)
        try await AuditLog.record(on: req.db, actor: user.actor, action: "update", entity: "user", entityID: user.id,
                                  summary: "\(user.login) вышел на всех устройствах", place: try await AccountService.place(ofLogin: user.login, on: req.db))
        req.auth.logout(CurrentUser.self)
        req.signOut()
        return req.redirect(to: "/login")
    }

    struct PasswordForm: Content { var current: String?; var password: String?; var `repeat`: String? }

    @Sendable func changePassword(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode(PasswordForm.self)
        guard let stored = try await UserModel.find(user.id, on: req.db), let current = form.current, current.utf8.count <= 1_024,
              try await req.application.threadPool.runIfActive({ try Bcrypt.verify(current, created: stored.passwordHash) }) else {
            return req.redirect(to: "/account", flash: .error, "Текущий пароль неверен")
        }
        guard let password = form.password, password == form.repeat else {
            return req.redirect(to: "/account", flash: .error, "Новые пароли не совпадают")
        }
        do {
            try await AccountService.setPassword(login: user.login, password: password, by: user.actor, bcryptCost: bcryptCost, on: req.db)
        } catch let error as RepositoryError {
            return req.redirect(to: "/account", flash: .error, error.description)
        }
        // Every session ended with the change; this browser gets a new one.
        req.signIn(userID: user.id)
        return req.redirect(to: "/account")
    }

    struct PhoneForm: Content { var phone: String? }

    /// The user's own phone: documents they download print it with their name as the executor.
    @Sendable func changePhone(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode(PhoneForm.self)
        do {
            try await AccountService.setPhone(login: user.login, phone: String((form.phone ?? "").prefix(200)), by: user.actor, on: req.db)
        } catch let error as RepositoryError {
            return req.redirect(to: "/account", flash: .error, error.description)
        }
        return req.redirect(to: "/account", flash: .success, "Телефон сохранён")
    }

    struct MailForm: Content { var email: String?; var events: [String]? }

    /// The address and which messages come; an event left unticked is turned off.
    @Sendable func changeMail(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode(MailForm.self)
        let wanted = Set((form.events ?? []).compactMap(NotificationEvent.init(rawValue:)))
        let offered = NotificationEvent.allCases.filter { $0.audience.contains(user.role) }
        do {
            try await MailPreferences(db: req.db).setAddress(userID: user.id, String((form.email ?? "").prefix(300)), actor: user.actor)
            try await MailPreferences(db: req.db).save(userID: user.id, disabled: Set(offered.filter { !wanted.contains($0) }))
        } catch let error as RepositoryError {
            return req.redirect(to: "/account", flash: .error, error.description)
        }
        return req.redirect(to: "/account", flash: .success, "Настройки писем сохранены")
    }

    struct TokenForm: Content { var name: String? }

    @Sendable func issueToken(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode(TokenForm.self)
        do {
            let token = try await AccountService.issueToken(forLogin: user.login, name: form.name ?? "", by: user.actor, on: req.db)
            // Shown in this response only, never stored in plain text or put in a redirect.
            return try await AccountView.page(try await AccountModel.build(req, newToken: token), try req.pageContext()).encodeResponse(for: req)
        } catch let error as RepositoryError {
            return req.redirect(to: "/account", flash: .error, error.description)
        }
    }

    @Sendable func revokeToken(_ req: Request) async throws -> Response {
        let user = try req.user
        try await AccountService.revokeToken(id: try req.intParameter("id"), ofLogin: user.login, by: user.actor, on: req.db)
        return req.redirect(to: "/account", flash: .success, "Токен отозван")
    }
}
