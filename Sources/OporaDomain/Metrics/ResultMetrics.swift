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

/// A rate with what it is a rate of: `count` of `base` participants.
public struct Share: Sendable, Hashable {
    public let count: Int
    public let base: Int

    public init(count: Int, base: Int) {
        self.count = count
        self.base = base
    }

    public var rate: Double? { base > 0 ? Double(count) / Double(base) * 100 : nil }

    /// The 95 % Wilson interval of the rate, in percent.
    public var interval: (lower: Double, upper: Double)? { Metrics.wilsonInterval(successes: count, of: base) }
}

/// Groups taken together (one group, a municipality from its schools, grades or subjects pooled for
/// identification). Each measure counts only the groups that report it: a school that sent participants
/// without marks neither adds nor dilutes the success rate, so pooled and municipal rates are neither too
/// low nor too high when sources are mixed. This is the one place metrics are computed.
public struct ResultPool: Sendable, Hashable {
    public let participants: Int
    /// «3», «4», «5» of the participants of groups with mark counts.
    public let success: Share?
    /// «4», «5» of the same.
    public let quality: Share?
    /// «2» of the same.
    public let failure: Share?
    /// Below the minimum: the column where a group has it, else its «2» where a «2» means below the minimum.
    public let belowMin: Share?
    public let high: Share?
    /// Compared with the term mark: lowered, confirmed, raised of the works compared.
    public let lowered: Share?
    public let confirmed: Share?
    public let raised: Share?
    public let meanMark: Double?
    public let sou: Double?
    public let meanScore: Double?
    /// The marks of the groups that report them, summed (for a distribution chart).
    public let marks: ResultCounts?

    public init(_ groups: [ResultCounts], procedure: ProcedureCode, subject: String) {
        self.init(groups.map { ($0, procedure, subject) })
    }

    /// Groups of different works (Russian with mathematics, several grades): each judged by its own rules.
    public init(_ works: [(counts: ResultCounts, procedure: ProcedureCode, subject: String)]) {
        let groups = works.map(\.counts)
        let byMark = works.map { $0.procedure.judgesMinimumByMark(subject: $0.subject) }
        participants = groups.reduce(0) { $0 + $1.participants }
        let marked = groups.filter(\.hasMarks)
        let markedBase = marked.reduce(0) { $0 + $1.participants }
        func share(_ groups: [ResultCounts], base: Int, _ count: (ResultCounts) -> Int) -> Share? {
            groups.isEmpty ? nil : Share(count: groups.reduce(0) { $0 + count($1) }, base: base)
        }
        success = share(marked, base: markedBase) { ($0.m3 ?? 0) + ($0.m4 ?? 0) + ($0.m5 ?? 0) }
        quality = share(marked, base: markedBase) { ($0.m4 ?? 0) + ($0.m5 ?? 0) }
        failure = share(marked, base: markedBase) { $0.m2 ?? 0 }
        let judged = zip(groups, byMark).filter { $0.belowMin != nil || ($1 && $0.hasMarks) }.map(\.0)
        belowMin = share(judged, base: judged.reduce(0) { $0 + $1.participants }) { $0.belowMin ?? $0.m2 ?? 0 }
        let highs = groups.filter { $0.high != nil }
        high = share(highs, base: highs.reduce(0) { $0 + $1.participants }) { $0.high ?? 0 }
        let compared = groups.filter { $0.hasObjectivity && $0.objectivityTotal > 0 }
        let comparedBase = compared.reduce(0) { $0 + $1.objectivityTotal }
        lowered = share(compared, base: comparedBase) { $0.lowered ?? 0 }
        confirmed = share(compared, base: comparedBase) { $0.confirmed ?? 0 }
        raised = share(compared, base: comparedBase) { $0.raised ?? 0 }
        if markedBase > 0 {
            let n2 = Double(marked.reduce(0) { $0 + ($1.m2 ?? 0) }), n3 = Double(marked.reduce(0) { $0 + ($1.m3 ?? 0) })
            let n4 = Double(marked.reduce(0) { $0 + ($1.m4 ?? 0) }), n5 = Double(marked.reduce(0) { $0 + ($1.m5 ?? 0) })
            // The mean mark is over those who have a mark; with complete counts that is N.
            let withMark = n2 + n3 + n4 + n5
            meanMark = withMark > 0 ? (2 * n2 + 3 * n3 + 4 * n4 + 5 * n5) / withMark : nil
            sou = (1.00 * n5 + 0.64 * n4 + 0.36 * n3 + 0.16 * n2) / Double(markedBase) * 100
            marks = ResultCounts(participants: markedBase, m2: Int(n2), m3: Int(n3), m4: Int(n4), m5: Int(n5))
        } else {
            meanMark = nil
            sou = nil
            marks = nil
        }
        // Mean scores are weighted by participants.
        let scored = groups.filter { $0.meanScore != nil && $0.participants > 0 }
        let scoredBase = scored.reduce(0) { $0 + $1.participants }
        meanScore = scoredBase > 0 ? scored.reduce(0.0) { $0 + $1.meanScore! * Double($1.participants) } / Double(scoredBase) : nil
    }

    /// The same measures as rates.
    public var metrics: ResultMetrics {
        ResultMetrics(participants: participants, successRate: success?.rate, qualityRate: quality?.rate, meanMark: meanMark, sou: sou,
                      belowMinRate: belowMin?.rate, meanScore: meanScore, highRate: high?.rate, loweredRate: lowered?.rate,
                      confirmedRate: confirmed?.rate, raisedRate: raised?.rate)
    }
}

public enum Metrics {
    public static let defaultMinimumGroup = 10

    public static func compute(_ counts: ResultCounts, procedure: ProcedureCode, subject: String) -> ResultMetrics {
        ResultPool([counts], procedure: procedure, subject: subject).metrics
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
    /// Pupils with «3», «4» or «5» (for the interval of the success rate).
    public var successCount: Int? { hasMarks ? (m3 ?? 0) + (m4 ?? 0) + (m5 ?? 0) : nil }
}
