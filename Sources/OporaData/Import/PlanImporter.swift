import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Writes `programmes`, `roadmap`, `indicators` and `indicator_values` files: checked against the programmes
/// the actor may change, in one transaction, in the audit log.
public struct PlanImporter: Sendable {
    public let db: any Database
    public let actor: Actor
    public let scope: AccessScope
    /// The actor's role where it matters (a school's administrator writes its school programme's values); files
    /// come from those who may import, who change whatever their scope holds.
    public let role: Role

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything, role: Role = .regionalAnalyst) {
        self.db = db
        self.actor = actor
        self.scope = scope
        self.role = role
    }

    /// Programme code → the programme, if it exists and the actor may change it; otherwise a line error.
    func programmes(_ codes: [(code: String, line: Int)], on tx: any Database, _ issues: inout IssueCollector) async throws -> [String: PlanModel] {
        let wanted = Set(codes.map(\.code))
        let found = try await PlanModel.query(on: tx).filter(\.$code ~~ Array(wanted)).all()
        var byCode: [String: PlanModel] = [:]
        for programme in found { byCode[programme.code] = programme }
        var reported: Set<String> = []
        let scopePlaces = try await scopeRegionWitness(on: tx)
        for (code, line) in codes where !reported.contains(code) {
            guard let programme = byCode[code] else {
                issues.error(line: line, column: "programme", ProgrammeCode.unknown(code))
                reported.insert(code)
                continue
            }
            if !ProgrammeAccess.canChange(programme.place, role: role, scope: scope) {
                // Another territory's programme reads like one that does not exist; one the actor reads is named.
                let readable = ProgrammeAccess.canRead(programme.place, scope: scope, schoolPlaces: scopePlaces)
                issues.error(line: line, column: "programme",
                             readable ? "программа «\(code)» вне вашей области доступа" : ProgrammeCode.unknown(code))
                reported.insert(code)
                byCode[code] = nil
            }
        }
        return byCode
    }

    /// What `ProgrammeAccess.canRead` needs to know of the actor's scope: its schools' places (for a municipality,
    /// one place that names its region).
    func scopeRegionWitness(on tx: any Database) async throws -> [SchoolPlace] {
        switch scope {
        case .everything, .region: return []
        case .municipality(let id):
            guard let region = try await MunicipalityModel.find(id, on: tx)?.$region.id else { return [] }
            return [SchoolPlace(schoolID: 0, municipalityID: id, regionID: region)]
        case .schools(let ids):
            var places: [SchoolPlace] = []
            for id in ids.sorted() { if let place = try await ScopeQueries.place(ofSchool: id, on: tx) { places.append(place) } }
            return places
        }
    }

    static func place(_ programme: PlanModel) -> AuditPlace {
        AuditPlace(regionID: programme.regionID, municipalityID: programme.municipalityID, schoolID: programme.schoolID)
    }

    static func json(_ passport: ProgrammePassport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(passport)) ?? Data("{}".utf8), as: UTF8.self)
    }

    // MARK: programmes

    /// A new code creates the programme and its first version; a known code whose passport changed becomes an
    /// amendment with the row's order (seed 004 amends the 2023 programme this way).
    public func writeProgrammes(_ records: [ProgrammeRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let regions = try await RegionModel.query(on: tx).all()
            let municipalities = try await MunicipalityModel.query(on: tx).all()
            var summary = ImportSummary()
            var pending: [(ProgrammeRecord, ProgrammePlace)] = []
            for record in records {
                guard let place = try await resolvePlace(record, regions: regions, municipalities: municipalities, on: tx, &issues) else { continue }
                if !ProgrammeAccess.canChange(place, role: role, scope: scope) {
                    issues.error(line: record.line, column: "territory", "программа этой территории вне вашей области доступа")
                    continue
                }
                pending.append((record, place))
            }
            try issues.throwIfFailed()
            for (record, place) in pending {
                let existing = try await PlanModel.query(on: tx).filter(\.$code == record.code).first()
                if let existing, existing.place != place {
                    // Said the same whether the other programme is in the actor's scope or not: the answer must not
                    // tell which territories use which codes.
                    issues.error(line: record.line, column: "code", ProgrammeCode.taken(record.code))
                    continue
                }
                var passport = existing?.passport ?? ProgrammePassport(name: record.name, start: record.start, end: record.end)
                passport.name = record.name
                passport.start = record.start
                passport.end = record.end
                if let goal = record.goal { passport.goal = goal }
                if let existing, existing.passport == passport, existing.orderNumber == record.orderNumber || record.orderNumber == nil {
                    summary.unchanged += 1
                    continue
                }
                let programme = existing ?? PlanModel()
                if existing == nil {
                    programme.code = record.code
                    programme.level = record.level.rawValue
                    programme.regionID = place.regionID
                    programme.municipalityID = place.municipalityID
                    programme.schoolID = place.schoolID
                    let bands = ScoreBands.pervouralsk
                    programme.bandHigh = bands.high
                    programme.bandMedium = bands.medium
                    programme.bandSatisfactory = bands.satisfactory
                    programme.version = 0
                }
                let old = existing?.passport
                try await PlanRepository(db: tx).savePassport(programme, passport, orderNumber: record.orderNumber ?? existing?.orderNumber,
                                                             orderDate: record.orderDate ?? existing?.orderDate.flatMap(CalendarDay.init(parsing:)),
                                                             note: existing == nil ? "загружена из файла «\(fileName)»" : "изменения из файла «\(fileName)»",
                                                             actor: actor)
                if existing == nil { summary.created += 1 } else { summary.updated += 1 }
                let changes = old.map { ProgrammePassport.compare($0, passport).count } ?? 0
                try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "programme", entityID: programme.id,
                                          summary: existing == nil ? "Загружена программа «\(record.name)» (\(fileName))"
                                                                   : "Изменён паспорт программы «\(record.name)» (\(fileName)): изменений \(changes)",
                                          place: Self.place(programme))
            }
            try issues.throwIfFailed()
            return summary
        }
    }

    func resolvePlace(_ record: ProgrammeRecord, regions: [RegionModel], municipalities: [MunicipalityModel], on tx: any Database,
                      _ issues: inout IssueCollector) async throws -> ProgrammePlace? {
        func named<T>(_ items: [T], _ name: (T) -> String, _ text: String) -> T? {
            let key = HeaderKey.normalize(text)
            return items.first { HeaderKey.normalize(name($0)) == key }
        }
        switch record.level {
        case .school:
            // Another territory's school, municipality or region reads like an unknown one (`Absent`).
            guard let code = record.school,
                  let school = try await SchoolModel.query(on: tx).filter(\.$code == code).with(\.$municipality).first(),
                  scope.contains(SchoolPlace(schoolID: school.id!, municipalityID: school.$municipality.id,
                                             regionID: school.municipality.$region.id)) else {
                issues.error(line: record.line, column: "school", Absent.school(record.school ?? ""))
                return nil
            }
            return ProgrammePlace(regionID: school.municipality.$region.id, municipalityID: school.$municipality.id, schoolID: school.id)
        case .municipality:
            let municipality: MunicipalityModel?
            if let territory = record.territory { municipality = named(municipalities, \.name, territory) }
            else if case .municipality(let id) = scope { municipality = municipalities.first { $0.id == id } }
            else { municipality = municipalities.count == 1 ? municipalities.first : nil }
            guard let municipality, scope.containsMunicipality(id: municipality.id!, regionID: municipality.$region.id) else {
                issues.error(line: record.line, column: "territory",
                             record.territory.map(Absent.municipality) ?? "укажите муниципалитет программы")
                return nil
            }
            return ProgrammePlace(regionID: municipality.$region.id, municipalityID: municipality.id)
        case .region:
            let region: RegionModel?
            if let territory = record.territory { region = named(regions, \.name, territory) }
            else if case .region(let id) = scope { region = regions.first { $0.id == id } }
            else { region = regions.count == 1 ? regions.first : nil }
            guard let region, scope.containsRegion(id: region.id!) else {
                issues.error(line: record.line, column: "territory", record.territory.map(Absent.region) ?? "укажите регион программы")
                return nil
            }
            return ProgrammePlace(regionID: region.id!)
        }
    }

    // MARK: roadmap

    static let measureColumns = ["programme_id", "position", "section", "number", "measure", "deadline", "responsible", "result", "status",
                                 "done_on", "year", "comment", "version", "updated_at", "updated_by"]

    /// Rows keyed by programme, section and number replace the stored ones; what a person added on the page
    /// (evidence, a date for an unread deadline) stays. One multi-row statement per chunk: 10 000 measures in
    /// well under a second.
    public func writeRoadmap(_ records: [RoadmapRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let programmes = try await programmes(records.map { ($0.programme, $0.line) }, on: tx, &issues)
            try issues.throwIfFailed()
            var warnings: [ImportIssue] = []
            var summary = ImportSummary()
            let now = Date()
            for programme in programmes.values.sorted(by: { $0.code < $1.code }) {
                let id = programme.id!
                let period = programme.period
                let stored = try await PlanRepository(db: tx).measures(id)
                var byKey: [String: MeasureRow] = [:]
                for row in stored { byKey["\(row.section)|\(row.number)"] = row }
                var position = (stored.map(\.position).max() ?? 0)
                var rows: [[any Encodable & Sendable]] = []
                var changes: [FieldChange] = []
                var readings: [String: Deadline] = [:]
                var created = 0, updated = 0
                let span = "\(period.lowerBound.russian)–\(period.upperBound.russian)"
                for record in records where record.programme == programme.code {
                    let old = byKey["\(record.section)|\(record.number)"]
                    if let old, Self.sameContent(old, record) { summary.unchanged += 1; continue }
                    if let year = record.year, !period.years.contains(year) {
                        warnings.append(ImportIssue(file: fileName, line: record.line, column: "year",
                                                    message: "\(year) год вне срока программы \(span)", severity: .warning))
                    }
                    let readingKey = "\(record.year ?? 0)|\(record.deadline)"
                    let reading = readings[readingKey] ?? DeadlineReader.read(record.deadline, year: record.year, period: period)
                    readings[readingKey] = reading
                    if !reading.outside.isEmpty {
                        // A dated deadline outside the period is never dropped silently (CONTRACT.md, `opora roadmap`).
                        let dates = reading.outside.prefix(5).map(\.russian).joined(separator: ", ")
                        warnings.append(ImportIssue(file: fileName, line: record.line, column: "deadline",
                                                    message: "срок «\(record.deadline.prefix(60))»: \(dates) вне срока программы \(span) — "
                                                        + "в сроки не включено, исправьте срок или период программы", severity: .warning))
                    }
                    // An empty deadline was warned of by the parser («нужна дата»).
                    if reading.kind == .unparsed && old?.dated_on == nil && !record.deadline.isEmpty {
                        warnings.append(ImportIssue(file: fileName, line: record.line, column: "deadline",
                                                    message: "срок «\(record.deadline.prefix(60))» не распознан: он сохранён как написан, "
                                                        + "назначьте дату на странице дорожной карты", severity: .warning))
                    }
                    if old == nil { position += 1; created += 1 } else { updated += 1 }
                    if let old, old.status != record.status.rawValue {
                        changes.append(FieldChange(field: "№ \(record.number): статус", old: MeasureStatus(rawValue: old.status)?.russianName,
                                                   new: record.status.russianName))
                    }
                    rows.append([id, old?.position ?? position, record.section, record.number, record.measure, record.deadline, record.responsible,
                                 record.result, record.status.rawValue, record.doneOn?.iso, record.year, record.comment, (old?.version ?? 0) + 1,
                                 now, actor.login])
                }
                try await tx.sql.insertRows(into: "roadmap_measures", columns: Self.measureColumns, rows: rows,
                                                 updatingOnConflict: ["programme_id", "section", "number"])
                summary.created += created
                summary.updated += updated
                if created + updated > 0 {
                    try await PlanRepository(db: tx).snapshotRoadmap(id)
                    try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "roadmap", entityID: id,
                                              summary: "Загружена дорожная карта программы «\(programme.name)» (\(fileName)): добавлено \(created), изменено \(updated)",
                                              changes: Array(changes.prefix(200)), place: Self.place(programme))
                }
            }
            summary.warnings = Array(warnings.prefix(200))
            return summary
        }
    }

    /// What a roadmap row sets, against what is stored (evidence and a person's date are the page's, not the file's).
    static func sameContent(_ old: MeasureRow, _ record: RoadmapRecord) -> Bool {
        old.measure == record.measure && old.deadline == record.deadline && old.responsible == record.responsible && old.result == record.result
            && old.status == record.status.rawValue && old.done_on == record.doneOn?.iso && old.year == record.year && old.comment == record.comment
    }

    // MARK: indicators

    public func writeIndicators(_ records: [IndicatorRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let programmes = try await programmes(records.map { ($0.programme, $0.line) }, on: tx, &issues)
            try issues.throwIfFailed()
            var summary = ImportSummary()
            for programme in programmes.values.sorted(by: { $0.code < $1.code }) {
                let stored = try await IndicatorModel.query(on: tx).filter(\.$programmeID == programme.id!).all()
                var position = stored.map(\.position).max() ?? 0
                var changed: [String] = []
                for record in records where record.programme == programme.code {
                    let model = stored.first { $0.code == record.code } ?? IndicatorModel()
                    let before = model.id == nil ? nil : Self.describe(model)
                    if model.id == nil { position += 1; model.position = position; model.programmeID = programme.id! }
                    model.code = record.code
                    model.name = record.name
                    model.unit = record.unit
                    model.direction = record.direction.rawValue
                    model.baseline = record.baseline
                    model.baselineYear = record.baselineYear
                    model.formula = record.formula?.rawValue
                    model.periodicity = record.periodicity
                    model.months = record.months.isEmpty ? nil : record.months.map(String.init).joined(separator: ",")
                    model.source = record.source
                    model.responsible = record.responsible
                    if before == Self.describe(model) { summary.unchanged += 1; continue }
                    if before == nil { summary.created += 1 } else { summary.updated += 1 }
                    changed.append(record.code)
                    try await model.save(on: tx)
                }
                if !changed.isEmpty {
                    try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "indicators", entityID: programme.id,
                                              summary: "Загружены показатели программы «\(programme.name)» (\(fileName)): \(changed.joined(separator: ", "))",
                                              place: Self.place(programme))
                }
            }
            return summary
        }
    }

    static func describe(_ model: IndicatorModel) -> String {
        let numbers: [String] = [model.baseline.map { "\($0)" } ?? "", model.baselineYear.map(String.init) ?? ""]
        let texts: [String] = [model.code, model.name, model.unit ?? "", model.direction, model.formula ?? "", model.periodicity ?? "",
                               model.months ?? "", model.source ?? "", model.responsible ?? ""]
        return (texts + numbers).joined(separator: "|")
    }

    // MARK: indicator values

    /// Values keyed by indicator, year and phase replace the stored ones; who entered each is kept.
    public func writeValues(_ records: [IndicatorValueRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let programmes = try await programmes(records.map { ($0.programme, $0.line) }, on: tx, &issues)
            var indicators: [String: IndicatorModel] = [:]
            for programme in programmes.values {
                for indicator in try await IndicatorModel.query(on: tx).filter(\.$programmeID == programme.id!).all() {
                    indicators["\(programme.code)|\(indicator.code)"] = indicator
                }
            }
            for record in records where programmes[record.programme] != nil && indicators["\(record.programme)|\(record.indicator)"] == nil {
                issues.error(line: record.line, column: "indicator", "у программы «\(record.programme)» нет показателя «\(record.indicator)» (сначала загрузите indicators)")
            }
            try issues.throwIfFailed()
            var summary = ImportSummary()
            var touched: [Int: [String]] = [:]
            let indicatorIDs = indicators.values.compactMap(\.id)
            var stored: [String: IndicatorValueModel] = [:]
            for value in indicatorIDs.isEmpty ? [] : try await IndicatorValueModel.query(on: tx).filter(\.$indicatorID ~~ indicatorIDs).all() {
                stored["\(value.indicatorID)|\(value.year)|\(value.phase)"] = value
            }
            for record in records {
                let indicator = indicators["\(record.programme)|\(record.indicator)"]!
                let model = stored["\(indicator.id!)|\(record.year)|\(record.phase.rawValue)"] ?? IndicatorValueModel()
                let before = model.id == nil ? nil : Self.describe(model)
                model.indicatorID = indicator.id!
                model.year = record.year
                model.phase = record.phase.rawValue
                model.value = record.value
                model.target = record.target
                model.presence = record.points?.presence
                model.dynamics = record.points?.dynamics
                model.documentation = record.points?.documentation
                model.points = record.totalPoints
                model.comment = record.comment
                if before == Self.describe(model) { summary.unchanged += 1; continue }
                if before == nil { summary.created += 1 } else { summary.updated += 1 }
                model.enteredBy = actor.login
                model.enteredAt = Date()
                try await model.save(on: tx)
                touched[programmes[record.programme]!.id!, default: []].append("\(record.indicator) (\(record.year))")
            }
            for (programmeID, items) in touched.sorted(by: { $0.key < $1.key }) {
                let programme = programmes.values.first { $0.id == programmeID }!
                try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "indicator_values", entityID: programmeID,
                                          summary: "Внесены значения показателей программы «\(programme.name)» (\(fileName)): \(items.joined(separator: ", "))",
                                          place: Self.place(programme))
            }
            return summary
        }
    }

    static func describe(_ model: IndicatorValueModel) -> String {
        func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
        let target: String = model.target.map { "\($0)" } ?? ""
        let parts: [String] = ["\(model.value)", target, text(model.presence), text(model.dynamics), text(model.documentation), text(model.points),
                               model.comment ?? ""]
        return parts.joined(separator: "|")
    }
}
