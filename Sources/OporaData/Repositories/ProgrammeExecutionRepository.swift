import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// How a measure of an approved school programme is carried out (V034), one row per measure's stable id.
public final class MeasureReportModel: Model, @unchecked Sendable {
    public static let schema = "programme_measure_reports"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "measure_key") public var measureKey: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "done_on") public var doneOn: String?
    @Field(key: "evidence") public var evidence: String
    @Field(key: "comment") public var comment: String
    @Field(key: "version") public var version: Int
    @Field(key: "updated_by") public var updatedBy: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var execution: MeasureExecution {
        MeasureExecution(
            status: MeasureStatus(rawValue: status) ?? .planned, doneOn: doneOn.flatMap(CalendarDay.init(parsing:)),
            evidence: evidence, comment: comment)
    }
}

/// An indicator's value at one monitoring phase, with who entered it and when (V034).
public final class IndicatorReadingModel: Model, @unchecked Sendable {
    public static let schema = "programme_indicator_readings"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "indicator_key") public var indicatorKey: String
    @Field(key: "phase") public var phase: String
    @Field(key: "value") public var value: Double
    @Field(key: "version") public var version: Int
    @Field(key: "entered_by") public var enteredBy: String
    @Field(key: "entered_at") public var enteredAt: Date

    public init() {}
}

