import Fluent
import OporaData
import OporaDomain
import Vapor

struct LoginController {
    let throttle: LoginThrottle

    func register(_ routes: any RoutesBuilder) {
        routes.get("login", use: show)
        routes.post("login", use: submit)
        routes.post("logout", use: logout)
    }

    @Sendable func show(_ req: Request) async throws -> Response {
        if req.auth.has(CurrentUser.self) { return req.redirect(to: "/") }
        let next = Self.safeRedirect(try? req.queryText("next", maxLength: 2_000))
        return try await LoginView(model: .init(message: nil, login: "", next: next, csrf: CSRF.token(for: req))).render()
            .encodeResponse(for: req)
    }

    struct Form: Content {
        var login: String?
        var password: String?
        var next: String?
    }

    @Sendable func submit(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let login = String((form.login ?? "").trimmingCharacters(in: .whitespaces).lowercased().prefix(64))
        let next = Self.safeRedirect(form.next)

        func fail(_ status: HTTPStatus, _ message: String) async throws -> Response {
            try await LoginView(model: .init(message: message, login: login, next: next, csrf: CSRF.token(for: req))).render()
                .encodeResponse(status: status, for: req)
        }

        let (attempt, wait) = try await throttle.begin(login: login, address: req.clientAddress ?? "?", on: req.db)
        if let wait {
            req.logger.warning("login throttled", metadata: ["login": .string(login)])
            let minutes = max(1, Int((wait / 60).rounded(.up)))
            let response = try await fail(.tooManyRequests, "Слишком много неудачных попыток входа. Повторите через \(minutes) мин.")
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        let verified: UserModel?
        do {
            verified = try await verifiedUser(login: login, password: form.password, on: req)
        } catch {
            try? await LoginAttempts(db: req.db).remove(attempt: attempt.id)
            throw error
        }
        guard let user = verified else {
            try await throttle.failed(attempt, on: req.db)
            req.logger.notice("login failed", metadata: ["login": .string(login)])
            return try await fail(.unauthorized, "Неверный логин или пароль.")
        }
        try await throttle.succeeded(attempt, on: req.db)
        req.signIn(userID: user.id!)
        req.logger.info("login", metadata: ["login": .string(login)])
        return req.redirect(to: next)
    }

    /// The active account whose password this is, or nil.
    func verifiedUser(login: String, password: String?, on req: Request) async throws -> UserModel? {
        guard let user = try await UserModel.query(on: req.db).filter(\.$login == login).first(), user.isActive,
              let password, password.utf8.count <= 1_024 else { return nil }
        let hash = user.passwordHash
        return try await req.application.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) } ? user : nil
    }

    @Sendable func logout(_ req: Request) async throws -> Response {
        req.auth.logout(CurrentUser.self)
        req.signOut()
        return req.redirect(to: "/login")
    }

    /// Only local paths: an open redirect to another site after login would help phishing.
    static func safeRedirect(_ next: String?) -> String {
        SafeRedirect.path(next) ?? "/"
    }
}
