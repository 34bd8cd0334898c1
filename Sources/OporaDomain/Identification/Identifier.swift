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

    public init(rule: String, procedure: String?, year: Int?, grade: Int?, subject: String?, value: Double, threshold: Double, participants: Int?) {
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
}

/// Applies a criteria set to one school's results (pure; the data module supplies the counts).
public enum Identifier {
    public struct Group: Hashable {
        let procedure: ProcedureCode
        let year: Int
        let grade: Int?
        let subject: String
    }

    public static func identify(school: String, year: Int, results: [(work: WorkKey, counts: ResultCounts)], isbsGroup: Int?,
                                criteria: CriteriaSet) -> IdentificationResult {
        let rule = criteria.lowResults
        let span = max(1, rule.consecutiveYears)
        let relevant = results.filter { item in
            let w = item.work
            guard rule.procedures.contains(w.procedure), rule.subjects.contains(w.subject),
                  w.year <= year, w.year > year - max(span, 1) else { return false }
            if let grades = rule.grades[w.procedure.rawValue], !grades.contains(w.grade) { return false }
            return true
        }
        // Build the judged groups.
        var grouped: [Group: [ResultCounts]] = [:]
        for item in relevant {
            let w = item.work
            let group = Group(procedure: w.procedure, year: w.year, grade: rule.pooledGrades ? nil : w.grade,
                              subject: rule.jointSubjects ? "rus+math" : w.subject)
            grouped[group, default: []].append(item.counts)
        }
        var values: [(group: Group, value: Double, participants: Int, lowerBound: Double?)] = []
        for (group, list) in grouped {
            let counts = ResultCounts.combined(list)
            guard counts.participants >= rule.minimumGroup else { continue }
            let metrics = Metrics.compute(counts, procedure: group.procedure)
            let value: Double?
            let hits: Int?
            switch rule.metric {
            case .belowMinRate:
                value = metrics.belowMinRate
                hits = counts.belowMin ?? (group.procedure.belowMinimumByMark ? counts.m2 : nil)
            case .failureRate:
                value = counts.hasMarks ? Double(counts.m2 ?? 0) / Double(counts.participants) * 100 : nil
                hits = counts.m2
            }
            guard let value else { continue }
            let lower = hits.flatMap { Metrics.wilsonInterval(successes: $0, of: counts.participants)?.lower }
            values.append((group, value, counts.participants, lower))
        }
        func crosses(_ item: (group: Group, value: Double, participants: Int, lowerBound: Double?), _ bound: Double) -> Bool {
            guard item.value >= bound - 1e-9 else { return false }
            return !rule.requireInterval || (item.lowerBound ?? -1) >= bound - 1e-9
        }
        let lowHits = values.filter { crosses($0, rule.threshold) }
        let riskHits = values.filter { crosses($0, rule.riskLowerBound) && rule.riskLowerBound > 0 }

        var status = IdentificationStatus.none
        var reasons: [IdentificationReason] = []
        if let found = pattern(lowHits, year: year, rule: rule, prefix: "low_results", threshold: rule.threshold) {
            status = .lowResults
            reasons = found
        } else if let found = pattern(riskHits, year: year, rule: rule, prefix: "risk_of_decline", threshold: rule.riskLowerBound) {
            status = .riskOfDecline
            reasons = found
        }
        if status == .lowResults, let social = criteria.social, let isbsGroup, social.isbsGroups.contains(isbsGroup) {
            status = .lowResultsSocial
            reasons.append(IdentificationReason(rule: "social.isbs_group", procedure: nil, year: year, grade: nil, subject: nil,
                                                value: Double(isbsGroup), threshold: Double(social.isbsGroups.max() ?? 4), participants: nil))
        }
        return IdentificationResult(school: school, year: year, status: status, reasons: reasons)
    }

