import FluentKit

/// A programme's yearly forecast figures for the support it promises (seed 002's plan-schedule: «10 команд
/// (60 человек)», partner schools, support points, schools consulted).
struct V023SupportForecasts: AsyncMigration {
    var name: String { "v023_support_forecasts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("support_forecasts")
            .field("id", .int, .identifier(auto: true))
            .field("programme_id", .int, .required, .references("programmes", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("teams", .int)
            .field("people", .int)
            .field("pairs", .int)
            .field("points", .int)
            .field("consulted", .int)
            .field("version", .int, .required)
            .unique(on: "programme_id", "year")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("support_forecasts").delete() }
}
