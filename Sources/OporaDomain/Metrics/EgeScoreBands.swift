/// A band of ЕГЭ test scores as seed 003 prints them: «0-23», «24-39», … «100».
public struct ScoreBand: Sendable, Hashable {
    public let lower: Int
    public let upper: Int

    public init(_ lower: Int, _ upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    /// «0–23», or «100» for a band of one score.
    public var label: String { lower == upper ? "\(lower)" : "\(lower)–\(upper)" }
}

/// The distribution of ЕГЭ test scores by bands (seed 003, «Результаты ЕГЭ по предметам»): the one rule for which
/// band a score falls in and which rows count. Scores are whole numbers 0–100; a score between two bands' bounds
/// (a fraction from a converted file) belongs to the band whose lower bound it has reached.
public enum EgeScoreBands {
    public static let ege: [ScoreBand] = [
        ScoreBand(0, 23), ScoreBand(24, 39), ScoreBand(40, 49), ScoreBand(50, 59), ScoreBand(60, 69),
        ScoreBand(70, 79), ScoreBand(80, 89), ScoreBand(90, 99), ScoreBand(100, 100),
    ]

    /// The band's position in `ege`; nil for no score or one outside 0–100 (such a row is not counted in a band).
    public static func index(of score: Double?) -> Int? {
        guard let score, score.isFinite, score >= 0, score <= 100 else { return nil }
        return ege.lastIndex { Double($0.lower) <= score }
    }
}

/// One school's (or a total's) pupils of a work by score band, with those who have no score counted apart: a
/// pupil without a score is neither in a band nor in the mean.
public struct BandCounts: Sendable, Hashable {
    public private(set) var bands: [Int]
    public private(set) var withoutScore: Int
    private var scoreSum: Double

    public init() {
        bands = Array(repeating: 0, count: EgeScoreBands.ege.count)
        withoutScore = 0
        scoreSum = 0
    }

    public static func count(_ students: [StudentResult]) -> BandCounts {
        var counts = BandCounts()
        for student in students { counts.add(student.score) }
        return counts
    }

    public mutating func add(_ score: Double?) {
        guard let index = EgeScoreBands.index(of: score), let score else {
            withoutScore += 1
            return
        }
        bands[index] += 1
        scoreSum += score
    }

    /// Pupils with a score: «Кол-во уч-ков» of seed 003 (the sum of the bands).
    public var scored: Int { bands.reduce(0, +) }

    /// «Ср. балл»: the mean of the scores counted in the bands.
    public var meanScore: Double? { scored == 0 ? nil : scoreSum / Double(scored) }

    /// The municipality's row: the schools' pupils added together (the mean over all pupils, not of the means).
    public static func total(_ rows: [BandCounts]) -> BandCounts {
        var total = BandCounts()
        for row in rows {
            for index in total.bands.indices { total.bands[index] += row.bands[index] }
            total.withoutScore += row.withoutScore
            total.scoreSum += row.scoreSum
        }
        return total
    }
}

/// One school's ОГЭ (or any marked work's) counts of «2»…«5» and of pupils below the minimum (seed 003's ГВЭ/ОГЭ
/// tables: «Кол-во уч-ов», «2», «3», «4», «5», «Средняя отметка»). Nil when the counts hold no marks: that school
/// reads «нет данных», never a row of zeros.
public struct MarkCounts: Sendable, Hashable {
    public let participants: Int
    public let marks: [Int]
    /// Pupils below the minimum; nil when the source does not say.
    public let belowMin: Int?

    public init(participants: Int, m2: Int, m3: Int, m4: Int, m5: Int, belowMin: Int?) {
        self.participants = participants
        marks = [m2, m3, m4, m5]
        self.belowMin = belowMin
    }

    public init?(_ counts: ResultCounts) {
        guard counts.hasMarks else { return nil }
        self.init(participants: counts.participants, m2: counts.m2 ?? 0, m3: counts.m3 ?? 0, m4: counts.m4 ?? 0,
                  m5: counts.m5 ?? 0, belowMin: counts.belowMin)
    }

    /// «Средняя отметка» over the pupils with a mark.
    public var meanMark: Double? {
        let marked = marks.reduce(0, +)
        guard marked > 0 else { return nil }
        return Double(zip(2...5, marks).reduce(0) { $0 + $1.0 * $1.1 }) / Double(marked)
    }

    /// The total row: every school's counts added; pupils below the minimum only if every school reports them.
    public static func total(_ rows: [MarkCounts]) -> MarkCounts {
        let below = rows.allSatisfy { $0.belowMin != nil } ? rows.reduce(0) { $0 + ($1.belowMin ?? 0) } : nil
        func sum(_ index: Int) -> Int { rows.reduce(0) { $0 + $1.marks[index] } }
        return MarkCounts(participants: rows.reduce(0) { $0 + $1.participants }, m2: sum(0), m3: sum(1), m4: sum(2),
                          m5: sum(3), belowMin: rows.isEmpty ? nil : below)
    }
}
