import FluentKit
import SQLKit

/// A school's pedagogical staff per year (coded persons or counts: categories, attestation, courses, deficits,
/// ИОМ) and its specialists and vacancies as in seed 004's Table 23.
struct V022StaffRecords: AsyncMigration {
    var name: String { "v022_staff_records" }

    func prepare(on database: any Database) async throws {
        try await database.schema("staff_records")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("position", .string, .required)
            .field("participants", .int, .required)
            .field("person", .string)
            .field("category", .string)
            .field("attested_on", .string)
            .field("course_hours", .double)
            .field("course_topic", .string)
            .field("course_provider", .string)
            .field("deficit", .string)
            .field("route", .string)
            .create()
        try await database.schema("school_specialists")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("specialty", .string, .required)
            .field("staff", .int, .required)
            .field("part_time", .int, .required)
            .unique(on: "school_id", "year", "specialty")
            .create()
        try await database.schema("school_vacancies")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("vacancies", .int, .required)
            .unique(on: "school_id", "year")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "staff_records_school_year").on("staff_records").column("school_id").column("year").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["school_vacancies", "school_specialists", "staff_records"] { try await database.schema(table).delete() }
    }
}
