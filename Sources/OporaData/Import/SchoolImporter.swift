import FluentKit
import Foundation
import OporaDomain

public struct ImportSummary: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var warnings: [ImportIssue] = []

    public init() {}

    public var russianDescription: String {
        "добавлено: \(created), изменено: \(updated), без изменений: \(unchanged)"
    }
}

/// Writes checked `schools` rows: creates missing regions and municipalities, upserts schools by code,
/// all in one transaction, so a failure leaves the database as it was.
public struct SchoolImporter: Sendable {
    public let db: any Database
    public let actor: Actor
    /// Rows outside this scope are rejected (a coordinator imports only their own municipality).
    public let scope: AccessScope

    /// The region new municipalities go to when the file names none and the database has no region yet.
    public static let fallbackRegionName = "Регион"

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything) {
        self.db = db
        self.actor = actor
        self.scope = scope
    }

    public func write(_ records: [SchoolRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            var regions = Dictionary(try await RegionModel.query(on: tx).all().map { (HeaderKey.normalize($0.name), $0) },
                                     uniquingKeysWith: { first, _ in first })
            var municipalities = try await MunicipalityModel.query(on: tx).all()
            let existingSchools = Dictionary(try await SchoolModel.query(on: tx).with(\.$municipality).all().map { ($0.code, $0) },
                                             uniquingKeysWith: { first, _ in first })
            var summary = ImportSummary()
            // Written after the loop, many rows per statement: a region's registry of thousands of schools is
            // a few statements, not two round trips a school.
            var newSchools: [(model: SchoolModel, place: AuditPlace)] = []
            var auditEntries: [AuditLog.Entry] = []

            for record in records {
                // Resolve the region: named in the file, or implied by an existing municipality, or the only one there is.
                var region: RegionModel? = nil
                if let regionName = record.region {
                    region = regions[HeaderKey.normalize(regionName)]
                    if region == nil {
                        guard scope == .everything else {
                            issues.error(
                                line: record.line, column: "region",
                                "регион «\(regionName)» не найден, а создавать регионы вам не разрешено")
                            continue
                        }
                        let created = RegionModel(name: regionName)
                        try await created.create(on: tx)
                        try await AuditLog.record(
                            on: tx, actor: actor, action: "create", entity: "region", entityID: created.id,
                            summary: "Добавлен регион «\(regionName)» (загрузка \(fileName))", place: .init(regionID: created.id))
                        regions[HeaderKey.normalize(regionName)] = created
                        region = created
                    }
                }
                let key = HeaderKey.normalize(record.municipality)
                var candidates = municipalities.filter { HeaderKey.normalize($0.name) == key }
                if let region { candidates = candidates.filter { $0.$region.id == region.id } }
                var municipality: MunicipalityModel
                if candidates.count == 1 {
                    municipality = candidates[0]
                } else if candidates.count > 1 {
                    issues.error(
                        line: record.line, column: "region",
                        "муниципалитет «\(record.municipality)» есть в нескольких регионах — укажите регион")
                    continue
                } else {
                    if region == nil {
                        if regions.count == 1 {
                            region = regions.values.first
                        } else if regions.isEmpty {
                            let created = RegionModel(name: Self.fallbackRegionName)
                            try await created.create(on: tx)
                            regions[HeaderKey.normalize(created.name)] = created
                            region = created
                        } else {
                            issues.error(
                                line: record.line, column: "region",
                                "муниципалитет «\(record.municipality)» новый, а регионов несколько — укажите регион")
                            continue
                        }
                    }
                    guard let region, scope.containsRegion(id: region.id!) else {
                        // Said as for another territory's municipality below (`Absent`).
                        issues.error(line: record.line, column: "municipality", Absent.municipality(record.municipality))
                        continue
                    }
                    municipality = MunicipalityModel(regionID: region.id!, name: record.municipality)
                    try await municipality.create(on: tx)
                    try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "municipality", entityID: municipality.id,
                                              summary: "Добавлен муниципалитет «\(record.municipality)» (загрузка \(fileName))",
                                              place: .init(regionID: region.id, municipalityID: municipality.id))
                    municipalities.append(municipality)
                }

                let existing = existingSchools[record.code]
                let target = SchoolPlace(schoolID: existing?.id ?? -1, municipalityID: municipality.id!, regionID: municipality.$region.id)
                let inScope: Bool
                if case .schools = scope {
                    inScope =
                        existing.map {
                            scope.contains(
                                SchoolPlace(schoolID: $0.id!, municipalityID: $0.$municipality.id, regionID: $0.municipality.$region.id))
                        } ?? false
                } else {
                    inScope =
                        scope.contains(target)
                        && (existing.map {
                            scope.contains(
                                SchoolPlace(schoolID: $0.id!, municipalityID: $0.$municipality.id, regionID: $0.municipality.$region.id))
                        } ?? true)
                }
                guard inScope else {
                    // A new school in another territory's municipality reads like one in a municipality that does not exist.
                    let reachable = scope.containsMunicipality(id: municipality.id!, regionID: municipality.$region.id)
                    issues.error(line: record.line, column: "municipality",
                                 existing == nil && !reachable ? Absent.municipality(record.municipality)
                                                               : "школа «\(record.code)» вне вашей области доступа")
                    continue
                }

                var fields =
                    existing.map(SchoolFields.init) ?? SchoolFields(code: record.code, name: record.name, municipalityID: municipality.id!)
                fields.name = record.name
                fields.municipalityID = municipality.id!
                if record.shortName != nil || existing == nil { fields.shortName = record.shortName }
                if record.number != nil || existing == nil { fields.number = record.number }
                if record.settlement != nil || existing == nil { fields.settlement = record.settlement }
                if record.address != nil || existing == nil { fields.address = record.address }
                if record.director != nil || existing == nil { fields.director = record.director }
                if record.students != nil || existing == nil { fields.students = record.students }
                if record.studentsOVZ != nil || existing == nil { fields.studentsOVZ = record.studentsOVZ }

                let place = AuditPlace(regionID: municipality.$region.id, municipalityID: municipality.id, schoolID: existing?.id)
                if let existing {
                    let before = SchoolFields(existing)
                    if before == fields { summary.unchanged += 1; continue }
                    let changes = zip(before.auditValues, fields.auditValues).compactMap { old, new in
                        old.1 == new.1 ? nil : FieldChange(field: old.0, old: old.1, new: new.1)
                    }
                    fields.apply(to: existing)
                    existing.version += 1
                    try await existing.save(on: tx)
                    auditEntries.append(
                        AuditLog.Entry(
                            action: "import", entity: "school", entityID: existing.id,
                            summary: "Изменена школа «\(existing.name)» (загрузка \(fileName))", changes: changes, place: place))
                    summary.updated += 1
                } else {
                    let school = SchoolModel()
                    school.version = 1
                    fields.apply(to: school)
                    newSchools.append((school, place))
                    summary.created += 1
                }
            }
            // Any error rolls the whole transaction back: all-or-nothing.
            try issues.throwIfFailed()
            let ids = try await insert(newSchools.map(\.model), on: tx)
            for (school, place) in newSchools {
                var created = place
                created.schoolID = ids[school.code]
                auditEntries.append(
                    AuditLog.Entry(
                        action: "import", entity: "school", entityID: created.schoolID,
                        summary: "Добавлена школа «\(school.name)» (загрузка \(fileName))", changes: [], place: created))
            }
            try await AuditLog.record(on: tx, actor: actor, auditEntries)
            return summary
        }
    }

    /// Inserts new schools a few hundred per statement (SQLite allows 32 766 bound values in one) and returns
    /// their ids by code (codes are unique).
    func insert(_ schools: [SchoolModel], on db: any Database) async throws -> [String: Int] {
        guard !schools.isEmpty else { return [:] }
        var start = 0
        while start < schools.count {
            try await Array(schools[start..<min(start + 500, schools.count)]).create(on: db)
            start += 500
        }
        struct Row: Decodable { let id: Int; let code: String }
        var ids: [String: Int] = [:]
        let wanted = Set(schools.map(\.code))
        for row in try await db.sql.select().column("id").column("code").from("schools").all(decoding: Row.self)
        where wanted.contains(row.code) {
            ids[row.code] = row.id
        }
        guard ids.count == wanted.count else { throw RepositoryError.notFound(entity: "новые школы после записи") }
        return ids
    }
}
