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
                                  summary: "\(user.login) вышел на всех устройствах",
                                  place: try await AccountService.place(ofLogin: user.login, on: req.db))
        req.auth.logout(CurrentUser.self)
        req.signOut()
        return req.redirect(to: "/login")
    }

    /// The page again with a refused form: 422, each problem beside its field, passwords never echoed.
    func refused(_ req: Request, _ echo: FormEcho) async throws -> Response {
        var model = try await AccountModel.build(req)
        model.echo = echo
        return try await AccountView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }

    struct PasswordForm: Content { var current: String?; var password: String?; var `repeat`: String? }

    @Sendable func changePassword(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode(PasswordForm.self)
        // Nothing typed here is ever sent back: the check sees only which fields are wrong.
        var check = FormCheck([:], today: req.today)
        let action = AccountView.passwordAction
        guard let stored = try await UserModel.find(user.id, on: req.db), let current = form.current, current.utf8.count <= 1_024,
              try await req.application.threadPool.runIfActive({ try Bcrypt.verify(current, created: stored.passwordHash) }) else {
            check.refuse("current", "Текущий пароль неверен")
            return try await refused(req, check.echo(action: action))
        }
        guard let password = form.password, !password.isEmpty else {
            check.refuse("password", "Заполните поле")
            return try await refused(req, check.echo(action: action))
        }
        guard password == form.repeat else {
            check.refuse("repeat", "Не совпадает с новым паролем: введите его ещё раз")
            return try await refused(req, check.echo(action: action))
        }
        do {
            try await AccountService.setPassword(login: user.login, password: password, by: user.actor, bcryptCost: bcryptCost, on: req.db)
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: ["Пароль": "password"])
            return try await refused(req, check.echo(action: action, message: message))
        }
        // Every session ended with the change; this browser gets a new one.
        req.signIn(userID: user.id)
        return req.redirect(to: "/account", flash: .success, "Пароль изменён")
    }

    /// The user's own phone: documents they download print it with their name as the executor.
    @Sendable func changePhone(_ req: Request) async throws -> Response {
        let user = try req.user
        var check = FormCheck(req.formValues(), today: req.today)
        let phone = check.name("phone", limit: 200) ?? ""
        guard check.passed else { return try await refused(req, check.echo(action: AccountView.phoneAction)) }
        do {
            try await AccountService.setPhone(login: user.login, phone: phone, by: user.actor, on: req.db)
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: ["Телефон": "phone"])
            return try await refused(req, check.echo(action: AccountView.phoneAction, message: message))
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
        var check = FormCheck(["email": form.email ?? "", "events": (form.events ?? []).joined(separator: ",")], today: req.today)
        // The address is checked whole where it is stored (`MailPreferences`), so a line break in it is named as a bad
        // address, and one too long is refused rather than cut to something that might pass.
        let email = form.email ?? ""
        do {
            try await MailPreferences(db: req.db).setAddress(userID: user.id, email, actor: user.actor)
            try await MailPreferences(db: req.db).save(userID: user.id, disabled: Set(offered.filter { !wanted.contains($0) }))
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: ["Электронная почта": "email"])
            return try await refused(req, check.echo(action: AccountView.mailAction, message: message))
        }
        return req.redirect(to: "/account", flash: .success, "Настройки писем сохранены")
    }

    @Sendable func issueToken(_ req: Request) async throws -> Response {
        let user = try req.user
        var check = FormCheck(req.formValues(), today: req.today)
        let name = check.name("name", limit: 100, required: true)
        guard check.passed, let name else { return try await refused(req, check.echo(action: AccountView.tokenAction)) }
        do {
            let token = try await AccountService.issueToken(forLogin: user.login, name: name, by: user.actor, on: req.db)
            // Shown in this response only, never stored in plain text or put in a redirect.
            let model = try await AccountModel.build(req, newToken: token)
            return try await AccountView.page(model, try req.pageContext()).encodeResponse(for: req)
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: ["Назначение токена": "name"])
            return try await refused(req, check.echo(action: AccountView.tokenAction, message: message))
        }
    }

    @Sendable func revokeToken(_ req: Request) async throws -> Response {
        let user = try req.user
        try await AccountService.revokeToken(id: try req.intParameter("id"), ofLogin: user.login, by: user.actor, on: req.db)
        return req.redirect(to: "/account", flash: .success, "Токен отозван")
    }
}
