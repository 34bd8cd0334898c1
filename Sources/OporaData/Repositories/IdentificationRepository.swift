import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Runs identification and typology over the stored results and context.
public struct IdentificationRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    struct ContextRow: Decodable { let school_id: Int; let indicator: String; let value_text: String; let value_number: Double? }

    /// Context values of a year: school id → indicator → (text, number).
    public func context(year: Int) async throws -> [Int: [String: (text: String, number: Double?)]] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("SELECT school_id, indicator, value_text, value_number FROM context_values WHERE year = \(bind: year)")
            .all(decoding: ContextRow.self)
        var result: [Int: [String: (text: String, number: Double?)]] = [:]
        for row in rows { result[row.school_id, default: [:]][row.indicator] = (row.value_text, row.value_number) }
        return result
    }

    struct YearRow: Decodable { let year: Int? }

    public func latestContextYear() async throws -> Int? {
        try await (db as! any SQLDatabase).raw("SELECT MAX(year) AS year FROM context_values").first(decoding: YearRow.self)?.year
    }

    public struct Identified: Sendable {
        public let school: SchoolModel
        public let result: IdentificationResult
        public let isbsGroup: Int?
        public let qualityGroup: Int?
    }

    /// One result per school of the scope (CONTRACT.md: "one element per school of the year's scope").
    public func identify(year: Int, criteria: CriteriaSet, scope: AccessScope) async throws -> [Identified] {
        let span = max(1, criteria.lowResults.consecutiveYears)
        let schools = try await ScopeQueries.schools(scope, on: db).sort(\.$code).all()
        let repository = ResultsRepository(db: db)
        var results: [SchoolWorkResult] = []
        for candidate in (year - span + 1)...year {
            results += try await repository.results(ResultFilter(year: candidate), scope: scope)
        }
        let bySchool = Dictionary(grouping: results, by: \.schoolID)
        let context = try await context(year: year)
        return schools.map { school in
            let isbs = context[school.id!]?["isbs_group"]?.number.map { Int($0) }
            let quality = context[school.id!]?["quality_group"]?.number.map { Int($0) }
            let own = (bySchool[school.id!] ?? []).map { (work: $0.work, counts: $0.counts) }
            let result = Identifier.identify(school: school.code, year: year, results: own, isbsGroup: isbs, criteria: criteria)
            return Identified(school: school, result: result, isbsGroup: isbs, qualityGroup: quality)
        }
    }
}
