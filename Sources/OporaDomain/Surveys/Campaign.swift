import Foundation

/// The rules of a survey campaign (docs/SURVEYS.md «Кампании»): a questionnaire version sent to chosen schools for a
/// period, one link per school × respondent group with the number of respondents expected there.
public enum CampaignRules {
    /// The form stops taking answers once a link has this many times its expected count: a link passed around far
    /// beyond its school is not a survey of that school any more.
    public static let overflowFactor = 3
    /// A form token is good for this long after the page was loaded.
    public static let formTokenLifetime: TimeInterval = 24 * 60 * 60
    /// The longest campaign, in days.
    public static let longestPeriodDays = 366

    /// Whether a link's form takes an answer on `today`.
    public static func formState(starts: CalendarDay, ends: CalendarDay, today: CalendarDay, answered: Int, expected: Int)
        -> FormState {
        if today < starts { return .notStarted(starts) }
        if today > ends { return .ended(ends) }
        if answered >= max(1, expected) * overflowFactor { return .full }
        return .open
    }

    /// The period as typed, or what is wrong with it.
    public static func period(starts: CalendarDay, ends: CalendarDay) -> Result<ClosedRange<CalendarDay>, CampaignError> {
        guard starts <= ends else { return .failure(.invalid("Период", "дата окончания раньше даты начала")) }
        guard starts.adding(days: longestPeriodDays) >= ends else {
            return .failure(.invalid("Период", "не длиннее \(longestPeriodDays) дней"))
        }
        return .success(starts...ends)
    }

    /// The expected number of respondents of one school and group.
    public static let expectedRange = 1...5_000
}

public enum FormState: Sendable, Equatable {
    case open
    case notStarted(CalendarDay)
    case ended(CalendarDay)
    case full

    public var isOpen: Bool { self == .open }

    /// What the respondent reads instead of the form.
    public var russianMessage: String {
        switch self {
        case .open: "Опрос идёт"
        case .notStarted(let day): "Опрос ещё не начался: ответы принимаются с \(day.russian)."
        case .ended(let day): "Опрос завершён \(day.russian). Спасибо, ответы больше не принимаются."
        case .full: "Опрос завершён: собрано намного больше ответов, чем ожидалось. Спасибо, ответы больше не принимаются."
        }
    }
}

public enum CampaignError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}

/// One link's response rate: answers against the expected number.
public struct ResponseRate: Sendable, Hashable {
    public let expected: Int
    public let answered: Int

    public init(expected: Int, answered: Int) {
        self.expected = expected
        self.answered = answered
    }

    /// Percent of the expected answered, nil without an expected number.
    public var percent: Double? { expected > 0 ? Double(answered) * 100 / Double(expected) : nil }

    /// Links in the order a curator chases them: the lowest rate first, then the most answers missing.
    public static func lagging<T>(_ items: [T], rate: (T) -> ResponseRate, name: (T) -> String) -> [T] {
        items.sorted { a, b in
            let (ra, rb) = (rate(a), rate(b))
            let (pa, pb) = (ra.percent ?? .infinity, rb.percent ?? .infinity)
            if pa != pb { return pa < pb }
            let (ma, mb) = (ra.expected - ra.answered, rb.expected - rb.answered)
            if ma != mb { return ma > mb }
            return name(a) < name(b)
        }
    }
}

/// Where a free-text answer stands: seen only in its school until a person has read it (children write names).
public enum TextReview: String, Sendable, CaseIterable, Codable {
    case pending, approved, hidden

    public var russianName: String {
        switch self {
        case .pending: "ждёт проверки"
        case .approved: "показывается"
        case .hidden: "скрыт"
        }
    }

    /// Whether a reader outside the school sees the text.
    public var shownBeyondSchool: Bool { self == .approved }
}

/// The random part of a link or a form: 32 random bytes in URL-safe base64 (256 bits), kept only as its SHA-256.
public enum SurveyToken {
    public static func new() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What is stored and looked up: the hex SHA-256 of the token.
    public static func hash(_ token: String) -> String { SHA256Digest.hex(of: Array(token.utf8)) }

    /// Whether a text can be a token at all (43 URL-safe characters): anything else is refused before a lookup.
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
    }
}

/// A sliding-window limit of events per key (a link, a client address), kept in memory by the server.
public struct RateWindow: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private var events: [String: [Date]] = [:]
    private var checks = 0

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Counts an event for `key` at `now` unless the key already has `limit` events in the window; true: allowed.
    public mutating func allow(_ key: String, now: Date) -> Bool {
        checks += 1
        if checks % 1_000 == 0 { prune(now: now) }
        let since = now.addingTimeInterval(-window)
        var recent = (events[key] ?? []).filter { $0 > since }
        guard recent.count < limit else {
            events[key] = recent
            return false
        }
        recent.append(now)
        events[key] = recent
        return true
    }

    /// Forgets keys with nothing in the window, so a flood of addresses cannot grow memory for long.
    public mutating func prune(now: Date) {
        let since = now.addingTimeInterval(-window)
        events = events.compactMapValues { dates in
            let recent = dates.filter { $0 > since }
            return recent.isEmpty ? nil : recent
        }
    }

    public var keys: Int { events.count }
}
