import FluentKit
import OporaDomain
import SQLKit

/// The schema history, in order. Never edit a released migration: add a new one, so that a database
/// created by an older version upgrades in place (Fluent records what ran in `_fluent_migrations`).
public enum OporaMigrations {
    public static var all: [any Migration] {
        [
            V001Registry(),
            V002Catalogues(),
            V003Accounts(),
            V004AuditLog(),
            V005Results(),
            V006Context(),
            V007IdentificationLists(),
            V008CriteriaSets(),
            V009ScoreGroups(),
        ]
    }
}

struct V001Registry: AsyncMigration {
    var name: String { "v001_registry" }

    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name")
            .create()
        try await database.schema("municipalities")
            .field("id", .int, .identifier(auto: true))
            .field("region_id", .int, .required, .references("regions", "id"))
            .field("name", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "region_id", "name")
            .create()
        try await database.schema("schools")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string)
            .field("number", .string)
            .field("municipality_id", .int, .required, .references("municipalities", "id"))
            .field("organisational_form", .string)
            .field("settlement", .string)
            .field("address", .string)
            .field("director", .string)
            .field("students", .int)
            .field("students_ovz", .int)
            .field("shifts", .int)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await (database as! any SQLDatabase).create(index: "schools_municipality_idx").on("schools").column("municipality_id").run()
        try await database.schema("academic_years")
            .field("id", .int, .identifier(auto: true))
            .field("start_year", .int, .required)
            .field("is_current", .bool, .required)
            .field("version", .int, .required)
            .unique(on: "start_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["academic_years", "schools", "municipalities", "regions"] { try await database.schema(table).delete() }
    }
}

struct V002Catalogues: AsyncMigration {
    var name: String { "v002_catalogues" }

    func prepare(on database: any Database) async throws {
        try await database.schema("subjects")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("aliases", .string, .required)
            .field("version", .int, .required)
            .unique(on: "code")
            .create()
        try await database.schema("procedures")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("short_name", .string, .required)
            .field("name", .string, .required)
            .field("version", .int, .required)
            .unique(on: "code")
            .create()
        for subject in SubjectCatalogue.standard {
            try await SubjectModel(code: subject.code, name: subject.name, aliases: subject.aliases).create(on: database)
        }
        for procedure in ProcedureCode.allCases {
            try await ProcedureModel(code: procedure.rawValue, shortName: procedure.russianShortName, name: procedure.russianFullName).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("procedures").delete()
        try await database.schema("subjects").delete()
    }
}

struct V003Accounts: AsyncMigration {
    var name: String { "v003_accounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("login", .string, .required)
            .field("full_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("region_id", .int, .references("regions", "id"))
            .field("municipality_id", .int, .references("municipalities", "id"))
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "login")
            .create()
        try await database.schema("user_schools")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .unique(on: "user_id", "school_id")
            .create()
        try await database.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("name", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["api_tokens", "user_schools", "users"] { try await database.schema(table).delete() }
    }
}

struct V004AuditLog: AsyncMigration {
    var name: String { "v004_audit_log" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("id", .int, .identifier(auto: true))
            .field("at", .datetime, .required)
            .field("user_id", .int)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .int)
            .field("summary", .string, .required)
            .field("changes", .string, .required)
            .field("region_id", .int)
            .field("municipality_id", .int)
            .field("school_id", .int)
            .create()
        try await (database as! any SQLDatabase).create(index: "audit_log_at_idx").on("audit_log").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}

struct V005Results: AsyncMigration {
    var name: String { "v005_results" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("results")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("participants", .int, .required)
            .field("m2", .int).field("m3", .int).field("m4", .int).field("m5", .int)
            .field("below_min", .int).field("high", .int).field("mean_score", .double)
            .field("lowered", .int).field("confirmed", .int).field("raised", .int)
            .unique(on: "year", "procedure", "grade", "subject", "school_id")
            .create()
        try await database.schema("scores")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("student", .string, .required)
            .field("class", .string).field("variant", .string)
            .field("primary_score", .double).field("score", .double)
            .field("mark", .int).field("term_mark", .int)
            .unique(on: "year", "procedure", "grade", "subject", "school_id", "student")
            .create()
        try await database.schema("thresholds")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("subject", .string, .required)
            // 0: every grade.
            .field("grade", .int, .required)
            .field("min_score", .double, .required)
            .field("high_score", .double)
            .unique(on: "year", "procedure", "subject", "grade")
            .create()
        try await database.schema("benchmarks")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("level", .string, .required)
            .field("name", .string, .required)
            .field("participants", .int)
            .field("success_rate", .double).field("quality_rate", .double).field("mean_mark", .double)
            .field("mean_score", .double).field("below_min_rate", .double)
            .unique(on: "year", "procedure", "grade", "subject", "level", "name")
            .create()
        try await sql.create(index: "results_school_idx").on("results").column("school_id").run()
        try await sql.create(index: "scores_school_idx").on("scores").column("school_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["benchmarks", "thresholds", "scores", "results"] { try await database.schema(table).delete() }
    }
}

struct V006Context: AsyncMigration {
    var name: String { "v006_context" }

