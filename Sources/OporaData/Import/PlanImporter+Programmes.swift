import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// `programmes`: a new code creates the programme and its first version; a known code whose passport changed
/// becomes an amendment with the row's order (seed 004 amends the 2023 programme this way).
extension PlanImporter {
    /// A stored programme as the file's row is compared with it.
    struct StoredProgramme: Sendable, Decodable {
        let id: Int
        let code: String
        let level: String
        let region_id: Int?
        let municipality_id: Int?
        let school_id: Int?
        let passport_json: String
        let start_on: String
        let end_on: String
        let order_number: String?
        let order_date: String?
        let band_high: Int
        let band_medium: Int
        let band_satisfactory: Int
        let version: Int

        static let columns = ["id", "code", "level", "region_id", "municipality_id", "school_id", "passport_json", "start_on", "end_on",
                              "order_number", "order_date", "band_high", "band_medium", "band_satisfactory", "version"]

        var place: ProgrammePlace { ProgrammePlace(regionID: region_id ?? 0, municipalityID: municipality_id, schoolID: school_id) }
        var passport: ProgrammePassport {
            // As `PlanModel.passport` reads it.
            if let decoded = try? JSONDecoder().decode(ProgrammePassport.self, from: Data(passport_json.utf8)) { return decoded }
            let start = CalendarDay(parsing: start_on) ?? CalendarDay(year: 2000, month: 1, day: 1)
            return ProgrammePassport(name: code, start: start, end: CalendarDay(parsing: end_on) ?? start)
        }
    }

    /// What a `programmes` file is checked against, read in a few queries.
    struct ProgrammesState: Sendable {
        /// Normalised name → id (and region) of each region and municipality; the first of equal names wins.
        var regions: [String: Int] = [:]
        var regionIDs: [Int] = []
        var municipalities: [String: (id: Int, regionID: Int)] = [:]
        var municipalityList: [(id: Int, regionID: Int)] = []
        /// School code → its place, for the schools the file names.
        var schools: [String: SchoolPlace] = [:]
        /// Programme code → the stored programme, for the codes the file names.
        var stored: [String: StoredProgramme] = [:]
    }

    /// One programme to create or amend.
    struct PassportWrite: Sendable {
        let record: ProgrammeRecord
        let place: ProgrammePlace
        let stored: StoredProgramme?
        let passport: ProgrammePassport
        let orderNumber: String?
        let orderDate: String?
        let changes: Int
    }

    struct ProgrammesPlan: Sendable {
        var summary = ImportSummary()
        var writes: [PassportWrite] = []
    }

    struct SchoolRow: Decodable { let id: Int; let code: String; let municipality_id: Int; let region_id: Int }
    struct TerritoryRow: Decodable { let id: Int; let name: String; let region_id: Int? }

    func loadProgrammes(_ records: [ProgrammeRecord], on db: any Database) async throws -> ProgrammesState {
        var state = ProgrammesState()
        let regions = try await db.sql.select().columns("id", "name").from("regions").orderBy("id").all(decoding: TerritoryRow.self)
        for region in regions {
            state.regionIDs.append(region.id)
            let key = HeaderKey.normalize(region.name)
            if state.regions[key] == nil { state.regions[key] = region.id }
        }
        let municipalities = try await db.sql.select().columns("id", "name", "region_id").from("municipalities").orderBy("id")
            .all(decoding: TerritoryRow.self)
        for municipality in municipalities {
            let entry = (id: municipality.id, regionID: municipality.region_id ?? 0)
            state.municipalityList.append(entry)
            let key = HeaderKey.normalize(municipality.name)
            if state.municipalities[key] == nil { state.municipalities[key] = entry }
        }
        let schoolCodes = Set(records.lazy.filter { $0.level == .school }.compactMap(\.school))
        for chunk in BulkRows.chunks(Array(schoolCodes)) {
            let rows = try await db.sql.select()
                .column(SQLColumn("id", table: "schools")).column(SQLColumn("code", table: "schools"))
                .column(SQLColumn("municipality_id", table: "schools")).column(SQLColumn("region_id", table: "municipalities"))
                .from("schools").join("municipalities", on: SQLColumn("id", table: "municipalities"), .equal,
                                      SQLColumn("municipality_id", table: "schools"))
                .where(SQLColumn("code", table: "schools"), .in, SQLBind.group(Array(chunk)))
                .all(decoding: SchoolRow.self)
            for row in rows {
                state.schools[row.code] = SchoolPlace(schoolID: row.id, municipalityID: row.municipality_id, regionID: row.region_id)
            }
        }
        for chunk in BulkRows.chunks(records.map(\.code)) {
            let rows = try await db.sql.select().columns(StoredProgramme.columns.map { SQLIdentifier($0) }).from("programmes")
                .where("code", .in, SQLBind.group(Array(chunk))).all(decoding: StoredProgramme.self)
            for row in rows { state.stored[row.code] = row }
        }
        return state
    }

