import FluentKit
import SQLKit

/// Comparison figures belong to the region that imported them (0: to every region, imported by an analyst
/// of the whole installation), so that one region's import is not what another region compares with.
/// SQLite cannot change a unique constraint in place: the table is rebuilt with the owner in its key.
struct V012BenchmarkOwners: AsyncMigration {
    var name: String { "v012_benchmark_owners" }

    func prepare(on database: any Database) async throws {
        try await database.schema("benchmarks_owned")
            .field("id", .int, .identifier(auto: true))
            .field("owner_region_id", .int, .required)
            .field("year", .int, .required)
            .field("procedure", .string, .required)
            .field("grade", .int, .required)
            .field("subject", .string, .required)
            .field("level", .string, .required)
            .field("name", .string, .required)
            .field("participants", .int)
            .field("success_rate", .double).field("quality_rate", .double).field("mean_mark", .double)
            .field("mean_score", .double).field("below_min_rate", .double)
            .unique(on: "owner_region_id", "year", "procedure", "grade", "subject", "level", "name")
            .create()
        let sql = database.sql
        try await sql.raw("""
            INSERT INTO benchmarks_owned (owner_region_id, year, procedure, grade, subject, level, name, participants,
              success_rate, quality_rate, mean_mark, mean_score, below_min_rate)
            SELECT 0, year, procedure, grade, subject, level, name, participants, success_rate, quality_rate, mean_mark, mean_score, \
            below_min_rate
            FROM benchmarks
            """).run()
        try await database.schema("benchmarks").delete()
        try await sql.raw("ALTER TABLE benchmarks_owned RENAME TO benchmarks").run()
    }

    func revert(on database: any Database) async throws {
        throw MigrationNotReversible(name: name)
    }
}

struct MigrationNotReversible: Error, CustomStringConvertible {
    let name: String
    var description: String { "Миграцию \(name) нельзя отменить: восстановите базу из резервной копии" }
}
