import Fluent
import OporaData
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
        let next = (try? req.query.get(String.self, at: "next")) ?? "/"
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
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeRedirect(form.next)
        let keys = ["login:" + login, "ip:" + (req.remoteAddress?.ipAddress ?? "?")]

        func fail(_ status: HTTPStatus, _ message: String) async throws -> Response {
            try await LoginView(model: .init(message: message, login: login, next: next, csrf: CSRF.token(for: req))).render()
                .encodeResponse(status: status, for: req)
        }

        if let wait = await throttle.retryAfter(keys: keys) {
            req.logger.warning("login throttled", metadata: ["login": .string(login)])
            let minutes = max(1, Int((wait / 60).rounded(.up)))
            let response = try await fail(.tooManyRequests, "Слишком много неудачных попыток входа. Повторите через \(minutes) мин.")
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        guard let user = try await UserModel.query(on: req.db).filter(\.$login == login).first(), user.isActive,
              let password = form.password,
              try await req.application.threadPool.runIfActive({ try Bcrypt.verify(password, created: user.passwordHash) })
        else {
            await throttle.recordFailure(keys: keys)
            req.logger.notice("login failed", metadata: ["login": .string(login)])
            return try await fail(.unauthorized, "Неверный логин или пароль.")
        }
        await throttle.recordSuccess(keys: keys)
        // A fresh session id on login prevents session fixation.
        // (the middleware then stores the data under a new id and cookie).
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["uid"] = String(user.id!)
        _ = CSRF.token(for: req)
        req.logger.info("login", metadata: ["login": .string(login)])
        return req.redirect(to: next)
    }

    @Sendable func logout(_ req: Request) async throws -> Response {
        req.auth.logout(CurrentUser.self)
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    /// Only local paths: an open redirect to another site after login would help phishing.
    static func safeRedirect(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}
