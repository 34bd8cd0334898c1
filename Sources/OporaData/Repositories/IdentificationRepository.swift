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
            byMunicipality[municipality.id!] = try await criteria.effective(year: year, scope: .municipality(municipality.id!))?.0 ?? .pervouralsk
        }
        let sets = byMunicipality
        return try await identify(year: year, scope: scope) { sets[$0.$municipality.id] ?? .pervouralsk }
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

extension IdentificationRepository {
    /// The newest list approved for exactly this scope (what a what-if compares with).
    public func latestList(ownedBy scope: AccessScope) async throws -> IdentificationListModel? {
        var query = IdentificationListModel.query(on: db)
        switch scope {
        case .region(let id): query = query.filter(\.$regionID == id).filter(\.$municipalityID == nil)
        case .municipality(let id): query = query.filter(\.$municipalityID == id)
        case .everything: query = query.filter(\.$regionID == nil).filter(\.$municipalityID == nil)
        case .schools: return nil
        }
        return try await query.with(\.$entries).sort(\.$year, .descending).sort(\.$id, .descending).first()
    }

    /// Each school's status on the newest list approved for the year that the scope sees (a municipality's own
    /// list before a region's); nil when no list of the year is visible.
    public func approvedStatuses(year: Int, scope: AccessScope) async throws -> [Int: IdentificationStatus]? {
        let visible = try await lists(scope: scope).filter { $0.year == year }
        guard !visible.isEmpty else { return nil }
        var statuses: [Int: IdentificationStatus] = [:]
        // Newest first; the broader list fills in only what a municipality's list does not say.
        for list in visible.sorted(by: { ($0.municipalityID != nil ? 1 : 0, $0.id ?? 0) > ($1.municipalityID != nil ? 1 : 0, $1.id ?? 0) }) {
            for entry in list.entries where statuses[entry.$school.id] == nil {
                statuses[entry.$school.id] = IdentificationStatus(rawValue: entry.status) ?? .lowResults
            }
        }
        return statuses
    }

    /// Lists visible in a scope: those approved for it or for a part of it.
    public func lists(scope: AccessScope) async throws -> [IdentificationListModel] {
        var query = IdentificationListModel.query(on: db)
        switch scope {
        case .everything: break
        case .region(let id):
            let municipalities = try await MunicipalityModel.query(on: db).filter(\.$region.$id == id).all(\.$id)
            query = query.group(.or) { $0.filter(\.$regionID == id).filter(\.$municipalityID ~~ municipalities) }
        case .municipality(let id):
            query = query.filter(\.$municipalityID == id)
        case .schools:
            return []
        }
        return try await query.with(\.$entries).sort(\.$year, .descending).sort(\.$id, .descending).all()
    }

    /// Saves the year's list for the scope, as fixed by an order (number and date).
    public func approve(year: Int, criteria: CriteriaSet, identified: [Identified], explanations: [Int: String], scope: AccessScope,
                        scopeLabel: String, orderNumber: String, orderDate: Date, actor: Actor) async throws -> IdentificationListModel {
        let number = orderNumber.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { throw RepositoryError.invalid(field: "Номер приказа", message: "обязателен") }
        return try await db.transaction { tx in
            let list = IdentificationListModel()
            list.year = year
            switch scope {
            case .region(let id): list.regionID = id
            case .municipality(let id): list.municipalityID = id
            default: break
            }
            list.scopeLabel = scopeLabel
            list.criteriaName = criteria.name
            list.criteriaJSON = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
            list.orderNumber = number
            list.orderDate = orderDate
            list.approvedBy = actor.login
            list.approvedAt = Date()
            try await list.create(on: tx)
            for item in identified where item.result.status != .none {
                let entry = IdentificationListEntryModel()
                entry.$list.id = list.id!
                entry.$school.id = item.school.id!
                entry.status = item.result.status.rawValue
                entry.explanation = explanations[item.school.id!] ?? ""
                entry.reasonsJSON = String(decoding: try JSONEncoder().encode(item.result.reasons), as: UTF8.self)
                try await entry.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "identification_list", entityID: list.id,
                                      summary: "Утверждён список школ на \(year) год (\(scopeLabel)), приказ № \(number) от \(RussianFormat.date(orderDate))",
                                      place: AuditPlace(regionID: list.regionID, municipalityID: list.municipalityID))
            return list
        }
    }
}