    func prepare(on database: any Database) async throws {
        try await database.schema("context_values")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("indicator", .string, .required)
            .field("value_text", .string, .required)
            .field("value_number", .double)
            .unique(on: "year", "school_id", "indicator")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("context_values").delete()
    }
}

struct V007IdentificationLists: AsyncMigration {
    var name: String { "v007_identification_lists" }

    func prepare(on database: any Database) async throws {
        try await database.schema("identification_lists")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("region_id", .int)
            .field("municipality_id", .int)
            .field("scope_label", .string, .required)
            .field("criteria_name", .string, .required)
            .field("criteria_json", .string, .required)
            .field("order_number", .string, .required)
            .field("order_date", .date, .required)
            .field("approved_by", .string, .required)
            .field("approved_at", .datetime, .required)
            .create()
        try await database.schema("identification_list_entries")
            .field("id", .int, .identifier(auto: true))
            .field("list_id", .int, .required, .references("identification_lists", "id", onDelete: .cascade))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("explanation", .string, .required)
            .field("reasons_json", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("identification_list_entries").delete()
        try await database.schema("identification_lists").delete()
    }
}

struct V008CriteriaSets: AsyncMigration {
    var name: String { "v008_criteria_sets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("criteria_sets")
            .field("id", .int, .identifier(auto: true))
            .field("year", .int, .required)
            .field("region_id", .int)
            .field("municipality_id", .int)
            .field("version", .int, .required)
            .field("name", .string, .required)
            .field("body", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("criteria_sets").delete()
    }
}

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
        let sql = database as! any SQLDatabase
        try await sql.create(index: "score_groups_school_idx").on("score_groups").column("school_id").run()
        try await moveStudentRows(sql, database)
        try await sql.drop(index: "scores_school_idx").ifExists().run()
        try await database.schema("scores").delete()
    }

    struct ScoreRow: Decodable {
        let school_id: Int, year: Int, procedure: String, grade: Int, subject: String, student: String
        let `class`: String?, variant: String?, primary_score: Double?, score: Double?, mark: Int?, term_mark: Int?
    }

    func moveStudentRows(_ sql: any SQLDatabase, _ database: any Database) async throws {
        let rows = try await sql.raw("""
            SELECT school_id, year, procedure, grade, subject, student, class, variant, primary_score, score, mark, term_mark FROM scores ORDER BY id
            """).all(decoding: ScoreRow.self)
        guard !rows.isEmpty else { return }
        var groups: [ScoreGroupStore.StoredKey: ScoreGroup] = [:]
        var order: [ScoreGroupStore.StoredKey] = []
        for row in rows {
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            let key = ScoreGroupStore.StoredKey(schoolID: row.school_id, work: WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject))
            let student = StudentRow(student: row.student, className: row.class, variant: row.variant,
                                     result: StudentResult(mark: row.mark, termMark: row.term_mark, score: row.score, primaryScore: row.primary_score))
            if groups[key] == nil { order.append(key); groups[key] = ScoreGroup(work: key.work, school: "") }
            groups[key]!.rows.append(student)
        }
        _ = try await ScoreGroupStore(db: database).write(order.map { ($0.schoolID, groups[$0]!) })
    }

    func revert(on database: any Database) async throws {
        try await database.schema("score_group_rows").delete()
        try await database.schema("score_groups").delete()
    }
}
