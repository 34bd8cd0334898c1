import Foundation

/// Slows down password guessing: after `maxFailures` failed logins for one account or one address
/// within `window`, further attempts are refused until the window has passed.
actor LoginThrottle {
    let maxFailures: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(maxFailures: Int = 5, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds until the next attempt is allowed, or nil if allowed now.
    func retryAfter(keys: [String], now: Date = Date()) -> TimeInterval? {
        var wait: TimeInterval? = nil
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent
            if recent.count >= maxFailures, let oldest = recent.first {
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
