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

    /// School code → id for the schools the actor may write; unknown or out-of-scope codes become line errors.
    struct SchoolDirectory {
        let ids: [String: Int]
        let places: [Int: SchoolPlace]
        let names: [Int: String]
        let scope: AccessScope

        func resolve(_ code: String, line: Int, _ issues: inout IssueCollector) -> Int? {
            // An unknown code and another territory's school get the same answer (`Absent`).
            guard let id = ids[code], let place = places[id], scope.contains(place) else {
                issues.error(line: line, column: "school", Absent.school(code))
                return nil
            }
            return id
        }
    }

    func directory(on db: any Database) async throws -> SchoolDirectory {
        let schools = try await SchoolModel.query(on: db).with(\.$municipality).all()
        var ids: [String: Int] = [:], places: [Int: SchoolPlace] = [:], names: [Int: String] = [:]
        for school in schools {
            ids[school.code] = school.id!
            places[school.id!] = SchoolPlace(
                schoolID: school.id!, municipalityID: school.$municipality.id, regionID: school.municipality.$region.id)
            names[school.id!] = school.displayName
        }
        return SchoolDirectory(ids: ids, places: places, names: names, scope: scope)
    }

    // MARK: results

    static let resultColumns = ["school_id", "year", "procedure", "grade", "subject", "participants", "m2", "m3", "m4", "m5",
                                "below_min", "high", "mean_score", "lowered", "confirmed", "raised"]

    public func writeResults(_ records: [ResultRecord], fileName: String) async throws -> ImportSummary {
        try await writeSchoolRows(
            records, fileName: fileName, table: "results", columns: Self.resultColumns,
            key: ["year", "procedure", "grade", "subject", "school_id"],
            entity: "results", what: "результаты",
            school: { ($0.school, $0.line) },
            describe: { record in
                (Self.workKey(record.work), Self.workLabel(record.work), Self.countsText(record.counts))
            },
            stored: { sql, schools in
                struct Row: Decodable {
                    let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, participants: Int
                    let m2: Int?, m3: Int?, m4: Int?, m5: Int?, below_min: Int?, high: Int?, mean_score: Double?, lowered: Int?,
                        confirmed: Int?, raised: Int?
                }
                var result: [Int: [String: String]] = [:]
                for row in try await sql.raw("SELECT * FROM results WHERE school_id IN (\(unsafeRaw: Self.idList(schools)))").all(
                    decoding: Row.self)
                {
                    guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
                    let counts = ResultCounts(
                        participants: row.participants, m2: row.m2, m3: row.m3, m4: row.m4, m5: row.m5, belowMin: row.below_min,
                        high: row.high, meanScore: row.mean_score, lowered: row.lowered, confirmed: row.confirmed, raised: row.raised)
                    result[row.school_id, default: [:]][
                        Self.workKey(WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject))] =
                        Self.countsText(counts)
                }
                return result
            }) { record, schoolID in
            let c = record.counts
            return [schoolID, record.work.year, record.work.procedure.rawValue, record.work.grade, record.work.subject, c.participants,
                    c.m2, c.m3, c.m4, c.m5, c.belowMin, c.high, c.meanScore, c.lowered, c.confirmed, c.raised]
        }
    }

    static func workKey(_ work: WorkKey) -> String { "\(work.year)|\(work.procedure.rawValue)|\(work.grade)|\(work.subject)" }

    static func workLabel(_ work: WorkKey) -> String {
        "\(work.procedure.russianShortName)-\(work.year), \(work.grade) кл., " +
        "\(SubjectCatalogue.standardNames[work.subject] ?? work.subject)"
    }

    /// Counts as the audit log shows them: only what the row holds.
    static func countsText(_ c: ResultCounts) -> String {
        var parts = ["участников \(c.participants)"]
        if c.hasMarks { parts.append("«2»–«5»: \([c.m2, c.m3, c.m4, c.m5].map { $0.map(String.init) ?? "—" }.joined(separator: "/"))") }
        if let belowMin = c.belowMin { parts.append("ниже порога \(belowMin)") }
        if let high = c.high { parts.append("высокий балл \(high)") }
        if let meanScore = c.meanScore { parts.append("средний балл \(RussianFormat.number(meanScore, digits: 4))") }
        if c.hasObjectivity {
            parts.append(
                "понизили/подтвердили/повысили " +
                "\([c.lowered, c.confirmed, c.raised].map { $0.map(String.init) ?? "—" }.joined(separator: "/"))"
            )
        }
        return parts.joined(separator: "; ")
    }

    static func idList(_ ids: Set<Int>) -> String { ids.isEmpty ? "NULL" : ids.sorted().map(String.init).joined(separator: ",") }

    /// Upserts rows that belong to schools, in one transaction: every school must be known and in scope (else
    /// line errors and nothing is written). Each row is compared with what is stored: new, changed or the
    /// same; only new and changed rows are written, and each school's changes (old → new) go to its audit log.
    func writeSchoolRows<Record: Sendable>(
        _ records: [Record], fileName: String, table: String, columns: [String], key: [String], entity: String, what: String,
        school: @escaping @Sendable (Record) -> (code: String, line: Int),
        describe: @escaping @Sendable (Record) -> (key: String, field: String, text: String),
        stored: @escaping @Sendable (any SQLDatabase, Set<Int>) async throws -> [Int: [String: String]],
        values: @escaping @Sendable (Record, Int) -> [any Encodable & Sendable]) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let sql = tx.sql
            var issues = IssueCollector(file: fileName)
            let directory = try await directory(on: tx)
            var resolved: [(record: Record, schoolID: Int)] = []
            resolved.reserveCapacity(records.count)
            for record in records {
                let (code, line) = school(record)
                guard let schoolID = directory.resolve(code, line: line, &issues) else { continue }
                resolved.append((record, schoolID))
            }
            try issues.throwIfFailed()
            let before = try await stored(sql, Set(resolved.map(\.schoolID)))
            var summary = ImportSummary()
            var rows: [[any Encodable & Sendable]] = []
            var changes: [Int: (created: Int, updated: Int, fields: [FieldChange])] = [:]
            for (record, schoolID) in resolved {
                let (rowKey, field, text) = describe(record)
                let old = before[schoolID]?[rowKey]
                if old == text { summary.unchanged += 1; continue }
                if old == nil { summary.created += 1; changes[schoolID, default: (0, 0, [])].created += 1 }
                else { summary.updated += 1; changes[schoolID, default: (0, 0, [])].updated += 1 }
                changes[schoolID, default: (0, 0, [])].fields.append(FieldChange(field: field, old: old, new: text))
                rows.append(values(record, schoolID))
            }
            try await sql.insertRows(into: table, columns: columns, rows: rows, updatingOnConflict: key)
            try await AuditLog.record(
                on: tx, actor: actor,
                changes.sorted { $0.key < $1.key }.map { schoolID, change in
                    let place = directory.places[schoolID]
                    return AuditLog.Entry(
                        action: "import", entity: entity, entityID: schoolID,
                        summary:
                            "Загружены \(what) школы «\(directory.names[schoolID] ?? "")» (\(fileName)): добавлено \(change.created), " +
                            "изменено \(change.updated)",
                        changes: change.fields,
                        place: AuditPlace(regionID: place?.regionID, municipalityID: place?.municipalityID, schoolID: schoolID))
                })
            return summary
        }
    }

    // MARK: scores

    /// Writes generated student rows (the demo), without a file.
    public func writeScores(_ records: [ScoreRecord], label: String) async throws {
        _ = try await storeScoreGroups(ScoreGroup.grouping(records), label: label, rows: records.count)
    }

    /// Every group's school must be known and in scope; the groups are merged into what is stored, all or nothing.
    func storeScoreGroups(_ groups: [ScoreGroup], label: String, rows: Int) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: label)
            let directory = try await directory(on: tx)
            var resolved: [(schoolID: Int, group: ScoreGroup)] = []
            resolved.reserveCapacity(groups.count)
            for group in groups {
                if let schoolID = directory.resolve(group.school, line: group.firstLine, &issues) { resolved.append((schoolID, group)) }
            }
            try issues.throwIfFailed()
            let written = try await ScoreGroupStore(db: tx).write(resolved)
            try await AuditLog.record(
                on: tx, actor: actor,
                Dictionary(grouping: written.groups, by: \.schoolID).sorted { $0.key < $1.key }.map { schoolID, groups in
                    let place = directory.places[schoolID]
                    let fields = groups.map { group in
                        FieldChange(
                            field: Self.workLabel(group.work), old: group.studentsBefore.map { "учеников \($0)" },
                            new: "учеников \(group.studentsAfter) (добавлено \(group.added), изменено \(group.replaced))")
                    }
                    return AuditLog.Entry(
                        action: "import", entity: "scores", entityID: schoolID,
                        summary:
                            "Загружены результаты учеников школы «\(directory.names[schoolID] ?? "")» (\(label)): работ \(groups.count)",
                        changes: fields,
                        place: AuditPlace(regionID: place?.regionID, municipalityID: place?.municipalityID, schoolID: schoolID))
                })
            var summary = ImportSummary()
            summary.created = written.created
            summary.updated = written.updated
            summary.unchanged = written.unchanged
            return summary
        }
    }

    // MARK: context

    public func writeContext(_ records: [ContextRecord], fileName: String) async throws -> ImportSummary {
        try await writeSchoolRows(
            records, fileName: fileName, table: "context_values", columns: ["school_id", "year", "indicator", "value_text", "value_number"],
            key: ["year", "school_id", "indicator"], entity: "context", what: "контекстные данные",
            school: { ($0.school, $0.line) },
            // The audit names a standard indicator in Russian («2023: Группа ИСБШ (1–11)»), a user-defined one by its code.
            describe: { record in
                ("\(record.year)|\(record.indicator)", "\(record.year): \(ContextFile.label(record.indicator))", record.text)
            },
            stored: { sql, schools in
                struct Row: Decodable { let school_id: Int; let year: Int; let indicator: String; let value_text: String }
                var result: [Int: [String: String]] = [:]
                let query: SQLQueryString =
                    """
                    SELECT school_id, year, indicator, value_text FROM context_values
                    WHERE school_id IN (\(unsafeRaw: Self.idList(schools)))
                    """
                for row in try await sql.raw(query).all(decoding: Row.self) {
                    result[row.school_id, default: [:]]["\(row.year)|\(row.indicator)"] = row.value_text
                }
                return result
            }) { record, schoolID in
            [schoolID, record.year, record.indicator, record.text, record.number]
        }
    }

    // MARK: thresholds and benchmarks

    /// Thresholds are federal figures every region shares: only the whole installation's analyst (or the
    /// command line) writes them.
    public func writeThresholds(_ records: [ThresholdRecord], fileName: String) async throws -> ImportSummary {
        guard scope == .everything else {
            throw ImportRejected(issues: [ImportIssue(file: fileName, line: 1, column: "—",
                message: "пороговые баллы общие для всех регионов: их загружает аналитик всей системы, не привязанный к одному региону")])
        }
        return try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let sql = tx.sql
            let before = try await Self.thresholdRows(sql)
            let rows: [[any Encodable & Sendable]] = records.map {
                [$0.year, $0.procedure.rawValue, $0.subject, $0.grade ?? 0, $0.threshold.minScore, $0.threshold.highScore]
            }
            try await sql.insertRows(into: "thresholds", columns: ["year", "procedure", "subject", "grade", "min_score", "high_score"],
                                  rows: rows, updatingOnConflict: ["year", "procedure", "subject", "grade"])
            // Below the minimum and high scorers of stored students depend on the thresholds.
            try await ScoreGroupStore(db: tx).recount(
                Set(records.map { .init(year: $0.year, procedure: $0.procedure, subject: $0.subject) }))
            var summary = ImportSummary()
            var changes: [FieldChange] = []
            for record in records {
                let key = "\(record.procedure.russianShortName)-\(record.year) \(record.subject)\(record.grade.map { ", \($0) кл." } ?? "")"
                let new =
                    "минимум \(RussianFormat.number(record.threshold.minScore)), высокий " +
                    "\(record.threshold.highScore.map { RussianFormat.number($0) } ?? "—")"
                let old = before["\(record.year)|\(record.procedure.rawValue)|\(record.subject)|\(record.grade ?? 0)"]
                if old == nil { summary.created += 1 } else if old == new { summary.unchanged += 1 } else { summary.updated += 1 }
                if old != new { changes.append(FieldChange(field: key, old: old, new: new)) }
            }
            if !changes.isEmpty {
                try await AuditLog.record(
                    on: tx, actor: actor, action: "import", entity: "thresholds", entityID: nil,
                    summary: "Загружены пороговые баллы (\(fileName)): \(summary.russianDescription)", changes: changes)
            }
            return summary
        }
    }

    static func thresholdRows(_ sql: any SQLDatabase) async throws -> [String: String] {
        struct Row: Decodable {
            let year: Int; let procedure: String; let subject: String; let grade: Int; let min_score: Double; let high_score: Double?
        }
        var result: [String: String] = [:]
        for row in try await sql.raw("SELECT year, procedure, subject, grade, min_score, high_score FROM thresholds").all(
            decoding: Row.self)
        {
            result["\(row.year)|\(row.procedure)|\(row.subject)|\(row.grade)"] =
                "минимум \(RussianFormat.number(row.min_score)), высокий \(row.high_score.map { RussianFormat.number($0) } ?? "—")"
        }
        return result
    }

    /// Comparison figures belong to the importer's region (0: every region, from the whole installation's
    /// analyst). A coordinator may import only their own municipality's row; region and Russia figures come
    /// from the region's analyst, so that no municipality changes what the others compare with.
    public func writeBenchmarks(_ records: [BenchmarkRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let sql = tx.sql
            let (owner, place) = try await Self.comparisonOwner(scope: scope, on: tx, fileName: fileName,
                                                                 rows: records.map { ($0.line, $0.level, $0.name) })
            let before = try await Self.benchmarkRows(sql, owner: owner)
            let rows: [[any Encodable & Sendable]] = records.map {
                [
                    owner, $0.work.year, $0.work.procedure.rawValue, $0.work.grade, $0.work.subject, $0.level.rawValue, $0.name,
                    $0.participants,
                    $0.successRate, $0.qualityRate, $0.meanMark, $0.meanScore, $0.belowMinRate,
                ]
            }
            try await sql.insertRows(
                into: "benchmarks",
                columns: [
                    "owner_region_id", "year", "procedure", "grade", "subject", "level", "name", "participants", "success_rate",
                    "quality_rate", "mean_mark", "mean_score", "below_min_rate",
                ],
                rows: rows, updatingOnConflict: ["owner_region_id", "year", "procedure", "grade", "subject", "level", "name"])
            var summary = ImportSummary()
            var changes: [FieldChange] = []
            for record in records {
                let key =
                    "\(record.work.procedure.russianShortName)-\(record.work.year), \(record.work.grade) кл., \(record.work.subject): " +
                    "\(record.name) (\(record.level.russianName.lowercased()))"
                let new = Self.benchmarkText(
                    participants: record.participants, success: record.successRate, quality: record.qualityRate,
                    meanMark: record.meanMark, meanScore: record.meanScore, belowMin: record.belowMinRate)
                let old = before[Self.benchmarkKey(record.work, record.level.rawValue, record.name)]
                if old == nil { summary.created += 1 } else if old == new { summary.unchanged += 1 } else { summary.updated += 1 }
                if old != new { changes.append(FieldChange(field: key, old: old, new: new)) }
            }
            if !changes.isEmpty {
                try await AuditLog.record(
                    on: tx, actor: actor, action: "import", entity: "benchmarks", entityID: nil,
                    summary: "Загружены показатели для сравнения (\(fileName)): \(summary.russianDescription)", changes: changes,
                    place: place)
            }
            return summary
        }
    }

    /// Whose comparison figures a file's rows become (the importer's region; 0: every region, from the whole installation's
    /// analyst) and where the import is audited. A coordinator may write only their own municipality's rows (others are
    /// refused by line); region and Russia figures come from the region's analyst; a school's user writes none.
    static func comparisonOwner(scope: AccessScope, on db: any Database, fileName: String,
                                rows: [(line: Int, level: BenchmarkLevel, name: String)]) async throws -> (owner: Int, place: AuditPlace) {
        var issues = IssueCollector(file: fileName)
        let owner: Int
        var place = AuditPlace()
        switch scope {
        case .everything:
            owner = 0
        case .region(let regionID):
            owner = regionID
            place.regionID = regionID
        case .municipality(let municipalityID):
            guard let municipality = try await MunicipalityModel.find(municipalityID, on: db) else {
                throw RepositoryError.notFound(entity: "муниципалитет")
            }
            owner = municipality.$region.id
            place = AuditPlace(regionID: owner, municipalityID: municipalityID)
            for row in rows {
                if row.level != .municipality {
                    issues.error(line: row.line, column: "level", "показатели уровня «\(row.level.russianName.lowercased())» загружает "
                                 + "региональный аналитик; вам доступны только показатели своего муниципалитета")
                } else if HeaderKey.normalize(row.name) != HeaderKey.normalize(municipality.name) {
                    issues.error(line: row.line, column: "name", "«\(row.name)» — не ваш муниципалитет; вам доступны только показатели "
                                 + "муниципалитета «\(municipality.name)»")
                }
            }
        case .schools:
            throw ImportRejected(issues: [ImportIssue(file: fileName, line: 1, column: "—",
                                                      message: "показатели для сравнения загружают координатор или аналитик")])
        }
        try issues.throwIfFailed()
        return (owner, place)
    }

    static func benchmarkKey(_ work: WorkKey, _ level: String, _ name: String) -> String {
        "\(work.year)|\(work.procedure.rawValue)|\(work.grade)|\(work.subject)|\(level)|\(name)"
    }

    static func benchmarkText(
        participants: Int?, success: Double?, quality: Double?, meanMark: Double?, meanScore: Double?, belowMin: Double?
    ) -> String {
        func number(_ value: Double?) -> String { value.map { RussianFormat.number($0, digits: 2) } ?? "—" }
        return "участников \(participants.map(String.init) ?? "—"), успеваемость \(number(success)), качество \(number(quality)), "
            + "средняя отметка \(number(meanMark)), средний балл \(number(meanScore)), ниже порога \(number(belowMin))"
    }

    static func benchmarkRows(_ sql: any SQLDatabase, owner: Int) async throws -> [String: String] {
        struct Row: Decodable {
            let year: Int, procedure: String, grade: Int, subject: String, level: String, name: String, participants: Int?
            let success_rate: Double?, quality_rate: Double?, mean_mark: Double?, mean_score: Double?, below_min_rate: Double?
        }
        var result: [String: String] = [:]
        for row in try await sql.raw("SELECT * FROM benchmarks WHERE owner_region_id = \(bind: owner)").all(decoding: Row.self) {
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            let work = WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject)
            result[benchmarkKey(work, row.level, row.name)] = benchmarkText(participants: row.participants, success: row.success_rate,
                quality: row.quality_rate, meanMark: row.mean_mark, meanScore: row.mean_score, belowMin: row.below_min_rate)
        }
        return result
    }

}