/// School programmes carried out: the approved version's measures and indicators with the school's reports,
/// read through the domain's `SchoolProgrammeExecution`. Every change is claimed against the version the user
/// opened (0 = nothing reported yet) and audited at the school.
public struct ProgrammeExecutionRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// The content of the newest approved version, or nil when the programme was never approved. A programme
    /// edited after approval becomes a draft, but its approved version is still the one carried out.
    public static func approvedContent(_ programme: SchoolProgrammeModel) -> ProgrammeContent? {
        if programme.programmeStatus == .approved { return programme.content }
        let revisions = programme.$revisions.value ?? []
        return revisions.sorted { $0.number < $1.number }.last { $0.decision == ProgrammeStatus.approved.rawValue }?.content
    }

    /// One approved programme as it is carried out: the reports, the values, and the summary on `today`.
    public struct Execution: Sendable {
        public let programme: SchoolProgrammeModel
        public let content: ProgrammeContent
        public let reports: [String: MeasureReportModel]
        public let readings: [String: [MonitoringPhase: IndicatorReadingModel]]
        public let summary: SchoolProgrammeExecution.Summary

        public func measureKey(_ index: Int) -> String { content.measures[index].id ?? String(index + 1) }
        public func indicatorKey(_ index: Int) -> String { content.indicators[index].id ?? String(index + 1) }
    }

    /// Each approved programme among `programmes` (revisions loaded) with its execution on `today`.
    public func executions(_ programmes: [SchoolProgrammeModel], today: CalendarDay) async throws -> [Execution] {
        let approved = programmes.compactMap { programme in Self.approvedContent(programme).map { (programme, $0) } }
        let ids = approved.map { $0.0.id! }
        guard !ids.isEmpty else { return [] }
        var reports: [Int: [String: MeasureReportModel]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for report in try await MeasureReportModel.query(on: db).filter(\.$programmeID ~~ chunk).all() {
                reports[report.programmeID, default: [:]][report.measureKey] = report
            }
        }
        var readings: [Int: [String: [MonitoringPhase: IndicatorReadingModel]]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for reading in try await IndicatorReadingModel.query(on: db).filter(\.$programmeID ~~ chunk).all() {
                guard let phase = MonitoringPhase(rawValue: reading.phase) else { continue }
                readings[reading.programmeID, default: [:]][reading.indicatorKey, default: [:]][phase] = reading
            }
        }
        return approved.map { programme, content in
            let own = reports[programme.id!] ?? [:]
            let values = readings[programme.id!] ?? [:]
            let summary = SchoolProgrammeExecution.summary(
                content: content, period: programme.period, executions: own.mapValues(\.execution),
                values: values.mapValues { $0.mapValues(\.value) }, today: today)
            return Execution(programme: programme, content: content, reports: own, readings: values, summary: summary)
        }
    }

    /// One programme's execution (nil when it was never approved).
    public func execution(_ programme: SchoolProgrammeModel, today: CalendarDay) async throws -> Execution? {
        try await executions([programme], today: today).first
    }

    /// A school's programmes in execution in one row: what the municipality page and «Итоги программы» print.
    public struct SchoolSummary: Sendable {
        public let schoolID: Int
        public let schoolName: String
        public let municipality: String
        public let programmes: [Execution]

        public var tally: ExecutionTally {
            var total = ExecutionTally()
            for execution in programmes { for line in execution.summary.measures { total.add(line.progress) } }
            return total
        }

        public var overdue: [(programme: String, line: SchoolProgrammeExecution.MeasureLine)] {
            programmes.flatMap { execution in execution.summary.overdue.map { (execution.programme.title, $0) } }
        }

        public var offTarget: [(programme: String, line: SchoolProgrammeExecution.IndicatorLine)] {
            programmes.flatMap { execution in execution.summary.offTarget.map { (execution.programme.title, $0) } }
        }

        public var indicatorCount: Int { programmes.map(\.summary.indicators.count).reduce(0, +) }
        public var indicatorsMet: Int { programmes.map(\.summary.metCount).reduce(0, +) }
        public var indicatorChecks: [IndicatorCheck] { programmes.flatMap(\.summary.indicatorChecks) }
    }

    /// Per school of the scope with an approved programme: its execution summary on `today`, schools by name.
    public func summaries(scope: AccessScope, today: CalendarDay) async throws -> [SchoolSummary] {
        let ids = try await ScopeQueries.schoolIDs(scope, on: db)
        guard !ids.isEmpty else { return [] }
        var programmes: [SchoolProgrammeModel] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            programmes += try await SchoolProgrammeModel.query(on: db).filter(\.$school.$id ~~ chunk)
                .with(\.$school) { $0.with(\.$municipality) }.with(\.$revisions).sort(\.$id).all()
        }
        let executions = try await executions(programmes, today: today)
        return Dictionary(grouping: executions) { $0.programme.$school.id }.map { schoolID, list in
            let school = list[0].programme.school
            return SchoolSummary(
                schoolID: schoolID, schoolName: school.displayName, municipality: school.municipality.name, programmes: list)
        }.sorted { ($0.municipality, $0.schoolName) < ($1.municipality, $1.schoolName) }
    }

    // MARK: writing

    static func approved(_ programmeID: Int, on db: any Database) async throws -> (SchoolProgrammeModel, ProgrammeContent) {
        guard let programme = try await SchoolProgrammeModel.query(on: db).filter(\.$id == programmeID).with(\.$revisions).first()
        else { throw RepositoryError.notFound(entity: "программа") }
        guard let content = approvedContent(programme) else {
            throw RepositoryError.invalid(
                field: "Программа", message: "ещё не утверждена: выполнение отмечается по утверждённой программе")
        }
        return (programme, content)
    }

    /// Saves a measure's report if nobody saved it since `expectedVersion` (0: nobody had reported it).
    public func saveMeasure(
        programmeID: Int, measureKey: String, expectedVersion: Int, execution: MeasureExecution, actor: Actor
    ) async throws {
        let execution = MeasureExecution(
            status: execution.status, doneOn: execution.doneOn,
            evidence: execution.evidence.trimmingCharacters(in: .whitespacesAndNewlines),
            comment: execution.comment.trimmingCharacters(in: .whitespacesAndNewlines))
        try RepositoryError.check(execution.evidence, field: "Подтверждение", limit: 2000, multiline: true)
        try RepositoryError.check(execution.comment, field: "Комментарий", limit: 2000, multiline: true)
        try await db.transaction { tx in
            let (programme, content) = try await Self.approved(programmeID, on: tx)
            guard let index = content.measures.indices.first(where: { (content.measures[$0].id ?? String($0 + 1)) == measureKey }) else {
                throw RepositoryError.notFound(entity: "мероприятие программы")
            }
            let problems = execution.problems(period: .calendarYears(programme.period))
            guard problems.isEmpty else { throw RepositoryError.invalid(field: "Мероприятие", message: problems.joined(separator: "; ")) }
            let existing = try await MeasureReportModel.query(on: tx).filter(\.$programmeID == programmeID)
                .filter(\.$measureKey == measureKey).first()
            let old = existing?.execution ?? MeasureExecution()
            if let existing {
                try await OptimisticLock.claim(table: MeasureReportModel.schema, id: existing.id!, expected: expectedVersion, on: tx)
                try await MeasureReportModel.query(on: tx).filter(\.$id == existing.id!)
                    .set(\.$status, to: execution.status.rawValue).set(\.$doneOn, to: execution.doneOn?.iso)
                    .set(\.$evidence, to: execution.evidence).set(\.$comment, to: execution.comment)
                    .set(\.$updatedBy, to: actor.login).set(\.$updatedAt, to: Date()).update()
            } else {
                guard expectedVersion == 0 else { throw RepositoryError.conflict(entity: MeasureReportModel.schema) }
                let report = MeasureReportModel()
                report.programmeID = programmeID
                report.measureKey = measureKey
                report.status = execution.status.rawValue
                report.doneOn = execution.doneOn?.iso
                report.evidence = execution.evidence
                report.comment = execution.comment
                report.version = 1
                report.updatedBy = actor.login
                report.updatedAt = Date()
                do {
                    try await report.create(on: tx)
                } catch {
                    // Another user reported the measure first: the unique key refuses the second row.
                    throw RepositoryError.conflict(entity: MeasureReportModel.schema)
                }
            }
            var changes: [FieldChange] = []
            if old.status != execution.status {
                changes.append(FieldChange(field: "статус", old: old.status.russianName, new: execution.status.russianName))
            }
            if old.doneOn != execution.doneOn {
                changes.append(FieldChange(field: "дата выполнения", old: old.doneOn?.russian, new: execution.doneOn?.russian))
            }
            if old.evidence != execution.evidence {
                changes.append(FieldChange(field: "подтверждение", old: old.evidence, new: execution.evidence))
            }
            if old.comment != execution.comment {
                changes.append(FieldChange(field: "комментарий", old: old.comment, new: execution.comment))
            }
            guard !changes.isEmpty else { return }
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "programme_execution", entityID: programmeID,
                summary: "Выполнение программы «\(programme.title)», мероприятие \(index + 1) "
                    + "«\(content.measures[index].text.prefix(200))»",
                changes: changes, place: AuditPlace(schoolID: programme.$school.id))
        }
    }

    /// One phase's new value (nil removes it) and the version the user opened (0: no value was entered).
    public struct ValueChange: Sendable {
        public var value: Double?
        public var expectedVersion: Int

        public init(value: Double?, expectedVersion: Int) {
            self.value = value
            self.expectedVersion = expectedVersion
        }
    }

    /// Enters an indicator's values at the given phases in one transaction: all saved, or none when any phase was
    /// changed by someone else since it was opened.
    public func saveValues(programmeID: Int, indicatorKey: String, changes: [MonitoringPhase: ValueChange], actor: Actor) async throws {
        for change in changes.values {
            if let value = change.value, !value.isFinite || abs(value) > 1e9 {
                throw RepositoryError.invalid(field: "Значение", message: "введите число")
            }
        }
        try await db.transaction { tx in
            let (programme, content) = try await Self.approved(programmeID, on: tx)
            guard let index = content.indicators.indices.first(where: { (content.indicators[$0].id ?? String($0 + 1)) == indicatorKey })
            else { throw RepositoryError.notFound(entity: "показатель программы") }
            var audit: [FieldChange] = []
            for phase in MonitoringPhase.allCases {
                guard let change = changes[phase] else { continue }
                let existing = try await IndicatorReadingModel.query(on: tx).filter(\.$programmeID == programmeID)
                    .filter(\.$indicatorKey == indicatorKey).filter(\.$phase == phase.rawValue).first()
                if let existing {
                    try await OptimisticLock.claim(
                        table: IndicatorReadingModel.schema, id: existing.id!, expected: change.expectedVersion, on: tx)
                    if let value = change.value {
                        try await IndicatorReadingModel.query(on: tx).filter(\.$id == existing.id!).set(\.$value, to: value)
                            .set(\.$enteredBy, to: actor.login).set(\.$enteredAt, to: Date()).update()
                    } else {
                        try await IndicatorReadingModel.query(on: tx).filter(\.$id == existing.id!).delete()
                    }
                } else {
                    guard change.expectedVersion == 0 else { throw RepositoryError.conflict(entity: IndicatorReadingModel.schema) }
                    guard let value = change.value else { continue }
                    let reading = IndicatorReadingModel()
                    reading.programmeID = programmeID
                    reading.indicatorKey = indicatorKey
                    reading.phase = phase.rawValue
                    reading.value = value
                    reading.version = 1
                    reading.enteredBy = actor.login
                    reading.enteredAt = Date()
                    do {
                        try await reading.create(on: tx)
                    } catch {
                        // Another user entered the value first: the unique key refuses the second row.
                        throw RepositoryError.conflict(entity: IndicatorReadingModel.schema)
                    }
                }
                let oldText = existing.map { RussianFormat.number($0.value, digits: 4) }
                let newText = change.value.map { RussianFormat.number($0, digits: 4) }
                if oldText != newText { audit.append(FieldChange(field: "\(phase.russianName) этап", old: oldText, new: newText)) }
            }
            guard !audit.isEmpty else { return }
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "programme_execution", entityID: programmeID,
                summary: "Программа «\(programme.title)», показатель «\(content.indicators[index].name.prefix(200))»: значения",
                changes: audit, place: AuditPlace(schoolID: programme.$school.id))
        }
    }
}
