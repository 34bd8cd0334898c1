import Fluent
import OporaData
import OporaDomain
import Vapor

/// The signed-in user as the request sees them: who, in which role, over which scope.
public struct CurrentUser: Authenticatable, Sendable {
    public let id: Int
    public let login: String
    public let fullName: String
    public let role: Role
    public let scope: AccessScope
    /// "Краснореченский муниципальный округ" or "Северная область" or "2 школы".
    public let scopeLabel: String
    /// Signed in by API token (no session, so no CSRF check is needed).
    public let viaToken: Bool

    public var actor: Actor { Actor(userID: id, login: login) }

    /// Subjects, procedures, academic years and thresholds are shared by every region: only an analyst of the
    /// whole installation (not bound to one region) changes them.
    public var managesSharedCatalogues: Bool { role.canManageCatalogues && scope == .everything }

    /// Reads the user's role and scope from the database.
    public static func load(_ user: UserModel, viaToken: Bool, on db: any Database,
                            day: CalendarDay = .today()) async throws -> CurrentUser {
        let (scope, label) = try await AccountService.scope(of: user, on: db, day: day)
        return CurrentUser(id: user.id!, login: user.login, fullName: user.fullName, role: user.roleValue,
                           scope: scope, scopeLabel: label, viaToken: viaToken)
    }
}

extension Request {
    /// The signed-in user; routes behind `RequireUserMiddleware` always have one.
    public var user: CurrentUser {
        get throws {
            guard let user = auth.get(CurrentUser.self) else { throw Abort(.unauthorized) }
            return user
        }
    }

    var isAPI: Bool { url.path.hasPrefix("/api/") || url.path == "/api" }

    /// The API, or a client that asked for JSON by name. A browser's `Accept: …, */*` matches JSON only through
    /// the wildcard (Vapor's media types compare wildcards as equal): a browser gets a page.
    var prefersJSON: Bool {
        if isAPI { return true }
        let named = headers.accept.map { "\($0.mediaType.type)/\($0.mediaType.subType)".lowercased() }
        return named.contains("application/json") && !named.contains("text/html")
    }
}

/// Loads the user from the session or from an `Authorization: Bearer` API token. A deactivated user, or a
/// revoked token, loads no one.
struct UserLoaderMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            let hash = AccountService.tokenHash(bearer.token)
            if let token = try await APITokenModel.query(on: request.db).filter(\.$tokenHash == hash).with(\.$user).first(),
               token.user.isActive {
                request.auth.login(try await CurrentUser.load(token.user, viaToken: true, on: request.db, day: request.today))
                if token.lastUsedAt.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
                    token.lastUsedAt = Date()
                    try await token.save(on: request.db)
                }
            }
        } else if let state = request.sessionState, let user = try await Self.user(state.userID, request) {
            request.auth.login(user)
        }
        return try await next.respond(to: request)
    }
}

extension UserLoaderMiddleware {
    /// The user of a session with their role and scope, kept until the data changes (a deactivation, a new
    /// scope or role is audited, so it changes the version) or the day does (a curator's assignment ends or starts
    /// at midnight with no write at all); nil for a user who is gone or deactivated.
    static func user(_ id: Int, _ request: Request) async throws -> CurrentUser? {
        let db = request.db
        let day = request.today
        return try await request.derived.cached(["current-user", id, day.iso]) { () -> CurrentUser? in
            guard let user = try await UserModel.find(id, on: db), user.isActive else { return nil }
            return try await CurrentUser.load(user, viaToken: false, on: db, day: day)
        }
    }
}

/// Without a user: 401, as JSON for the API and as the login page for HTML.
struct RequireUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(CurrentUser.self) else {
            if request.isAPI { throw Abort(.unauthorized, reason: "Требуется вход в систему или API-токен") }
            let next = request.method == .GET ? request.url.string : "/"
            let page = LoginView(model: .init(message: nil, login: "", next: next, csrf: CSRF.token(for: request))).render()
            return try await page.encodeResponse(status: .unauthorized, for: request)
        }
        return try await next.respond(to: request)
    }
}
