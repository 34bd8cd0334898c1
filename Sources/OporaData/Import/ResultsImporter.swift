import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Writes `results`, `scores`, `thresholds` and `benchmarks` files: checked rows, one transaction,
/// upserts keyed as CONTRACT.md says so that a re-import replaces rather than doubles.
public struct ResultsImporter: Sendable {
    public let db: any Database
    public let actor: Actor
    public let scope: AccessScope

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything) {
        self.db = db
        self.actor = actor
        self.scope = scope
    }

    public enum Kind: String, Sendable, CaseIterable {
        case results, scores, thresholds, benchmarks, context
    }

    public func importFile(kind: Kind, bytes: [UInt8], fileName: String, sheet: String? = nil) async throws -> ImportSummary {
        let files = ResultFiles(subjects: try await subjects())
        var summary = ImportSummary()
        switch kind {
        case .results:
            let (records, warnings) = try files.parseResults(TabularInput.table(bytes, fileName: fileName, sheet: sheet), file: fileName)
            summary = try await writeResults(records, fileName: fileName)
            summary.warnings = warnings
        case .scores:
            summary = try await importScores(try TabularInput.csvBytes(bytes, fileName: fileName, sheet: sheet), files: files, fileName: fileName)
        case .thresholds:
            let (records, warnings) = try files.parseThresholds(TabularInput.table(bytes, fileName: fileName, sheet: sheet), file: fileName)
            summary = try await writeThresholds(records, fileName: fileName)
            summary.warnings = warnings
        case .context:
            let (records, warnings) = try ContextFile.parse(TabularInput.table(bytes, fileName: fileName, sheet: sheet), file: fileName)
            summary = try await writeContext(records, fileName: fileName)
            summary.warnings = warnings
        case .benchmarks:
            let (records, warnings) = try files.parseBenchmarks(TabularInput.table(bytes, fileName: fileName, sheet: sheet), file: fileName)
            summary = try await writeBenchmarks(records, fileName: fileName)
            summary.warnings = warnings
        }
        return summary
    }

    func subjects() async throws -> [SubjectDefinition] {
        try await SubjectModel.query(on: db).all().map { SubjectDefinition(code: $0.code, name: $0.name, aliases: $0.aliasList) }
    }

    /// School code → id for the schools the actor may write; unknown or out-of-scope codes become line errors.
    struct SchoolDirectory {
        let ids: [String: Int]
        let places: [Int: SchoolPlace]
        let scope: AccessScope

        func resolve(_ code: String, line: Int, _ issues: inout IssueCollector) -> Int? {
            guard let id = ids[code] else {
                issues.error(line: line, column: "school", "школы с кодом «\(code)» нет в реестре (сначала загрузите schools)")
                return nil
            }
            guard let place = places[id], scope.contains(place) else {
                issues.error(line: line, column: "school", "школа «\(code)» вне вашей области доступа")
                return nil
            }
            return id
        }
    }

    func directory(on db: any Database) async throws -> SchoolDirectory {
        let schools = try await SchoolModel.query(on: db).with(\.$municipality).all()
        var ids: [String: Int] = [:], places: [Int: SchoolPlace] = [:]
        for school in schools {
            ids[school.code] = school.id!
            places[school.id!] = SchoolPlace(schoolID: school.id!, municipalityID: school.$municipality.id, regionID: school.municipality.$region.id)
        }
        return SchoolDirectory(ids: ids, places: places, scope: scope)
    }

    // MARK: results

    static let resultColumns = ["school_id", "year", "procedure", "grade", "subject", "participants", "m2", "m3", "m4", "m5",
                                "below_min", "high", "mean_score", "lowered", "confirmed", "raised"]

    public func writeResults(_ records: [ResultRecord], fileName: String) async throws -> ImportSummary {
        try await writeSchoolRows(records, fileName: fileName, table: "results", columns: Self.resultColumns,
                                  key: ["year", "procedure", "grade", "subject", "school_id"], entity: "results",
                                  summary: "Загружены результаты (\(fileName)): строк \(records.count)",
                                  school: { ($0.school, $0.line) }) { record, schoolID in
            let c = record.counts
            return [schoolID, record.work.year, record.work.procedure.rawValue, record.work.grade, record.work.subject, c.participants,
                    c.m2, c.m3, c.m4, c.m5, c.belowMin, c.high, c.meanScore, c.lowered, c.confirmed, c.raised]
        }
    }

    /// Upserts rows that belong to schools, in one transaction: every school must be known and in scope
    /// (else line errors and nothing is written); counts new rows against replaced ones; audits the import.
    func writeSchoolRows<Record: Sendable>(_ records: [Record], fileName: String, table: String, columns: [String], key: [String],
                                           entity: String, summary text: String, school: @escaping @Sendable (Record) -> (code: String, line: Int),
                                           values: @escaping @Sendable (Record, Int) -> [any Encodable & Sendable]) async throws -> ImportSummary {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            var issues = IssueCollector(file: fileName)
            let directory = try await directory(on: tx)
            var rows: [[any Encodable & Sendable]] = []
            rows.reserveCapacity(records.count)
            for record in records {
                let (code, line) = school(record)
                guard let schoolID = directory.resolve(code, line: line, &issues) else { continue }
                rows.append(values(record, schoolID))
            }
            try issues.throwIfFailed()
            let before = try await Self.countAll(sql, table: table)
            try await Self.upsert(sql, table: table, columns: columns, rows: rows, key: key)
            let after = try await Self.countAll(sql, table: table)
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: entity, entityID: nil, summary: text, place: auditPlace())
            var summary = ImportSummary()
            summary.created = after - before
            summary.updated = records.count - summary.created
            return summary
        }
    }

    // MARK: scores

    /// Parsing (the CPU-heavy part) happens before the transaction; then every group's school must be
    /// known and in scope, and the groups are merged into what is stored, all or nothing.
    func importScores(_ bytes: [UInt8], files: ResultFiles, fileName: String) async throws -> ImportSummary {
        let parsed = try files.parseScoreGroups(bytes, file: fileName)
        var summary = try await storeScoreGroups(parsed.groups, label: fileName, rows: parsed.rows)
        summary.warnings = parsed.warnings
        return summary
    }

    /// Writes generated student rows (the demo), without a file.
    public func writeScores(_ records: [ScoreRecord], label: String) async throws {
        _ = try await storeScoreGroups(ScoreGroup.grouping(records), label: label, rows: records.count)
    }

    func storeScoreGroups(_ groups: [ScoreGroup], label: String, rows: Int) async throws -> ImportSummary {
        try await db.transaction { tx in
            var issues = IssueCollector(file: label)
            let directory = try await directory(on: tx)
            var resolved: [(schoolID: Int, group: ScoreGroup)] = []
            resolved.reserveCapacity(groups.count)
            for group in groups {
                if let schoolID = directory.resolve(group.school, line: group.firstLine, &issues) { resolved.append((schoolID, group)) }
            }
            try issues.throwIfFailed()
            let written = try await ScoreGroupStore(db: tx).write(resolved)
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "scores", entityID: nil,
                                      summary: "Загружены результаты учеников (\(label)): строк \(rows)", place: auditPlace())
            var summary = ImportSummary()
            summary.created = written.created
            summary.updated = written.updated
            summary.unchanged = written.unchanged
            return summary
        }
    }

    // MARK: context

    public func writeContext(_ records: [ContextRecord], fileName: String) async throws -> ImportSummary {
        try await writeSchoolRows(records, fileName: fileName, table: "context_values",
                                  columns: ["school_id", "year", "indicator", "value_text", "value_number"], key: ["year", "school_id", "indicator"],
                                  entity: "context", summary: "Загружены контекстные данные (\(fileName)): строк \(records.count)",
                                  school: { ($0.school, $0.line) }) { record, schoolID in
            [schoolID, record.year, record.indicator, record.text, record.number]
        }
    }

    // MARK: thresholds and benchmarks

    public func writeThresholds(_ records: [ThresholdRecord], fileName: String) async throws -> ImportSummary {
        guard scope == .everything || { if case .region = scope { true } else { false } }() else {
            throw ImportRejected(issues: [ImportIssue(file: fileName, line: 1, column: "—", message: "пороги загружает региональный аналитик")])
        }
        return try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            let rows: [[any Encodable & Sendable]] = records.map {
                [$0.year, $0.procedure.rawValue, $0.subject, $0.grade ?? 0, $0.threshold.minScore, $0.threshold.highScore]
            }
            try await Self.upsert(sql, table: "thresholds", columns: ["year", "procedure", "subject", "grade", "min_score", "high_score"],
                                  rows: rows, key: ["year", "procedure", "subject", "grade"])
            // Below the minimum and high scorers of stored students depend on the thresholds.
            try await ScoreGroupStore(db: tx).recount(Set(records.map { .init(year: $0.year, procedure: $0.procedure, subject: $0.subject) }))
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "thresholds", entityID: nil,
                                      summary: "Загружены пороговые баллы (\(fileName)): строк \(records.count)", place: auditPlace())
            var summary = ImportSummary()
            summary.created = records.count
            return summary
        }
    }

    public func writeBenchmarks(_ records: [BenchmarkRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            let rows: [[any Encodable & Sendable]] = records.map {
                [$0.work.year, $0.work.procedure.rawValue, $0.work.grade, $0.work.subject, $0.level.rawValue, $0.name, $0.participants,
                 $0.successRate, $0.qualityRate, $0.meanMark, $0.meanScore, $0.belowMinRate]
            }
            try await Self.upsert(sql, table: "benchmarks",
                                  columns: ["year", "procedure", "grade", "subject", "level", "name", "participants", "success_rate",
                                            "quality_rate", "mean_mark", "mean_score", "below_min_rate"],
                                  rows: rows, key: ["year", "procedure", "grade", "subject", "level", "name"])
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "benchmarks", entityID: nil,
                                      summary: "Загружены показатели сравнения (\(fileName)): строк \(records.count)", place: auditPlace())
            var summary = ImportSummary()
            summary.created = records.count
            return summary
        }
    }

    // MARK: SQL helpers

    func auditPlace() -> AuditPlace {
        switch scope {
        case .region(let id): AuditPlace(regionID: id)
        case .municipality(let id): AuditPlace(municipalityID: id)
        default: AuditPlace()
        }
    }

    /// Multi-row INSERT … ON CONFLICT (key) DO UPDATE, in chunks that stay under SQLite's bind limit.
    static func upsert(_ sql: any SQLDatabase, table: String, columns: [String], rows: [[any Encodable & Sendable]], key: [String]) async throws {
        guard !rows.isEmpty else { return }
        let chunk = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(start + chunk, rows.count)
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert = insert.values(row) }
            let updated = columns.filter { !key.contains($0) }
            try await insert.onConflict(with: key) { conflict in
                updated.reduce(conflict) { $0.set(excludedValueOf: $1) }
            }.run()
            start = end
        }
    }

    static func countAll(_ sql: any SQLDatabase, table: String) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