    /// The seed 004 pattern: hits in ≥ K procedures in the year, or in one procedure in each of N consecutive years.
    static func pattern(_ hits: [(group: Group, value: Double, participants: Int, lowerBound: Double?)], year: Int, rule: LowResultsRule,
                        prefix: String, threshold: Double) -> [IdentificationReason]? {
        func reason(_ hit: (group: Group, value: Double, participants: Int, lowerBound: Double?), _ name: String) -> IdentificationReason {
            IdentificationReason(rule: "\(prefix).\(name)", procedure: hit.group.procedure.rawValue, year: hit.group.year, grade: hit.group.grade,
                                 subject: hit.group.subject, value: (hit.value * 100).rounded() / 100, threshold: threshold, participants: hit.participants)
        }
        let order: (IdentificationReason, IdentificationReason) -> Bool = {
            ($0.year ?? 0, $0.procedure ?? "", $0.grade ?? 0, $0.subject ?? "") < ($1.year ?? 0, $1.procedure ?? "", $1.grade ?? 0, $1.subject ?? "")
        }
        var found: [IdentificationReason] = []
        if rule.minProceduresInYear >= 1 {
            let thisYear = hits.filter { $0.group.year == year }
            if Set(thisYear.map(\.group.procedure)).count >= rule.minProceduresInYear {
                found += thisYear.map { reason($0, "procedures_in_year") }
            }
        }
        if rule.consecutiveYears >= 1 {
            let years = Set((0..<rule.consecutiveYears).map { year - $0 })
            for procedure in Set(hits.map(\.group.procedure)) {
                let mine = hits.filter { $0.group.procedure == procedure }
                if years.isSubset(of: Set(mine.map(\.group.year))) {
                    found += mine.filter { years.contains($0.group.year) }.map { reason($0, "consecutive_years") }
                }
            }
        }
        guard !found.isEmpty else { return nil }
        // One reason per group, even if both branches cite it.
        var seen = Set<String>()
        return found.sorted(by: order).filter { seen.insert("\($0.procedure ?? "")|\($0.year ?? 0)|\($0.grade ?? 0)|\($0.subject ?? "")").inserted }
    }

    /// One sentence a coordinator can paste into an order.
    public static func sentence(schoolName: String, _ result: IdentificationResult, subjects: [String: String]) -> String {
        guard result.status != .none else { return "\(schoolName): критериям отбора не соответствует." }
        let parts = result.reasons.compactMap { reason -> String? in
            if reason.rule.hasPrefix("social") {
                return "группа ИСБШ \(Int(reason.value)) (неблагоприятные социальные условия)"
            }
            guard let code = reason.procedure, let procedure = ProcedureCode(rawValue: code), let year = reason.year else { return nil }
            let subject = reason.subject.map { $0 == "rus+math" ? "русский язык и математика" : (subjects[$0] ?? $0).lowercased() } ?? ""
            let grade = reason.grade.map { ", \($0) класс" } ?? ""
            // The count behind the rate, and for a small group its interval: 2 of 5 is not 40 of 100.
            var count = ""
            if let n = reason.participants, n > 0 {
                let k = Int((reason.value * Double(n) / 100).rounded())
                count = " (\(k) из \(n)"
                if n < Metrics.defaultMinimumGroup, let interval = Metrics.wilsonInterval(successes: k, of: n) {
                    count += ", интервал \(RussianFormat.number(interval.lower, digits: 0))–\(RussianFormat.number(interval.upper, digits: 0)) %"
                }
                count += ")"
            }
            return "\(procedure.russianShortName)-\(year) \(subject)\(grade): \(RussianFormat.number(reason.value)) %\(count) не преодолели порог ≥ \(RussianFormat.number(reason.threshold)) %"
        }
        // An order cites the strongest evidence; the full list stays in the reasons.
        let limit = 4
        let social = parts.filter { $0.hasPrefix("группа ИСБШ") }
        let data = parts.filter { !$0.hasPrefix("группа ИСБШ") }
        var shown = Array(data.prefix(limit))
        if data.count > limit { shown.append("и ещё \(data.count - limit)") }
        return "\(schoolName) — \(result.status.russianName): " + (shown + social).joined(separator: "; ") + "."
    }
}
