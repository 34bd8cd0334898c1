import Vapor

/// Synchroniser-token CSRF protection: each session has a random token, and every state-changing
/// request authenticated by the session cookie must echo it (form field `_csrf` or header `X-CSRF-Token`).
enum CSRF {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"

    static func token(for request: Request) -> String {
        if let existing = request.session.data["csrf"] { return existing }
        let token = [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        request.session.data["csrf"] = token
        return token
    }

    static func isValid(_ request: Request) -> Bool {
        guard request.hasSession, let expected = request.session.data["csrf"] else { return false }
        let supplied = request.headers.first(name: header) ?? (try? request.content.get(String.self, at: field))
        guard let supplied, supplied.utf8.count == expected.utf8.count else { return false }
        // Constant-time comparison.
        return zip(supplied.utf8, expected.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let byToken = request.auth.get(CurrentUser.self)?.viaToken == true
        if ![.GET, .HEAD, .OPTIONS].contains(request.method), !byToken, !CSRF.isValid(request) {
            throw Abort(.forbidden, reason: "Форма устарела или отправлена с чужого сайта (проверка CSRF). Обновите страницу и повторите.")
        }
        return try await next.respond(to: request)
    }
}
