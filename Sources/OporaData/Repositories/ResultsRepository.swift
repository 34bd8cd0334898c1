import FluentKit
import Foundation
import OporaDomain
import SQLKit
import PostgresNIO
import SQLiteNIO

/// The counts of one school's work, whichever grain they came from.
public struct SchoolWorkResult: Sendable, Hashable {
    public enum Source: String, Sendable { case students, aggregate }

    public let schoolID: Int
    public let work: WorkKey
    public let counts: ResultCounts
    public let source: Source

    public func metrics() -> ResultMetrics { Metrics.compute(counts, procedure: work.procedure, subject: work.subject) }
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

/// Reads results: the counts of per-student groups (computed by `StudentAccumulator` when they were
/// stored), and aggregated rows for the works that have no student rows.
public struct ResultsRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public func results(_ filter: ResultFilter, scope: AccessScope) async throws -> [SchoolWorkResult] {
        let sql = db.sql
        var allowed = filter.schoolIDs.map(Set.init)
        if scope != .everything {
            let inScope = Set(try await ScopeQueries.schoolIDs(scope, on: db))
            allowed = allowed.map { $0.intersection(inScope) } ?? inScope
        }
        if let allowed, allowed.isEmpty { return [] }

        let fromStudents = try await aggregateStudents(sql, filter, allowed)
        let covered = Set(fromStudents.map { StudentKey(school: $0.schoolID, work: $0.work) })
        let aggregated = try await aggregateRows(sql, filter, allowed).filter {
            !covered.contains(StudentKey(school: $0.schoolID, work: $0.work))
        }
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

    struct AggregateRow: Decodable {
        let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, participants: Int
        let m2: Int?, m3: Int?, m4: Int?, m5: Int?, below_min: Int?, high: Int?, mean_score: Double?
        let lowered: Int?, confirmed: Int?, raised: Int?
    }

    /// Student groups keep their counts beside their rows (`ScoreGroupStore`), in the same columns as `results`.
    func aggregateStudents(_ sql: any SQLDatabase, _ filter: ResultFilter, _ allowed: Set<Int>?) async throws -> [SchoolWorkResult] {
        try await counts(sql, table: "score_groups", source: .students, filter, allowed)
    }

    func aggregateRows(_ sql: any SQLDatabase, _ filter: ResultFilter, _ allowed: Set<Int>?) async throws -> [SchoolWorkResult] {
        try await counts(sql, table: "results", source: .aggregate, filter, allowed)
    }

    func counts(
        _ sql: any SQLDatabase, table: String, source: SchoolWorkResult.Source, _ filter: ResultFilter, _ allowed: Set<Int>?
    ) async throws -> [SchoolWorkResult] {
        let query: SQLQueryString = """
        SELECT r.school_id, r.year, r.procedure, r.grade, r.subject, r.participants, r.m2, r.m3, r.m4, r.m5,
          r.below_min, r.high, r.mean_score, r.lowered, r.confirmed, r.raised
        FROM \(unsafeRaw: table) r WHERE \(conditions(filter, allowed, alias: "r"))
        """
        if let fast = try await countsSQLite(query, source: source) { return fast }
        if let fast = try await countsPostgres(query, source: source) { return fast }
        return try await sql.raw(query).all(decoding: AggregateRow.self).compactMap { row in
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { return nil }
            let counts = ResultCounts(
                participants: row.participants, m2: row.m2, m3: row.m3, m4: row.m4, m5: row.m5, belowMin: row.below_min,
                high: row.high, meanScore: row.mean_score, lowered: row.lowered, confirmed: row.confirmed, raised: row.raised)
            return SchoolWorkResult(
                schoolID: row.school_id, work: WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject),
                counts: counts, source: source)
        }
    }

    /// SQLite reads the rows by column without `Decodable` (a region's work has twenty thousand of them).
    func countsSQLite(_ query: SQLQueryString, source: SchoolWorkResult.Source) async throws -> [SchoolWorkResult]? {
        guard let sqlite = db as? any SQLiteDatabase else { return nil }
        var serializer = SQLSerializer(database: db.sql)
        query.serialize(to: &serializer)
        var binds: [SQLiteData] = []
        for bind in serializer.binds {
            switch bind {
            case let value as Int: binds.append(.integer(value))
            case let value as String: binds.append(.text(value))
            default: return nil
            }
        }
        return try await sqlite.query(serializer.sql, binds).compactMap { row in
            func integer(_ column: String) -> Int? { row.column(column)?.integer }
            guard let schoolID = integer("school_id"), let year = integer("year"), let grade = integer("grade"),
                let participants = integer("participants"),
                let procedure = row.column("procedure")?.string.flatMap(ProcedureCode.init(rawValue:)),
                let subject = row.column("subject")?.string
            else { return nil }
            let counts = ResultCounts(
                participants: participants, m2: integer("m2"), m3: integer("m3"), m4: integer("m4"), m5: integer("m5"),
                belowMin: integer("below_min"), high: integer("high"), meanScore: row.column("mean_score")?.double,
                lowered: integer("lowered"), confirmed: integer("confirmed"), raised: integer("raised"))
            return SchoolWorkResult(
                schoolID: schoolID, work: WorkKey(year: year, procedure: procedure, grade: grade, subject: subject),
                counts: counts, source: source)
        }
    }

