public enum IdentificationStatus: String, Sendable, Codable, CaseIterable {
    case lowResults = "low_results"
    case lowResultsSocial = "low_results_social"
    case riskOfDecline = "risk_of_decline"
    case none

    public var russianName: String {
        switch self {
        case .lowResults: "низкие образовательные результаты"
        case .lowResultsSocial: "низкие результаты и неблагоприятные социальные условия"
        case .riskOfDecline: "риск снижения результатов"
        case .none: "не выявлена"
        }
    }
}

/// Why a school is flagged: the rule and the data behind it.
public struct IdentificationReason: Sendable, Hashable, Codable {
    public var rule: String
    public var procedure: String?
    public var year: Int?
    /// nil when grades were pooled.
    public var grade: Int?
    /// "rus+math" when subjects were judged jointly.
    public var subject: String?
    public var value: Double
    public var threshold: Double
    public var participants: Int?

    public init(
        rule: String, procedure: String?, year: Int?, grade: Int?, subject: String?, value: Double, threshold: Double, participants: Int?
    ) {
        self.rule = rule
        self.procedure = procedure
        self.year = year
        self.grade = grade
        self.subject = subject
        self.value = value
        self.threshold = threshold
        self.participants = participants
    }
}

public struct IdentificationResult: Sendable, Hashable, Codable {
    public var school: String
    public var year: Int
    public var status: IdentificationStatus
    public var reasons: [IdentificationReason]
    /// Groups the rule could not judge because too few took part (rule `not_judged.small_group`: value is
    /// the participants, threshold the minimum group).
    public var notJudged: [IdentificationReason]
    /// Groups that crossed a bound although the pattern as a whole did not hold (rule `near_miss…`), so that a
    /// school with one alarming result is not just «не соответствует».
    public var nearMisses: [IdentificationReason]
    /// How many groups the rule judged (0 with only small groups means «too few pupils to say»).
    public var judgedGroups: Int

    enum CodingKeys: String, CodingKey {
        case school, year, status, reasons, notJudged = "not_judged", nearMisses = "near_misses", judgedGroups = "judged_groups"
    }

    /// Whether the rule had any result of the school to look at. Without one the school is not «не соответствует
    /// критериям» — nothing is known about it: «нет данных» (its JSON status stays "none", CONTRACT).
    public var hasData: Bool { judgedGroups > 0 || !notJudged.isEmpty }

    /// The status as a person reads it: «нет данных» for a school the rule had nothing to judge on, «недостаточно
    /// данных» when every group it had was too small to judge — neither is «не выявлена» (nothing was found wrong).
    public var statusName: String {
        guard status == .none, judgedGroups == 0 else { return status.russianName }
        return hasData ? "недостаточно данных" : "нет данных"
    }

    /// Whether the rule judged the school at all (at least one group large enough): «не выявлена» means something then.
    public var wasJudged: Bool { judgedGroups > 0 || status != .none }

    public init(school: String, year: Int, status: IdentificationStatus, reasons: [IdentificationReason],
                notJudged: [IdentificationReason] = [], nearMisses: [IdentificationReason] = [], judgedGroups: Int = 0) {
        self.school = school
        self.year = year
        self.status = status
        self.reasons = reasons
        self.notJudged = notJudged
        self.nearMisses = nearMisses
        self.judgedGroups = judgedGroups
    }
}

/// Applies a criteria set to one school's results (pure; the data module supplies the counts).
public enum Identifier {
    public struct Group: Hashable, Sendable {
        let procedure: ProcedureCode
        let year: Int
        let grade: Int?
        let subject: String
    }

    /// A judged group: its rate of the rule's metric, over how many, and the interval's lower end.
    struct Judged {
        let group: Group
        let value: Double
        let participants: Int
        let lowerBound: Double?
    }

    /// Whether a work is one the rule looks at in `year` (procedure, subject, grade, the years of its pattern).
    public static func isRelevant(_ work: WorkKey, year: Int, rule: LowResultsRule) -> Bool {
        let span = max(1, rule.consecutiveYears)
        guard rule.procedures.contains(work.procedure), rule.subjects.contains(work.subject),
              work.year <= year, work.year > year - span else { return false }
        if let grades = rule.grades[work.procedure.rawValue], !grades.contains(work.grade) { return false }
        return true
    }

