import FluentKit
import SQLKit

/// Optimistic locking: a row is saved only if its `version` is still the one the editor opened.
enum OptimisticLock {
    /// Increments the row's version if it equals `expected`; throws `.conflict` otherwise.
    /// Run inside the transaction that saves the row, so the row stays locked until commit.
    static func claim(table: String, id: Int, expected: Int, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.update(table)
            .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, id)
            .where("version", .equal, expected)
            .returning("id")
            .all()
        if rows.isEmpty {
            let exists = try await sql.select().column("id").from(table).where("id", .equal, id).first() != nil
            throw exists ? RepositoryError.conflict(entity: table) : RepositoryError.notFound(entity: entityName(table))
        }
    }

    /// What a user calls a row of `table`: a record deleted while its form was open is «Не найдено: школа», not the
    /// table's English name.
    static func entityName(_ table: String) -> String {
        let names = [
            SchoolModel.schema: "школа", RegionModel.schema: "регион", MunicipalityModel.schema: "муниципалитет",
            SubjectModel.schema: "предмет", ProcedureModel.schema: "процедура", PlanModel.schema: "программа",
            MeasureModel.schema: "мероприятие дорожной карты", DecisionModel.schema: "управленческое решение",
            CuratorAssignmentModel.schema: "назначение куратора", SupportForecastModel.schema: "прогноз поддержки",
            MentorPairModel.schema: "наставническая пара", SchoolProgrammeModel.schema: "программа школы",
            VisitModel.schema: "визит", MeasureReportModel.schema: "отчёт о мероприятии",
            IndicatorReadingModel.schema: "значение показателя",
        ]
        return names[table] ?? "запись"
    }
}
