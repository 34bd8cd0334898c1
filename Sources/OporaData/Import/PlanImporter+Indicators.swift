import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// `indicators` (keyed by programme and code) and `indicator_values` (keyed by indicator, year and phase).
extension PlanImporter {
    /// A stored indicator, as a row of the file is compared with it.
    struct StoredIndicator: Sendable {
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

        init(_ row: BulkCells) {
            id = row.int(0) ?? 0
            programme_id = row.int(1) ?? 0
            position = row.int(2) ?? 0
            code = row.text(3) ?? ""
            name = row.text(4) ?? ""
            unit = row.text(5)
            direction = row.text(6) ?? ""
            baseline = row.double(7)
            baseline_year = row.int(8)
            formula = row.text(9)
            periodicity = row.text(10)
            months = row.text(11)
            source = row.text(12)
            responsible = row.text(13)
        }
    }

    struct IndicatorsState: Sendable {
        var programmes: [String: ProgrammeRef] = [:]
        /// The programme's id and the indicator's code → the stored indicator.
        var indicators: [CodeKey: StoredIndicator] = [:]
        var lastPosition: [Int: Int] = [:]
    }

    struct IndicatorWrite: Sendable {
        /// The record's position in the file's records.
        let index: Int
        let programmeID: Int
        let position: Int
        let isNew: Bool
    }

    struct IndicatorsPlan: Sendable {
        var summary = ImportSummary()
        var writes: [IndicatorWrite] = []
        /// Programme → the codes it changed, in the file's order.
        var changed: [(programme: ProgrammeRef, codes: [String])] = []
    }

    /// The stored indicators of `programmes` folded into `initial` as they are read (typed cells, no `Decodable`),
    /// in one query per few thousand programmes; `columns` the first of `StoredIndicator.columns` that are needed;
    /// with `codes`, only the indicators of those codes.
    func storedIndicators<State>(of programmes: [ProgrammeRef], columns: Int = StoredIndicator.columns.count, codes: CodeFilter? = nil,
                                 on db: any Database, into initial: State,
                                 _ body: @escaping (inout State, BulkCells) -> Void) async throws -> State {
        var state = initial
        let ids = programmes.map(\.id).sorted()
        let list = StoredIndicator.columns.prefix(columns).joined(separator: ", ")
        for chunk in BulkRows.idLists(ids) {
            state = try await BulkTable.read("SELECT \(list) FROM \(IndicatorModel.schema) WHERE programme_id IN (\(chunk))"
                                                + (codes?.condition("code") ?? ""),
                                             binds: codes?.binds ?? [], on: db, into: state, body)
        }
        return state
    }

    /// A file's indicator codes bound into the queries that read what it names, when they are few and ASCII: a file
    /// of values naming a hundred indicators of programmes that hold a million read the whole million before.
    struct CodeFilter {
        let binds: [BulkValue]

        /// Codes up to this many are bound; more read every indicator of the programmes.
        static let most = 500

        /// Nil when every indicator is to be read. ASCII codes only: SQL compares bytes, while the import's keys
        /// compare as Swift strings (another Unicode form of a Cyrillic code is the same key there).
        init?(_ codes: Set<String>) {
            guard !codes.isEmpty, codes.count <= Self.most, codes.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
            binds = codes.sorted().map(BulkValue.text)
        }

        func condition(_ column: String) -> String {
            " AND \(column) IN (" + (1...binds.count).map { "$\($0)" }.joined(separator: ", ") + ")"
        }
    }

