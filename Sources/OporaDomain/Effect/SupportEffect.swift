import Foundation

/// The measure an effect is judged on (CONTRACT.md, `opora effect --metric`). Each is read from a `ResultPool`, never
/// re-derived: the share of «2» (for ЕГЭ the share below the minimum), success and quality.
public enum EffectMetric: String, Sendable, Hashable, CaseIterable, Codable {
    case belowMinRate = "below_min_rate"
    case successRate = "success_rate"
    case qualityRate = "quality_rate"

    public var russianName: String {
        switch self {
        case .belowMinRate: "доля «2» (ниже порога)"
        case .successRate: "успеваемость"
        case .qualityRate: "качество знаний"
        }
    }

    /// Whether a fall of the value is an improvement (fewer «2» is better, more success is better).
    public var lowerIsBetter: Bool { self == .belowMinRate }

    /// The metric's pupils and base in a pool: what a group's value is pooled from.
    public func share(of pool: ResultPool) -> Share? {
        switch self {
        case .belowMinRate: pool.belowMin
        case .successRate: pool.success
        case .qualityRate: pool.quality
        }
    }

    public init?(parsing text: String) {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        self.init(rawValue: key)
    }
}

/// One school's results for the window: its pool for each year it has results of the procedure.
public struct EffectSchool: Sendable, Hashable {
    public var schoolID: Int
    /// Year → the pool of every grade and subject of the procedure that year.
    public var years: [Int: ResultPool]

    public init(schoolID: Int, years: [Int: ResultPool]) {
        self.schoolID = schoolID
        self.years = years
    }

    public func share(_ metric: EffectMetric, year: Int) -> Share? {
        guard let pool = years[year], let share = metric.share(of: pool), share.base > 0 else { return nil }
        return share
    }
}

/// Which group a school is in.
public enum EffectGroupKind: String, Sendable, Hashable, Codable {
    case supported
    case comparison
}

/// A group's figures: pooled from its pupils, before (`--from`) and after (`--to`), and for every year of the window.
public struct EffectGroup: Sendable, Hashable {
    public var schoolIDs: [Int]
    public var before: Double?
    public var after: Double?
    /// Year → the group's pooled value over its schools having results that year (the chart).
    public var byYear: [Int: Double]

    public var schools: Int { schoolIDs.count }
    public var change: Double? { Metrics.difference(after, before) }
}

/// A school's line: its group and its own values.
public struct EffectSchoolLine: Sendable, Hashable {
    public var schoolID: Int
    public var group: EffectGroupKind
    public var before: Double
    public var after: Double
}

/// The difference in differences with its interval.
public struct EffectEstimate: Sendable, Hashable {
    public var supported: EffectGroup
    public var comparison: EffectGroup
    /// Supported change − comparison change, in percentage points; nil when a group is empty.
    public var effect: Double?
    /// The 95 % percentile bootstrap interval over schools; nil when a group is empty.
    public var interval: EffectInterval?
    /// False when either group has fewer than `SupportEffect.minimumSchools` schools: too few to judge.
    public var enough: Bool
}

public struct EffectInterval: Sendable, Hashable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}

/// The whole answer: the main comparison, the supported schools' range of `--from` values, each school's line, and the
/// sensitivity variant (every unlisted school with results in both years as the comparison).
public struct EffectAnalysis: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public var metric: EffectMetric
    public var main: EffectEstimate
    public var sensitivity: EffectEstimate
    /// The lowest and highest `--from` value of the supported schools: the comparison's admission range.
    public var range: ClosedRange<Double>?
    public var lines: [EffectSchoolLine]
}

/// «Did the support work?» (CONTRACT.md, `opora effect`). A before/after of schools chosen for low results overstates any
/// effect (regression to the mean: a bad year tends to be followed by a better one whatever is done), so the supported
/// schools' change is set against the change of comparable schools that were never supported: difference in
/// differences, with a bootstrap interval over schools. The one rule the command, the page and the report ask.
public enum SupportEffect {
    /// Below this many schools in either group the answer is «недостаточно школ, чтобы судить».
    public static let minimumSchools = 5
    public static let defaultResamples = 2_000
    /// Fixed, so the same data always give the same interval.
    public static let defaultSeed: UInt64 = 20_211

