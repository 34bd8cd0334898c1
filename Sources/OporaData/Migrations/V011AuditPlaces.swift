import FluentKit
import SQLKit

/// Entries written before every audited change carried its whole place: the municipality's region (and a
/// school's municipality and region) are filled in, so that a regional analyst sees municipal changes.
struct V011AuditPlaces: AsyncMigration {
    var name: String { "v011_audit_places" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("""
            UPDATE audit_log SET municipality_id = (SELECT s.municipality_id FROM schools s WHERE s.id = audit_log.school_id)
            WHERE municipality_id IS NULL AND school_id IS NOT NULL
            """).run()
        try await sql.raw("""
            UPDATE audit_log SET region_id = (SELECT m.region_id FROM municipalities m WHERE m.id = audit_log.municipality_id)
            WHERE region_id IS NULL AND municipality_id IS NOT NULL
            """).run()
        try await sql.create(index: "audit_log_region_idx").on("audit_log").column("region_id").run()
        try await sql.create(index: "audit_log_municipality_idx").on("audit_log").column("municipality_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "audit_log_municipality_idx").run()
        try await database.sql.drop(index: "audit_log_region_idx").run()
    }
}
