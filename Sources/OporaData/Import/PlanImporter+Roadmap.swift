import FluentKit
import Foundation
import OporaDomain
import PostgresNIO
import SQLKit
import SQLiteNIO

/// `roadmap`: rows keyed by programme, section and number replace the stored ones; what a person added on the page
/// (evidence, a date for an unread deadline) stays.
extension PlanImporter {
    struct RoadmapState: Sendable {
        var programmes: [String: ProgrammeRef] = [:]
        /// Each programme's stored measures by section and number (compared as bytes, as the database compares them).
        var measures: [Int: [MeasureKey: MeasureRow]] = [:]
        /// Each programme's last position.
        var lastPosition: [Int: Int] = [:]
    }

    /// A measure's section and number, each compared as bytes (a «section|number» text took «a|b», «1» for «a», «b|1»,
    /// which the file's reading tells apart).
    struct MeasureKey: Hashable {
        let section: ByteKey
        let number: ByteKey
        init(_ section: String, _ number: String) {
            self.section = ByteKey(section)
            self.number = ByteKey(number)
        }
    }

    /// A measure to store: the file's row (by its position in the records) at its position, with its new version.
    struct MeasureWrite: Sendable {
        let index: Int
        let position: Int
        let version: Int
        let isNew: Bool
    }

    struct RoadmapProgrammeWrite: Sendable {
        let programme: ProgrammeRef
        var rows: [MeasureWrite] = []
        var created = 0
        var updated = 0
        var changes: [FieldChange] = []
    }

    struct RoadmapPlan: Sendable {
        var summary = ImportSummary()
        var programmes: [RoadmapProgrammeWrite] = []
    }

    /// The programmes and all their stored measures, in one read per few thousand programmes.
    func loadRoadmap(_ records: [RoadmapRecord], fileName: String, on db: any Database) async throws -> RoadmapState {
        let lookup = try await lookUpProgrammes(Set(records.map(\.programme)), on: db)
        var issues = IssueCollector(file: fileName)
        var state = RoadmapState()
        state.programmes = Self.changeable(records.map { ($0.programme, $0.line) }, lookup, role: role, scope: scope, &issues)
        try issues.throwIfFailed()
        let ids = state.programmes.values.map(\.id).sorted()
        for list in BulkRows.idLists(ids) {
            let sql = "SELECT \(MeasureRow.columns.joined(separator: ", ")) FROM \(MeasureModel.schema) WHERE programme_id IN (\(list))"
            state = try await BulkTable.read(sql, on: db, into: state) { state, cells in
                let row = MeasureRow(cells)
                state.measures[row.programme_id, default: [:]][MeasureKey(row.section, row.number)] = row
                state.lastPosition[row.programme_id] = max(state.lastPosition[row.programme_id] ?? 0, row.position)
            }
        }
        return state
    }

    /// What each row does, with the warnings on years and deadlines outside the programme's dates.
    static func planRoadmap(_ records: [RoadmapRecord], _ state: RoadmapState, fileName: String) -> RoadmapPlan {
        var plan = RoadmapPlan()
        var warnings: [ImportIssue] = []
        var byProgramme: [String: [Int]] = [:]
        // Records are read in place, field by field: a whole `RoadmapRecord` copied is a dozen retains a row.
        for index in records.indices { byProgramme[records[index].programme, default: []].append(index) }
        for programme in state.programmes.values.sorted(by: { $0.code < $1.code }) {
            let period = programme.period
            let stored = state.measures[programme.id] ?? [:]
            var position = state.lastPosition[programme.id] ?? 0
            var write = RoadmapProgrammeWrite(programme: programme)
            var readings: [DeadlineKey: Deadline] = [:]
            let span = "\(period.lowerBound.russian)–\(period.upperBound.russian)"
            for index in byProgramme[programme.code] ?? [] {
                let old = stored.isEmpty ? nil : stored[MeasureKey(records[index].section, records[index].number)]
                if let old, sameContent(old, records, index) { plan.summary.unchanged += 1; continue }
                if warnings.count < 200 {
                    warnings += measureWarnings(records, index, old: old, period: period, span: span, readings: &readings,
                                                fileName: fileName)
                }
                if old == nil { position += 1; write.created += 1 } else { write.updated += 1 }
                if let old, old.status != records[index].status.rawValue, write.changes.count < 200 {
                    write.changes.append(FieldChange(field: "№ \(records[index].number): статус",
                                                     old: MeasureStatus(rawValue: old.status)?.russianName,
                                                     new: records[index].status.russianName))
                }
                write.rows.append(MeasureWrite(index: index, position: old?.position ?? position, version: (old?.version ?? 0) + 1,
                                               isNew: old == nil))
            }
            plan.summary.created += write.created
            plan.summary.updated += write.updated
            if !write.rows.isEmpty { plan.programmes.append(write) }
        }
        plan.summary.warnings = Array(warnings.prefix(200))
        return plan
    }

