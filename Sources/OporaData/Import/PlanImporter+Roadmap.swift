import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// `roadmap`: rows keyed by programme, section and number replace the stored ones; what a person added on the page
/// (evidence, a date for an unread deadline) stays.
extension PlanImporter {
    struct RoadmapState: Sendable {
        var programmes: [String: ProgrammeRef] = [:]
        /// Each programme's stored measures by «section|number».
        var measures: [Int: [String: MeasureRow]] = [:]
        /// Each programme's last position.
        var lastPosition: [Int: Int] = [:]
    }

    /// A measure to store: the file's row at its position, with its new version.
    struct MeasureWrite: Sendable {
        let record: RoadmapRecord
        let position: Int
        let version: Int
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

    func loadRoadmap(_ records: [RoadmapRecord], fileName: String, on db: any Database) async throws -> RoadmapState {
        let lookup = try await lookUpProgrammes(Set(records.map(\.programme)), on: db)
        var issues = IssueCollector(file: fileName)
        var state = RoadmapState()
        state.programmes = Self.changeable(records.map { ($0.programme, $0.line) }, lookup, role: role, scope: scope, &issues)
        try issues.throwIfFailed()
        for programme in state.programmes.values {
            var byKey: [String: MeasureRow] = [:]
            var last = 0
            for row in try await PlanRepository(db: db).measures(programme.id) {
                byKey["\(row.section)|\(row.number)"] = row
                last = max(last, row.position)
            }
            state.measures[programme.id] = byKey
            state.lastPosition[programme.id] = last
        }
        return state
    }

    /// What each row does, with the warnings on years and deadlines outside the programme's dates.
    static func planRoadmap(_ records: [RoadmapRecord], _ state: RoadmapState, fileName: String) -> RoadmapPlan {
        var plan = RoadmapPlan()
        var warnings: [ImportIssue] = []
        var byProgramme: [String: [RoadmapRecord]] = [:]
        for record in records { byProgramme[record.programme, default: []].append(record) }
        for programme in state.programmes.values.sorted(by: { $0.code < $1.code }) {
            let period = programme.period
            let stored = state.measures[programme.id] ?? [:]
            var position = state.lastPosition[programme.id] ?? 0
            var write = RoadmapProgrammeWrite(programme: programme)
            var readings: [String: Deadline] = [:]
            let span = "\(period.lowerBound.russian)–\(period.upperBound.russian)"
            for record in byProgramme[programme.code] ?? [] {
                let old = stored["\(record.section)|\(record.number)"]
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
                write.rows.append(MeasureWrite(record: record, position: old?.position ?? position, version: (old?.version ?? 0) + 1))
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
                                readings: inout [String: Deadline], fileName: String) -> [ImportIssue] {
        var warnings: [ImportIssue] = []
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

    /// One multi-row statement per chunk: 10 000 measures in well under a second.
    public func writeRoadmap(_ records: [RoadmapRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let state = try await loadRoadmap(records, fileName: fileName, on: tx)
            let plan = Self.planRoadmap(records, state, fileName: fileName)
            let now = Date()
            for write in plan.programmes {
                let id = write.programme.id
                try await tx.sql.insertRows(into: "roadmap_measures", columns: Self.measureColumns, items: write.rows,
                                            key: ["programme_id", "section", "number"]) { row in
                    let record = row.record
                    return [id, row.position, record.section, record.number, record.measure, record.deadline, record.responsible,
                            record.result, record.status.rawValue, record.doneOn?.iso, record.year, record.comment, row.version, now,
                            actor.login]
                }
                try await PlanRepository(db: tx).snapshotRoadmap(id)
                try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "roadmap", entityID: id,
                                          summary: "Загружена дорожная карта программы «\(write.programme.name)» (\(fileName)): "
                                              + "добавлено \(write.created), изменено \(write.updated)",
                                          changes: write.changes, place: write.programme.auditPlace)
            }
            return plan.summary
        }
    }
}