    /// The plan, from the file and what is stored: pure, so a preview and the import count the same.
    static func planProgrammes(_ records: [ProgrammeRecord], _ state: ProgrammesState, role: Role, scope: AccessScope,
                               fileName: String) throws -> ProgrammesPlan {
        var issues = IssueCollector(file: fileName)
        var placed: [(ProgrammeRecord, ProgrammePlace)] = []
        placed.reserveCapacity(records.count)
        for record in records {
            guard let place = resolvePlace(record, state, scope: scope, &issues) else { continue }
            if !ProgrammeAccess.canChange(place, role: role, scope: scope) {
                issues.error(line: record.line, column: "territory", "программа этой территории вне вашей области доступа")
                continue
            }
            placed.append((record, place))
        }
        try issues.throwIfFailed()
        var plan = ProgrammesPlan()
        for (record, place) in placed {
            let existing = state.stored[record.code]
            if let existing, existing.place != place {
                // Said the same whether the other programme is in the actor's scope or not: the answer must not
                // tell which territories use which codes.
                issues.error(line: record.line, column: "code", ProgrammeCode.taken(record.code))
                continue
            }
            let old = existing?.passport
            var passport = old ?? ProgrammePassport(name: record.name, start: record.start, end: record.end)
            passport.name = record.name
            passport.start = record.start
            passport.end = record.end
            if let goal = record.goal { passport.goal = goal }
            if let existing, old == passport, existing.order_number == record.orderNumber || record.orderNumber == nil {
                plan.summary.unchanged += 1
                continue
            }
            if existing == nil { plan.summary.created += 1 } else { plan.summary.updated += 1 }
            let orderDate = record.orderDate ?? existing?.order_date.flatMap(CalendarDay.init(parsing:))
            plan.writes.append(PassportWrite(record: record, place: place, stored: existing, passport: passport,
                                             orderNumber: record.orderNumber ?? existing?.order_number, orderDate: orderDate?.iso,
                                             changes: old.map { ProgrammePassport.compare($0, passport).count } ?? 0))
        }
        try issues.throwIfFailed()
        return plan
    }

