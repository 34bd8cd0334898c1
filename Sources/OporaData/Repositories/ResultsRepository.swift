import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The counts of one school's work, whichever grain they came from.
public struct SchoolWorkResult: Sendable, Hashable {
    public enum Source: String, Sendable { case students, aggregate }

    public let schoolID: Int
    public let work: WorkKey
    public let counts: ResultCounts
    public let source: Source

    public func metrics() -> ResultMetrics { Metrics.compute(counts, procedure: work.procedure) }
}

public struct ResultFilter: Sendable, Hashable {
    public var year: Int?
    public var procedure: ProcedureCode?
    public var grade: Int?
    public var subject: String?
    public var schoolIDs: [Int]?

    public init(year: Int? = nil, procedure: ProcedureCode? = nil, grade: Int? = nil, subject: String? = nil, schoolIDs: [Int]? = nil) {
        self.year = year
        self.procedure = procedure
        self.grade = grade
        self.subject = subject
        self.schoolIDs = schoolIDs
    }
}

/// Reads results: per-student rows aggregated in SQL (the same rules as `StudentAccumulator`), and
/// aggregated rows for the works that have no student rows.
public struct ResultsRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public func results(_ filter: ResultFilter, scope: AccessScope) async throws -> [SchoolWorkResult] {
        let sql = db as! any SQLDatabase
        var allowed = filter.schoolIDs.map(Set.init)
        if scope != .everything {
            let inScope = Set(try await ScopeQueries.schools(scope, on: db).all(\.$id))
            allowed = allowed.map { $0.intersection(inScope) } ?? inScope
        }
        if let allowed, allowed.isEmpty { return [] }

