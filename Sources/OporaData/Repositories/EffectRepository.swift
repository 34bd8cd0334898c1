import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Gathers what «did the support work?» (`SupportEffect`) needs for a scope: each school's counts of a procedure per
/// year, summed in the database, and the list in force for every year of the window (the one rule, `ListInForce`).
public struct EffectRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// The answer for the scope, or nil when no order of `from` is in force there.
    public func analyse(
        from: Int, to: Int, procedure: ProcedureCode, metric: EffectMetric, scope: AccessScope
    ) async throws -> EffectAnalysis? {
        let inputs = try await inputs(from: from, to: to, procedures: [procedure], scope: scope)
        guard inputs.hasOrder else { return nil }
        return SupportEffect.analyse(
            from: from, to: to, metric: metric, schools: inputs.schools(procedure), listed: inputs.listed)
    }

    /// The inputs of a window: each procedure's schools with their yearly pools, the list in force per year, and whether
    /// any order of `from` is in force in the scope (without one nobody is «supported» and the question has no answer).
    public struct Inputs: Sendable {
        public var byProcedure: [ProcedureCode: [EffectSchool]]
        public var listed: [Int: Set<Int>]
        public var hasOrder: Bool

        public func schools(_ procedure: ProcedureCode) -> [EffectSchool] { byProcedure[procedure] ?? [] }
    }

    public func inputs(from: Int, to: Int, procedures: [ProcedureCode], scope: AccessScope) async throws -> Inputs {
        let years = Array(min(from, to)...max(from, to))
        let identification = IdentificationRepository(db: db)
        let places = try await identification.places(scope: scope)
        let orders = try await identification.orders(years: years)
        var listed: [Int: Set<Int>] = [:]
        for year in years { listed[year] = Set(ListInForce.schools(year: year, places: places, orders: orders).keys) }
        let hasOrder = ListInForce.hasOrder(year: from, places: places, orders: orders)
        var byProcedure: [ProcedureCode: [EffectSchool]] = [:]
        for procedure in procedures {
            byProcedure[procedure] = try await schools(years: years, procedure: procedure, scope: scope)
        }
        return Inputs(byProcedure: byProcedure, listed: listed, hasOrder: hasOrder)
    }

    /// The procedures with results in both years in the scope (what the page offers).
    public func procedures(from: Int, to: Int, scope: AccessScope) async throws -> [ProcedureCode] {
        let query: SQLQueryString = """
            SELECT DISTINCT w.procedure AS procedure FROM (
              SELECT procedure, year, school_id FROM score_groups UNION ALL SELECT procedure, year, school_id FROM results
            ) w WHERE w.year = \(bind: from) AND \(Self.inScope(scope, column: "w.school_id"))
              AND w.procedure IN (SELECT procedure FROM score_groups WHERE year = \(bind: to)
                                  UNION SELECT procedure FROM results WHERE year = \(bind: to))
            """
        struct Row: Decodable { let procedure: String }
        let codes = Set(try await db.sql.raw(query).all(decoding: Row.self).compactMap { ProcedureCode(rawValue: $0.procedure) })
        return ProcedureCode.allCases.filter(codes.contains)
    }

    /// A school id column restricted to the scope, as a subquery rather than a list of a region's thousand ids.
    static func inScope(_ scope: AccessScope, column: String) -> SQLQueryString {
        switch scope {
        case .everything: return "1 = 1"
        case .municipality(let id): return "\(unsafeRaw: column) IN (SELECT id FROM schools WHERE municipality_id = \(bind: id))"
        case .region(let id):
            return """
                \(unsafeRaw: column) IN (SELECT s.id FROM schools s JOIN municipalities m ON m.id = s.municipality_id \
                WHERE m.region_id = \(bind: id))
                """
        case .schools(let ids):
            guard !ids.isEmpty else { return "1 = 0" }
            return "\(unsafeRaw: column) IN (\(unsafeRaw: ids.sorted().map(String.init).joined(separator: ",")))"
        }
    }

    struct CountRow: Decodable {
        let school_id: Int, year: Int, subject: String, participants: Int
        let m2: Int?, m3: Int?, m4: Int?, m5: Int?, below_min: Int?
    }

    /// Each school's pools per year. The database sums the works of a school × year × subject that report the same
    /// columns (per-student groups, and aggregated rows only for works without them — as `ResultsRepository` reads
    /// them); `ResultPool` then pools those sums, so each measure still counts only the groups that report it.
    func schools(years: [Int], procedure: ProcedureCode, scope: AccessScope) async throws -> [EffectSchool] {
        guard let first = years.first, let last = years.last else { return [] }
        let marksAbsent = "(w.m2 IS NULL AND w.m3 IS NULL AND w.m4 IS NULL AND w.m5 IS NULL)"
        // PostgreSQL sums BIGINT columns as NUMERIC: cast back, so both engines answer integers.
        let sums = ["participants", "m2", "m3", "m4", "m5", "below_min"].map { "CAST(SUM(w.\($0)) AS BIGINT) AS \($0)" }
            .joined(separator: ", ")
        let query: SQLQueryString = """
            SELECT w.school_id, w.year, w.subject, \(unsafeRaw: sums)
            FROM (
              SELECT g.school_id, g.year, g.subject, g.participants, g.m2, g.m3, g.m4, g.m5, g.below_min FROM score_groups g
              WHERE g.procedure = \(bind: procedure.rawValue) AND g.year BETWEEN \(bind: first) AND \(bind: last)
                AND \(Self.inScope(scope, column: "g.school_id"))
              UNION ALL
              SELECT r.school_id, r.year, r.subject, r.participants, r.m2, r.m3, r.m4, r.m5, r.below_min FROM results r
              WHERE r.procedure = \(bind: procedure.rawValue) AND r.year BETWEEN \(bind: first) AND \(bind: last)
                AND \(Self.inScope(scope, column: "r.school_id"))
                AND NOT EXISTS (SELECT 1 FROM score_groups s WHERE s.year = r.year AND s.procedure = r.procedure
                                AND s.grade = r.grade AND s.subject = r.subject AND s.school_id = r.school_id)
            ) w
            GROUP BY w.school_id, w.year, w.subject, \(unsafeRaw: marksAbsent), (w.below_min IS NULL)
            """
        let rows = try await db.sql.raw(query).all(decoding: CountRow.self)
        var works: [Int: [Int: [(counts: ResultCounts, procedure: ProcedureCode, subject: String)]]] = [:]
        for row in rows {
            let counts = ResultCounts(
                participants: row.participants, m2: row.m2, m3: row.m3, m4: row.m4, m5: row.m5, belowMin: row.below_min)
            works[row.school_id, default: [:]][row.year, default: []].append((counts, procedure, row.subject))
        }
        return works.map { schoolID, years in EffectSchool(schoolID: schoolID, years: years.mapValues { ResultPool($0) }) }
            .sorted { $0.schoolID < $1.schoolID }
    }
}
