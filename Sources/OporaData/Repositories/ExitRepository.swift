import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// A stored version of a territory's exit criteria (V033); the text is kept as written, YAML or JSON.
public final class ExitCriteriaSetModel: Model, @unchecked Sendable {
    public static let schema = "exit_criteria_sets"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @Field(key: "version") public var version: Int
    @Field(key: "name") public var name: String
    @Field(key: "body") public var body: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// Exits from the list (docs/EXITS.md): the exit criteria per territory, the listed schools judged by the domain's
/// `ExitReadiness`, and an exit recorded as the order that ends a school's support.
public struct ExitRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    // MARK: criteria

    /// Every version saved for exactly this territory, newest first.
    public func versions(scope: AccessScope) async throws -> [ExitCriteriaSetModel] {
        let owner = TerritoryChain.owner(scope)
        return try await ExitCriteriaSetModel.query(on: db)
            .filter(\.$regionID == owner.region).filter(\.$municipalityID == owner.municipality)
            .sort(\.$version, .descending).all()
    }

    /// The criteria that apply to a territory: its own newest version, else its region's, else the installation's,
    /// else the default preset (model nil).
    public func effective(scope: AccessScope) async throws -> (criteria: ExitCriteria, model: ExitCriteriaSetModel?) {
        for owner in try await TerritoryChain.chain(scope, on: db) {
            if let newest = try await versions(scope: owner).first {
                return (try ExitCriteriaFile.decode(newest.body, name: "критерии «\(newest.name)»"), newest)
            }
        }
        return (.pervouralsk, nil)
    }

    /// Validates and saves a new version for the territory; nothing is saved when the text is refused.
    @discardableResult
    public func save(scope: AccessScope, text: String, actor: Actor) async throws -> ExitCriteriaSetModel {
        if case .schools = scope {
            throw RepositoryError.invalid(field: "Территория", message: "критерии выхода задаёт орган власти")
        }
        guard text.count <= 20_000 else { throw RepositoryError.invalid(field: "Критерии", message: "не длиннее 20 000 символов") }
        let criteria = try ExitCriteriaFile.decode(text)
        return try await db.transaction { tx in
            let owner = TerritoryChain.owner(scope)
            let latest = try await ExitRepository(db: tx).versions(scope: scope).first
            let model = ExitCriteriaSetModel()
            model.regionID = owner.region
            model.municipalityID = owner.municipality
            model.version = (latest?.version ?? 0) + 1
            model.name = criteria.name
            model.body = text
            model.createdBy = actor.login
            model.createdAt = Date()
            try await model.create(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "exit_criteria", entityID: model.id,
                summary: "Сохранены критерии выхода из списка «\(criteria.name)», версия \(model.version)",
                changes: [FieldChange(field: "Критерии выхода", old: latest?.body, new: text)],
                place: AuditPlace(regionID: owner.region, municipalityID: owner.municipality))
            return model
        }
    }

    // MARK: readiness

    /// A school on the list in force, judged by its territory's exit criteria.
    public struct Candidate: Sendable {
        public let schoolID: Int
        public let schoolName: String
        public let municipalityID: Int
        public let municipality: String
        public let listing: ListedSchool
        public let criteria: ExitCriteria
        /// The stored version judging it; nil for the default preset.
        public let criteriaVersion: Int?
        public let verdict: ExitVerdict
    }

    /// Every school of the scope on the list in force for `year`, judged on the years up to `year` (flags), its
    /// approved programmes' indicators on `today`, and its newest risk profile up to `year`; by municipality and name.
    public func candidates(year: Int, scope: AccessScope, today: CalendarDay) async throws -> [Candidate] {
        let identification = IdentificationRepository(db: db)
        guard let listed = try await identification.listInForce(year: year, scope: scope), !listed.isEmpty else { return [] }
        let ids = Array(listed.keys)
        let schools = try await SchoolModel.query(on: db).filter(\.$id ~~ ids).with(\.$municipality).all()
        var criteria: [Int: (ExitCriteria, Int?)] = [:]
        for municipality in Set(schools.map(\.$municipality.id)) {
            let found = try await effective(scope: .municipality(municipality))
            criteria[municipality] = (found.criteria, found.model?.version)
        }
        let span = max(1, criteria.values.map { $0.0.notFlaggedYears }.max() ?? 1)
        var flagged: [Int: [Int: Bool?]] = [:]
        for candidateYear in max(InputRange.year.lowerBound, year - span + 1)...year {
            for item in try await identification.identifyByTerritory(year: candidateYear, scope: .schools(Set(ids))) {
                flagged[item.school.id!, default: [:]][candidateYear] = item.result.hasData ? item.result.status != .none : nil
            }
        }
        let execution = try await ProgrammeExecutionRepository(db: db).summaries(scope: .schools(Set(ids)), today: today)
        let indicators = Dictionary(uniqueKeysWithValues: execution.map { ($0.schoolID, $0.indicatorChecks) })
        let risks = try await highRisks(schools: ids, upTo: year)
        return schools.map { school in
            let id = school.id!
            let (rule, version) = criteria[school.$municipality.id] ?? (.pervouralsk, nil)
            let evidence = ExitEvidence(flagged: flagged[id] ?? [:], indicators: indicators[id] ?? [], highRiskFactors: risks[id])
            return Candidate(
                schoolID: id, schoolName: school.displayName, municipalityID: school.$municipality.id,
                municipality: school.municipality.name, listing: listed[id]!, criteria: rule, criteriaVersion: version,
                verdict: ExitReadiness.judge(evidence, year: year, criteria: rule))
        }.sorted { ($0.municipality, $0.schoolName) < ($1.municipality, $1.schoolName) }
    }

