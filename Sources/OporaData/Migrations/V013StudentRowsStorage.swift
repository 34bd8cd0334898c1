import FluentKit
import SQLKit

/// PostgreSQL: a group's students (a few kilobytes, already compact) are kept inline and uncompressed rather
/// than compressed into the TOAST table; compressing them was a quarter of PostgreSQL's work in a large import.
/// SQLite stores them as they are already.
struct V013StudentRowsStorage: AsyncMigration {
    var name: String { "v013_student_rows_storage" }

    func prepare(on database: any Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE score_group_rows SET (toast_tuple_target = 8160)").run()
        try await sql.raw("ALTER TABLE score_group_rows ALTER COLUMN rows SET STORAGE EXTERNAL").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE score_group_rows RESET (toast_tuple_target)").run()
        try await sql.raw("ALTER TABLE score_group_rows ALTER COLUMN rows SET STORAGE EXTENDED").run()
    }
}