    /// A deadline's text with the year it is read in: one reading for each (most rows repeat a few texts).
    struct DeadlineKey: Hashable {
        let year: Int?
        let text: ByteKey
    }

    /// A year outside the programme, a dated deadline outside it, a deadline not read. The record is read in place by
    /// its index: passed whole, each of a million was copied (a fiftieth of a roadmap's import).
    static func measureWarnings(_ records: [RoadmapRecord], _ index: Int, old: MeasureRow?, period: DatePeriod, span: String,
                                readings: inout [DeadlineKey: Deadline], fileName: String) -> [ImportIssue] {
        var warnings: [ImportIssue] = []
        let year = records[index].year, deadline = records[index].deadline, line = records[index].line
        if let year, !period.years.contains(year) {
            warnings.append(ImportIssue(file: fileName, line: line, column: "year",
                                        message: "\(year) год вне срока программы \(span)", severity: .warning))
        }
        let readingKey = DeadlineKey(year: year, text: ByteKey(deadline))
        let reading: Deadline
        if let known = readings[readingKey] {
            reading = known
        } else {
            reading = DeadlineReader.read(deadline, year: year, period: period)
            readings[readingKey] = reading
        }
        if !reading.outside.isEmpty {
            // A dated deadline outside the period is never dropped silently (CONTRACT.md, `opora roadmap`).
            let dates = reading.outside.prefix(5).map(\.russian).joined(separator: ", ")
            warnings.append(ImportIssue(file: fileName, line: line, column: "deadline",
                                        message: "срок «\(deadline.prefix(60))»: \(dates) вне срока программы \(span) — "
                                            + "в сроки не включено, исправьте срок или период программы", severity: .warning))
        }
        // An empty deadline was warned of by the parser («нужна дата»).
        if reading.kind == .unparsed && old?.dated_on == nil && !deadline.isEmpty {
            warnings.append(ImportIssue(file: fileName, line: line, column: "deadline",
                                        message: "срок «\(deadline.prefix(60))» не распознан: он сохранён как написан, "
                                            + "назначьте дату на странице дорожной карты", severity: .warning))
        }
        return warnings
    }

    /// What a roadmap row sets, against what is stored (evidence and a person's date are the page's, not the file's).
    static func sameContent(_ old: MeasureRow, _ records: [RoadmapRecord], _ index: Int) -> Bool {
        records.withUnsafeBufferPointer { sameContent(old, $0[index]) }
    }

    static func sameContent(_ old: MeasureRow, _ record: borrowing RoadmapRecord) -> Bool {
        old.measure == record.measure && old.deadline == record.deadline && old.responsible == record.responsible
            && old.result == record.result && old.status == record.status.rawValue && old.done_on == record.doneOn?.iso
            && old.year == record.year && old.comment == record.comment
    }

    static let measureColumns = ["programme_id", "position", "section", "number", "measure", "deadline", "responsible", "result", "status",
                                 "done_on", "year", "comment", "version", "updated_at", "updated_by"]

    /// What the import of `records` would do, read and planned without a transaction (the preview).
    public func planRoadmap(_ records: [RoadmapRecord], fileName: String) async throws -> ImportSummary {
        let state = try await loadRoadmap(records, fileName: fileName, on: db)
        return Self.planRoadmap(records, state, fileName: fileName).summary
    }

    /// The measures in bulk (`BulkTable`: new ones inserted, changed ones upserted by their key), each programme's
    /// newest version standing for the roadmap as it now stands, one audit entry per programme.
    public func writeRoadmap(_ records: [RoadmapRecord], fileName: String) async throws -> ImportSummary {
        try await ImportWriteLock.transaction(on: db) { tx in
            let state = try await loadRoadmap(records, fileName: fileName, on: tx)
            let plan = Self.planRoadmap(records, state, fileName: fileName)
            try await Self.lockProgrammes(plan.programmes.map(\.programme.id), on: tx)
            let now = Date()
            let table = BulkTable(name: MeasureModel.schema, columns: Self.measureColumns)
            // Gathered into one array made to size: built by `flatMap`, it was copied as it grew.
            var rows: [(programme: Int, row: MeasureWrite)] = []
            rows.reserveCapacity(plan.programmes.reduce(0) { $0 + $1.rows.count })
            for write in plan.programmes { for row in write.rows { rows.append((write.programme.id, row)) } }
            try await table.write(rows, on: tx, isNew: { $0.row.isNew }, key: ["programme_id", "section", "number"]) { item in
                // Read field by field: a whole record copied is a dozen retains a row.
                let at = item.row.index
                return [.int(item.programme), .int(item.row.position), .text(records[at].section), .text(records[at].number),
                        .text(records[at].measure), .text(records[at].deadline), .text(records[at].responsible),
                        .text(records[at].result), .text(records[at].status.rawValue), .text(records[at].doneOn?.iso),
                        .int(records[at].year), .text(records[at].comment), .int(item.row.version), .date(now), .text(actor.login)]
            }
            try await markRoadmapsAsTheyStand(plan, on: tx)
            try await AuditLog.record(on: tx, actor: actor, plan.programmes.map { write in
                AuditLog.Entry(action: "import", entity: "roadmap", entityID: write.programme.id,
                               summary: "Загружена дорожная карта программы «\(write.programme.name)» (\(fileName)): "
                                   + "добавлено \(write.created), изменено \(write.updated)",
                               changes: write.changes, place: write.programme.auditPlace)
            })
            return plan.summary
        }
    }

