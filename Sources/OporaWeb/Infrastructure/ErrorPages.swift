import OporaData
import OporaDomain
import Vapor

/// Turns every error into a clear answer — JSON for the API, a Russian page for the browser — and never crashes.
struct FriendlyErrorMiddleware: AsyncMiddleware {
    struct ErrorBody: Content { let error: Bool; let reason: String }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, reason) = Self.describe(error)
            if status == .internalServerError {
                request.logger.report(error: error)
            }
            if request.prefersJSON {
                let response = try await ErrorBody(error: true, reason: reason).encodeResponse(status: status, for: request)
                return response
            }
            let context = PageContext(user: request.auth.get(CurrentUser.self), csrf: request.sessionState?.csrf ?? "")
            let page = Layout.page("Ошибка", context, active: .home) {
                el("h1") { Self.title(status) }
                el("p") { reason }
                el("p") { el("a", .href("/")) { "На главную" } }
            }
            return try await page.encodeResponse(status: status, for: request)
        }
    }

    static func describe(_ error: any Error) -> (HTTPStatus, String) {
        switch error {
        case let abort as any AbortError:
            let reason =
                abort.status == .notFound && abort.reason == HTTPStatus.notFound.reasonPhrase ? "Страница не найдена" : abort.reason
            return (abort.status, reason)
        case let repository as RepositoryError:
            switch repository {
            case .conflict: return (.conflict, repository.description)
            case .notFound: return (.notFound, repository.description)
            case .invalid, .duplicate: return (.unprocessableEntity, repository.description)
            }
        case let decoding as DecodingError:
            return (.badRequest, "Неверные данные запроса: \(decoding.localizedDescription)")
        case let rejected as ImportRejected:
            return (.unprocessableEntity, rejected.errors.prefix(5).map { "\($0.column): \($0.message)" }.joined(separator: "; "))
        case let criteria as CriteriaError:
            return (.unprocessableEntity, criteria.description)
        case let vanished as VanishedReference:
            return (.conflict, vanished.description)
        default:
            return (
                .internalServerError, "Внутренняя ошибка сервера. Она записана в журнал; повторите попытку или обратитесь к администратору."
            )
        }
    }

    static func title(_ status: HTTPStatus) -> String {
        switch status.code {
        case 401: "Требуется вход"
        case 403: "Доступ запрещён"
        case 404: "Не найдено"
        case 409: "Конфликт изменений"
        case 422: "Данные не приняты"
        case 429: "Слишком много попыток"
        default: "Ошибка"
        }
    }
}

/// Conservative browser security headers for every response.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
        if response.headers.cacheControl == nil { response.headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
        return response
    }
}
