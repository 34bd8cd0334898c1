import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The kinds keyed by a work (year, procedure, grade, subject): pupils' scores per school × work, thresholds,
/// benchmarks, КИМ specifications and mark scales. Each reads the stored rows of the file's years only.
extension ImportChangesReader {
    static let workColumns = ["year", "procedure", "grade", "subject"]

    func work(_ work: WorkKey) -> [String] {
        [String(work.year), work.procedure.russianShortName, String(work.grade), work.subject]
    }

    func work(year: Int, procedure: String, grade: Int, subject: String) -> [String] {
        guard let code = ProcedureCode(rawValue: procedure) else { return [String(year), procedure, String(grade), subject] }
        return work(WorkKey(year: year, procedure: code, grade: grade, subject: subject))
    }

    /// The region whose benchmarks the uploader writes (`ResultsImporter.comparisonOwner`): 0 for the whole
    /// installation; nil for a school's user (such a file is refused before its preview).
    func benchmarkOwner() async throws -> Int? {
        switch scope {
        case .everything: return 0
        case .region(let id): return id
        case .municipality(let id): return try await MunicipalityModel.find(id, on: db)?.$region.id
        case .schools: return nil
        }
    }

    /// `scores` and `task_scores`: one row per school × work, its participants and mean score (the pupils are
    /// never listed one by one). A file replaces the groups it holds; other groups stay.
    func scoreGroups(_ groups: [ScoreGroup], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let ids = try await schoolIDs(Set(groups.map(\.school)))
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        struct Row: Decodable {
            let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, participants: Int, mean_score: Double?
        }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "score_groups", schoolIDs: Array(ids.values)) {
            guard let code = codes[row.school_id] else { continue }
            let key = work(year: row.year, procedure: row.procedure, grade: row.grade, subject: row.subject) + [code]
            before[key] = [String(row.participants), number(row.mean_score)]
        }
        let after = groups.map { group -> (key: [String], values: [String]) in
            let counts = group.counts(threshold: nil)
            return (work(group.work) + [group.school], [String(counts.participants), number(counts.meanScore)])
        }
        return .compare(keyColumns: names(Self.workColumns + ["school"], kind), valueColumns: names(["participants", "mean_score"], kind),
                        before: before, after: after, cap: cap)
    }

    func thresholds(_ records: [ThresholdRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        struct Row: Decodable { let year: Int, procedure: String, subject: String, grade: Int, min_score: Double, high_score: Double? }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "thresholds", where: "year", in: Array(Set(records.map(\.year)))) {
            before[[String(row.year), procedure(row.procedure), row.subject, row.grade == 0 ? "" : String(row.grade)]] =
                [number(row.min_score), number(row.high_score)]
        }
        let after = records.map { record in
            (key: [String(record.year), record.procedure.russianShortName, record.subject, record.grade.map(String.init) ?? ""],
             values: [number(record.threshold.minScore), number(record.threshold.highScore)])
        }
        return .compare(keyColumns: names(["year", "procedure", "subject", "grade"], kind),
                        valueColumns: names(["min_score", "high_score"], kind),
                        before: before, after: after, cap: cap)
    }

    func procedure(_ code: String) -> String { ProcedureCode(rawValue: code)?.russianShortName ?? code }

    func benchmarks(_ records: [BenchmarkRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges? {
        guard let owner = try await benchmarkOwner() else { return nil }
        struct Row: Decodable {
            let year: Int, procedure: String, grade: Int, subject: String, level: String, name: String, participants: Int?
            let success_rate: Double?, quality_rate: Double?, mean_mark: Double?, mean_score: Double?, below_min_rate: Double?
        }
        func level(_ code: String) -> String { BenchmarkLevel(rawValue: code)?.russianName ?? code }
        var before: [[String]: [String]] = [:]
        let years = Array(Set(records.map(\.work.year)))
        for row in try await rows(Row.self, table: "benchmarks", where: "year", in: years, equal: ["owner_region_id": owner]) {
            let key = work(year: row.year, procedure: row.procedure, grade: row.grade, subject: row.subject) + [level(row.level), row.name]
            before[key] = [text(row.participants), number(row.success_rate), number(row.quality_rate), number(row.mean_mark),
                           number(row.mean_score), number(row.below_min_rate)]
        }
        let after = records.map { record in
            (key: work(record.work) + [record.level.russianName, record.name],
             values: [text(record.participants), number(record.successRate), number(record.qualityRate), number(record.meanMark),
                      number(record.meanScore), number(record.belowMinRate)])
        }
        let values = ["participants", "success_rate", "quality_rate", "mean_mark", "mean_score", "below_min_rate"]
        return .compare(keyColumns: names(Self.workColumns + ["level", "name"], kind), valueColumns: names(values, kind),
                        before: before, after: after, cap: cap)
    }

    func taskBenchmarks(_ records: [TaskBenchmarkRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges? {
        guard let owner = try await benchmarkOwner() else { return nil }
        struct Row: Decodable {
            let year: Int, procedure: String, grade: Int, subject: String, task: String, level: String, name: String, percent: Double
        }
        var before: [[String]: [String]] = [:]
        let years = Array(Set(records.map(\.benchmark.work.year)))
        for row in try await rows(Row.self, table: "task_benchmarks", where: "year", in: years, equal: ["owner_region_id": owner]) {
            let level = BenchmarkLevel(rawValue: row.level)?.russianName ?? row.level
            before[work(year: row.year, procedure: row.procedure, grade: row.grade, subject: row.subject) + [row.task, level, row.name]] =
                [number(row.percent)]
        }
        let after = records.map(\.benchmark).map { mark in
            (key: work(mark.work) + [TaskSpec.key(mark.task), mark.level.russianName, mark.name], values: [number(mark.percent)])
        }
        return .compare(keyColumns: names(Self.workColumns + ["task", "level", "name"], kind), valueColumns: names(["percent"], kind),
                        before: before, after: after, cap: cap)
    }

    /// A specification is replaced whole: a stored task of a work the file names, that the file does not list, goes.
    func tasks(_ records: [TaskSpecRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        struct Row: Decodable {
            let year: Int, procedure: String, grade: Int, subject: String, task: String, max_points: Int
            let requirement: String?, block: String?, level: String
        }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "task_specs", where: "year", in: Array(Set(records.map(\.work.year)))) {
            before[work(year: row.year, procedure: row.procedure, grade: row.grade, subject: row.subject) + [row.task]] =
                [String(row.max_points), row.requirement ?? "", row.block ?? "", TaskLevel(rawValue: row.level)?.russianName ?? row.level]
        }
        let after = records.map { record in
            (key: work(record.work) + [TaskSpec.key(record.spec.task)],
             values: [String(record.spec.maxPoints), record.spec.requirement ?? "", record.spec.block ?? "", record.spec.level.russianName])
        }
        let works = Set(records.map { work($0.work) })
        return .compare(keyColumns: names(Self.workColumns + ["task"], kind),
                        valueColumns: names(["max_points", "requirement", "block", "level"], kind),
                        before: before, after: after, removes: { works.contains(Array($0.prefix(4))) }, cap: cap)
    }

    /// A work's scale is replaced whole (`TaskImporter.writeMarkScales`).
    func markScales(_ records: [MarkScaleRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        struct Row: Decodable { let year: Int, procedure: String, grade: Int, subject: String, mark: Int, min_primary: Int }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "mark_scales", where: "year", in: Array(Set(records.map(\.work.year)))) {
            before[work(year: row.year, procedure: row.procedure, grade: row.grade, subject: row.subject) + [String(row.mark)]] =
                [String(row.min_primary)]
        }
        let after = records.map { (key: work($0.work) + [String($0.mark)], values: [String($0.minPrimary)]) }
        let works = Set(records.map { work($0.work) })
        return .compare(keyColumns: names(Self.workColumns + ["mark"], kind), valueColumns: names(["min_primary"], kind),
                        before: before, after: after, removes: { works.contains(Array($0.prefix(4))) }, cap: cap)
    }

    func names(_ columns: [String], _ kind: ImportKind) -> [String] { columns.map { ImportColumnNames.russian($0, kind: kind) } }
}
