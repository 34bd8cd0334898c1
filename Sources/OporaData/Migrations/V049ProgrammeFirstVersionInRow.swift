import FluentKit
import SQLKit

/// A new programme's first version lives in the programme's own row until a second version is added: who adopted
/// it, when, and the note («загружена из файла …»). A file of a million new programmes then writes a million rows,
/// not two million; `AmendmentModel.storeFirstVersions` moves it into `programme_amendments` before an amendment.
/// Programmes stored before keep their first version as a row (these columns stay empty).
struct V049ProgrammeFirstVersionInRow: AsyncMigration {
    var name: String { "v049_programme_first_version_in_row" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("programmes").field("adopted_note", .string).update()
        try await database.schema("programmes").field("adopted_by", .string).update()
        try await database.schema("programmes").field("adopted_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        // The first versions kept in rows become rows of their own again, standing for the passport and the roadmap as
        // they are (`''`), as the import wrote them before; run again after stopping halfway, it skips those written.
        try await database.sql.raw("""
            INSERT INTO programme_amendments (programme_id, number, order_number, order_date, note, passport_json, roadmap_json,
              created_by, created_at)
            SELECT id, 1, order_number, order_date, adopted_note, '', '', adopted_by, COALESCE(adopted_at, updated_at) FROM programmes
            WHERE adopted_by IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM programme_amendments a WHERE a.programme_id = programmes.id AND a.number = 1)
            """).run()
        for column in ["adopted_at", "adopted_by", "adopted_note"] {
            try await database.schema("programmes").deleteField(.string(column)).update()
        }
    }
}