    /// PostgreSQL reads the rows as typed columns, without `Decodable` either.
    func countsPostgres(_ query: SQLQueryString, source: SchoolWorkResult.Source) async throws -> [SchoolWorkResult]? {
        guard let postgres = db as? any PostgresDatabase else { return nil }
        var serializer = SQLSerializer(database: db.sql)
        query.serialize(to: &serializer)
        var binds = PostgresBindings()
        for bind in serializer.binds {
            switch bind {
            case let value as Int: binds.append(value)
            case let value as String: binds.append(value)
            default: return nil
            }
        }
        let statement = PostgresQuery(unsafeSQL: serializer.sql, binds: binds)
        let logger = db.logger
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var results: [SchoolWorkResult] = []
                let rows = try await connection.query(statement, logger: logger)
                for try await (
                    school, year, procedure, grade, subject, participants, m2, m3, m4, m5, below, high, mean, lowered, confirmed, raised
                )
                    in rows.decode((Int, Int, String, Int, String, Int, Int?, Int?, Int?, Int?, Int?, Int?, Double?, Int?, Int?, Int?).self)
                {
                    guard let code = ProcedureCode(rawValue: procedure) else { continue }
                    let counts = ResultCounts(
                        participants: participants, m2: m2, m3: m3, m4: m4, m5: m5, belowMin: below, high: high,
                        meanScore: mean, lowered: lowered, confirmed: confirmed, raised: raised)
                    results.append(
                        SchoolWorkResult(
                            schoolID: school, work: WorkKey(year: year, procedure: code, grade: grade, subject: subject),
                            counts: counts, source: source))
                }
                return results
            }
        }.get()
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
        let owner_region_id: Int, year: Int, procedure: String, grade: Int, subject: String, level: String, name: String, participants: Int?
        let success_rate: Double?, quality_rate: Double?, mean_mark: Double?, mean_score: Double?, below_min_rate: Double?
    }

    /// The comparison figures a scope sees: those imported for every region, and its own region's, which win
    /// over the former for the same level and name.
    public func benchmarks(_ filter: ResultFilter, scope: AccessScope) async throws -> [Benchmark] {
        var unscoped = filter
        unscoped.schoolIDs = nil
        var owners: [Int]? = nil
        if scope != .everything {
            owners = [0] + Array(Set(try await ScopeQueries.regions(scope, on: db).all(\.$id)))
        }
        var query: SQLQueryString = "SELECT * FROM benchmarks b WHERE \(conditions(unscoped, nil, alias: "b"))"
        if let owners { query = "\(query) AND b.owner_region_id IN (\(unsafeRaw: owners.map(String.init).joined(separator: ",")))" }
        let rows = try await db.sql.raw(query).all(decoding: BenchmarkRow.self)
        struct Identity: Hashable { let work: WorkKey; let level: String; let name: String }
        var chosen: [Identity: BenchmarkRow] = [:]
        for row in rows {
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            let identity = Identity(
                work: WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject), level: row.level,
                name: row.name)
            // A region's own figure wins over the shared one; among regions (the whole installation's view), the first.
            func better(_ a: BenchmarkRow, than b: BenchmarkRow) -> Bool {
                (a.owner_region_id == 0) != (b.owner_region_id == 0) ? a.owner_region_id != 0 : a.owner_region_id < b.owner_region_id
            }
            if let existing = chosen[identity], !better(row, than: existing) { continue }
            chosen[identity] = row
        }
        return chosen.compactMap { identity, row in
            guard let level = BenchmarkLevel(rawValue: row.level) else { return nil }
            return Benchmark(
                work: identity.work, level: level, name: row.name, participants: row.participants, successRate: row.success_rate,
                qualityRate: row.quality_rate, meanMark: row.mean_mark, meanScore: row.mean_score, belowMinRate: row.below_min_rate)
        }
    }

    struct WorkRow: Decodable { let year: Int; let procedure: String; let grade: Int; let subject: String }

    /// Distinct works present (for the explorer's selectors), newest first — without aggregating anything.
    public func availableWorks(scope: AccessScope) async throws -> [WorkKey] {
        let sql = db.sql
        var allowed: Set<Int>? = nil
        if scope != .everything {
            allowed = Set(try await ScopeQueries.schoolIDs(scope, on: db))
            if allowed!.isEmpty { return [] }
        }
        let query: SQLQueryString = """
        SELECT DISTINCT year, procedure, grade, subject FROM score_groups s WHERE \(conditions(ResultFilter(), allowed, alias: "s"))
        UNION SELECT DISTINCT year, procedure, grade, subject FROM results r WHERE \(conditions(ResultFilter(), allowed, alias: "r"))
        """
        let works = try await sql.raw(query).all(decoding: WorkRow.self).compactMap { row in
            ProcedureCode(rawValue: row.procedure).map { WorkKey(year: row.year, procedure: $0, grade: row.grade, subject: row.subject) }
        }
        return Array(Set(works)).sorted().reversed()
    }
}
