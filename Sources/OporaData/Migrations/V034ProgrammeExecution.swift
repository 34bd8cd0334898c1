import FluentKit
import SQLKit

/// School programmes carried out (docs/EXITS.md): per measure of an approved programme its status, completion date,
/// evidence and comment (one row per measure, keyed by the measure's stable id, with a version for optimistic
/// locking); per indicator its value at each monitoring phase, with who entered it and when.
struct V034ProgrammeExecution: AsyncMigration {
    var name: String { "v034_programme_execution" }

    func prepare(on database: any Database) async throws {
        try await database.schema("programme_measure_reports")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("school_programmes", "id", onDelete: .cascade))
            .field("measure_key", .string, .required)
            .field("status", .string, .required)
            // `YYYY-MM-DD`: a calendar day, never shifted by a time zone.
            .field("done_on", .string)
            .field("evidence", .string, .required)
            .field("comment", .string, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "programme_id", "measure_key")
            .create()
        try await database.schema("programme_indicator_readings")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("school_programmes", "id", onDelete: .cascade))
            .field("indicator_key", .string, .required)
            .field("phase", .string, .required)
            .field("value", .double, .required)
            .field("version", .int, .required)
            .field("entered_by", .string, .required)
            .field("entered_at", .datetime, .required)
            .unique(on: "programme_id", "indicator_key", "phase")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("programme_indicator_readings").delete()
        try await database.schema("programme_measure_reports").delete()
    }
}
