import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// `indicators` (keyed by programme and code) and `indicator_values` (keyed by indicator, year and phase).
extension PlanImporter {
    /// A stored indicator, as a row of the file is compared with it.
    struct StoredIndicator: Sendable, Decodable {
        let id: Int
        let programme_id: Int
        let position: Int
        let code: String
        let name: String
        let unit: String?
        let direction: String
        let baseline: Double?
        let baseline_year: Int?
        let formula: String?
        let periodicity: String?
        let months: String?
        let source: String?
        let responsible: String?

        static let columns = ["id", "programme_id", "position", "code", "name", "unit", "direction", "baseline", "baseline_year", "formula",
                              "periodicity", "months", "source", "responsible"]
    }

    struct IndicatorsState: Sendable {
        var programmes: [String: ProgrammeRef] = [:]
        /// «programme id|code» → the stored indicator.
        var indicators: [String: StoredIndicator] = [:]
        var lastPosition: [Int: Int] = [:]
    }

    struct IndicatorWrite: Sendable {
        let record: IndicatorRecord
        let programmeID: Int
        let position: Int
    }

    struct IndicatorsPlan: Sendable {
        var summary = ImportSummary()
        var writes: [IndicatorWrite] = []
        /// Programme → the codes it changed, in the file's order.
        var changed: [(programme: ProgrammeRef, codes: [String])] = []
    }

    /// The stored indicators of `programmes`, in one query per few thousand programmes.
    func storedIndicators(of programmes: [ProgrammeRef], on db: any Database) async throws -> [StoredIndicator] {
        var rows: [StoredIndicator] = []
        for chunk in BulkRows.chunks(programmes.map(\.id)) {
            rows += try await db.sql.select().columns(StoredIndicator.columns.map { SQLIdentifier($0) }).from(IndicatorModel.schema)
                .where("programme_id", .in, SQLBind.group(Array(chunk))).all(decoding: StoredIndicator.self)
        }
        return rows
    }

    func loadIndicators(_ records: [IndicatorRecord], fileName: String, on db: any Database) async throws -> IndicatorsState {
        let lookup = try await lookUpProgrammes(Set(records.map(\.programme)), on: db)
        var issues = IssueCollector(file: fileName)
        var state = IndicatorsState()
        state.programmes = Self.changeable(records.map { ($0.programme, $0.line) }, lookup, role: role, scope: scope, &issues)
        try issues.throwIfFailed()
        for row in try await storedIndicators(of: Array(state.programmes.values), on: db) {
            state.indicators["\(row.programme_id)|\(row.code)"] = row
            state.lastPosition[row.programme_id] = max(state.lastPosition[row.programme_id] ?? 0, row.position)
        }
        return state
    }

    static func months(_ record: IndicatorRecord) -> String? {
        record.months.isEmpty ? nil : record.months.map(String.init).joined(separator: ",")
    }

    /// Whether the row sets what is stored already.
    static func sameContent(_ old: StoredIndicator, _ record: IndicatorRecord) -> Bool {
        old.name == record.name && old.unit == record.unit && old.direction == record.direction.rawValue && old.baseline == record.baseline
            && old.baseline_year == record.baselineYear && old.formula == record.formula?.rawValue && old.periodicity == record.periodicity
            && old.months == months(record) && old.source == record.source && old.responsible == record.responsible
    }

    static func planIndicators(_ records: [IndicatorRecord], _ state: IndicatorsState) -> IndicatorsPlan {
        var plan = IndicatorsPlan()
        var byProgramme: [String: [IndicatorRecord]] = [:]
        for record in records { byProgramme[record.programme, default: []].append(record) }
        for programme in state.programmes.values.sorted(by: { $0.code < $1.code }) {
            var position = state.lastPosition[programme.id] ?? 0
            var codes: [String] = []
            for record in byProgramme[programme.code] ?? [] {
                let old = state.indicators["\(programme.id)|\(record.code)"]
                if let old, sameContent(old, record) { plan.summary.unchanged += 1; continue }
                if old == nil { position += 1; plan.summary.created += 1 } else { plan.summary.updated += 1 }
                plan.writes.append(IndicatorWrite(record: record, programmeID: programme.id, position: old?.position ?? position))
                codes.append(record.code)
            }
            if !codes.isEmpty { plan.changed.append((programme, codes)) }
        }
        return plan
    }

    static let indicatorColumns = ["programme_id", "position", "code", "name", "unit", "direction", "baseline", "baseline_year", "formula",
                                   "periodicity", "months", "source", "responsible"]

    /// What the import of `records` would do, read and planned without a transaction (the preview).
    public func planIndicators(_ records: [IndicatorRecord], fileName: String) async throws -> ImportSummary {
        Self.planIndicators(records, try await loadIndicators(records, fileName: fileName, on: db)).summary
    }

    public func writeIndicators(_ records: [IndicatorRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let plan = Self.planIndicators(records, try await loadIndicators(records, fileName: fileName, on: tx))
            try await tx.sql.insertRows(into: IndicatorModel.schema, columns: Self.indicatorColumns, items: plan.writes,
                                        key: ["programme_id", "code"]) { write in
                let record = write.record
                return [write.programmeID, write.position, record.code, record.name, record.unit, record.direction.rawValue,
                        record.baseline, record.baselineYear, record.formula?.rawValue, record.periodicity, Self.months(record),
                        record.source, record.responsible]
            }
            try await AuditLog.record(on: tx, actor: actor, plan.changed.map { programme, codes in
                AuditLog.Entry(action: "import", entity: "indicators", entityID: programme.id,
                               summary: "Загружены показатели программы «\(programme.name)» (\(fileName)): \(BulkRows.named(codes))",
                               changes: [], place: programme.auditPlace)
            })
            return plan.summary
        }
    }

