/// One student's row of a work (coded, never named).
public struct StudentResult: Sendable, Hashable {
    public var mark: Int?
    public var termMark: Int?
    public var score: Double?
    public var primaryScore: Double?

    public init(mark: Int? = nil, termMark: Int? = nil, score: Double? = nil, primaryScore: Double? = nil) {
        self.mark = mark
        self.termMark = termMark
        self.score = score
        self.primaryScore = primaryScore
    }
}

/// Minimum and high scores for a procedure × subject × year (× grade).
public struct ScoreThreshold: Sendable, Hashable, Codable {
    public var minScore: Double
    public var highScore: Double?

    public init(minScore: Double, highScore: Double? = nil) {
        self.minScore = minScore
        self.highScore = highScore
    }
}

/// Accumulates students into counts; the same rules the SQL aggregate in the data module uses.
public struct StudentAccumulator: Sendable {
    public let procedure: ProcedureCode
    /// Whether a «2» is below the minimum for this work (see `ProcedureCode.judgesMinimumByMark`).
    let byMark: Bool
    public let threshold: ScoreThreshold?
    public private(set) var counts = ResultCounts(participants: 0)
    private var scoreSum = 0.0
    private var scored = 0

    public init(procedure: ProcedureCode, subject: String, threshold: ScoreThreshold?) {
        self.procedure = procedure
        byMark = procedure.judgesMinimumByMark(subject: subject)
        self.threshold = threshold
    }

    public mutating func add(_ student: StudentResult) {
        counts.participants += 1
        if let mark = student.mark {
            switch mark {
            case 2: counts.m2 = (counts.m2 ?? 0) + 1
            case 3: counts.m3 = (counts.m3 ?? 0) + 1
            case 4: counts.m4 = (counts.m4 ?? 0) + 1
            case 5: counts.m5 = (counts.m5 ?? 0) + 1
            default: break
            }
        }
        if Self.isBelowMinimum(student, byMark: byMark, threshold: threshold) { counts.belowMin = (counts.belowMin ?? 0) + 1 }
        else if canJudgeMinimum(student) { counts.belowMin = counts.belowMin ?? 0 }
        if let score = student.score {
            scoreSum += score
            scored += 1
            counts.meanScore = scoreSum / Double(scored)
            if let high = threshold?.highScore {
                counts.high = (counts.high ?? 0) + (score >= high ? 1 : 0)
            }
        }
        if let mark = student.mark, let term = student.termMark {
            if mark < term { counts.lowered = (counts.lowered ?? 0) + 1 }
            else if mark == term { counts.confirmed = (counts.confirmed ?? 0) + 1 }
            else { counts.raised = (counts.raised ?? 0) + 1 }
            counts.lowered = counts.lowered ?? 0
            counts.confirmed = counts.confirmed ?? 0
            counts.raised = counts.raised ?? 0
        }
        if counts.hasMarks {
            counts.m2 = counts.m2 ?? 0; counts.m3 = counts.m3 ?? 0; counts.m4 = counts.m4 ?? 0; counts.m5 = counts.m5 ?? 0
        }
    }

    private func canJudgeMinimum(_ student: StudentResult) -> Bool {
        (byMark && student.mark != nil) || (threshold != nil && student.score != nil)
    }

    /// CONTRACT.md: below the minimum when mark = 2 (ВПР, ОГЭ, ГВЭ, TERM) or, with a threshold, score < min_score.
    static func isBelowMinimum(_ student: StudentResult, byMark: Bool, threshold: ScoreThreshold?) -> Bool {
        if byMark, student.mark == 2 { return true }
        if let threshold, let score = student.score, score < threshold.minScore { return true }
        return false
    }

    public static func aggregate(
        _ students: [StudentResult], procedure: ProcedureCode, subject: String, threshold: ScoreThreshold?
    ) -> ResultCounts {
        var accumulator = StudentAccumulator(procedure: procedure, subject: subject, threshold: threshold)
        for student in students { accumulator.add(student) }
        return accumulator.counts
    }
}

/// The thresholds in force, by procedure × subject × year; a grade's own row wins over the every-grade row
/// (grade 0), column by column, as in CONTRACT.md.
public struct ThresholdTable: Sendable {
    public struct Key: Hashable, Sendable {
        public let year: Int, procedure: ProcedureCode, subject: String, grade: Int
        public init(year: Int, procedure: ProcedureCode, subject: String, grade: Int) {
            self.year = year
            self.procedure = procedure
            self.subject = subject
            self.grade = grade
        }
    }

    var entries: [Key: ScoreThreshold] = [:]

    public init(_ entries: [Key: ScoreThreshold] = [:]) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }

    public func threshold(for work: WorkKey) -> ScoreThreshold? {
        let own = entries[Key(year: work.year, procedure: work.procedure, subject: work.subject, grade: work.grade)]
        let general = entries[Key(year: work.year, procedure: work.procedure, subject: work.subject, grade: 0)]
        guard let minimum = own?.minScore ?? general?.minScore else { return nil }
        return ScoreThreshold(minScore: minimum, highScore: own?.highScore ?? general?.highScore)
    }
}
