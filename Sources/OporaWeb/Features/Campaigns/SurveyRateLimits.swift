import Foundation
import NIOConcurrencyHelpers
import OporaDomain

/// The public form's limits, per client address and per link, kept in memory (nothing about a respondent is written):
/// a class answering from one school's network passes, a script posting thousands of times gets 429 and costs no
/// database work.
public struct SurveyRateLimits: Sendable {
    /// Answers sent from one address in `window`.
    public var postsPerAddress: Int
    /// Answers sent to one link in `window` (its school's class at once, with room).
    public var postsPerLink: Int
    /// Form loads from one address in `window` (each load writes a form token).
    public var loadsPerAddress: Int
    public var window: TimeInterval

    public init(postsPerAddress: Int = 300, postsPerLink: Int = 600, loadsPerAddress: Int = 900, window: TimeInterval = 10 * 60) {
        self.postsPerAddress = postsPerAddress
        self.postsPerLink = postsPerLink
        self.loadsPerAddress = loadsPerAddress
        self.window = window
    }
}

/// The counters behind `SurveyRateLimits`, one lock around three sliding windows.
final class SurveyRateLimiter: Sendable {
    private let state: NIOLockedValueBox<(posts: RateWindow, links: RateWindow, loads: RateWindow)>

    init(_ limits: SurveyRateLimits) {
        state = NIOLockedValueBox((RateWindow(limit: limits.postsPerAddress, window: limits.window),
                                   RateWindow(limit: limits.postsPerLink, window: limits.window),
                                   RateWindow(limit: limits.loadsPerAddress, window: limits.window)))
    }

    /// An answer from `address` to the link `linkKey` (its token's hash): counted against both, refused when either is full.
    func allowPost(address: String, linkKey: String, now: Date = Date()) -> Bool {
        state.withLockedValue { state in
            guard state.posts.allow("ip:" + address, now: now) else { return false }
            return state.links.allow("link:" + linkKey, now: now)
        }
    }

    func allowLoad(address: String, now: Date = Date()) -> Bool {
        state.withLockedValue { $0.loads.allow("ip:" + address, now: now) }
    }
}