    // MARK: indicator values

    struct StoredValue: Sendable, Decodable {
        let indicator_id: Int
        let year: Int
        let phase: String
        let value: Double
        let target: Double?
        let presence: Int?
        let dynamics: Int?
        let documentation: Int?
        let points: Int?
        let comment: String?

        static let columns = ["indicator_id", "year", "phase", "value", "target", "presence", "dynamics", "documentation", "points",
                              "comment"]
    }

    struct ValuesState: Sendable {
        var programmes: [String: ProgrammeRef] = [:]
        /// «programme code|indicator code» → the indicator's id.
        var indicators: [String: Int] = [:]
        /// «indicator id|year|phase» → the stored value.
        var values: [String: StoredValue] = [:]
    }

    struct ValueWrite: Sendable {
        let record: IndicatorValueRecord
        let indicatorID: Int
    }

    struct ValuesPlan: Sendable {
        var summary = ImportSummary()
        var writes: [ValueWrite] = []
        var touched: [(programme: ProgrammeRef, items: [String])] = []
    }

    /// The programmes (each one the actor may change) and their indicators; a value for an unknown indicator is an error.
    func loadValues(_ records: [IndicatorValueRecord], fileName: String, on db: any Database) async throws -> ValuesState {
        let lookup = try await lookUpProgrammes(Set(records.map(\.programme)), on: db)
        var issues = IssueCollector(file: fileName)
        var state = ValuesState()
        state.programmes = Self.changeable(records.map { ($0.programme, $0.line) }, lookup, role: role, scope: scope, &issues)
        let codes = Dictionary(uniqueKeysWithValues: state.programmes.values.map { ($0.id, $0.code) })
        for row in try await storedIndicators(of: Array(state.programmes.values), on: db) {
            state.indicators["\(codes[row.programme_id] ?? "")|\(row.code)"] = row.id
        }
        for record in records
        where state.programmes[record.programme] != nil && state.indicators["\(record.programme)|\(record.indicator)"] == nil {
            issues.error(line: record.line, column: "indicator",
                         "у программы «\(record.programme)» нет показателя «\(record.indicator)» (сначала загрузите indicators)")
        }
        try issues.throwIfFailed()
        for chunk in BulkRows.chunks(Array(state.indicators.values)) {
            let rows = try await db.sql.select().columns(StoredValue.columns.map { SQLIdentifier($0) }).from(IndicatorValueModel.schema)
                .where("indicator_id", .in, SQLBind.group(Array(chunk))).all(decoding: StoredValue.self)
            for row in rows { state.values["\(row.indicator_id)|\(row.year)|\(row.phase)"] = row }
        }
        return state
    }

    static func sameContent(_ old: StoredValue, _ record: IndicatorValueRecord) -> Bool {
        old.value == record.value && old.target == record.target && old.presence == record.points?.presence
            && old.dynamics == record.points?.dynamics && old.documentation == record.points?.documentation
            && old.points == record.totalPoints && old.comment == record.comment
    }

    static func planValues(_ records: [IndicatorValueRecord], _ state: ValuesState) -> ValuesPlan {
        var plan = ValuesPlan()
        var touched: [Int: [String]] = [:]
        for record in records {
            guard let indicatorID = state.indicators["\(record.programme)|\(record.indicator)"],
                  let programme = state.programmes[record.programme] else { continue }
            let old = state.values["\(indicatorID)|\(record.year)|\(record.phase.rawValue)"]
            if let old, sameContent(old, record) { plan.summary.unchanged += 1; continue }
            if old == nil { plan.summary.created += 1 } else { plan.summary.updated += 1 }
            plan.writes.append(ValueWrite(record: record, indicatorID: indicatorID))
            touched[programme.id, default: []].append("\(record.indicator) (\(record.year))")
        }
        let byID = Dictionary(uniqueKeysWithValues: state.programmes.values.map { ($0.id, $0) })
        plan.touched = touched.sorted { $0.key < $1.key }.compactMap { id, items in byID[id].map { ($0, items) } }
        return plan
    }

    static let valueColumns = ["indicator_id", "year", "phase", "value", "target", "presence", "dynamics", "documentation", "points",
                               "comment", "entered_by", "entered_at"]

    /// What the import of `records` would do, read and planned without a transaction (the preview).
    public func planValues(_ records: [IndicatorValueRecord], fileName: String) async throws -> ImportSummary {
        Self.planValues(records, try await loadValues(records, fileName: fileName, on: db)).summary
    }

    /// Values keyed by indicator, year and phase replace the stored ones; who entered each is kept.
    public func writeValues(_ records: [IndicatorValueRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let plan = Self.planValues(records, try await loadValues(records, fileName: fileName, on: tx))
            let now = Date()
            try await tx.sql.insertRows(into: IndicatorValueModel.schema, columns: Self.valueColumns, items: plan.writes,
                                        key: ["indicator_id", "year", "phase"]) { write in
                let record = write.record
                return [write.indicatorID, record.year, record.phase.rawValue, record.value, record.target, record.points?.presence,
                        record.points?.dynamics, record.points?.documentation, record.totalPoints, record.comment, actor.login, now]
            }
            try await AuditLog.record(on: tx, actor: actor, plan.touched.map { programme, items in
                AuditLog.Entry(action: "import", entity: "indicator_values", entityID: programme.id,
                               summary: "Внесены значения показателей программы «\(programme.name)» (\(fileName)): "
                                   + BulkRows.named(items),
                               changes: [], place: programme.auditPlace)
            })
            return plan.summary
        }
    }
}
