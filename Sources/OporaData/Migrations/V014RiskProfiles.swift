import FluentKit
import SQLKit

/// The risk factor catalogue (names editable, numbers fixed) and the ratings of school risk profiles, one
/// per school × year × factor, as they were when this migration was released.
struct V014RiskProfiles: AsyncMigration {
    var name: String { "v014_risk_profiles" }

    static let factors: [(number: Int, name: String)] = [
        (1, "Низкий уровень оснащения школы"),
        (2, "Дефицит педагогических кадров"),
        (3, "Недостаточная предметная и методическая компетентность педагогических работников"),
        (4, "Риски низкой адаптивности учебного процесса"),
        (5, "Несформированность внутришкольной системы повышения квалификации"),
        (6, "Высокая доля обучающихся с рисками учебной неуспешности"),
        (7, "Высокая доля обучающихся с ОВЗ"),
        (8, "Низкое качество преодоления языковых и культурных барьеров"),
        (9, "Пониженный уровень качества школьной образовательной и воспитательной среды"),
        (10, "Низкий уровень вовлечённости родителей"),
        (11, "Низкая учебная мотивация обучающихся"),
        (12, "Низкий уровень дисциплины в классе"),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("risk_factors")
            .field("number", .int, .identifier(auto: false))
            .field("name", .string, .required)
            .field("version", .int, .required)
            .create()
        try await database.schema("risk_ratings")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("factor", .int, .required, .references("risk_factors", "number"))
            .field("level", .string, .required)
            .field("source", .string)
            .field("comment", .string)
            .unique(on: "year", "school_id", "factor")
            .create()
        let sql = database.sql
        for factor in Self.factors {
            try await sql.insert(into: "risk_factors").columns("number", "name", "version")
                .values(SQLBind(factor.number), SQLBind(factor.name), SQLBind(1)).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("risk_ratings").delete()
        try await database.schema("risk_factors").delete()
    }
}
