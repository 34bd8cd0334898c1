import FluentKit
import SQLKit

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
        try await database.sql.create(index: "audit_log_at_idx").on("audit_log").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