    static func resolvePlace(_ record: ProgrammeRecord, _ state: ProgrammesState, scope: AccessScope,
                             _ issues: inout IssueCollector) -> ProgrammePlace? {
        switch record.level {
        case .school:
            // Another territory's school, municipality or region reads like an unknown one (`Absent`).
            guard let code = record.school, let school = state.schools[code], scope.contains(school) else {
                issues.error(line: record.line, column: "school", Absent.school(record.school ?? ""))
                return nil
            }
            return ProgrammePlace(regionID: school.regionID, municipalityID: school.municipalityID, schoolID: school.schoolID)
        case .municipality:
            let municipality: (id: Int, regionID: Int)?
            if let territory = record.territory { municipality = state.municipalities[HeaderKey.normalize(territory)] }
            else if case .municipality(let id) = scope { municipality = state.municipalityList.first { $0.id == id } }
            else { municipality = state.municipalityList.count == 1 ? state.municipalityList.first : nil }
            guard let municipality, scope.containsMunicipality(id: municipality.id, regionID: municipality.regionID) else {
                issues.error(line: record.line, column: "territory",
                             record.territory.map(Absent.municipality) ?? "укажите муниципалитет программы")
                return nil
            }
            return ProgrammePlace(regionID: municipality.regionID, municipalityID: municipality.id)
        case .region:
            let region: Int?
            if let territory = record.territory { region = state.regions[HeaderKey.normalize(territory)] }
            else if case .region(let id) = scope { region = state.regionIDs.first { $0 == id } }
            else { region = state.regionIDs.count == 1 ? state.regionIDs.first : nil }
            guard let region, scope.containsRegion(id: region) else {
                issues.error(line: record.line, column: "territory", record.territory.map(Absent.region) ?? "укажите регион программы")
                return nil
            }
            return ProgrammePlace(regionID: region)
        }
    }

    /// What the import of `records` would do, read and planned without a transaction (the preview).
    public func planProgrammes(_ records: [ProgrammeRecord], fileName: String) async throws -> ImportSummary {
        let state = try await loadProgrammes(records, on: db)
        return try Self.planProgrammes(records, state, role: role, scope: scope, fileName: fileName).summary
    }

    public func writeProgrammes(_ records: [ProgrammeRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let state = try await loadProgrammes(records, on: tx)
            let plan = try Self.planProgrammes(records, state, role: role, scope: scope, fileName: fileName)
            try await writePassports(plan.writes, fileName: fileName, on: tx)
            return plan.summary
        }
    }

    static let programmeColumns = ["code", "level", "region_id", "municipality_id", "school_id", "passport_json", "start_on", "end_on",
                                   "order_number", "order_date", "band_high", "band_medium", "band_satisfactory", "version",
                                   "updated_at", "updated_by"]
    /// What an amendment changes of a stored programme (its code, level, place and bands stay).
    static let amendedColumns = ["passport_json", "start_on", "end_on", "order_number", "order_date", "version", "updated_at", "updated_by"]
    static let amendmentColumns = ["programme_id", "number", "order_number", "order_date", "note", "passport_json", "roadmap_json",
                                   "created_by", "created_at"]

    struct CodeRow: Decodable { let id: Int; let code: String }
    struct NumberRow: Decodable { let programme_id: Int; let number: Int }

