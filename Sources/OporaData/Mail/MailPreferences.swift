import FluentKit
import SQLKit
import Foundation
import OporaDomain

/// A user's choice of messages (`/account`) and the one-click unsubscribe (`/unsubscribe/<token>`, no login).
public struct MailPreferences: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public func disabled(userID: Int) async throws -> Set<NotificationEvent> {
        try await MailPreferenceModel.query(on: db).filter(\.$userID == userID).first()?.disabledEvents ?? []
    }

    public func save(userID: Int, disabled: Set<NotificationEvent>, on db: (any Database)? = nil) async throws {
        let db = db ?? self.db
        let text = NotificationEvent.allCases.filter(disabled.contains).map(\.rawValue).joined(separator: ",")
        if let existing = try await MailPreferenceModel.query(on: db).filter(\.$userID == userID).first() {
            existing.disabled = text
            existing.updatedAt = Date()
            try await existing.update(on: db)
        } else {
            let model = MailPreferenceModel()
            model.userID = userID
            model.disabled = text
            model.updatedAt = Date()
            try await model.create(on: db)
        }
    }

    /// Sets (or clears) the user's address; a wrong one is refused in Russian.
    public func setAddress(userID: Int, _ text: String?, actor: Actor) async throws {
        let (address, problem) = MailAddress.normalized(text)
        if let problem { throw RepositoryError.invalid(field: "Электронная почта", message: problem) }
        try await db.transaction { tx in
            guard let user = try await UserModel.find(userID, on: tx) else { throw RepositoryError.notFound(entity: "пользователь") }
            let old = user.email
            guard old != address else { return }
            user.email = address
            try await user.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "user", entityID: userID,
                                      summary: "Изменена электронная почта пользователя \(user.login)",
                                      changes: [FieldChange(field: "e-mail", old: old ?? "—", new: address ?? "—")],
                                      place: AuditPlace(regionID: user.$region.id, municipalityID: user.$municipality.id))
        }
    }

    /// Turns the token's event off for its user; a token works once. Returns the event, nil for an unknown or used token.
    public func unsubscribe(token: String, now: Date = Date()) async throws -> NotificationEvent? {
        try await db.transaction { tx in
            let hash = MailTokens.hash(token)
            guard let stored = try await MailUnsubscribeTokenModel.query(on: tx).filter(\.$tokenHash == hash)
                .filter(\.$usedAt == nil).first(),
                  let event = NotificationEvent(rawValue: stored.event) else { return nil }
            // Claimed by the update itself, so two clicks at once cannot both count.
            let claimed = try await tx.sql.raw("""
                UPDATE mail_unsubscribe_tokens SET used_at = \(bind: now) WHERE id = \(bind: stored.id!) AND used_at IS NULL RETURNING id
                """).all()
            guard !claimed.isEmpty else { return nil }
            var disabled = try await MailPreferences(db: tx).disabled(userID: stored.userID)
            disabled.insert(event)
            try await save(userID: stored.userID, disabled: disabled, on: tx)
            return event
        }
    }
}
