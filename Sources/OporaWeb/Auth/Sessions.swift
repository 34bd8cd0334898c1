import Crypto
import Foundation
import OporaData
import Vapor

/// The signed-in browser's session as a request sees it (nil before login).
final class SessionState: @unchecked Sendable {
    let id: String
    let userID: Int
    let csrf: String
    private let lock = NSLock()
    private var _flash: String?
    private(set) var flashChanged = false

    init(_ stored: StoredSession) {
        id = stored.id
        userID = stored.userID
        csrf = stored.csrf
        _flash = stored.flash
    }

    var flash: String? {
        get { lock.withLock { _flash } }
        set { lock.withLock { _flash = newValue; flashChanged = true } }
    }
}

/// What a request asked the session layer to do once the response is ready.
final class SessionChange: @unchecked Sendable {
    enum Action { case none, signIn(userID: Int), signOut }
    private let lock = NSLock()
    private var _action: Action = .none
    var action: Action {
        get { lock.withLock { _action } }
        set { lock.withLock { _action = newValue } }
    }
}

extension Request {
    private struct SessionStateKey: StorageKey { typealias Value = SessionState }
    private struct SessionChangeKey: StorageKey { typealias Value = SessionChange }

    var sessionState: SessionState? {
        get { storage[SessionStateKey.self] }
        set { storage[SessionStateKey.self] = newValue }
    }

    var sessionChange: SessionChange {
        if let existing = storage[SessionChangeKey.self] { return existing }
        let change = SessionChange()
        storage[SessionChangeKey.self] = change
        return change
    }

    /// Signs in: a new session id (never the one the browser had before, against fixation), set on the response.
    func signIn(userID: Int) { sessionChange.action = .signIn(userID: userID) }

    /// Signs this browser out (its session is deleted, the cookie cleared).
    func signOut() { sessionChange.action = .signOut }
}

/// Opora's own sessions: a random token in an HttpOnly cookie, its SHA-256 in `user_sessions`, with idle and
/// absolute expiry. Nothing is stored for anonymous visitors (the login form's CSRF token is a cookie).
struct SessionMiddleware: AsyncMiddleware {
    static let cookieName = "opora_session"
    let lifetime: SessionLifetime
    let secureCookies: Bool
    /// A session's `last_seen_at` is written at most this often (not on every request).
    static let touchInterval: TimeInterval = 60

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let store = SessionStore(db: request.db)
        let now = Date()
        var presented: String? = nil
        if let token = request.cookies[Self.cookieName]?.string, !token.isEmpty, token.utf8.count <= 128 {
            let id = Self.hash(token)
            presented = id
            if let stored = try await store.find(id) {
                if lifetime.isAlive(stored, at: now) {
                    request.sessionState = SessionState(stored)
                    if now.timeIntervalSince(stored.lastSeenAt) > Self.touchInterval { try await store.touch(id, at: now) }
                } else {
                    try await store.delete(id)
                }
            }
        }

        let response = try await next.respond(to: request)

        switch request.sessionChange.action {
        case .signIn(let userID):
            if let old = presented { try await store.delete(old) }
            // Now and then, sessions that expired without a logout are removed.
            if Int.random(in: 0..<50) == 0 { try await store.prune(lifetime: lifetime, now: now) }
            let token = [UInt8].random(count: 32).map { String(format: "%02x", $0) }.joined()
            let session = StoredSession(id: Self.hash(token), userID: userID, csrf: CSRF.newToken(), flash: request.sessionState?.flash,
                                        createdAt: now, lastSeenAt: now,
                                        userAgent: request.headers.first(name: .userAgent).map { String($0.prefix(200)) },
                                        address: request.clientAddress)
            try await store.create(session)
            response.cookies[Self.cookieName] = cookie(token)
        case .signOut:
            if let old = presented { try await store.delete(old) }
            response.cookies[Self.cookieName] = cookie("", expired: true)
        case .none:
            if let state = request.sessionState, state.flashChanged { try await store.setFlash(state.id, state.flash) }
            if presented != nil && request.sessionState == nil {
                // An expired or unknown session: the browser forgets it.
                response.cookies[Self.cookieName] = cookie("", expired: true)
            }
        }
        if let token = request.storage[CSRF.PendingCookieKey.self] {
            response.cookies[CSRF.cookie] = HTTPCookies.Value(
                string: token, expires: nil, maxAge: Int(lifetime.idle), domain: nil, path: "/",
                isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    func cookie(_ value: String, expired: Bool = false) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: expired ? Date(timeIntervalSince1970: 0) : nil, maxAge: expired ? 0 : Int(lifetime.absolute),
            domain: nil, path: "/", isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}
