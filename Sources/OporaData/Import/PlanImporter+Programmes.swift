import FluentKit
import Foundation
import OporaDomain
import PostgresNIO
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

        init(_ row: BulkCells) {
            id = row.int(0) ?? 0
            code = row.text(1) ?? ""
            level = row.text(2) ?? ""
            region_id = row.int(3)
            municipality_id = row.int(4)
            school_id = row.int(5)
            passport_json = row.text(6) ?? "{}"
            start_on = row.text(7) ?? ""
            end_on = row.text(8) ?? ""
            order_number = row.text(9)
            order_date = row.text(10)
            band_high = row.int(11) ?? 0
            band_medium = row.int(12) ?? 0
            band_satisfactory = row.int(13) ?? 0
            version = row.int(14) ?? 0
        }
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

    /// One programme to create or amend: the file's record by its position and where the programme belongs; a
    /// stored one's amendment by reference, so a million writes that create stay a few words each.
    struct PassportWrite: Sendable {
        let index: Int
        let place: ProgrammePlace
        let amended: Amendment?
    }

    /// A stored programme the row changes: what is stored and the passport it becomes.
    final class Amendment: Sendable {
        let stored: StoredProgramme
        let passport: ProgrammePassport
        let changes: Int

        init(stored: StoredProgramme, passport: ProgrammePassport, changes: Int) {
            self.stored = stored
            self.passport = passport
            self.changes = changes
        }
    }

    /// The passport a row sets: the stored one with the row's name, period and goal, or a new one.
    static func passport(_ record: ProgrammeRecord, over old: ProgrammePassport?) -> ProgrammePassport {
        var passport = old ?? ProgrammePassport(name: record.name, start: record.start, end: record.end)
        passport.name = record.name
        passport.start = record.start
        passport.end = record.end
        if let goal = record.goal { passport.goal = goal }
        return passport
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
        if records.count <= 5_000 {
            for chunk in BulkRows.chunks(records.map(\.code)) {
                let rows = try await db.sql.select().columns(StoredProgramme.columns.map { SQLIdentifier($0) }).from("programmes")
                    .where("code", .in, SQLBind.group(Array(chunk))).all(decoding: StoredProgramme.self)
                for row in rows { state.stored[row.code] = row }
            }
        } else {
            // A large file: every stored programme read once (typed cells, no `Decodable`), the file's kept; no
            // tens of thousands of bound codes per query.
            // Kept by the file's codes only when far more are stored than the file names (a set of a million codes
            // costs more than keeping a few thousand stored programmes the file does not name).
            let storedCount = try await BulkTable.read("SELECT COUNT(*) FROM programmes", on: db, into: 0) { count, row in
                count = row.int(0) ?? 0
            }
            let codes = storedCount > records.count ? Set(records.map(\.code)) : nil
            state.stored = try await BulkTable.read("SELECT \(StoredProgramme.columns.joined(separator: ", ")) FROM programmes",
                                                    on: db, into: [:]) { stored, row in
                let programme = StoredProgramme(row)
                if codes?.contains(programme.code) ?? true { stored[programme.code] = programme }
            }
        }
        return state
    }

    /// The plan, from the file and what is stored: pure, so a preview and the import count the same.
    static func planProgrammes(_ records: [ProgrammeRecord], _ state: ProgrammesState, role: Role, scope: AccessScope,
                               fileName: String) throws -> ProgrammesPlan {
        var issues = IssueCollector(file: fileName)
        var placed: [(index: Int, place: ProgrammePlace)] = []
        placed.reserveCapacity(records.count)
        // Records are read in place: a whole `ProgrammeRecord` copied is a dozen retains a row.
        for index in records.indices {
            guard let place = resolvePlace(records[index], state, scope: scope, &issues) else { continue }
            if !ProgrammeAccess.canChange(place, role: role, scope: scope) {
                issues.error(line: records[index].line, column: "territory", "программа этой территории вне вашей области доступа")
                continue
            }
            placed.append((index, place))
        }
        try issues.throwIfFailed()
        var plan = ProgrammesPlan()
        plan.writes.reserveCapacity(placed.count)
        for (index, place) in placed {
            guard let existing = state.stored[records[index].code] else {
                plan.summary.created += 1
                plan.writes.append(PassportWrite(index: index, place: place, amended: nil))
                continue
            }
            let record = records[index]
            if existing.place != place {
                // Said the same whether the other programme is in the actor's scope or not: the answer must not
                // tell which territories use which codes.
                issues.error(line: record.line, column: "code", ProgrammeCode.taken(record.code))
                continue
            }
            let old = existing.passport
            let passport = Self.passport(record, over: old)
            if old == passport, existing.order_number == record.orderNumber || record.orderNumber == nil {
                plan.summary.unchanged += 1
                continue
            }
            plan.summary.updated += 1
            plan.writes.append(PassportWrite(index: index, place: place, amended: Amendment(
                stored: existing, passport: passport, changes: ProgrammePassport.compare(old, passport).count)))
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
        try await ImportWriteLock.transaction(on: db) { tx in
            let state = try await loadProgrammes(records, on: tx)
            let plan = try Self.planProgrammes(records, state, role: role, scope: scope, fileName: fileName)
            try await writePassports(plan.writes, records: records, fileName: fileName, on: tx)
            return plan.summary
        }
    }

    static let programmeColumns = ["code", "level", "region_id", "municipality_id", "school_id", "passport_json", "start_on", "end_on",
                                   "order_number", "order_date", "band_high", "band_medium", "band_satisfactory", "version",
                                   "updated_at", "updated_by", "adopted_note", "adopted_by", "adopted_at"]
    static let amendmentColumns = ["programme_id", "number", "order_number", "order_date", "note", "passport_json", "roadmap_json",
                                   "created_by", "created_at"]

    struct NumberRow: Decodable { let programme_id: Int; let number: Int }
    struct VersionRow: Decodable { let id: Int; let version: Int }

    /// A stored programme as a file's row read it: its version then, and the row's line.
    struct ReadProgramme: Sendable {
        let id: Int
        let version: Int
        let code: String
        let line: Int
    }

    /// On PostgreSQL the programmes a file amends are locked before anything of them is written, in the order of their
    /// ids, and must still be as they were read: a passport form saved meanwhile refuses the file, by the lines of
    /// the programmes changed (nothing written; the file is simply loaded again), rather than being written over,
    /// and a form saved later waits for the file and is refused as stale. Locked first, as the form claims the
    /// programme first, so the two never wait for each other. (On SQLite the import's transaction holds the write
    /// lock from its first statement.)
    static func lockUnchanged(_ read: [ReadProgramme], fileName: String, on tx: any Database) async throws {
        guard tx.sql.dialect.name == "postgresql", !read.isEmpty else { return }
        let locked = try await lockProgrammes(Array(Set(read.map(\.id))), on: tx)
        var issues = IssueCollector(file: fileName)
        for programme in read where locked[programme.id] != programme.version {
            issues.error(line: programme.line, column: "code", ProgrammeCode.changedMeanwhile(programme.code))
        }
        try issues.throwIfFailed()
    }

    /// The programmes (a new one's first version kept in its row), the amended ones' new versions (each with the roadmap as
    /// it stands) and one audit entry per territory.
    /// New programmes get their ids up front, so programmes and versions go out in bulk (`BulkTable`) without being
    /// read back; a passport's text is made as its row goes out, so it is held for a chunk of rows, not for the file.
    func writePassports(_ writes: [PassportWrite], records: [ProgrammeRecord], fileName: String, on tx: any Database) async throws {
        guard !writes.isEmpty else { return }
        let now = Date()
        let amended = writes.compactMap { $0.amended?.stored.id }
        try await Self.lockUnchanged(writes.compactMap { write in
            write.amended.map { ReadProgramme(id: $0.stored.id, version: $0.stored.version, code: $0.stored.code,
                                              line: records[write.index].line) }
        }, fileName: fileName, on: tx)
        // The amended programmes' versions that stand for their passport and roadmap as they were keep a copy of them
        // (a first version kept in the programme's row becomes a row first); every version written here stands for its
        // programme's new passport and its roadmap as it stands (`AmendmentModel.sameAsProgramme`, `roadmapAsItStands`).
        var roadmaps: [Int: [String]] = [:]
        for chunk in BulkRows.chunks(amended) {
            let measures = try await tx.sql.select().columns(MeasureRow.columns.map { SQLIdentifier($0) }).from(MeasureModel.schema)
                .where("programme_id", .in, SQLBind.group(Array(chunk))).orderBy("programme_id").orderBy("position")
                .all(decoding: MeasureRow.self)
            for row in measures { roadmaps[row.programme_id, default: []].append(ProgrammePassport.roadmapLine(row.domain)) }
        }
        try await AmendmentModel.keepVersions(roadmaps, ofProgrammes: amended, on: tx)
        var lastNumber: [Int: Int] = [:]
        for chunk in BulkRows.chunks(amended) {
            let numbers = try await tx.sql.select().column("programme_id")
                .column(SQLFunction("MAX", args: SQLColumn("number")), as: "number").from("programme_amendments")
                .where("programme_id", .in, SQLBind.group(Array(chunk))).groupBy("programme_id")
                .all(decoding: NumberRow.self)
            for row in numbers { lastNumber[row.programme_id] = row.number }
        }
        // Every write's programme id: a stored one's, or one taken now for a new one.
        let fresh = try await BulkTable.reserveIDs(writes.count - amended.count, table: "programmes", on: tx)
        var ids: [Int] = []
        ids.reserveCapacity(writes.count)
        var next = fresh.makeIterator()
        for write in writes { ids.append(write.amended?.stored.id ?? next.next() ?? 0) }
        let bands = ScoreBands.pervouralsk
        let created = "загружена из файла «\(fileName)»", changed = "изменения из файла «\(fileName)»"
        let programmes = BulkTable(name: "programmes", columns: ["id"] + Self.programmeColumns)
        // A new programme's first version is kept in its row (V049); only an amended one gets a version row.
        let amendments = BulkTable(name: "programme_amendments", columns: Self.amendmentColumns)
        var days = ISODays()
        // Fields read from `records[…]` one by one: a whole record copied is a dozen retains a row.
        func order(_ write: PassportWrite) -> (number: String?, date: String?) {
            let stored = write.amended?.stored
            let date = records[write.index].orderDate ?? stored?.order_date.flatMap(CalendarDay.init(parsing:))
            return (records[write.index].orderNumber ?? stored?.order_number, days.iso(date))
        }
        for isNew in [true, false] {
            let rows = writes.indices.filter { (writes[$0].amended == nil) == isNew }
            // A passport's JSON is made with its row's other cells, while the database stores the rows before.
            try await programmes.write(rows, on: tx, updatingOnConflict: isNew ? nil : ["code"]) { index in
                let write = writes[index], stored = write.amended?.stored, record = write.index
                let passport = write.amended?.passport
                let (number, date) = order(write)
                return [.int(ids[index]), .text(records[record].code), .text(stored?.level ?? records[record].level.rawValue),
                        .int(write.place.regionID), .int(write.place.municipalityID), .int(write.place.schoolID),
                        .utf8(PlanJSON.passportBytes(passport ?? Self.passport(records[record], over: nil))),
                        .text(days.iso(passport?.start ?? records[record].start)), .text(days.iso(passport?.end ?? records[record].end)),
                        .text(number), .text(date), .int(stored?.band_high ?? bands.high), .int(stored?.band_medium ?? bands.medium),
                        .int(stored?.band_satisfactory ?? bands.satisfactory), .int((stored?.version ?? 0) + 1), .date(now),
                        .text(actor.login), isNew ? .text(created) : .null, isNew ? .text(actor.login) : .null, isNew ? .date(now) : .null]
            }
        }
        try await amendments.write(writes.indices.filter { writes[$0].amended != nil }, on: tx) { index in
            let write = writes[index], id = ids[index]
            let (number, date) = order(write)
            return [.int(id), .int((lastNumber[id] ?? 0) + 1), .text(number), .text(date), .text(changed),
                    .text(AmendmentModel.sameAsProgramme), .text(AmendmentModel.roadmapAsItStands), .text(actor.login), .date(now)]
        }
        try await AuditLog.record(on: tx, actor: actor, Self.programmeAudit(writes, records: records, ids: ids, fileName: fileName))
    }

    /// One entry per territory: a single programme as before (its name, the number of changes), several summed up.
    static func programmeAudit(_ writes: [PassportWrite], records: [ProgrammeRecord], ids: [Int], fileName: String) -> [AuditLog.Entry] {
        /// A territory's writes: counted, and only the first 101 kept (the summary names 100), not a list of all.
        struct Group {
            let place: ProgrammePlace
            var positions: [Int] = []
            var count = 0
            var created = 0
        }
        var groups: [Group] = []
        var byPlace: [ProgrammePlace: Int] = [:]
        for (position, write) in writes.enumerated() {
            let at = byPlace[write.place] ?? {
                groups.append(Group(place: write.place))
                byPlace[write.place] = groups.count - 1
                return groups.count - 1
            }()
            if groups[at].positions.count < 101 { groups[at].positions.append(position) }
            groups[at].count += 1
            if write.amended == nil { groups[at].created += 1 }
        }
        return groups.map { group in
            let place = group.place
            let auditPlace = AuditPlace(regionID: place.regionID, municipalityID: place.municipalityID, schoolID: place.schoolID)
            if group.count == 1, let position = group.positions.first {
                let write = writes[position], name = records[write.index].name
                return AuditLog.Entry(action: "import", entity: "programme", entityID: ids[position],
                                      summary: write.amended == nil ? "Загружена программа «\(name)» (\(fileName))"
                                          : "Изменён паспорт программы «\(name)» (\(fileName)): изменений \(write.amended?.changes ?? 0)",
                                      changes: [], place: auditPlace)
            }
            return AuditLog.Entry(action: "import", entity: "programme", entityID: nil,
                                  summary: "Загружены программы (\(fileName)): добавлено \(group.created), "
                                      + "изменено \(group.count - group.created): "
                                      + BulkRows.named(group.positions.map { records[writes[$0].index].code }, total: group.count),
                                  changes: [], place: auditPlace)
        }
    }
}