    /// - Parameters:
    ///   - schools: every school of the scope with its pools (schools without results simply have none).
    ///   - listed: year → the schools on the list in force that year (years without an order map to an empty set or are absent).
    public static func analyse(
        from: Int, to: Int, metric: EffectMetric, schools: [EffectSchool], listed: [Int: Set<Int>],
        resamples: Int = defaultResamples, seed: UInt64 = defaultSeed
    ) -> EffectAnalysis {
        let ordered = schools.sorted { $0.schoolID < $1.schoolID }
        let withBoth = ordered.filter { $0.share(metric, year: from) != nil && $0.share(metric, year: to) != nil }
        let supportedSet = listed[from] ?? []
        let everListed = (from...max(from, to)).reduce(into: Set<Int>()) { $0.formUnion(listed[$1] ?? []) }
        let supported = withBoth.filter { supportedSet.contains($0.schoolID) }
        let unlisted = withBoth.filter { !everListed.contains($0.schoolID) }
        let range = admissionRange(supported.compactMap { $0.share(metric, year: from)?.rate })
        let comparison = unlisted.filter { school in
            guard let range, let value = school.share(metric, year: from)?.rate else { return false }
            return range.contains(value)
        }
        let main = estimate(supported: supported, comparison: comparison, from: from, to: to, metric: metric,
                            resamples: resamples, seed: seed)
        let sensitivity = estimate(supported: supported, comparison: unlisted, from: from, to: to, metric: metric,
                                   resamples: resamples, seed: seed)
        func line(_ school: EffectSchool, _ group: EffectGroupKind) -> EffectSchoolLine {
            EffectSchoolLine(schoolID: school.schoolID, group: group, before: school.share(metric, year: from)!.rate!,
                             after: school.share(metric, year: to)!.rate!)
        }
        let lines = supported.map { line($0, .supported) } + comparison.map { line($0, .comparison) }
        return EffectAnalysis(from: from, to: to, metric: metric, main: main, sensitivity: sensitivity, range: range, lines: lines)
    }

    /// Lowest … highest; a value is compared after rounding noise away, so a school at the boundary is in range.
    static func admissionRange(_ values: [Double]) -> ClosedRange<Double>? {
        guard let low = values.min(), let high = values.max() else { return nil }
        return (low - 1e-9)...(high + 1e-9)
    }

    /// Pupils pooled over schools: the sum of their counts over the sum of their bases (a group's share, not a mean of
    /// school shares). The same as one `ResultPool` over all the schools' groups, because each school's share is already
    /// the sum over its own groups.
    public static func pooled(_ shares: [Share]) -> Double? {
        Share(count: shares.reduce(0) { $0 + $1.count }, base: shares.reduce(0) { $0 + $1.base }).rate
    }

    static func group(_ schools: [EffectSchool], from: Int, to: Int, metric: EffectMetric) -> EffectGroup {
        var byYear: [Int: Double] = [:]
        for year in min(from, to)...max(from, to) {
            byYear[year] = pooled(schools.compactMap { $0.share(metric, year: year) })
        }
        return EffectGroup(
            schoolIDs: schools.map(\.schoolID), before: pooled(schools.compactMap { $0.share(metric, year: from) }),
            after: pooled(schools.compactMap { $0.share(metric, year: to) }), byYear: byYear)
    }

    static func estimate(
        supported: [EffectSchool], comparison: [EffectSchool], from: Int, to: Int, metric: EffectMetric, resamples: Int, seed: UInt64
    ) -> EffectEstimate {
        let supportedGroup = group(supported, from: from, to: to, metric: metric)
        let comparisonGroup = group(comparison, from: from, to: to, metric: metric)
        let effect = difference(supportedGroup, comparisonGroup)
        let enough = supported.count >= minimumSchools && comparison.count >= minimumSchools
        var interval: EffectInterval?
        if effect != nil {
            interval = bootstrap(
                supported: supported.map { pair($0, from: from, to: to, metric: metric) },
                comparison: comparison.map { pair($0, from: from, to: to, metric: metric) }, resamples: resamples, seed: seed)
        }
        return EffectEstimate(supported: supportedGroup, comparison: comparisonGroup, effect: effect, interval: interval, enough: enough)
    }

    static func difference(_ supported: EffectGroup, _ comparison: EffectGroup) -> Double? {
        guard let supportedChange = supported.change, let comparisonChange = comparison.change else { return nil }
        return supportedChange - comparisonChange
    }

    /// A school's counts before and after, as integers for the resampling loop.
    struct CountPair {
        var beforeCount: Int, beforeBase: Int, afterCount: Int, afterBase: Int
    }

