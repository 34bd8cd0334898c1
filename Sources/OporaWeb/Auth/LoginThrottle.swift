import Foundation

/// Slows down password guessing: after `maxFailures` failed logins for one account (or a larger number
/// from one address — many users may share an office proxy) within `window`, further attempts are
/// refused until the window has passed.
actor LoginThrottle {
    let maxFailures: Int
    let maxFailuresPerAddress: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(maxFailures: Int = 5, maxFailuresPerAddress: Int = 30, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.window = window
    }

    /// Seconds until the next attempt is allowed, or nil if allowed now.
    func retryAfter(keys: [String], now: Date = Date()) -> TimeInterval? {
        var wait: TimeInterval? = nil
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent
            let limit = key.hasPrefix("ip:") ? maxFailuresPerAddress : maxFailures
            if recent.count >= limit, let oldest = recent.first {
                let remaining = window - now.timeIntervalSince(oldest)
                wait = max(wait ?? 0, remaining)
            }
        }
        return wait
    }

    func recordFailure(keys: [String], now: Date = Date()) {
        for key in keys { failures[key, default: []].append(now) }
    }

    func recordSuccess(keys: [String]) {
        for key in keys { failures[key] = nil }
    }
}
