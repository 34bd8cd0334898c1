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
        let login: String
        let address: String
        var failureKeys: [String] { ["login:" + login, "ip:" + address] }
        /// Checks of this account's password under way: a burst of guesses waits for them instead of being checked
        /// all at once, while a correct password is never counted as a failure.
        var pendingKey: String { "pending:" + login }
    }

    /// How long an attempt waits for the account's earlier checks to finish before it is refused.
    static let pendingWait: TimeInterval = 10

    /// Answers how long to wait (nil: the password may be checked now). Only failed attempts count against the limits;
    /// checks under way count too, so that parallel guesses never reach the password check more often than the
    /// limit allows, but an attempt over that waits for them to finish rather than being refused: six people signing
    /// in to one account at once all get in.
    func begin(login: String, address: String, on db: any Database, now: Date = Date()) async throws -> (Attempt, retryAfter: TimeInterval?)
    {
        let attempts = LoginAttempts(db: db)
        let attempt = Attempt(id: [UInt8].random(count: 12).map { String(format: "%02x", $0) }.joined(), login: login, address: address)
        let order = LoginOrder.shared
        try await attempts.prune(before: now.addingTimeInterval(-window))
        let stamp = try await order.alone(login) {
            let stamp = await order.stamp()
            try await attempts.record(keys: [attempt.pendingKey], attempt: attempt.id, at: stamp)
            return stamp
        }
        let deadline = Date().addingTimeInterval(Self.pendingWait)
        while true {
            // Earlier checks are read before the failures, and a failed check writes its failure before it stops being
            // a check under way (`failed`): whatever the interleaving, a finished check is counted at least once.
            let since = Date().addingTimeInterval(-window)
            let earlier = try await attempts.earlier(key: attempt.pendingKey, than: attempt.id, at: stamp, since: since)
            let failures = try await attempts.window(key: attempt.failureKeys[0], since: since)
            let fromAddress = try await attempts.window(key: attempt.failureKeys[1], since: since)
            var wait: TimeInterval? = nil
            for (recent, limit) in [(failures, maxFailures), (fromAddress, maxFailuresPerAddress)] where recent.count >= limit {
                wait = max(wait ?? 0, max(1, window - Date().timeIntervalSince(recent.oldest ?? Date())))
            }
            if wait == nil {
                // Checks begun before this one go first; this one goes when they and the failures leave room.
                if failures.count + earlier < maxFailures { return (attempt, nil) }
                if Date() >= deadline { wait = 1 } else {
                    try await Task.sleep(nanoseconds: 50_000_000)
                    continue
                }
            }
            try await attempts.remove(attempt: attempt.id)
            return (attempt, wait)
        }
    }

    /// A wrong password: a failure of the account and of the address.
    func failed(_ attempt: Attempt, on db: any Database) async throws {
        let attempts = LoginAttempts(db: db)
        let failure = attempt.id + "-failed"
        try await attempts.record(keys: attempt.failureKeys, attempt: failure, at: Date())
        try await attempts.remove(attempt: attempt.id)
    }

    func succeeded(_ attempt: Attempt, on db: any Database) async throws {
        try await LoginAttempts(db: db).succeeded(accountKey: attempt.failureKeys[0], attempt: attempt.id)
    }
}
