import Fluent
import OporaData
import OporaDomain
import Vapor

/// The signed-in user's own page: their sessions, their API tokens, their password.
struct AccountModel {
    struct Session { let isCurrent: Bool; let createdAt: Date; let lastSeenAt: Date; let device: String; let address: String }
    struct Token { let id: Int; let name: String; let createdAt: Date?; let lastUsedAt: Date? }

    let user: CurrentUser
    let sessions: [Session]
    let tokens: [Token]
    /// The work phone printed beside the user's name as a document's executor.
    let phone: String?
    /// A token just issued: shown this once.
    let newToken: String?
    /// Where notifications go, and the events the user turned off (V045, V046).
    var email: String? = nil
    var mailDisabled: Set<NotificationEvent> = []
    /// A refused form of this page, shown again as typed (passwords never).
    var echo: FormEcho?

    static func build(_ req: Request, newToken: String? = nil) async throws -> AccountModel {
        let user = try req.user
        let sessions = try await SessionStore(db: req.db).sessions(userID: user.id).map { stored in
            Session(isCurrent: stored.id == req.sessionState?.id, createdAt: stored.createdAt, lastSeenAt: stored.lastSeenAt,
                    device: stored.userAgent.map(Self.device) ?? "—", address: stored.address ?? "—")
        }
        let tokens = try await AccountService.tokens(ofLogin: user.login, on: req.db).map {
            Token(id: $0.id!, name: $0.name, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt)
        }
        let stored = try await UserModel.find(user.id, on: req.db)
        return AccountModel(user: user, sessions: sessions, tokens: tokens, phone: stored?.phone, newToken: newToken,
                            email: stored?.email, mailDisabled: try await MailPreferences(db: req.db).disabled(userID: user.id))
    }

    /// "Chrome, Linux" from a user agent: enough to recognise one's own devices.
    static func device(_ agent: String) -> String {
        let browsers = [("Edg/", "Edge"), ("YaBrowser", "Яндекс Браузер"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
                        ("Safari/", "Safari")]
        let systems = [("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("Mac OS", "macOS"), ("Linux", "Linux")]
        let browser = browsers.first { agent.contains($0.0) }?.1
        let system = systems.first { agent.contains($0.0) }?.1
        return [browser, system].compactMap { $0 }.joined(separator: ", ").nilIfEmpty ?? String(agent.prefix(40))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
