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
        let sql = db.sql
        let rows = try await sql.raw("SELECT school_id, indicator, value_text, value_number FROM context_values WHERE year = \(bind: year)")
            .all(decoding: ContextRow.self)
        var result: [Int: [String: (text: String, number: Double?)]] = [:]
        for row in rows { result[row.school_id, default: [:]][row.indicator] = (row.value_text, row.value_number) }
        return result
    }

    struct YearRow: Decodable { let year: Int? }

    public func latestContextYear() async throws -> Int? {
        try await db.sql.raw("SELECT MAX(year) AS year FROM context_values").first(decoding: YearRow.self)?.year
    }

    public struct Identified: Sendable {
        public let school: SchoolModel
        public let result: IdentificationResult
        public let isbsGroup: Int?
        public let qualityGroup: Int?
        /// The typology of the criteria set that judged the school (its `typology` block, or the programme's).
        public let type: SchoolType?
        public let criteriaName: String
    }

    /// One result per school of the scope (CONTRACT.md: "one element per school of the year's scope"), all
    /// judged by one criteria set.
    public func identify(year: Int, criteria: CriteriaSet, scope: AccessScope) async throws -> [Identified] {
        try await identify(year: year, scope: scope) { _ in criteria }
    }

    /// One result per school, each judged by the set in force for its own municipality (its own set, else its
    /// region's, else the installation's, else the programme's rule): the command line over many territories.
    public func identifyByTerritory(year: Int, scope: AccessScope) async throws -> [Identified] {
        let criteria = CriteriaRepository(db: db)
        var byMunicipality: [Int: CriteriaSet] = [:]
        for municipality in try await ScopeQueries.municipalities(scope, on: db).all() {
            // Without a stored set, the default rule — named for Pervouralsk only in Pervouralsk (issue 24, point 6).
            byMunicipality[municipality.id!] = try await criteria.effective(year: year, scope: .municipality(municipality.id!))?.0
                ?? CriteriaSet.defaultRule(territory: municipality.name)
        }
        let sets = byMunicipality
        return try await identify(year: year, scope: scope) { sets[$0.$municipality.id] ?? CriteriaSet.defaultRule(territory: nil) }
    }

    /// `results` gives a year's results of every school (the cache's, when there is one); by default they are read.
    func identify(year: Int, scope: AccessScope, criteria: @Sendable (SchoolModel) -> CriteriaSet,
                  results yearResults: (@Sendable (Int) async throws -> [SchoolWorkResult])? = nil) async throws -> [Identified] {
        guard InputRange.year.contains(year) else {
            throw RepositoryError.invalid(field: "Год", message: "от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        let schools = try await ScopeQueries.schools(scope, on: db).sort(\.$code).all()
        let sets = Dictionary(schools.map { ($0.id!, criteria($0)) }, uniquingKeysWith: { first, _ in first })
        let span = max(1, sets.values.map(\.lowResults.consecutiveYears).max() ?? 1)
        let repository = ResultsRepository(db: db)
        var results: [SchoolWorkResult] = []
        for candidate in max(InputRange.year.lowerBound, year - span + 1)...year {
            if let yearResults {
                results += try await yearResults(candidate)
            } else {
                results += try await repository.results(ResultFilter(year: candidate), scope: scope)
            }
        }
        let bySchool = Dictionary(grouping: results, by: \.schoolID)
        let context = try await context(year: year)
        return schools.map { school in
            let set = sets[school.id!] ?? .pervouralsk
            let isbs = context[school.id!]?["isbs_group"]?.number.map { Int($0) }
            let quality = context[school.id!]?["quality_group"]?.number.map { Int($0) }
            let own = (bySchool[school.id!] ?? []).map { (work: $0.work, counts: $0.counts) }
            let result = Identifier.identify(school: school.code, year: year, results: own, isbsGroup: isbs, criteria: set)
            let type = isbs.flatMap { isbs in quality.map { (set.typology ?? .pervouralsk).type(isbsGroup: isbs, qualityGroup: $0) } }
            return Identified(school: school, result: result, isbsGroup: isbs, qualityGroup: quality, type: type, criteriaName: set.name)
        }
    }
}
