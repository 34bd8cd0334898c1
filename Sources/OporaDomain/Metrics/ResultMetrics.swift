/// Counts for one group (school × procedure × year × grade × subject), as imported or as derived from students.
public struct ResultCounts: Sendable, Hashable, Codable {
    public var participants: Int
    public var m2: Int?
    public var m3: Int?
    public var m4: Int?
    public var m5: Int?
    public var belowMin: Int?
    public var high: Int?
    public var meanScore: Double?
    public var lowered: Int?
    public var confirmed: Int?
    public var raised: Int?

    public init(participants: Int, m2: Int? = nil, m3: Int? = nil, m4: Int? = nil, m5: Int? = nil, belowMin: Int? = nil,
                high: Int? = nil, meanScore: Double? = nil, lowered: Int? = nil, confirmed: Int? = nil, raised: Int? = nil) {
        self.participants = participants
        self.m2 = m2
        self.m3 = m3
        self.m4 = m4
        self.m5 = m5
        self.belowMin = belowMin
        self.high = high
        self.meanScore = meanScore
        self.lowered = lowered
        self.confirmed = confirmed
        self.raised = raised
    }

    public var hasMarks: Bool { m2 != nil || m3 != nil || m4 != nil || m5 != nil }
    public var markTotal: Int { (m2 ?? 0) + (m3 ?? 0) + (m4 ?? 0) + (m5 ?? 0) }
    public var hasObjectivity: Bool { lowered != nil || confirmed != nil || raised != nil }
    public var objectivityTotal: Int { (lowered ?? 0) + (confirmed ?? 0) + (raised ?? 0) }
}

/// The standard metrics of GUIDE §4. Rates are percentages 0–100; a metric without data is nil.
public struct ResultMetrics: Sendable, Hashable, Codable {
    public var participants: Int
    /// Успеваемость: (n3 + n4 + n5) / N.
    public var successRate: Double?
    /// Качество знаний: (n4 + n5) / N.
    public var qualityRate: Double?
    /// Средняя отметка: (2·n2 + 3·n3 + 4·n4 + 5·n5) / N.
    public var meanMark: Double?
    /// СОУ: (1,00·n5 + 0,64·n4 + 0,36·n3 + 0,16·n2) / N.
    public var sou: Double?
    public var belowMinRate: Double?
    public var meanScore: Double?
    public var highRate: Double?
    public var loweredRate: Double?
    public var confirmedRate: Double?
    public var raisedRate: Double?

    public init(participants: Int, successRate: Double? = nil, qualityRate: Double? = nil, meanMark: Double? = nil, sou: Double? = nil,
                belowMinRate: Double? = nil, meanScore: Double? = nil, highRate: Double? = nil, loweredRate: Double? = nil,
                confirmedRate: Double? = nil, raisedRate: Double? = nil) {
        self.participants = participants
        self.successRate = successRate
        self.qualityRate = qualityRate
        self.meanMark = meanMark
        self.sou = sou
        self.belowMinRate = belowMinRate
        self.meanScore = meanScore
        self.highRate = highRate
        self.loweredRate = loweredRate
        self.confirmedRate = confirmedRate
        self.raisedRate = raisedRate
    }

    /// A rate over fewer than `minimum` participants must be shown as a small group (GUIDE §4).
    public func isSmallGroup(minimum: Int = Metrics.defaultMinimumGroup) -> Bool { participants < minimum }
}

public enum Metrics {
    public static let defaultMinimumGroup = 10

    public static func compute(_ counts: ResultCounts, procedure: ProcedureCode) -> ResultMetrics {
        let n = counts.participants
        var metrics = ResultMetrics(participants: n)
        guard n > 0 else { return metrics }
        let total = Double(n)
        if counts.hasMarks {
            let n2 = Double(counts.m2 ?? 0), n3 = Double(counts.m3 ?? 0), n4 = Double(counts.m4 ?? 0), n5 = Double(counts.m5 ?? 0)
            metrics.successRate = (n3 + n4 + n5) / total * 100
            metrics.qualityRate = (n4 + n5) / total * 100
            // The mean mark is over those who have a mark; with complete counts that is N.
            let marked = n2 + n3 + n4 + n5
            metrics.meanMark = marked > 0 ? (2 * n2 + 3 * n3 + 4 * n4 + 5 * n5) / marked : nil
            metrics.sou = (1.00 * n5 + 0.64 * n4 + 0.36 * n3 + 0.16 * n2) / total * 100
        }
        if let belowMin = counts.belowMin {
            metrics.belowMinRate = Double(belowMin) / total * 100
        } else if procedure.belowMinimumByMark, counts.hasMarks {
            metrics.belowMinRate = Double(counts.m2 ?? 0) / total * 100
        }
        metrics.meanScore = counts.meanScore
        metrics.highRate = counts.high.map { Double($0) / total * 100 }
        if counts.hasObjectivity, counts.objectivityTotal > 0 {
            let compared = Double(counts.objectivityTotal)
            metrics.loweredRate = Double(counts.lowered ?? 0) / compared * 100
            metrics.confirmedRate = Double(counts.confirmed ?? 0) / compared * 100
            metrics.raisedRate = Double(counts.raised ?? 0) / compared * 100
        }
        return metrics
    }

    /// Средний балл по основным предметам: the mean of the Russian and mathematics means (seed 003).
    public static func mainSubjectsMean(russian: Double?, mathematics: Double?) -> Double? {
        guard let russian, let mathematics else { return nil }
        return (russian + mathematics) / 2
    }

    /// Wilson score interval (95 % by default) for `successes` of `n`, in percent: honest about small groups.
    public static func wilsonInterval(successes: Int, of n: Int, z: Double = 1.959964) -> (lower: Double, upper: Double)? {
        guard n > 0, successes >= 0, successes <= n else { return nil }
        let p = Double(successes) / Double(n), count = Double(n), z2 = z * z
        let centre = (p + z2 / (2 * count)) / (1 + z2 / count)
        let half = z * ((p * (1 - p) / count + z2 / (4 * count * count)).squareRoot()) / (1 + z2 / count)
        return (max(0, centre - half) * 100, min(1, centre + half) * 100)
    }

    /// Difference in percentage points (school − comparison), nil when either is missing.
    public static func difference(_ value: Double?, _ comparison: Double?) -> Double? {
        guard let value, let comparison else { return nil }
        return value - comparison
    }
}

extension ResultCounts {
    /// Sums groups (a municipality from its schools). Mean scores are weighted by participants.
    public static func combined(_ groups: [ResultCounts]) -> ResultCounts {
        func sum(_ key: KeyPath<ResultCounts, Int?>) -> Int? {
            let values = groups.compactMap { $0[keyPath: key] }
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        let participants = groups.map(\.participants).reduce(0, +)
        let scored = groups.filter { $0.meanScore != nil }
        let scoredParticipants = scored.map(\.participants).reduce(0, +)
        let meanScore = scoredParticipants > 0 ? scored.map { $0.meanScore! * Double($0.participants) }.reduce(0, +) / Double(scoredParticipants) : nil
        return ResultCounts(participants: participants, m2: sum(\.m2), m3: sum(\.m3), m4: sum(\.m4), m5: sum(\.m5), belowMin: sum(\.belowMin),
                            high: sum(\.high), meanScore: meanScore, lowered: sum(\.lowered), confirmed: sum(\.confirmed), raised: sum(\.raised))
    }

    /// Pupils with «3», «4» or «5» (for the interval of the success rate).
    public var successCount: Int? { hasMarks ? (m3 ?? 0) + (m4 ?? 0) + (m5 ?? 0) : nil }
}