    /// The programmes, their new versions (each with the roadmap as it stands) and one audit entry per territory.
    /// Written a slice at a time, so the passports' text is held for one slice, not for the whole file.
    func writePassports(_ writes: [PassportWrite], fileName: String, on tx: any Database) async throws {
        guard !writes.isEmpty else { return }
        let now = Date()
        // The amended programmes' last version number and their roadmap as it stands, read up front.
        let amended = writes.compactMap { $0.stored?.id }
        var lastNumber: [Int: Int] = [:]
        var roadmaps: [Int: [String]] = [:]
        for chunk in BulkRows.chunks(amended) {
            let numbers = try await tx.sql.select().column("programme_id")
                .column(SQLFunction("MAX", args: SQLColumn("number")), as: "number").from("programme_amendments")
                .where("programme_id", .in, SQLBind.group(Array(chunk))).groupBy("programme_id")
                .all(decoding: NumberRow.self)
            for row in numbers { lastNumber[row.programme_id] = row.number }
            let measures = try await tx.sql.select().columns(MeasureRow.columns.map { SQLIdentifier($0) }).from(MeasureModel.schema)
                .where("programme_id", .in, SQLBind.group(Array(chunk))).orderBy("programme_id").orderBy("position")
                .all(decoding: MeasureRow.self)
            for row in measures { roadmaps[row.programme_id, default: []].append(ProgrammePassport.roadmapLine(row.domain)) }
        }
        var ids: [String: Int] = [:]
        for write in writes { if let stored = write.stored { ids[stored.code] = stored.id } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plainEncoder = JSONEncoder()
        let noRoadmap = String(decoding: try plainEncoder.encode([String]()), as: UTF8.self)
        let bands = ScoreBands.pervouralsk
        let slice = 10_000
        for start in stride(from: 0, to: writes.count, by: slice) {
            let part = Array(writes[start..<min(start + slice, writes.count)])
            let passports = try part.map { String(decoding: try encoder.encode($0.passport), as: UTF8.self) }
            try await tx.sql.insertRows(into: "programmes", columns: Self.programmeColumns, items: Array(part.indices), key: ["code"],
                                        updating: Self.amendedColumns) { index in
                let write = part[index], stored = write.stored
                return [write.record.code, stored?.level ?? write.record.level.rawValue, write.place.regionID, write.place.municipalityID,
                        write.place.schoolID, passports[index], write.passport.start.iso, write.passport.end.iso, write.orderNumber,
                        write.orderDate, stored?.band_high ?? bands.high, stored?.band_medium ?? bands.medium,
                        stored?.band_satisfactory ?? bands.satisfactory, (stored?.version ?? 0) + 1, now, actor.login]
            }
            let created = part.filter { $0.stored == nil }.map(\.record.code)
            if !created.isEmpty {
                for row in try await tx.sql.select().columns("id", "code").from("programmes").where("code", .in, SQLBind.group(created))
                    .all(decoding: CodeRow.self) { ids[row.code] = row.id }
            }
            try await tx.sql.insertRows(into: "programme_amendments", columns: Self.amendmentColumns, items: Array(part.indices)) { index in
                let write = part[index]
                let id = ids[write.record.code] ?? 0
                let roadmap = roadmaps[id].flatMap { try? plainEncoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? noRoadmap
                let note = write.stored == nil ? "загружена из файла «\(fileName)»" : "изменения из файла «\(fileName)»"
                return [id, (lastNumber[id] ?? 0) + 1, write.orderNumber, write.orderDate, note, passports[index], roadmap, actor.login,
                        now]
            }
        }
        try await AuditLog.record(on: tx, actor: actor, Self.programmeAudit(writes, ids: ids, fileName: fileName))
    }

    /// One entry per territory: a single programme as before (its name, the number of changes), several summed up.
    static func programmeAudit(_ writes: [PassportWrite], ids: [String: Int], fileName: String) -> [AuditLog.Entry] {
        var byPlace: [ProgrammePlace: [PassportWrite]] = [:]
        var order: [ProgrammePlace] = []
        for write in writes {
            if byPlace[write.place] == nil { order.append(write.place) }
            byPlace[write.place, default: []].append(write)
        }
        return order.map { place in
            let group = byPlace[place]!
            let auditPlace = AuditPlace(regionID: place.regionID, municipalityID: place.municipalityID, schoolID: place.schoolID)
            if group.count == 1, let write = group.first {
                let name = write.record.name
                return AuditLog.Entry(action: "import", entity: "programme", entityID: ids[write.record.code],
                                      summary: write.stored == nil ? "Загружена программа «\(name)» (\(fileName))"
                                          : "Изменён паспорт программы «\(name)» (\(fileName)): изменений \(write.changes)",
                                      changes: [], place: auditPlace)
            }
            let created = group.filter { $0.stored == nil }.count
            return AuditLog.Entry(action: "import", entity: "programme", entityID: nil,
                                  summary: "Загружены программы (\(fileName)): добавлено \(created), изменено \(group.count - created): "
                                      + BulkRows.named(group.map(\.record.code)),
                                  changes: [], place: auditPlace)
        }
    }
}
