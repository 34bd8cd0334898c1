import Fluent
import Foundation
import OporaData
import Vapor

/// Slows down password guessing: after `maxFailures` failed logins for one account (or a larger number from
/// one address — many users may share an office proxy) within `window`, further attempts are refused until
/// the window has passed. Kept in the database (`LoginAttempts`), so it holds across restarts and processes.
public struct LoginThrottle: Sendable {
    public var maxFailures: Int
    public var maxFailuresPerAddress: Int
    public var window: TimeInterval

    public init(maxFailures: Int = 5, maxFailuresPerAddress: Int = 30, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.window = window
    }

    struct Attempt {
        let id: String
        let keys: [String]
        var accountKey: String { keys[0] }
    }

    /// Records the attempt, then answers how long to wait (nil: the password may be checked now).
    func begin(login: String, address: String, on db: any Database, now: Date = Date()) async throws -> (Attempt, retryAfter: TimeInterval?) {
        let attempts = LoginAttempts(db: db)
        let attempt = Attempt(id: [UInt8].random(count: 12).map { String(format: "%02x", $0) }.joined(),
                              keys: ["login:" + login, "ip:" + address])
        try await attempts.prune(before: now.addingTimeInterval(-window))
        try await attempts.record(keys: attempt.keys, attempt: attempt.id, at: now)
        var wait: TimeInterval? = nil
        for key in attempt.keys {
            let recent = try await attempts.window(key: key, since: now.addingTimeInterval(-window))
            let limit = key.hasPrefix("ip:") ? maxFailuresPerAddress : maxFailures
            // This attempt is already counted: the limit-th failure is still checked, the next one is not.
            if recent.count > limit, let oldest = recent.oldest {
                wait = max(wait ?? 0, max(1, window - now.timeIntervalSince(oldest)))
            }
        }
        return (attempt, wait)
    }

    func succeeded(_ attempt: Attempt, on db: any Database) async throws {
        try await LoginAttempts(db: db).succeeded(accountKey: attempt.accountKey, attempt: attempt.id)
    }
}
