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
        /// Each programme's stored measures by «section|number» (compared as bytes, as the database compares them).
        var measures: [Int: [ByteKey: MeasureRow]] = [:]
        /// Each programme's last position.
        var lastPosition: [Int: Int] = [:]
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
                state.measures[row.programme_id, default: [:]][ByteKey("\(row.section)|\(row.number)")] = row
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
        for (index, record) in records.enumerated() { byProgramme[record.programme, default: []].append(index) }
        for programme in state.programmes.values.sorted(by: { $0.code < $1.code }) {
            let period = programme.period
            let stored = state.measures[programme.id] ?? [:]
            var position = state.lastPosition[programme.id] ?? 0
            var write = RoadmapProgrammeWrite(programme: programme)
            var readings: [ByteKey: Deadline] = [:]
            let span = "\(period.lowerBound.russian)–\(period.upperBound.russian)"
            for index in byProgramme[programme.code] ?? [] {
                let record = records[index]
                let old = stored.isEmpty ? nil : stored[ByteKey("\(record.section)|\(record.number)")]
                if let old, sameContent(old, record) { plan.summary.unchanged += 1; continue }
                if warnings.count < 200 {
                    warnings += measureWarnings(record, old: old, period: period, span: span, readings: &readings, fileName: fileName)
                }
                if old == nil { position += 1; write.created += 1 } else { write.updated += 1 }
                if let old, old.status != record.status.rawValue, write.changes.count < 200 {
                    write.changes.append(FieldChange(field: "№ \(record.number): статус",
                                                     old: MeasureStatus(rawValue: old.status)?.russianName,
                                                     new: record.status.russianName))
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

    /// A year outside the programme, a dated deadline outside it, a deadline not read.
    static func measureWarnings(_ record: RoadmapRecord, old: MeasureRow?, period: DatePeriod, span: String,
                                readings: inout [ByteKey: Deadline], fileName: String) -> [ImportIssue] {
        var warnings: [ImportIssue] = []
        if let year = record.year, !period.years.contains(year) {
            warnings.append(ImportIssue(file: fileName, line: record.line, column: "year",
                                        message: "\(year) год вне срока программы \(span)", severity: .warning))
        }
        let readingKey = ByteKey("\(record.year ?? 0)|\(record.deadline)")
        let reading: Deadline
        if let known = readings[readingKey] {
            reading = known
        } else {
            reading = DeadlineReader.read(record.deadline, year: record.year, period: period)
            readings[readingKey] = reading
        }
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
        return warnings
    }

    /// What a roadmap row sets, against what is stored (evidence and a person's date are the page's, not the file's).
    static func sameContent(_ old: MeasureRow, _ record: RoadmapRecord) -> Bool {
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
    /// newest version given the roadmap as it now stands (worked out in memory, not read back), one audit entry per
    /// programme.
    public func writeRoadmap(_ records: [RoadmapRecord], fileName: String) async throws -> ImportSummary {
        try await ImportWriteLock.transaction(on: db) { tx in
            let state = try await loadRoadmap(records, fileName: fileName, on: tx)
            let plan = Self.planRoadmap(records, state, fileName: fileName)
            let now = Date()
            let table = BulkTable(name: MeasureModel.schema, columns: Self.measureColumns)
            let rows = plan.programmes.flatMap { write in write.rows.map { (programme: write.programme.id, row: $0) } }
            try await table.write(rows, on: tx, isNew: { $0.row.isNew }, key: ["programme_id", "section", "number"]) { item in
                // Read field by field: a whole record copied is a dozen retains a row.
                let at = item.row.index
                return [.int(item.programme), .int(item.row.position), .text(records[at].section), .text(records[at].number),
                        .text(records[at].measure), .text(records[at].deadline), .text(records[at].responsible),
                        .text(records[at].result), .text(records[at].status.rawValue), .text(records[at].doneOn?.iso),
                        .int(records[at].year), .text(records[at].comment), .int(item.row.version), .date(now), .text(actor.login)]
            }
            try await snapshotRoadmaps(plan, records: records, state: state, on: tx)
            try await AuditLog.record(on: tx, actor: actor, plan.programmes.map { write in
                AuditLog.Entry(action: "import", entity: "roadmap", entityID: write.programme.id,
                               summary: "Загружена дорожная карта программы «\(write.programme.name)» (\(fileName)): "
                                   + "добавлено \(write.created), изменено \(write.updated)",
                               changes: write.changes, place: write.programme.auditPlace)
            })
            return plan.summary
        }
    }

    struct NewestAmendment: Sendable { let id: Int; let programmeID: Int }

    /// Each changed programme's newest version keeps the roadmap as it now stands (`PlanRepository.snapshotRoadmap`
    /// for one programme): its stored measures with the file's rows over them, in position order.
    func snapshotRoadmaps(_ plan: RoadmapPlan, records: [RoadmapRecord], state: RoadmapState, on tx: any Database) async throws {
        let ids = plan.programmes.map(\.programme.id).sorted()
        var newest: [Int: Int] = [:]
        for list in BulkRows.idLists(ids) {
            newest = try await BulkTable.read("""
                SELECT a.id, a.programme_id FROM programme_amendments a WHERE a.programme_id IN (\(list)) AND a.number = \
                (SELECT MAX(b.number) FROM programme_amendments b WHERE b.programme_id = a.programme_id)
                """, on: tx, into: newest) { newest, row in
                if let id = row.int(0), let programme = row.int(1) { newest[programme] = id }
            }
        }
        let batch = 200
        for start in stride(from: 0, to: plan.programmes.count, by: batch) {
            var updates: [(id: Int, json: String)] = []
            for write in plan.programmes[start..<min(start + batch, plan.programmes.count)] {
                guard let amendment = newest[write.programme.id] else { continue }
                guard let stored = state.measures[write.programme.id], !stored.isEmpty else {
                    // Nothing stored: the file's rows are the roadmap (their positions are new and distinct).
                    let lines = write.rows.sorted { $0.position < $1.position }.map { row in
                        let record = records[row.index]
                        return ProgrammePassport.roadmapLine(RoadmapMeasure(number: record.number, measure: record.measure,
                                                                            deadline: record.deadline, responsible: record.responsible))
                    }
                    updates.append((amendment, PlanJSON.strings(lines)))
                    continue
                }
                var lines: [ByteKey: (position: Int, line: String)] = [:]
                for (key, row) in stored {
                    lines[key] = (row.position, ProgrammePassport.roadmapLine(row.domain))
                }
                for row in write.rows {
                    let record = records[row.index]
                    let measure = RoadmapMeasure(number: record.number, measure: record.measure, deadline: record.deadline,
                                                 responsible: record.responsible)
                    lines[ByteKey("\(record.section)|\(record.number)")] = (row.position, ProgrammePassport.roadmapLine(measure))
                }
                updates.append((amendment, PlanJSON.strings(lines.values.sorted { $0.position < $1.position }.map(\.line))))
            }
            try await Self.setRoadmaps(updates, on: tx)
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