    public static func identify(school: String, year: Int, results: [(work: WorkKey, counts: ResultCounts)], isbsGroup: Int?,
                                criteria: CriteriaSet) -> IdentificationResult {
        let rule = criteria.lowResults
        // The judged groups: per grade or pooled, per subject or Russian and mathematics together.
        var grouped: [Group: [(counts: ResultCounts, procedure: ProcedureCode, subject: String)]] = [:]
        for item in results where isRelevant(item.work, year: year, rule: rule) {
            let w = item.work
            let group = Group(procedure: w.procedure, year: w.year, grade: rule.pooledGrades ? nil : w.grade,
                              subject: rule.jointSubjects ? "rus+math" : w.subject)
            grouped[group, default: []].append((item.counts, w.procedure, w.subject))
        }
        var judged: [Judged] = []
        var small: [IdentificationReason] = []
        for (group, list) in grouped {
            let pool = ResultPool(list)
            let share: Share?
            switch rule.metric {
            case .belowMinRate: share = pool.belowMin
            case .failureRate: share = pool.failure
            }
            guard let share, let value = share.rate else { continue }
            // Too few took part to judge: said so, not silently dropped.
            guard share.base >= rule.minimumGroup else {
                small.append(reason(group, rule: "not_judged.small_group", value: Double(share.base), threshold: Double(rule.minimumGroup),
                                    participants: share.base))
                continue
            }
            judged.append(Judged(group: group, value: value, participants: share.base,
                                 lowerBound: Metrics.wilsonInterval(successes: share.count, of: share.base)?.lower))
        }
        func crosses(_ item: Judged, _ bound: Double) -> Bool {
            guard item.value >= bound - 1e-9 else { return false }
            return !rule.requireInterval || (item.lowerBound ?? -1) >= bound - 1e-9
        }
        let lowHits = judged.filter { crosses($0, rule.threshold) }
        // Risk of decline: the same pattern in the band [risk_lower_bound, risk_upper_bound) — below the
        // threshold by default, as the programme words it («менее 30 %»).
        let riskHits = rule.riskLowerBound > 0
            ? judged.filter { crosses($0, rule.riskLowerBound) && ($0.value < rule.riskUpperBound - 1e-9 || rule.riskUpperBound >= 100) }
            : []

        var status = IdentificationStatus.none
        var reasons: [IdentificationReason] = []
        var nearMisses: [IdentificationReason] = []
        if let found = pattern(lowHits, year: year, rule: rule, prefix: "low_results", threshold: rule.threshold) {
            status = .lowResults
            reasons = found
        } else if let found = pattern(riskHits, year: year, rule: rule, prefix: "risk_of_decline", threshold: rule.riskLowerBound) {
            status = .riskOfDecline
            reasons = found
        }
        if status == .none {
            nearMisses = lowHits.map {
                reason($0.group, rule: "near_miss.low_results", value: $0.value, threshold: rule.threshold, participants: $0.participants)
            }
            .sorted(by: reasonOrder)
        }
        if status == .lowResults, let social = criteria.social, let isbsGroup, social.isbsGroups.contains(isbsGroup) {
            status = .lowResultsSocial
            reasons.append(
                IdentificationReason(
                    rule: "social.isbs_group", procedure: nil, year: year, grade: nil, subject: nil,
                    value: Double(isbsGroup), threshold: Double(social.isbsGroups.max() ?? 4), participants: nil))
        }
        return IdentificationResult(school: school, year: year, status: status, reasons: reasons,
                                    notJudged: small.sorted(by: reasonOrder), nearMisses: nearMisses, judgedGroups: judged.count)
    }

    static func reason(_ group: Group, rule: String, value: Double, threshold: Double, participants: Int) -> IdentificationReason {
        IdentificationReason(rule: rule, procedure: group.procedure.rawValue, year: group.year, grade: group.grade, subject: group.subject,
                             value: (value * 100).rounded() / 100, threshold: threshold, participants: participants)
    }

    static func reasonOrder(_ a: IdentificationReason, _ b: IdentificationReason) -> Bool {
        (a.year ?? 0, a.procedure ?? "", a.grade ?? 0, a.subject ?? "") < (b.year ?? 0, b.procedure ?? "", b.grade ?? 0, b.subject ?? "")
    }

    /// Seed 004's pattern: hits in ≥ K procedures in the year, or in one procedure in each of N consecutive years.
    static func pattern(_ hits: [Judged], year: Int, rule: LowResultsRule, prefix: String, threshold: Double) -> [IdentificationReason]? {
        var found: [IdentificationReason] = []
        func add(_ hit: Judged, _ name: String) {
            found.append(
                reason(hit.group, rule: "\(prefix).\(name)", value: hit.value, threshold: threshold, participants: hit.participants))
        }
        if rule.minProceduresInYear >= 1 {
            let thisYear = hits.filter { $0.group.year == year }
            if Set(thisYear.map(\.group.procedure)).count >= rule.minProceduresInYear {
                thisYear.forEach { add($0, "procedures_in_year") }
            }
        }
        if rule.consecutiveYears >= 1 {
            let years = Set((0..<rule.consecutiveYears).map { year - $0 })
            for procedure in Set(hits.map(\.group.procedure)) {
                let mine = hits.filter { $0.group.procedure == procedure }
                if years.isSubset(of: Set(mine.map(\.group.year))) {
                    mine.filter { years.contains($0.group.year) }.forEach { add($0, "consecutive_years") }
                }
            }
        }
        guard !found.isEmpty else { return nil }
        // One reason per group, even if both branches cite it.
        var seen = Set<String>()
        return found.sorted(by: reasonOrder).filter {
            seen.insert("\($0.procedure ?? "")|\($0.year ?? 0)|\($0.grade ?? 0)|\($0.subject ?? "")").inserted
        }
    }