    func loadIndicators(_ records: [IndicatorRecord], fileName: String, on db: any Database) async throws -> IndicatorsState {
        let lookup = try await lookUpProgrammes(Set(records.map(\.programme)), on: db)
        var issues = IssueCollector(file: fileName)
        var state = IndicatorsState()
        state.programmes = Self.changeable(records.map { ($0.programme, $0.line) }, lookup, role: role, scope: scope, &issues)
        try issues.throwIfFailed()
        return try await storedIndicators(of: Array(state.programmes.values), on: db, into: state) { state, cells in
            let row = StoredIndicator(cells)
            state.indicators[CodeKey(owner: row.programme_id, code: row.code)] = row
            state.lastPosition[row.programme_id] = max(state.lastPosition[row.programme_id] ?? 0, row.position)
        }
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
        var byProgramme: [String: [Int]] = [:]
        // Records are read in place, field by field: a whole `IndicatorRecord` copied is a dozen retains a row.
        for index in records.indices { byProgramme[records[index].programme, default: []].append(index) }
        for programme in state.programmes.values.sorted(by: { $0.code < $1.code }) {
            var position = state.lastPosition[programme.id] ?? 0
            var codes: [String] = []
            for index in byProgramme[programme.code] ?? [] {
                let old = state.indicators.isEmpty ? nil : state.indicators[CodeKey(owner: programme.id, code: records[index].code)]
                if let old, sameContent(old, records[index]) { plan.summary.unchanged += 1; continue }
                if old == nil { position += 1; plan.summary.created += 1 } else { plan.summary.updated += 1 }
                plan.writes.append(IndicatorWrite(index: index, programmeID: programme.id, position: old?.position ?? position,
                                                  isNew: old == nil))
                codes.append(records[index].code)
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
        try await ImportWriteLock.transaction(on: db) { tx in
            let plan = Self.planIndicators(records, try await loadIndicators(records, fileName: fileName, on: tx))
            // A file repeats a few month lists («май, сентябрь»): each written out once.
            var monthTexts: [[Int]: String?] = [:]
            try await BulkTable(name: IndicatorModel.schema, columns: Self.indicatorColumns)
                .write(plan.writes, on: tx, isNew: \.isNew, key: ["programme_id", "code"]) { write in
                    let at = write.index
                    let months: String?
                    if let known = monthTexts[records[at].months] { months = known } else {
                        months = Self.months(records[at])
                        if monthTexts.count < 1_000 { monthTexts[records[at].months] = months }
                    }
                    return [.int(write.programmeID), .int(write.position), .text(records[at].code), .text(records[at].name),
                            .text(records[at].unit), .text(records[at].direction.rawValue), .double(records[at].baseline),
                            .int(records[at].baselineYear), .text(records[at].formula?.rawValue), .text(records[at].periodicity),
                            .text(months), .text(records[at].source), .text(records[at].responsible)]
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

    struct StoredValue: Sendable {
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

        init(_ row: BulkCells) {
            indicator_id = row.int(0) ?? 0
            year = row.int(1) ?? 0
            phase = row.text(2) ?? ""
            value = row.double(3) ?? 0
            target = row.double(4)
            presence = row.int(5)
            dynamics = row.int(6)
            documentation = row.int(7)
            points = row.int(8)
            comment = row.text(9)
        }
    }

    /// A code within its owner (a programme's indicator), as a key without a string made for it.
    struct CodeKey: Hashable, Sendable {
        let owner: Int
        let code: String
    }

    struct ValueKey: Hashable, Sendable {
        let indicatorID: Int
        let year: Int
        let phase: String
    }

    struct ValuesState: Sendable {
        var programmes: [String: ProgrammeRef] = [:]
        /// The programme's id and the indicator's code → the indicator's id.
        var indicators: [CodeKey: Int] = [:]
        var values: [ValueKey: StoredValue] = [:]
    }

    struct ValueWrite: Sendable {
        /// The record's position in the file's records.
        let index: Int
        let indicatorID: Int
        let isNew: Bool
    }

    struct ValuesPlan: Sendable {
        var summary = ImportSummary()
        var writes: [ValueWrite] = []
        /// Per programme: the first values it changed (as the audit names them) and how many it changed.
        var touched: [(programme: ProgrammeRef, items: [String], count: Int)] = []
    }

    /// The programmes (each one the actor may change) and their indicators; a value for an unknown indicator is an error.
    func loadValues(_ records: [IndicatorValueRecord], fileName: String, on db: any Database) async throws -> ValuesState {
        let lookup = try await lookUpProgrammes(Set(records.map(\.programme)), on: db)
        var issues = IssueCollector(file: fileName)
        var state = ValuesState()
        state.programmes = Self.changeable(records.map { ($0.programme, $0.line) }, lookup, role: role, scope: scope, &issues)
        // Only the id, programme and code of each (a programme may hold a million indicators).
        var codes = CodeFilter(Set(records.map(\.indicator)))
        func unknown(_ record: IndicatorValueRecord) -> Bool {
            guard let programme = state.programmes[record.programme] else { return false }
            return state.indicators[CodeKey(owner: programme.id, code: record.indicator)] == nil
        }
        for attempt in 0..<2 {
            state.indicators = [:]
            state = try await storedIndicators(of: Array(state.programmes.values), columns: 4, codes: codes, on: db,
                                               into: state) { state, row in
                state.indicators[CodeKey(owner: row.int(1) ?? 0, code: row.text(3) ?? "")] = row.int(0) ?? 0
            }
            // A code not found by its bytes is looked for among all of them before it is refused: a stored code
            // whose characters differ may still be the same text (a Kelvin sign is a K).
            guard attempt == 0, codes != nil, records.contains(where: unknown) else { break }
            codes = nil
        }
        for record in records where unknown(record) {
            issues.error(line: record.line, column: "indicator",
                         "у программы «\(record.programme)» нет показателя «\(record.indicator)» (сначала загрузите indicators)")
        }
        try issues.throwIfFailed()
        // The values of the programmes' indicators, read by programme (a few numbers in the query, not an id per indicator).
        let ids = state.programmes.values.map(\.id).sorted()
        let columns = StoredValue.columns.map { "v.\($0)" }.joined(separator: ", ")
        for list in BulkRows.idLists(ids) {
            let sql = "SELECT \(columns) FROM \(IndicatorValueModel.schema) v JOIN \(IndicatorModel.schema) i ON i.id = v.indicator_id "
                + "WHERE i.programme_id IN (\(list))" + (codes?.condition("i.code") ?? "")
            state = try await BulkTable.read(sql, binds: codes?.binds ?? [], on: db, into: state) { state, cells in
                let row = StoredValue(cells)
                state.values[ValueKey(indicatorID: row.indicator_id, year: row.year, phase: row.phase)] = row
            }
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
        var touched: [Int: (items: [String], count: Int)] = [:]
        for index in records.indices {
            guard let programme = state.programmes[records[index].programme],
                  let indicatorID = state.indicators[CodeKey(owner: programme.id, code: records[index].indicator)] else { continue }
            let old = state.values.isEmpty ? nil
                : state.values[ValueKey(indicatorID: indicatorID, year: records[index].year, phase: records[index].phase.rawValue)]
            if let old, sameContent(old, records[index]) { plan.summary.unchanged += 1; continue }
            if old == nil { plan.summary.created += 1 } else { plan.summary.updated += 1 }
            plan.writes.append(ValueWrite(index: index, indicatorID: indicatorID, isNew: old == nil))
            // The audit names the first hundred (`BulkRows.named`); the rest are counted.
            var entry = touched[programme.id] ?? ([], 0)
            if entry.items.count <= 100 { entry.items.append("\(records[index].indicator) (\(records[index].year))") }
            entry.count += 1
            touched[programme.id] = entry
        }
        let byID = Dictionary(uniqueKeysWithValues: state.programmes.values.map { ($0.id, $0) })
        plan.touched = touched.sorted { $0.key < $1.key }.compactMap { id, entry in byID[id].map { ($0, entry.items, entry.count) } }
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
        try await ImportWriteLock.transaction(on: db) { tx in
            let plan = Self.planValues(records, try await loadValues(records, fileName: fileName, on: tx))
            let now = Date()
            try await BulkTable(name: IndicatorValueModel.schema, columns: Self.valueColumns)
                .write(BulkRows.inKeyOrder(plan.writes) { ($0.indicatorID, records[$0.index].year, 0) }, on: tx, isNew: \.isNew,
                       key: ["indicator_id", "year", "phase"]) { write in
                    let at = write.index, points = records[at].points
                    return [.int(write.indicatorID), .int(records[at].year), .text(records[at].phase.rawValue), .double(records[at].value),
                            .double(records[at].target), .int(points?.presence), .int(points?.dynamics),
                            .int(points?.documentation), .int(records[at].totalPoints), .text(records[at].comment),
                            .text(actor.login), .date(now)]
                }
            try await AuditLog.record(on: tx, actor: actor, plan.touched.map { programme, items, count in
                AuditLog.Entry(action: "import", entity: "indicator_values", entityID: programme.id,
                               summary: "Внесены значения показателей программы «\(programme.name)» (\(fileName)): "
                                   + BulkRows.named(items, total: count),
                               changes: [], place: programme.auditPlace)
            })
            return plan.summary
        }
    }
}
