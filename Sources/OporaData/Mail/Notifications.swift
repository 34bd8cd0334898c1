import FluentKit
import Foundation
import NIOConcurrencyHelpers
import OporaDomain

/// Where links in messages point (`OPORA_PUBLIC_URL`, `serve --public-url`): set once when the server starts.
public enum MailLinks {
    private static let box = NIOLockedValueBox("http://localhost:8080")

    public static var publicURL: String {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue.hasSuffix("/") ? String(newValue.dropLast()) : newValue } }
    }
}

/// Writes messages to the outbox, in the caller's transaction: a message exists exactly when its change was
/// committed. Recipients are the event's audience whose scope (the same rule as the pages') holds the item,
/// with an address, active, and not having turned the event off.
public enum Notifications {
    /// Users an event about `place` reaches.
    public static func recipients(_ event: NotificationEvent, place: SchoolPlace, on db: any Database,
                                  day: CalendarDay = .today()) async throws -> [UserModel] {
        try await candidates(event, on: db).asyncFilter { user in
            let (scope, _) = try await UserScopes.scope(of: user, on: db, day: day)
            return NotificationAudience.receives(event, role: user.roleValue, scope: scope, place: place)
        }
    }

    /// Active users of the event's roles with an address who have not turned it off.
    static func candidates(_ event: NotificationEvent, on db: any Database) async throws -> [UserModel] {
        let users = try await UserModel.query(on: db).filter(\.$isActive == true).filter(\.$email != nil)
            .filter(\.$role ~~ event.audience.map(\.rawValue)).sort(\.$id).all()
        let off = try await MailPreferenceModel.query(on: db).all()
            .filter { $0.disabledEvents.contains(event) }.map(\.userID)
        return users.filter { !off.contains($0.id!) && !($0.email ?? "").isEmpty }
    }

    /// A programme returned, submitted or approved: to the school (returned, approved) or its reviewers (submitted).
    public static func programme(_ event: NotificationEvent, _ programme: SchoolProgrammeModel, actor: Actor,
                                 on tx: any Database) async throws {
        guard let place = try await ScopeQueries.place(ofSchool: programme.$school.id, on: tx),
              let school = try await SchoolModel.find(programme.$school.id, on: tx) else { return }
        let actorName = try await displayName(actor, on: tx)
        let path = "/programmes/\(programme.id!)"
        for user in try await recipients(event, place: place, on: tx) {
            let content = NotificationText.programme(event, title: programme.title, school: school.displayName, actor: actorName,
                                                     link: MailLinks.publicURL + path)
            try await write(event, to: user, content: content, dedupe: nil, on: tx)
        }
    }

    /// A curator assigned to a school: to the curator and to the school's directors.
    public static func curatorAssigned(curator: UserModel, school: SchoolModel, from: CalendarDay, on tx: any Database) async throws {
        guard let place = try await ScopeQueries.place(ofSchool: school.id!, on: tx) else { return }
        let content = NotificationText.curatorAssigned(curator: curator.fullName, school: school.displayName, from: from,
                                                       link: MailLinks.publicURL + "/schools/\(school.id!)")
        var users = try await recipients(.curatorAssigned, place: place, on: tx).filter { $0.roleValue == .schoolAdmin }
        // The curator holds the school from `from` on, which may be tomorrow: it is told now, by name.
        if try await candidates(.curatorAssigned, on: tx).contains(where: { $0.id == curator.id }) { users.append(curator) }
        for user in users { try await write(.curatorAssigned, to: user, content: content, dedupe: nil, on: tx) }
    }

    /// A mentor pair assigned: to the supported school's directors and curators, and to the mentor school's.
    public static func mentorPairAssigned(mentor: SchoolModel, supported: SchoolModel, years: ClosedRange<Int>,
                                          on tx: any Database) async throws {
        let content = NotificationText.mentorPairAssigned(mentor: mentor.displayName, supported: supported.displayName, years: years,
                                                          link: MailLinks.publicURL + "/schools/\(supported.id!)/support")
        var told: Set<Int> = []
        for school in [supported, mentor] {
            guard let place = try await ScopeQueries.place(ofSchool: school.id!, on: tx) else { continue }
            for user in try await recipients(.mentorPairAssigned, place: place, on: tx) where told.insert(user.id!).inserted {
                try await write(.mentorPairAssigned, to: user, content: content, dedupe: nil, on: tx)
            }
        }
    }

    /// Queues one message with its footer and one-use unsubscribe link; nothing when `dedupe` was queued before.
    @discardableResult
    public static func write(_ event: NotificationEvent, to user: UserModel, content: NotificationText.Content, dedupe: String?,
                             on tx: any Database, now: Date = Date()) async throws -> Bool {
        guard let address = user.email, MailAddress.isValid(address) else { return false }
        if let dedupe, try await MailOutboxModel.query(on: tx).filter(\.$dedupeKey == dedupe).count() > 0 { return false }
        let token = MailTokens.make()
        let unsubscribe = MailLinks.publicURL + "/unsubscribe/\(token)"
        let stored = MailUnsubscribeTokenModel()
        stored.userID = user.id!
        stored.event = event.rawValue
        stored.tokenHash = MailTokens.hash(token)
        stored.createdAt = now
        try await stored.create(on: tx)
        let full = NotificationText.withFooter(content, settings: MailLinks.publicURL + "/account", unsubscribe: unsubscribe)
        let message = MailOutboxModel()
        message.userID = user.id!
        message.recipient = address
        message.event = event.rawValue
        message.subject = full.subject
        message.body = full.body
        message.dedupeKey = dedupe
        message.unsubscribeURL = unsubscribe
        message.createdAt = now
        message.attempts = 0
        message.nextAttemptAt = now
        try await message.create(on: tx)
        return true
    }

    static func displayName(_ actor: Actor, on db: any Database) async throws -> String {
        guard let id = actor.userID, let user = try await UserModel.find(id, on: db) else { return actor.login }
        return DocumentSignature.personName(fullName: user.fullName, login: user.login) ?? user.fullName
    }
}

/// One-use tokens of the unsubscribe links: 32 random bytes shown once, their SHA-256 kept.
public enum MailTokens {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    public static func hash(_ token: String) -> String { SHA256Digest.hex(of: Array(token.utf8)) }
}

extension Array where Element: Sendable {
    func asyncFilter(_ keep: (Element) async throws -> Bool) async rethrows -> [Element] {
        var kept: [Element] = []
        for element in self where try await keep(element) { kept.append(element) }
        return kept
    }
}
