import FluentKit
import Foundation
import OporaDomain

/// One message waiting for the sender, sent, or given up (V045).
public final class MailOutboxModel: Model, @unchecked Sendable {
    public static let schema = "mail_outbox"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "user_id") public var userID: Int
    @Field(key: "recipient") public var recipient: String
    @Field(key: "event") public var event: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "dedupe_key") public var dedupeKey: String?
    @OptionalField(key: "unsubscribe_url") public var unsubscribeURL: String?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @OptionalField(key: "failed_at") public var failedAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?

    public init() {}
}

/// The events a user turned off (V046).
public final class MailPreferenceModel: Model, @unchecked Sendable {
    public static let schema = "mail_preferences"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "user_id") public var userID: Int
    @Field(key: "disabled") public var disabled: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var disabledEvents: Set<NotificationEvent> {
        Set(disabled.split(separator: ",").compactMap { NotificationEvent(rawValue: String($0)) })
    }
}

/// A one-use unsubscribe link's token, kept as its SHA-256 (V046).
public final class MailUnsubscribeTokenModel: Model, @unchecked Sendable {
    public static let schema = "mail_unsubscribe_tokens"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "user_id") public var userID: Int
    @Field(key: "event") public var event: String
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}
}