    /// Each school's factors rated high in its newest risk profile up to `year`; a school without a profile is absent.
    func highRisks(schools ids: [Int], upTo year: Int) async throws -> [Int: [Int]] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { let school_id: Int; let year: Int; let factor: Int; let level: String }
        let query: SQLQueryString = """
            SELECT school_id, year, factor, level FROM risk_ratings
            WHERE year <= \(bind: year) AND school_id IN (\(unsafeRaw: ResultsImporter.idList(Set(ids))))
            """
        let rows = try await db.sql.raw(query).all(decoding: Row.self)
        var newest: [Int: Int] = [:]
        for row in rows { newest[row.school_id] = max(newest[row.school_id] ?? row.year, row.year) }
        var result: [Int: [Int]] = newest.mapValues { _ in [] }
        for row in rows where row.year == newest[row.school_id] && RiskLevel(rawValue: row.level) == .high {
            result[row.school_id, default: []].append(row.factor)
        }
        return result.mapValues { $0.sorted() }
    }

    // MARK: recording an exit

    /// Records the order that ends a school's support: a new order of the school's municipality for `year` holding
    /// the list in force there without the school, with the exit's reason (`ListExit`). The school's history and
    /// card show it; the list in force for the year, and for later years with no order listing it, no longer
    /// holds the school. `scope` is the caller's: a school outside it reads as absent.
    @discardableResult
    public func recordExit(
        schoolID: Int, year: Int, number: String, date: Date, issuer: String, authority: ListAuthority, reason: String,
        scope: AccessScope, actor: Actor
    ) async throws -> IdentificationListModel {
        let identification = IdentificationRepository(db: db)
        guard let place = try await identification.places(scope: scope).first(where: { $0.schoolID == schoolID }) else {
            throw RepositoryError.invalid(field: "Школа", message: Absent.schoolRecord)
        }
        let orderNumber = number.trimmingCharacters(in: .whitespacesAndNewlines)
        let issuedBy = issuer.trimmingCharacters(in: .whitespacesAndNewlines)
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !orderNumber.isEmpty else { throw RepositoryError.invalid(field: "Номер приказа", message: "обязателен") }
        guard !issuedBy.isEmpty else { throw RepositoryError.invalid(field: "Орган, издавший приказ", message: "обязателен") }
        guard !why.isEmpty else {
            throw RepositoryError.invalid(field: "Основание", message: "укажите, почему поддержка школы завершена")
        }
        try RepositoryError.check(orderNumber, field: "Номер приказа", limit: 100)
        try RepositoryError.check(issuedBy, field: "Орган, издавший приказ", limit: 300)
        try RepositoryError.check(why, field: "Основание", limit: 2000, multiline: true)
        guard let municipality = try await MunicipalityModel.find(place.municipalityID, on: db) else {
            throw RepositoryError.invalid(field: "Школа", message: Absent.schoolRecord)
        }
        let schoolName = try await SchoolModel.find(schoolID, on: db)?.displayName ?? "#\(schoolID)"
        return try await db.transaction { tx in
            // Two exits at once would each copy the list without only their own school, and the newer order would
            // put the other school back: the list is read and the order written under the imports' write lock.
            try await ImportWriteLock.acquire(on: tx)
            let identification = IdentificationRepository(db: tx)
            let municipalityPlaces = try await identification.places(scope: .municipality(place.municipalityID))
            let orders = try await identification.orders(years: [year])
            let entries: [Int: ListEntry]
            switch ListExit.entries(school: place, year: year, date: date, municipalityPlaces: municipalityPlaces, orders: orders) {
            case .success(let found): entries = found
            case .failure(let problem): throw RepositoryError.invalid(field: "Приказ", message: problem.message)
            }
            let list = try await identification.record(
                year: year, territory: .municipality(place.municipalityID), scopeLabel: municipality.name, criteria: nil,
                number: orderNumber, date: date, issuer: issuedBy, authority: authority, entries: entries,
                origins: entries.mapValues { _ in "order" }, reasonsJSON: [:], takenOff: [:], exitReasons: [schoolID: why],
                territoryPlaces: municipalityPlaces, actor: actor)
            // The school's own log says it left, and by which order.
            try await AuditLog.record(
                on: tx, actor: actor, action: "exit", entity: "identification_list", entityID: list.id,
                summary: "«\(schoolName)» вышла из списка на \(year) год: приказ № \(orderNumber) от \(RussianFormat.date(date)), "
                    + "\(issuedBy)",
                changes: [FieldChange(field: "основание", old: nil, new: why)], place: AuditPlace(schoolID: schoolID))
            return list
        }
    }
}
