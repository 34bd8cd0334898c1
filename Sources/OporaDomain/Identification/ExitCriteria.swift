import Foundation

/// When a school on the list may leave it: data, not code, versioned per territory like a criteria set
/// (docs/EXITS.md). Read from YAML or JSON; every condition can be switched off.
public struct ExitCriteria: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    /// The school has not been flagged by the identification criteria in each of the last N years (0 = off).
    public var notFlaggedYears: Int
    /// The share of the school programme's indicators that must meet their targets, in per cent (0 = off).
    public var indicatorsMetShare: Double
    /// No risk factor of the school's latest risk profile is rated high.
    public var noHighRisk: Bool

    enum CodingKeys: String, CodingKey {
        case name, description
        case notFlaggedYears = "not_flagged_years"
        case indicatorsMetShare = "indicators_met_share"
        case noHighRisk = "no_high_risk"
    }

    public init(name: String, description: String? = nil, notFlaggedYears: Int, indicatorsMetShare: Double, noHighRisk: Bool) {
        self.name = name
        self.description = description
        self.notFlaggedYears = notFlaggedYears
        self.indicatorsMetShare = indicatorsMetShare
        self.noHighRisk = noHighRisk
    }

    /// Missing keys take the default preset's value, so a file states only what differs.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let base = Self.pervouralsk
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        notFlaggedYears = try container.decodeIfPresent(Int.self, forKey: .notFlaggedYears) ?? base.notFlaggedYears
        indicatorsMetShare = try container.decodeIfPresent(Double.self, forKey: .indicatorsMetShare) ?? base.indicatorsMetShare
        noHighRisk = try container.decodeIfPresent(Bool.self, forKey: .noHighRisk) ?? base.noHighRisk
    }

    /// Seed 004 counts the schools that left the risk zone: not flagged two years running, the school programme's
    /// indicators met, and no risk factor left at a high level.
    public static let pervouralsk = ExitCriteria(
        name: "Выход из списка: два года вне критериев, показатели программы достигнуты",
        description: "Школа не отбиралась по критериям два года подряд, все показатели её программы достигли целевых значений, "
            + "ни один фактор риска не оценён как высокий",
        notFlaggedYears: 2, indicatorsMetShare: 100, noHighRisk: true)

    public static let presets: [String: ExitCriteria] = ["pervouralsk": pervouralsk]

    /// Every problem of the set, in Russian; empty when it may be used.
    public var problems: [String] {
        var problems: [String] = []
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("name: укажите название") }
        if name.count > 300 { problems.append("name: не длиннее 300 символов") }
        if !(0...10).contains(notFlaggedYears) { problems.append("not_flagged_years: от 0 до 10") }
        if !(0...100).contains(indicatorsMetShare) || indicatorsMetShare.isNaN {
            problems.append("indicators_met_share: от 0 до 100")
        }
        if notFlaggedYears == 0 && indicatorsMetShare == 0 && !noHighRisk {
            problems.append("нужно хотя бы одно условие: not_flagged_years ≥ 1, indicators_met_share > 0 или no_high_risk: true")
        }
        return problems
    }

    public func validate() throws {
        let problems = problems
        if !problems.isEmpty { throw ExitCriteriaError.invalid(problems) }
    }
}

public enum ExitCriteriaError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalid([String])
    case unreadable(String)

    public var description: String {
        switch self {
        case .invalid(let problems): "Критерии выхода из списка неверны:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .unreadable(let reason): "Критерии выхода из списка не читаются: \(reason)"
        }
    }
}

/// An indicator of the school's programme as the exit rule reads it: met, missed, or without a value (nil).
public struct IndicatorCheck: Sendable, Hashable {
    public var name: String
    public var met: Bool?

    public init(name: String, met: Bool?) {
        self.name = name
        self.met = met
    }
}

/// What is known of one listed school when its exit is judged.
public struct ExitEvidence: Sendable, Hashable {
    /// Whether the identification criteria flagged the school, per year; nil = no results that year («нет данных»).
    public var flagged: [Int: Bool?]
    /// Each indicator of the school's approved programmes; empty when it has no approved programme with indicators.
    public var indicators: [IndicatorCheck]
    /// Risk factors rated high in the latest profile; nil when the school has no risk profile.
    public var highRiskFactors: [Int]?

    public init(flagged: [Int: Bool?], indicators: [IndicatorCheck] = [], highRiskFactors: [Int]? = []) {
        self.flagged = flagged
        self.indicators = indicators
        self.highRiskFactors = highRiskFactors
    }
}

/// One condition of the exit criteria as judged for a school: met, not met, or not judged for want of data.
public struct ExitCondition: Sendable, Hashable {
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        case notFlagged = "not_flagged_years"
        case indicatorsMet = "indicators_met_share"
        case noHighRisk = "no_high_risk"
    }

    public enum Outcome: String, Sendable, Hashable {
        case met, notMet = "not_met", noData = "no_data"
    }

    public var rule: Rule
    public var outcome: Outcome
    /// The reason in Russian, as the page and the order show it.
    public var text: String
}

/// Whether a school is ready to leave the list, with every condition's outcome.
public struct ExitVerdict: Sendable, Hashable {
    public var conditions: [ExitCondition]

    /// Ready only when every condition switched on is met; missing data is never read as met.
    public var ready: Bool { !conditions.isEmpty && conditions.allSatisfy { $0.outcome == .met } }

