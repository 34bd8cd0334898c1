import FluentKit
import SQLKit

/// The outcome of each run of `opora check` (by the command or by `serve`'s daily run), so that the start page and
/// `/health` show the last one; and an index that lets the check find each record's creating audit row at once.
struct V036DatabaseChecks: AsyncMigration {
    var name: String { "v036_database_checks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("database_checks")
            .field("id", .int, .identifier(auto: true))
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime, .required)
            .field("ok", .bool, .required)
            .field("faults", .int, .required)
            // `serve` (the daily run) or `command` (`opora check`).
            .field("source", .string, .required)
            // The report as JSON (`DatabaseCheckReport`), at most 50 faults listed per check.
            .field("report", .string, .required)
            .create()
        let sql = database.sql
        try await sql.create(index: "database_checks_finished_idx").on("database_checks").column("finished_at").run()
        try await sql.create(index: "audit_log_entity_idx").on("audit_log").column("entity").column("entity_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "audit_log_entity_idx").run()
        try await database.schema("database_checks").delete()
    }
}