    /// «ВПР-2023 математика, 6 класс»
    static func groupLabel(_ reason: IdentificationReason, subjects: [String: String]) -> String? {
        guard let code = reason.procedure, let procedure = ProcedureCode(rawValue: code), let year = reason.year else { return nil }
        let subject = reason.subject.map { $0 == "rus+math" ? "русский язык и математика" : (subjects[$0] ?? $0).lowercased() } ?? ""
        let grade = reason.grade.map { ", \($0) класс" } ?? ""
        return "\(procedure.russianShortName)-\(year) \(subject)\(grade)"
    }

    /// «34,2 % (13 из 38)», with the interval for a small group: 2 of 5 is not 40 of 100.
    static func rateWithCount(_ reason: IdentificationReason) -> String {
        guard let n = reason.participants, n > 0 else { return "\(RussianFormat.number(reason.value)) %" }
        let k = Int((reason.value * Double(n) / 100).rounded())
        // Printed from the count, rounded once (the stored value is already rounded to 0,01: 13 of 27 is 48,148…,
        // stored 48,15, which printed again would read 48,2 where the reports print 48,1).
        let exact = Double(k) / Double(n) * 100
        var text = "\(RussianFormat.number(abs(exact - reason.value) < 0.01 ? exact : reason.value)) % (\(k) из \(n)"
        if n < Metrics.defaultMinimumGroup, let interval = Metrics.wilsonInterval(successes: k, of: n) {
            text += ", интервал \(RussianFormat.number(interval.lower, digits: 0))–\(RussianFormat.number(interval.upper, digits: 0)) %"
        }
        return text + ")"
    }

    /// One sentence a coordinator can paste into an order; for a school that is not flagged it says why
    /// (nothing found, too few pupils to judge, or a single alarming result short of the pattern).
    public static func sentence(schoolName: String, _ result: IdentificationResult, subjects: [String: String]) -> String {
        (result.status == .none ? "\(schoolName): " : "\(schoolName) — ") + explanation(result, subjects: subjects)
    }

    /// The sentence without the school's name (for lists that show the name beside it).
    public static func explanation(_ result: IdentificationResult, subjects: [String: String]) -> String {
        // An order cites the strongest evidence; the full list stays in the reasons.
        func listed(_ parts: [String], limit: Int = 4) -> String {
            var shown = Array(parts.prefix(limit))
            if parts.count > limit { shown.append("и ещё \(parts.count - limit)") }
            return shown.joined(separator: "; ")
        }
        let small = result.notJudged.compactMap { reason in
            groupLabel(reason, subjects: subjects).map { "\($0) (\(reason.participants ?? 0) уч.)" }
        }
        let smallNote =
            small.isEmpty
            ? "" : "; не оценены из-за малого числа участников (меньше \(Int(result.notJudged[0].threshold))): " + listed(small)
        guard result.status != .none else {
            if !result.nearMisses.isEmpty {
                let misses = result.nearMisses.compactMap { reason in
                    groupLabel(reason, subjects: subjects).map { "\($0): \(rateWithCount(reason)) не преодолели порог" }
                }
                return
                    "критериям в целом не соответствует, но \(listed(misses)) — не меньше " +
                    "\(RussianFormat.number(result.nearMisses[0].threshold)) % (условие отбора выполнено не полностью)\(smallNote)."
            }
            if !small.isEmpty && result.judgedGroups == 0 {
                return
                    "недостаточно данных для вывода — все группы меньше \(Int(result.notJudged[0].threshold)) участников: \(listed(small))."
            }
            if !result.hasData {
                return "нет данных: за \(result.year) год нет результатов, по которым применяются критерии отбора."
            }
            return "критериям отбора не соответствует\(smallNote)."
        }
        let parts = result.reasons.compactMap { reason -> String? in
            if reason.rule.hasPrefix("social") {
                return "группа ИСБШ \(Int(reason.value)) (неблагоприятные социальные условия)"
            }
            return groupLabel(reason, subjects: subjects).map {
                "\($0): \(rateWithCount(reason)) не преодолели порог ≥ \(RussianFormat.number(reason.threshold)) %"
            }
        }
        let social = parts.filter { $0.hasPrefix("группа ИСБШ") }
        let data = parts.filter { !$0.hasPrefix("группа ИСБШ") }
        return "\(result.status.russianName): " + ([listed(data)] + social).joined(separator: "; ") + smallNote + "."
    }
}