    /// The reasons in one line: why the school may leave, or what keeps it on the list.
    public var summary: String {
        let shown = ready ? conditions : conditions.filter { $0.outcome != .met }
        return shown.map(\.text).joined(separator: "; ")
    }
}

/// The exit rule (docs/EXITS.md): pure, applied to what the data layer gathered for each listed school.
public enum ExitReadiness {
    public static func judge(_ evidence: ExitEvidence, year: Int, criteria: ExitCriteria) -> ExitVerdict {
        var conditions: [ExitCondition] = []
        if criteria.notFlaggedYears > 0 {
            conditions.append(notFlagged(evidence, year: year, years: criteria.notFlaggedYears))
        }
        if criteria.indicatorsMetShare > 0 {
            conditions.append(indicatorsMet(evidence, share: criteria.indicatorsMetShare))
        }
        if criteria.noHighRisk {
            conditions.append(noHighRisk(evidence))
        }
        return ExitVerdict(conditions: conditions)
    }

    /// Every school judged, school id → verdict; `ready` keeps those that may leave.
    public static func judge(_ schools: [Int: ExitEvidence], year: Int, criteria: ExitCriteria) -> [Int: ExitVerdict] {
        schools.mapValues { judge($0, year: year, criteria: criteria) }
    }

    static func notFlagged(_ evidence: ExitEvidence, year: Int, years count: Int) -> ExitCondition {
        let years = Array((year - count + 1)...year)
        let missing = years.filter { (evidence.flagged[$0] ?? nil) == nil }
        let flaggedIn = years.filter { (evidence.flagged[$0] ?? nil) == true }
        let span = years.count == 1 ? "в \(year) году" : "в \(years[0])–\(year) годах"
        if !flaggedIn.isEmpty {
            let list = flaggedIn.map(String.init).joined(separator: ", ")
            return ExitCondition(rule: .notFlagged, outcome: .notMet, text: "отобрана по критериям в \(list) г.")
        }
        if !missing.isEmpty {
            let list = missing.map(String.init).joined(separator: ", ")
            return ExitCondition(rule: .notFlagged, outcome: .noData, text: "нет данных: нет результатов за \(list) г.")
        }
        return ExitCondition(rule: .notFlagged, outcome: .met, text: "не отбиралась по критериям \(span)")
    }

    static func indicatorsMet(_ evidence: ExitEvidence, share required: Double) -> ExitCondition {
        guard !evidence.indicators.isEmpty else {
            return ExitCondition(rule: .indicatorsMet, outcome: .noData, text: "нет данных: нет утверждённой программы с показателями")
        }
        let total = evidence.indicators.count
        let met = evidence.indicators.filter { $0.met == true }.count
        let unknown = evidence.indicators.filter { $0.met == nil }
        let rate = Double(met) / Double(total) * 100
        let counted = "показатели программы достигнуты: \(met) из \(total)"
        if rate + 1e-9 >= required { return ExitCondition(rule: .indicatorsMet, outcome: .met, text: counted) }
        // Unknown values could still reach the share: the school is not judged, not refused.
        if !unknown.isEmpty, Double(met + unknown.count) / Double(total) * 100 + 1e-9 >= required {
            let names = unknown.map { "«\($0.name)»" }.joined(separator: ", ")
            return ExitCondition(rule: .indicatorsMet, outcome: .noData, text: "нет данных: нет значения показателя \(names)")
        }
        let missed = evidence.indicators.filter { $0.met == false }.map { "«\($0.name)»" }.joined(separator: ", ")
        let need = RussianFormat.number(required, digits: 0)
        return ExitCondition(
            rule: .indicatorsMet, outcome: .notMet, text: "\(counted) (нужно \(need) %), не достигнуты: \(missed)")
    }

    static func noHighRisk(_ evidence: ExitEvidence) -> ExitCondition {
        guard let high = evidence.highRiskFactors else {
            return ExitCondition(rule: .noHighRisk, outcome: .noData, text: "нет данных: нет рискового профиля")
        }
        if high.isEmpty { return ExitCondition(rule: .noHighRisk, outcome: .met, text: "нет факторов риска высокого уровня") }
        let list = high.sorted().map(String.init).joined(separator: ", ")
        return ExitCondition(rule: .noHighRisk, outcome: .notMet, text: "высокий уровень риска по факторам № \(list)")
    }
}

/// Recording an exit: the order that ends a school's support is a new order of the school's municipality for the
/// year, holding the list in force there without the school (docs/EXITS.md). Earlier orders stay as they were made.
public enum ListExit {
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The new order's entries: the list in force for the school's municipality and year, minus the school. Refused
    /// when the school is not on that list, or when the order is dated before the order in force (it would not
    /// replace it).
    public static func entries(
        school place: ListPlace, year: Int, date: Date, municipalityPlaces: [ListPlace], orders: [ListOrder]
    ) -> Result<[Int: ListEntry], Problem> {
        let listed = ListInForce.schools(year: year, places: municipalityPlaces, orders: orders)
        guard let current = listed[place.schoolID] else {
            return .failure(Problem(message: "школы нет в списке, действующем на \(year) год: исключать её нечего"))
        }
        if date < current.order.date {
            let since = RussianFormat.date(current.order.date)
            return .failure(Problem(
                message: "дата приказа раньше приказа № \(current.order.number) от \(since), по которому школа в списке: "
                    + "укажите дату не раньше \(since)"))
        }
        var entries = listed.mapValues(\.entry)
        entries[place.schoolID] = nil
        return .success(entries)
    }
}
