import FluentKit
import SQLKit

/// The version of the stored data (issue 24): one row the data layer bumps in the same transaction as every write,
/// so a page cache keyed on it is refreshed by any change — audited or not, from this server or another process.
struct V047DataVersion: AsyncMigration {
    var name: String { "v047_data_version" }

    func prepare(on database: any Database) async throws {
        try await database.schema("data_version")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int64, .required)
            .create()
        try await database.sql.raw("INSERT INTO data_version (id, version) VALUES (1, 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("data_version").delete()
    }
}
