/// `positive_dynamics`, defined once (docs/REPORTS.md, «Показатели, которые считает Opora»).
///
/// A listed school improved when its pass rate rose against the year before both in Russian and in mathematics,
/// each compared only work for work: the same procedure, grade and subject in both years (ВПР 5 класс русский
/// язык 2023 against ВПР 5 класс русский язык 2022; never ВПР 5 against ВПР 6, never a different subject such as
/// базовая against профильная математика). Only ВПР and ГИА (ОГЭ, ЕГЭ, ГВЭ) are compared — term marks, regional
/// diagnostics and PISA-model works are different measurements. The denominator is every listed school of the
/// territory: a listed school without a comparable work in Russian or in mathematics counts as not improved.
public enum PositiveDynamics {
    public static let procedures: Set<ProcedureCode> = [.vpr, .oge, .ege, .gve]

    /// The work compared year over year (its year aside).
    struct Work: Hashable {
        let procedure: ProcedureCode
        let grade: Int
        let subject: String
    }

    /// Russian, or mathematics in any of its forms (each form still compared only with itself).
    static func family(_ subject: String) -> String? {
        if subject == "rus" { return "rus" }
        return subject.hasPrefix("math") ? "math" : nil
    }

    /// Who passed of how many: «3»–«5» of those with a mark, else those above the minimum (ЕГЭ has no marks).
    static func passed(_ counts: ResultCounts) -> (passed: Int, all: Int)? {
        if counts.hasMarks, counts.markTotal > 0 { return (counts.markTotal - (counts.m2 ?? 0), counts.markTotal) }
        if let below = counts.belowMin, counts.participants > 0 { return (counts.participants - below, counts.participants) }
        return nil
    }

    static func byWork(_ results: [FormulaResult], school: Int) -> [Work: (passed: Int, all: Int)] {
        var sums: [Work: (passed: Int, all: Int)] = [:]
        for result in results where result.school == school && procedures.contains(result.work.procedure) {
            guard family(result.work.subject) != nil, let pass = passed(result.counts) else { continue }
            let work = Work(procedure: result.work.procedure, grade: result.work.grade, subject: result.work.subject)
            sums[work, default: (0, 0)].passed += pass.passed
            sums[work, default: (0, 0)].all += pass.all
        }
        return sums
    }

    /// One school's comparison: per subject family, its pass rate over the works it has in both years, before and now.
    public struct Comparison: Sendable {
        public let russian: (before: Share, now: Share)?
        public let mathematics: (before: Share, now: Share)?

        public var hasData: Bool { russian != nil && mathematics != nil }

        /// Rose in both; a subject without a comparable work is not a rise.
        public var improved: Bool {
            guard let russian, let mathematics else { return false }
            return Self.rose(russian) && Self.rose(mathematics)
        }

        static func rose(_ pair: (before: Share, now: Share)) -> Bool {
            // Compared as fractions (a·d > c·b), so equal rates over different counts are not a rise by rounding.
            pair.now.count * pair.before.base > pair.before.count * pair.now.base
        }
    }

    public static func compare(school: Int, now: [FormulaResult], before: [FormulaResult]) -> Comparison {
        let current = byWork(now, school: school), previous = byWork(before, school: school)
        func pooled(_ family: String) -> (before: Share, now: Share)? {
            let common = current.keys.filter { Self.family($0.subject) == family && previous[$0] != nil }
            guard !common.isEmpty else { return nil }
            func share(_ sums: [Work: (passed: Int, all: Int)]) -> Share {
                Share(count: common.reduce(0) { $0 + sums[$1]!.passed }, base: common.reduce(0) { $0 + sums[$1]!.all })
            }
            return (share(previous), share(current))
        }
        return Comparison(russian: pooled("rus"), mathematics: pooled("math"))
    }

    /// Improved listed schools of all listed schools; nil when no listed school has a comparable work at all
    /// (nothing loaded is «нет данных», not 0 %).
    public static func share(listed: Set<Int>, now: [FormulaResult], before: [FormulaResult]) -> Share? {
        guard !listed.isEmpty else { return nil }
        let comparisons = listed.map { compare(school: $0, now: now, before: before) }
        guard comparisons.contains(where: { $0.russian != nil || $0.mathematics != nil }) else { return nil }
        return Share(count: comparisons.filter(\.improved).count, base: listed.count)
    }
}

/// An indicator value a person entered, set against what Opora computes from the data it holds.
public enum IndicatorAgreement {
    /// The note a figure carries when the two differ as printed (to 0,1): both values, so a reader sees which to trust.
    public static func note(entered: Double?, computed: Share?) -> String? {
        guard let entered, let computed, let rate = computed.rate else { return nil }
        guard DisplayRounding.rounded(entered, digits: 1) != DisplayRounding.rounded(rate, digits: 1) else { return nil }
        return "внесено \(RussianFormat.number(entered)) %, по данным Опоры \(RussianFormat.number(rate)) % "
            + "(\(computed.count) из \(computed.base)): внесённое значение расходится с расчётом — проверьте его"
    }
}
