import FluentKit
import Foundation
import OporaDomain
import SQLKit
import SQLiteNIO

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

    static let scoreColumns = ["school_id", "year", "procedure", "grade", "subject", "student", "class", "variant",
                               "primary_score", "score", "mark", "term_mark"]

    func importScores(_ bytes: [UInt8], files: ResultFiles, fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            let directory = try await directory(on: tx)
            var issues = IssueCollector(file: fileName)
            var written = 0
            let totalBefore = try await Self.countAll(sql, table: "scores")
            // Parsing the next batch overlaps with writing the current one (two cores: about half the time).
            var pending: Task<Int, any Error>? = nil
            let parsed: (rows: Int, warnings: [ImportIssue])
            do {
                parsed = try await files.parseScores(bytes, file: fileName) { batch in
                    for record in batch { _ = directory.resolve(record.school, line: record.line, &issues) }
                    guard !issues.hasErrors else { return }
                    if let previous = pending { written += try await previous.value }
                    pending = Task { try await Self.writeResolvedScores(batch, directory: directory, on: tx) }
                }
                if let last = pending { written += try await last.value }
            } catch {
                // Never leave a write running while the transaction rolls back.
                _ = try? await pending?.value
                throw error
            }
            let (rows, warnings) = parsed
            try issues.throwIfFailed()
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "scores", entityID: nil,
                                      summary: "Загружены результаты учеников (\(fileName)): строк \(rows)", place: auditPlace())
            let total = try await Self.countAll(sql, table: "scores")
            var summary = ImportSummary()
            summary.created = max(0, total - totalBefore)
            summary.updated = written - summary.created
            summary.warnings = warnings
            return summary
        }
    }

    /// Writes generated student rows (the demo), without a file.
    public func writeScores(_ records: [ScoreRecord], label: String) async throws {
        try await db.transaction { tx in
            var issues = IssueCollector(file: label)
            let directory = try await directory(on: tx)
            _ = try await Self.insertScores(records, directory: directory, issues: &issues, on: tx)
            try issues.throwIfFailed()
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "scores", entityID: nil,
                                      summary: "Загружены результаты учеников (\(label)): строк \(records.count)", place: auditPlace())
        }
    }

    /// Upserts student rows whose schools resolve (others become line errors, and then nothing is written).
    /// SQLite takes the typed fast path; other engines the generic SQLKit one.
    static func insertScores(_ batch: [ScoreRecord], directory: SchoolDirectory, issues: inout IssueCollector, on tx: any Database) async throws -> Int {
        for record in batch { _ = directory.resolve(record.school, line: record.line, &issues) }
        guard !issues.hasErrors else { return 0 }
        return try await writeResolvedScores(batch, directory: directory, on: tx)
    }

    /// Writes rows whose schools are known to resolve.
    static func writeResolvedScores(_ batch: [ScoreRecord], directory: SchoolDirectory, on tx: any Database) async throws -> Int {
        if let sqlite = tx as? any SQLiteDatabase {
            return try await upsertScoresSQLite(sqlite, batch, directory: directory)
        }
        let values: [[any Encodable & Sendable]] = batch.map { record in
            let r = record.result
            return [directory.ids[record.school]!, record.work.year, record.work.procedure.rawValue, record.work.grade, record.work.subject,
                    record.student, record.className, record.variant, r.primaryScore, r.score, r.mark, r.termMark]
        }
        try await upsert(tx as! any SQLDatabase, table: "scores", columns: scoreColumns, rows: values,
                         key: ["year", "procedure", "grade", "subject", "school_id", "student"])
        return values.count
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
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "thresholds", entityID: nil,
                                      summary: "Загружены пороговые баллы (\(fileName)): строк \(records.count)")
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
                                      summary: "Загружены показатели сравнения (\(fileName)): строк \(records.count)")
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

    /// SQLite fast path for millions of student rows: typed binds, no Encodable boxing, one statement per chunk.
    static func upsertScoresSQLite(_ sqlite: any SQLiteDatabase, _ batch: [ScoreRecord], directory: SchoolDirectory) async throws -> Int {
        let columns = scoreColumns
        let perRow = columns.count
        let chunk = 30_000 / perRow
        let key = ["year", "procedure", "grade", "subject", "school_id", "student"]
        let update = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let rowPlaceholder = "(" + Array(repeating: "?", count: perRow).joined(separator: ",") + ")"
        func text(_ value: String?) -> SQLiteData { value.map(SQLiteData.text) ?? .null }
        func real(_ value: Double?) -> SQLiteData { value.map(SQLiteData.float) ?? .null }
        func integer(_ value: Int?) -> SQLiteData { value.map { .integer($0) } ?? .null }
        var start = 0
        var written = 0
        while start < batch.count {
            let end = min(start + chunk, batch.count)
            var binds: [SQLiteData] = []
            binds.reserveCapacity((end - start) * perRow)
            var rows = 0
            for record in batch[start..<end] {
                guard let schoolID = directory.ids[record.school] else { continue }
                let r = record.result
                binds.append(.integer(schoolID)); binds.append(.integer(record.work.year)); binds.append(.text(record.work.procedure.rawValue))
                binds.append(.integer(record.work.grade)); binds.append(.text(record.work.subject)); binds.append(.text(record.student))
                binds.append(text(record.className)); binds.append(text(record.variant)); binds.append(real(r.primaryScore))
                binds.append(real(r.score)); binds.append(integer(r.mark)); binds.append(integer(r.termMark))
                rows += 1
            }
            if rows > 0 {
                let statement = "INSERT INTO scores (\(columns.joined(separator: ", "))) VALUES " +
                    Array(repeating: rowPlaceholder, count: rows).joined(separator: ",") +
                    " ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(update)"
                _ = try await sqlite.query(statement, binds)
            }
            written += rows
            start = end
        }
        return written
    }

    static func countAll(_ sql: any SQLDatabase, table: String) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
