import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Student rows move from one database row each (`scores`) to one row per school × work (`score_groups`),
/// with the group's counts beside them: see docs/DECISIONS.md, "Student rows".
struct V009ScoreGroups: AsyncMigration {
    var name: String { "v009_score_groups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("score_groups")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("students", .int, .required)
            .field("participants", .int, .required)
            .field("m2", .int).field("m3", .int).field("m4", .int).field("m5", .int)
            .field("below_min", .int).field("high", .int).field("mean_score", .double)
            .field("lowered", .int).field("confirmed", .int).field("raised", .int)
            .unique(on: "year", "procedure", "grade", "subject", "school_id")
            .create()
        // The rows live apart from the counts, so that reading a region's counts reads small pages only.
        try await database.schema("score_group_rows")
            .field("group_id", .int, .identifier(auto: false), .references("score_groups", "id", onDelete: .cascade))
            .field("rows", .data, .required)
            .create()
        let sql = database.sql
        try await sql.create(index: "score_groups_school_idx").on("score_groups").column("school_id").run()
        try await moveStudentRows(sql, database)
        try await sql.drop(index: "scores_school_idx").ifExists().run()
        try await database.schema("scores").delete()
    }

    struct ScoreRow: Decodable {
        let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, student: String
        let `class`: String?, variant: String?, primary_score: Double?, score: Double?, mark: Int?, term_mark: Int?
    }

    struct ThresholdRow: Decodable {
        let year: Int; let procedure: String; let subject: String; let grade: Int; let min_score: Double; let high_score: Double?
    }

    struct GroupKey: Hashable { let school: Int; let year: Int; let procedure: String; let grade: Int; let subject: String }

    /// Counts each old group with the domain's accumulator and writes it with this migration's own SQL,
    /// so that the migration keeps meaning what it meant when it was released, whatever the models become.
    func moveStudentRows(_ sql: any SQLDatabase, _ database: any Database) async throws {
        let rows = try await sql.raw("""
            SELECT school_id, year, procedure, grade, subject, student, class, variant, primary_score, score, mark, term_mark FROM scores \
            ORDER BY id
            """).all(decoding: ScoreRow.self)
        guard !rows.isEmpty else { return }
        var thresholds: [ThresholdTable.Key: ScoreThreshold] = [:]
        for row in try await sql.raw("SELECT year, procedure, subject, grade, min_score, high_score FROM thresholds").all(
            decoding: ThresholdRow.self)
        {
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            thresholds[.init(year: row.year, procedure: procedure, subject: row.subject, grade: row.grade)] = ScoreThreshold(
                minScore: row.min_score, highScore: row.high_score)
        }
        let table = ThresholdTable(thresholds)
        var groups: [GroupKey: [StudentRow]] = [:]
        var order: [GroupKey] = []
        for row in rows {
            let key = GroupKey(school: row.school_id, year: row.year, procedure: row.procedure, grade: row.grade, subject: row.subject)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(
                StudentRow(
                    student: row.student, className: row.class, variant: row.variant,
                    result: StudentResult(mark: row.mark, termMark: row.term_mark, score: row.score, primaryScore: row.primary_score)))
        }
        struct IDRow: Decodable { let id: Int }
        for key in order {
            guard let procedure = ProcedureCode(rawValue: key.procedure), let students = groups[key] else { continue }
            let work = WorkKey(year: key.year, procedure: procedure, grade: key.grade, subject: key.subject)
            let c = ScoreGroup.counts(students, work: work, threshold: table.threshold(for: work))
            let id = try await sql.raw("""
                INSERT INTO score_groups (school_id, year, procedure, grade, subject, students, participants, m2, m3, m4, m5,
                  below_min, high, mean_score, lowered, confirmed, raised)
                VALUES (\(bind: key.school), \(bind: key.year), \(bind: key.procedure), \(bind: key.grade), \(bind: key.subject),
                  \(bind: students.count), \(bind: c.participants), \(bind: c.m2), \(bind: c.m3), \(bind: c.m4), \(bind: c.m5),
                  \(bind: c.belowMin), \(bind: c.high), \(bind: c.meanScore), \(bind: c.lowered), \(bind: c.confirmed), \(bind: c.raised))
                RETURNING id
                """).first(decoding: IDRow.self)
            guard let id else { continue }
            try await sql.raw(
                "INSERT INTO score_group_rows (group_id, rows) VALUES (\(bind: id.id), \(bind: Data(StudentRowsCodec.encode(students))))"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("score_group_rows").delete()
        try await database.schema("score_groups").delete()
    }
}