    static func pair(_ school: EffectSchool, from: Int, to: Int, metric: EffectMetric) -> CountPair {
        let before = school.share(metric, year: from)!, after = school.share(metric, year: to)!
        return CountPair(beforeCount: before.count, beforeBase: before.base, afterCount: after.count, afterBase: after.base)
    }

    /// The 95 % percentile bootstrap: schools are drawn with replacement within each group, the pooled difference in
    /// differences recomputed each time; the interval runs from the 2.5th to the 97.5th percentile of those.
    static func bootstrap(supported: [CountPair], comparison: [CountPair], resamples: Int, seed: UInt64) -> EffectInterval? {
        guard !supported.isEmpty, !comparison.isEmpty, resamples > 0 else { return nil }
        var random = SeededRandom(seed: seed)
        func change(_ pairs: [CountPair]) -> Double {
            var beforeCount = 0, beforeBase = 0, afterCount = 0, afterBase = 0
            for _ in 0..<pairs.count {
                let pair = pairs[Int(random.next() % UInt64(pairs.count))]
                beforeCount += pair.beforeCount
                beforeBase += pair.beforeBase
                afterCount += pair.afterCount
                afterBase += pair.afterBase
            }
            return (Double(afterCount) / Double(afterBase) - Double(beforeCount) / Double(beforeBase)) * 100
        }
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let supportedChange = change(supported)
            estimates.append(supportedChange - change(comparison))
        }
        estimates.sort()
        return EffectInterval(lower: percentile(estimates, 0.025), upper: percentile(estimates, 0.975))
    }

    /// Linear interpolation between order statistics (sorted input).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}

/// The answer in plain Russian, the same on the page, in the command's table and in «Итоги программы».
public enum EffectWording {
    public static let tooFew = "недостаточно школ, чтобы судить"

    public static func verdict(_ estimate: EffectEstimate, metric: EffectMetric? = nil) -> String {
        guard let effect = estimate.effect else {
            return "Нет данных для сравнения: в одной из групп нет школ с результатами в оба года."
        }
        guard estimate.enough else {
            return "Эффект: \(tooFew) (поддержанных школ \(estimate.supported.schools), сопоставимых "
                + "\(estimate.comparison.schools); нужно не меньше \(SupportEffect.minimumSchools) в каждой группе)."
        }
        var text = "Эффект поддержки: \(RussianFormat.signedDifference(effect)) п. п."
        if let interval = estimate.interval {
            text += " (95 % интервал от \(RussianFormat.signedDifference(interval.lower)) до "
                + "\(RussianFormat.signedDifference(interval.upper)))"
            if interval.contains(0) {
                text += ": разница в пределах случайных колебаний, о действии поддержки судить нельзя."
            } else if let metric {
                let better = metric.lowerIsBetter ? interval.upper < 0 : interval.lower > 0
                text += better
                    ? ": поддержанные школы улучшились больше сопоставимых." : ": поддержанные школы изменились хуже сопоставимых."
            } else {
                text += "."
            }
        } else {
            text += "."
        }
        return text
    }

    /// Why a before/after alone is not the answer, and how the comparison is made (the page, the docs, the report).
    public static let method: [String] = [
        "Школы попадают в перечень из-за низких результатов одного года. Такой год часто бывает неудачным случайно, и на "
            + "следующий год результаты в среднем становятся лучше сами по себе — это называется регрессией к среднему. "
            + "Поэтому сравнение «до и после» у одних только поддержанных школ завышает эффект поддержки.",
        "Чтобы это учесть, изменение поддержанных школ (в перечне в силе на первый год окна) сравнивается с изменением "
            + "сопоставимых школ: они не были ни в одном перечне за все годы окна, имеют результаты в оба года, а их "
            + "показатель в первый год лежит в пределах от наименьшего до наибольшего значения поддержанных школ.",
        "Значение группы — доля её учеников по всем классам и предметам процедуры за год (а не среднее долей школ). "
            + "Эффект — изменение поддержанных минус изменение сопоставимых, в процентных пунктах (разность разностей).",
        "95 % интервал получен бутстрепом: школы каждой группы 2 000 раз выбираются случайно с возвращением, эффект "
            + "пересчитывается; границы — 2,5-й и 97,5-й процентили. Если интервал содержит ноль, разница может быть случайной.",
        "Если в какой-либо группе меньше пяти школ, вывод не делается: «недостаточно школ, чтобы судить». "
            + "Строка чувствительности показывает тот же расчёт со всеми школами вне перечней как группой сравнения.",
    ]
}
