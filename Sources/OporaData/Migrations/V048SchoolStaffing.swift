import FluentKit
import SQLKit

/// Table 23 as one row per school and year (issue 18): its seven specialties' staff and part-timers and its vacancies,
/// instead of a row per specialty in `school_specialists` and another in `school_vacancies`. A `specialists` file
/// of a million lines stored four million rows, each a search in a unique index; now it stores a million.
/// A count left empty in the file stays NULL (the school has no such line), as an absent row did before.
struct V048SchoolStaffing: AsyncMigration {
    var name: String { "v048_school_staffing" }

    /// The specialties as `school_specialists.specialty` stored them, in Table 23's order (frozen here).
    static let specialties = ["social_pedagogue", "tutor", "psychologist", "speech_therapist", "defectologist", "organiser",
                              "additional_education"]

    func prepare(on database: any Database) async throws {
        var table = database.schema("school_staffing")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
        for specialty in Self.specialties {
            table = table.field(FieldKey(stringLiteral: "\(specialty)_staff"), .int)
                .field(FieldKey(stringLiteral: "\(specialty)_part_time"), .int)
        }
        try await table.field("vacancies", .int).unique(on: "school_id", "year").create()

        let counts = Self.specialties.map { specialty in
            """
            MAX(CASE WHEN x.specialty = '\(specialty)' THEN x.staff END),
            MAX(CASE WHEN x.specialty = '\(specialty)' THEN x.part_time END)
            """
        }.joined(separator: ",\n")
        let columns = Self.specialties.flatMap { ["\($0)_staff", "\($0)_part_time"] }.joined(separator: ", ")
        try await database.sql.raw("""
            INSERT INTO school_staffing (school_id, year, \(unsafeRaw: columns), vacancies)
            SELECT k.school_id, k.year, \(unsafeRaw: counts),
                   (SELECT MAX(v.vacancies) FROM school_vacancies v WHERE v.school_id = k.school_id AND v.year = k.year)
            FROM (SELECT school_id, year FROM school_specialists UNION SELECT school_id, year FROM school_vacancies) k
            LEFT JOIN school_specialists x ON x.school_id = k.school_id AND x.year = k.year
            GROUP BY k.school_id, k.year
            ORDER BY k.school_id, k.year
            """).run()
        try await database.schema("school_specialists").delete()
        try await database.schema("school_vacancies").delete()
    }

    func revert(on database: any Database) async throws {
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
        for specialty in Self.specialties {
            try await database.sql.raw("""
                INSERT INTO school_specialists (school_id, year, specialty, staff, part_time)
                SELECT school_id, year, '\(unsafeRaw: specialty)', \(unsafeRaw: specialty)_staff, \
                COALESCE(\(unsafeRaw: specialty)_part_time, 0)
                FROM school_staffing WHERE \(unsafeRaw: specialty)_staff IS NOT NULL
                """).run()
        }
        try await database.sql.raw("""
            INSERT INTO school_vacancies (school_id, year, vacancies)
            SELECT school_id, year, vacancies FROM school_staffing WHERE vacancies IS NOT NULL
            """).run()
        try await database.schema("school_staffing").delete()
    }
}