    /// PostgreSQL: the changed programmes locked, in id order, before their measures are written, as the passport
    /// form claims a programme before it adds a version. A form saved during the import waits for it, and then finds
    /// the newest version standing for the roadmap and gives it its copy; otherwise the import, not seeing the form's
    /// new version, would mark the one before it, which would then follow the roadmap for good. (SQLite: the import
    /// holds the write lock from its first statement.)
    /// Answers the locked programmes' versions by id (none on SQLite); `lockUnchanged` compares them with a file's read.
    @discardableResult
    static func lockProgrammes(_ ids: [Int], on tx: any Database) async throws -> [Int: Int] {
        guard tx.sql.dialect.name == "postgresql" else { return [:] }
        var versions: [Int: Int] = [:]
        for list in BulkRows.idLists(ids.sorted()) {
            let rows = try await tx.sql.raw("""
                SELECT id, version FROM programmes WHERE id IN (\(unsafeRaw: list)) ORDER BY id FOR NO KEY UPDATE
                """).all(decoding: VersionRow.self)
            for row in rows { versions[row.id] = row.version }
        }
        return versions
    }

    /// Each changed programme's newest version stands for its roadmap as it now stands
    /// (`AmendmentModel.roadmapAsItStands`): a version that held a copy of it, written before, gives it up.
    func markRoadmapsAsTheyStand(_ plan: RoadmapPlan, on tx: any Database) async throws {
        let ids = plan.programmes.map(\.programme.id).sorted()
        for list in BulkRows.idLists(ids) {
            try await tx.sql.raw("""
                UPDATE programme_amendments SET roadmap_json = \(bind: AmendmentModel.roadmapAsItStands) \
                WHERE programme_id IN (\(unsafeRaw: list)) \
                AND (roadmap_json IS NULL OR roadmap_json <> \(bind: AmendmentModel.roadmapAsItStands)) \
                AND number = (SELECT MAX(b.number) FROM programme_amendments b WHERE b.programme_id = programme_amendments.programme_id)
                """).run()
        }
    }

    /// `roadmap_json` of the given versions: one statement on PostgreSQL (arrays), one prepared statement each on SQLite.
    static func setRoadmaps(_ updates: [(id: Int, json: String)], on tx: any Database) async throws {
        guard !updates.isEmpty else { return }
        if let postgres = tx as? any PostgresDatabase {
            var binds = PostgresBindings()
            binds.append(updates.map(\.id))
            binds.append(updates.map(\.json))
            let logger = tx.logger
            try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        UPDATE programme_amendments AS a SET roadmap_json = u.json FROM unnest($1::int8[], $2::text[]) AS u(id, json)
                        WHERE a.id = u.id
                        """, binds: binds), logger: logger)
                }
            }.get()
        } else {
            for update in updates {
                try await tx.sql.raw("UPDATE programme_amendments SET roadmap_json = \(bind: update.json) WHERE id = \(bind: update.id)")
                    .run()
            }
        }
    }
}

extension MeasureRow {
    /// A stored measure from a bulk read of `MeasureRow.columns`.
    init(_ row: BulkCells) {
        id = row.int(0) ?? 0
        programme_id = row.int(1) ?? 0
        position = row.int(2) ?? 0
        section = row.text(3) ?? ""
        number = row.text(4) ?? ""
        measure = row.text(5) ?? ""
        deadline = row.text(6) ?? ""
        responsible = row.text(7)
        result = row.text(8)
        status = row.text(9) ?? ""
        done_on = row.text(10)
        year = row.int(11)
        comment = row.text(12)
        evidence = row.text(13)
        dated_on = row.text(14)
        version = row.int(15) ?? 0
    }
}