        let fromStudents = try await aggregateStudents(sql, filter, allowed)
        let covered = Set(fromStudents.map { StudentKey(school: $0.schoolID, work: $0.work) })
        let aggregated = try await aggregateRows(sql, filter, allowed).filter { !covered.contains(StudentKey(school: $0.schoolID, work: $0.work)) }
        return (fromStudents + aggregated).sorted { ($0.work, $0.schoolID) < ($1.work, $1.schoolID) }
    }

    struct StudentKey: Hashable { let school: Int; let work: WorkKey }

    func conditions(_ filter: ResultFilter, _ allowed: Set<Int>?, alias: String) -> SQLQueryString {
        var clause: SQLQueryString = "1 = 1"
        if let year = filter.year { clause = "\(clause) AND \(unsafeRaw: alias).year = \(bind: year)" }
        if let procedure = filter.procedure { clause = "\(clause) AND \(unsafeRaw: alias).procedure = \(bind: procedure.rawValue)" }
        if let grade = filter.grade { clause = "\(clause) AND \(unsafeRaw: alias).grade = \(bind: grade)" }
        if let subject = filter.subject { clause = "\(clause) AND \(unsafeRaw: alias).subject = \(bind: subject)" }
        if let allowed {
            let ids = allowed.sorted().map(String.init).joined(separator: ",")
            clause = "\(clause) AND \(unsafeRaw: alias).school_id IN (\(unsafeRaw: ids))"
        }
        return clause
    }

    /// Thresholds have no grade filter (grade 0 means every grade) and no schools.
    func thresholdConditions(_ filter: ResultFilter) -> SQLQueryString {
        var clause: SQLQueryString = "1 = 1"
        if let year = filter.year { clause = "\(clause) AND t.year = \(bind: year)" }
        if let procedure = filter.procedure { clause = "\(clause) AND t.procedure = \(bind: procedure.rawValue)" }
        if let subject = filter.subject { clause = "\(clause) AND t.subject = \(bind: subject)" }
        return clause
    }

    struct StudentAggregateRow: Decodable {
        let school_id: Int, year: Int, procedure: String, grade: Int, subject: String
        let n: Int, m2: Int, m3: Int, m4: Int, m5: Int, marked: Int
        let below: Int, judged: Int, mean_score: Double?, high: Int, high_judged: Int
        let lowered: Int, confirmed: Int, raised: Int, compared: Int
    }

    func aggregateStudents(_ sql: any SQLDatabase, _ filter: ResultFilter, _ allowed: Set<Int>?) async throws -> [SchoolWorkResult] {
        let byMark = ProcedureCode.allCases.filter(\.belowMinimumByMark).map { "'\($0.rawValue)'" }.joined(separator: ",")
        // Most works (ВПР) have no score thresholds: then the two joins per row are skipped altogether.
        var thresholdFilter = ResultFilter(year: filter.year, procedure: filter.procedure, subject: filter.subject)
        thresholdFilter.schoolIDs = nil
        let thresholdCount = try await sql.raw("SELECT COUNT(*) AS n FROM thresholds t WHERE \(thresholdConditions(thresholdFilter))")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let useThresholds = thresholdCount > 0
        let minimum = useThresholds ? "COALESCE(t1.min_score, t0.min_score)" : "CAST(NULL AS DOUBLE PRECISION)"
        let highScore = useThresholds ? "COALESCE(t1.high_score, t0.high_score)" : "CAST(NULL AS DOUBLE PRECISION)"
        let joins = useThresholds ? """
        LEFT JOIN thresholds t1 ON t1.year = s.year AND t1.procedure = s.procedure AND t1.subject = s.subject AND t1.grade = s.grade
        LEFT JOIN thresholds t0 ON t0.year = s.year AND t0.procedure = s.procedure AND t0.subject = s.subject AND t0.grade = 0
        """ : ""
        let query: SQLQueryString = """
        SELECT s.school_id, s.year, s.procedure, s.grade, s.subject, COUNT(*) AS n,
          SUM(CASE WHEN s.mark = 2 THEN 1 ELSE 0 END) AS m2, SUM(CASE WHEN s.mark = 3 THEN 1 ELSE 0 END) AS m3,
          SUM(CASE WHEN s.mark = 4 THEN 1 ELSE 0 END) AS m4, SUM(CASE WHEN s.mark = 5 THEN 1 ELSE 0 END) AS m5,
          SUM(CASE WHEN s.mark IS NOT NULL THEN 1 ELSE 0 END) AS marked,
          SUM(CASE WHEN (s.mark = 2 AND s.procedure IN (\(unsafeRaw: byMark))) OR (\(unsafeRaw: minimum) IS NOT NULL AND s.score < \(unsafeRaw: minimum)) THEN 1 ELSE 0 END) AS below,
          SUM(CASE WHEN (s.mark IS NOT NULL AND s.procedure IN (\(unsafeRaw: byMark))) OR (\(unsafeRaw: minimum) IS NOT NULL AND s.score IS NOT NULL) THEN 1 ELSE 0 END) AS judged,
          AVG(s.score) AS mean_score,
          SUM(CASE WHEN \(unsafeRaw: highScore) IS NOT NULL AND s.score >= \(unsafeRaw: highScore) THEN 1 ELSE 0 END) AS high,
          SUM(CASE WHEN \(unsafeRaw: highScore) IS NOT NULL AND s.score IS NOT NULL THEN 1 ELSE 0 END) AS high_judged,
          SUM(CASE WHEN s.mark < s.term_mark THEN 1 ELSE 0 END) AS lowered,
          SUM(CASE WHEN s.mark = s.term_mark THEN 1 ELSE 0 END) AS confirmed,
          SUM(CASE WHEN s.mark > s.term_mark THEN 1 ELSE 0 END) AS raised,
          SUM(CASE WHEN s.mark IS NOT NULL AND s.term_mark IS NOT NULL THEN 1 ELSE 0 END) AS compared
        FROM scores s
        \(unsafeRaw: joins)
        WHERE \(conditions(filter, allowed, alias: "s"))
        GROUP BY s.school_id, s.year, s.procedure, s.grade, s.subject
        """
        return try await sql.raw(query).all(decoding: StudentAggregateRow.self).compactMap { row in
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { return nil }
            let marks = row.marked > 0
            let counts = ResultCounts(
                participants: row.n, m2: marks ? row.m2 : nil, m3: marks ? row.m3 : nil, m4: marks ? row.m4 : nil, m5: marks ? row.m5 : nil,
                belowMin: row.judged > 0 ? row.below : nil, high: row.high_judged > 0 ? row.high : nil, meanScore: row.mean_score,
                lowered: row.compared > 0 ? row.lowered : nil, confirmed: row.compared > 0 ? row.confirmed : nil,
                raised: row.compared > 0 ? row.raised : nil)
            return SchoolWorkResult(schoolID: row.school_id, work: WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject),
                                    counts: counts, source: .students)
        }
    }

    struct AggregateRow: Decodable {
        let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, participants: Int
        let m2: Int?, m3: Int?, m4: Int?, m5: Int?, below_min: Int?, high: Int?, mean_score: Double?
        let lowered: Int?, confirmed: Int?, raised: Int?
    }

    func aggregateRows(_ sql: any SQLDatabase, _ filter: ResultFilter, _ allowed: Set<Int>?) async throws -> [SchoolWorkResult] {
        let query: SQLQueryString = """
        SELECT r.school_id, r.year, r.procedure, r.grade, r.subject, r.participants, r.m2, r.m3, r.m4, r.m5,
          r.below_min, r.high, r.mean_score, r.lowered, r.confirmed, r.raised
        FROM results r WHERE \(conditions(filter, allowed, alias: "r"))
        """
        return try await sql.raw(query).all(decoding: AggregateRow.self).compactMap { row in
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { return nil }
            let counts = ResultCounts(participants: row.participants, m2: row.m2, m3: row.m3, m4: row.m4, m5: row.m5, belowMin: row.below_min,
                                      high: row.high, meanScore: row.mean_score, lowered: row.lowered, confirmed: row.confirmed, raised: row.raised)
            return SchoolWorkResult(schoolID: row.school_id, work: WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject),
                                    counts: counts, source: .aggregate)
        }
    }

    public struct Benchmark: Sendable, Hashable {
        public let work: WorkKey
        public let level: BenchmarkLevel
        public let name: String
        public let participants: Int?
        public let successRate: Double?
        public let qualityRate: Double?
        public let meanMark: Double?
        public let meanScore: Double?
        public let belowMinRate: Double?
    }

    struct BenchmarkRow: Decodable {
        let year: Int, procedure: String, grade: Int, subject: String, level: String, name: String, participants: Int?
        let success_rate: Double?, quality_rate: Double?, mean_mark: Double?, mean_score: Double?, below_min_rate: Double?
    }

    public func benchmarks(_ filter: ResultFilter) async throws -> [Benchmark] {
        let sql = db as! any SQLDatabase
        var unscoped = filter
        unscoped.schoolIDs = nil
        let query: SQLQueryString = "SELECT * FROM benchmarks b WHERE \(conditions(unscoped, nil, alias: "b"))"
        return try await sql.raw(query).all(decoding: BenchmarkRow.self).compactMap { row in
            guard let procedure = ProcedureCode(rawValue: row.procedure), let level = BenchmarkLevel(rawValue: row.level) else { return nil }
            return Benchmark(work: WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject), level: level,
                             name: row.name, participants: row.participants, successRate: row.success_rate, qualityRate: row.quality_rate,
                             meanMark: row.mean_mark, meanScore: row.mean_score, belowMinRate: row.below_min_rate)
        }
    }

    struct WorkRow: Decodable { let year: Int; let procedure: String; let grade: Int; let subject: String }

    /// Distinct works present (for the explorer's selectors), newest first — without aggregating anything.
    public func availableWorks(scope: AccessScope) async throws -> [WorkKey] {
        let sql = db as! any SQLDatabase
        var allowed: Set<Int>? = nil
        if scope != .everything {
            allowed = Set(try await ScopeQueries.schools(scope, on: db).all(\.$id))
            if allowed!.isEmpty { return [] }
        }
        let query: SQLQueryString = """
        SELECT DISTINCT year, procedure, grade, subject FROM scores s WHERE \(conditions(ResultFilter(), allowed, alias: "s"))
        UNION SELECT DISTINCT year, procedure, grade, subject FROM results r WHERE \(conditions(ResultFilter(), allowed, alias: "r"))
        """
        let works = try await sql.raw(query).all(decoding: WorkRow.self).compactMap { row in
            ProcedureCode(rawValue: row.procedure).map { WorkKey(year: row.year, procedure: $0, grade: row.grade, subject: row.subject) }
        }
        return Array(Set(works)).sorted().reversed()
    }
}
