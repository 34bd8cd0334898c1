import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Writes the task-level kinds (`tasks`, `mark_scales`, `task_benchmarks`, `task_scores`): one transaction each,
/// all or nothing, under the import lock. A `task_scores` file replaces each school × work it holds, in the task
/// tallies and in the pupils' `scores` rows alike.
public struct TaskImporter: Sendable {
    public let db: any Database
    public let actor: Actor
    public let scope: AccessScope

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything) {
        self.db = db
        self.actor = actor
        self.scope = scope
    }

    /// Specifications and scales are the work's own (federal for ВПР, the region's for its diagnostic works):
    /// written by the whole installation's analyst or a region's, never by a municipality or a school.
    func requireWorkOwner(_ fileName: String, what: String) throws -> AuditPlace {
        switch scope {
        case .everything: return AuditPlace()
        case .region(let id): return AuditPlace(regionID: id)
        case .municipality, .schools:
            throw ImportRejected(issues: [ImportIssue(file: fileName, line: 1, column: "—",
                message: "\(what) загружает региональный аналитик: они общие для всех школ, выполнявших работу")])
        }
    }

    static func workLabel(_ work: WorkKey) -> String { ResultFiles.label(work) }

    // MARK: tasks

    /// Each work named in the file gets exactly the file's tasks (a specification is replaced whole, in printed order).
    public func writeTasks(_ records: [TaskSpecRecord], fileName: String) async throws -> ImportSummary {
        let place = try requireWorkOwner(fileName, what: "спецификации КИМ")
        return try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let before = try await TaskRepository(db: tx).specifications()
            let byWork = Dictionary(grouping: records, by: \.work)
            var summary = ImportSummary()
            var changes: [FieldChange] = []
            for (work, lines) in byWork.sorted(by: { $0.key < $1.key }) {
                let spec = TaskSpecification(work: work, tasks: lines.sorted { $0.line < $1.line }.map(\.spec))
                let old = before[work]
                if old == spec { summary.unchanged += spec.tasks.count; continue }
                if old == nil { summary.created += spec.tasks.count } else { summary.updated += spec.tasks.count }
                try await Self.replaceSpecification(spec, on: tx)
                changes.append(FieldChange(field: Self.workLabel(work), old: old.map(Self.specText), new: Self.specText(spec)))
            }
            if !changes.isEmpty {
                try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "task_specs", entityID: nil,
                                          summary: "Загружены спецификации КИМ (\(fileName)): \(summary.russianDescription)",
                                              changes: changes, place: place)
            }
            return summary
        }
    }

    static func specText(_ spec: TaskSpecification) -> String {
        "заданий \(spec.tasks.count), максимум \(spec.maxPrimary): "
            + spec.tasks.map { "\($0.task) (\($0.maxPoints)\($0.level == .advanced ? ", П" : ""))" }.joined(separator: ", ")
    }

    static func replaceSpecification(_ spec: TaskSpecification, on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("DELETE FROM task_specs WHERE \(TaskRepository.whereWork(spec.work))").run()
        let work = spec.work
        try await sql.insertRows(into: "task_specs", columns: ["year", "procedure", "grade", "subject", "position", "task", "max_points",
                                                            "requirement", "block", "level"],
                                 items: Array(spec.tasks.enumerated())) { position, task in
            [work.year, work.procedure.rawValue, work.grade, work.subject, position + 1, task.task, task.maxPoints, task.requirement,
                task.block,
             task.level.rawValue]
        }
    }

    // MARK: mark scales

    /// Each work named in the file gets exactly the file's boundaries.
    public func writeMarkScales(_ records: [MarkScaleRecord], fileName: String) async throws -> ImportSummary {
        let place = try requireWorkOwner(fileName, what: "шкалы перевода баллов в отметки")
        return try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let repository = TaskRepository(db: tx)
            var summary = ImportSummary()
            var changes: [FieldChange] = []
            for (work, lines) in Dictionary(grouping: records, by: \.work).sorted(by: { $0.key < $1.key }) {
                let scale = MarkScale(work: work, minimums: Dictionary(uniqueKeysWithValues: lines.map { ($0.mark, $0.minPrimary) }))
                let old = try await repository.markScale(work)
                if old == scale { summary.unchanged += lines.count; continue }
                if old == nil { summary.created += lines.count } else { summary.updated += lines.count }
                try await tx.sql.raw("DELETE FROM mark_scales WHERE \(TaskRepository.whereWork(work))").run()
                try await tx.sql.insertRows(into: "mark_scales", columns: ["year", "procedure", "grade", "subject", "mark", "min_primary"],
                                            items: scale.boundaries) { boundary in
                    [work.year, work.procedure.rawValue, work.grade, work.subject, boundary.mark, boundary.primary]
                }
                changes.append(FieldChange(field: Self.workLabel(work), old: old.map(Self.scaleText), new: Self.scaleText(scale)))
            }
            if !changes.isEmpty {
                try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "mark_scales", entityID: nil,
                                          summary: "Загружены шкалы перевода (\(fileName)): \(summary.russianDescription)",
                                              changes: changes, place: place)
            }
            return summary
        }
    }

    static func scaleText(_ scale: MarkScale) -> String {
        scale.boundaries.map { "«\($0.mark)» от \($0.primary)" }.joined(separator: ", ")
    }

    // MARK: task benchmarks

    /// As `benchmarks`: the importer's region owns them (0: the whole installation); a coordinator may load only
    /// their own municipality's rows; schools load none.
    public func writeTaskBenchmarks(_ records: [TaskBenchmarkRecord], fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let (owner, place) = try await ResultsImporter.comparisonOwner(
                scope: scope, on: tx, fileName: fileName, rows: records.map { ($0.line, $0.benchmark.level, $0.benchmark.name) })
            struct Row: Decodable { let year: Int; let procedure: String; let grade: Int; let subject: String; let task: String
                                    let level: String; let name: String; let percent: Double }
            var before: [String: Double] = [:]
            for row in try await tx.sql.raw("SELECT year, procedure, grade, subject, task, level, name, percent FROM task_benchmarks "
                                            + "WHERE owner_region_id = \(bind: owner)").all(decoding: Row.self) {
                before["\(row.year)|\(row.procedure)|\(row.grade)|\(row.subject)|\(row.task)|\(row.level)|\(row.name)"] =
                    row.percent
            }
            var summary = ImportSummary()
            var changed: [TaskBenchmark] = []
            for record in records {
                let b = record.benchmark
                let key = "\(ResultsImporter.workKey(b.work))|\(b.task)|\(b.level.rawValue)|\(b.name)"
                if let old = before[key] {
                    if old == b.percent { summary.unchanged += 1; continue }
                    summary.updated += 1
                } else {
                    summary.created += 1
                }
                changed.append(b)
            }
            try await tx.sql.insertRows(into: "task_benchmarks", columns: ["owner_region_id", "year", "procedure", "grade", "subject",
                "task",
                                                                         "level", "name", "percent"],
                                        items: changed, key: ["owner_region_id", "year", "procedure", "grade", "subject", "task",
                                            "level", "name"]) { b in
                [owner, b.work.year, b.work.procedure.rawValue, b.work.grade, b.work.subject, b.task, b.level.rawValue, b.name, b.percent]
            }
            if !changed.isEmpty {
                let works = Set(changed.map(\.work)).sorted().map(Self.workLabel)
                try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "task_benchmarks", entityID: nil,
                                          summary: "Загружено выполнение заданий для сравнения (\(fileName)): "
                                            + summary.russianDescription,
                                          changes: [FieldChange(field: "работы", old: nil, new: BulkRows.named(works))], place: place)
            }
            return summary
        }
    }

    // MARK: task scores

    /// The tallies and the pupils' rows of every school × work in the file, replacing what was stored for them;
    /// a specification given by the file's «Максимальный балл» row is stored when the work has none yet.
    public func writeTaskScores(_ parsed: ParsedTaskScores, fileName: String) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let directory = try await ResultsImporter(db: tx, actor: actor, scope: scope).directory(on: tx)
            var resolved: [(schoolID: Int, group: TaskScoreGroup)] = []
            resolved.reserveCapacity(parsed.groups.count)
            for group in parsed.groups {
                if let schoolID = directory.resolve(group.school, line: group.firstLine, &issues) { resolved.append((schoolID, group)) }
            }
            let stored = try await TaskRepository(db: tx).specifications()
            for work in parsed.specifiedByFile.sorted() where stored[work] == nil {
                if let spec = parsed.specifications[work] { try await Self.replaceSpecification(spec, on: tx) }
            }
            // A specification loaded meanwhile must still be the one the file was read with.
            for (work, spec) in parsed.specifications where !parsed.specifiedByFile.contains(work) && stored[work] != spec {
                issues.error(line: 1, column: "—",
                    "спецификация работы «\(Self.workLabel(work))» изменилась во время загрузки: загрузите файл ещё раз")
            }
            try issues.throwIfFailed()
            let sql = tx.sql
            var before: [String: Int] = [:]
            struct Before: Decodable { let school_id: Int; let year: Int; let procedure: String; let grade: Int; let subject: String
                                       let participants: Int }
            for work in Set(resolved.map(\.group.work)) {
                for row in try await sql.raw("SELECT school_id, year, procedure, grade, subject, participants FROM task_tallies "
                                             + "WHERE \(TaskRepository.whereWork(work))").all(decoding: Before.self) {
                    before["\(row.school_id)|\(ResultsImporter.workKey(work))"] = row.participants
                }
            }
            // Replace, not merge: the file is the school's whole class for that work.
            for (work, groups) in Dictionary(grouping: resolved, by: \.group.work) {
                for chunk in BulkRows.chunks(groups.map(\.schoolID)) {
                    let ids = chunk.map(String.init).joined(separator: ",")
                    let inWork = TaskRepository.whereWork(work)
                    try await sql.raw("DELETE FROM task_tallies WHERE \(inWork) AND school_id IN (\(unsafeRaw: ids))").run()
                    try await sql.raw("""
                        DELETE FROM score_group_rows WHERE group_id IN (SELECT id FROM score_groups WHERE \(inWork) \
                        AND school_id IN (\(unsafeRaw: ids)))
                        """).run()
                    try await sql.raw("DELETE FROM score_groups WHERE \(inWork) AND school_id IN (\(unsafeRaw: ids))").run()
                }
            }
            try await sql.insertRows(into: "task_tallies", columns: ["school_id", "year", "procedure", "grade", "subject",
                "participants", "tally"],
                                     items: resolved) { schoolID, group in
                [schoolID, group.work.year, group.work.procedure.rawValue, group.work.grade, group.work.subject, group.tally.participants,
                 TaskTallyCodec.encode(group.tally)]
            }
            _ = try await ScoreGroupStore(db: tx).write(resolved.map { ($0.schoolID, $0.group.scoreGroup) })
            var summary = ImportSummary()
            var entries: [AuditLog.Entry] = []
            for (schoolID, groups) in Dictionary(grouping: resolved, by: \.schoolID).sorted(by: { $0.key < $1.key }) {
                let place = directory.places[schoolID]
                var fields: [FieldChange] = []
                for (_, group) in groups {
                    let old = before["\(schoolID)|\(ResultsImporter.workKey(group.work))"]
                    if old == nil { summary.created += group.rows.count } else { summary.updated += group.rows.count }
                    fields.append(FieldChange(field: Self.workLabel(group.work), old: old.map { "участников \($0)" },
                                              new: "участников \(group.tally.participants), заданий \(group.tally.tasks.count)"))
                }
                entries.append(AuditLog.Entry(action: "import", entity: "task_scores", entityID: schoolID,
                                              summary: "Загружены баллы по заданиям школы «\(directory.names[schoolID] ?? "")» "
                                                + "(\(fileName)): "
                                                + "работ \(groups.count)", changes: fields,
                                              place: AuditPlace(regionID: place?.regionID, municipalityID: place?.municipalityID,
                                                  schoolID: schoolID)))
            }
            try await AuditLog.record(on: tx, actor: actor, entries)
            return summary
        }
    }
}
