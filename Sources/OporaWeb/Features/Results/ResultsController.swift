import Fluent
import OporaData
import OporaDomain
import Vapor

struct ResultsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("results", use: explorer)
        routes.get("results", "objectivity", use: objectivity)
        for format in TableExport.Format.allCases {
            routes.get("results", "export.\(format.rawValue)") { try await export($0, format: format) }
            routes.get("schools", ":id", "results.\(format.rawValue)") { try await schoolExport($0, format: format) }
            routes.get("results", "objectivity", "export.\(format.rawValue)") { req async throws -> Response in
                let model = try await ObjectivityModel.build(req)
                func number(_ value: Double?) -> SheetCell { value.map { .number(($0 * 100).rounded() / 100) } ?? .empty }
                let rows: [[SheetCell]] =
                    [
                        [
                            "Школа", "Сравнено работ", "Понизили, %", "Подтвердили, %", "Повысили, %", "Успеваемость ВПР, %",
                            "Успеваемость ОГЭ, %",
                        ].map(SheetCell.text)
                    ]
                    + model.rows.map {
                        [
                            .text($0.school), .number(Double($0.compared)), number($0.lowered), number($0.confirmed), number($0.raised),
                            number($0.vprSuccess), number($0.ogeSuccess),
                        ]
                    }
                return try TableExport.response(rows, format: format, name: "objectivity-\(model.year ?? 0)", sheet: "Объективность")
            }
        }
        routes.get("schools", ":id", "results", use: school)
    }

    @Sendable func explorer(_ req: Request) async throws -> HTMLNode {
        ResultsView.explorer(try await req.cachedModel(ResultsExplorerModel.build), try req.pageContext())
    }

    @Sendable func objectivity(_ req: Request) async throws -> HTMLNode {
        ResultsView.objectivity(try await req.cachedModel(ObjectivityModel.build), try req.pageContext())
    }

    @Sendable func school(_ req: Request) async throws -> HTMLNode {
        ResultsView.school(
            try await req.cachedModel { try await SchoolResultsModel.build($0, id: try $0.intParameter("id")) }, try req.pageContext())
    }

    func export(_ req: Request, format: TableExport.Format) async throws -> Response {
        let model = try await ResultsExplorerModel.build(req)
        let name = model.selected.map { "results-\($0.year)-\($0.procedure.rawValue)-\($0.grade)-\($0.subject)" } ?? "results"
        return try TableExport.response(model.exportRows(), format: format, name: name, sheet: "Результаты")
    }

    func schoolExport(_ req: Request, format: TableExport.Format) async throws -> Response {
        let model = try await SchoolResultsModel.build(req, id: try req.intParameter("id"))
        func number(_ value: Double?) -> SheetCell { value.map { .number(($0 * 100).rounded() / 100) } ?? .empty }
        var rows: [[SheetCell]] = [
            [
                "Год", "Процедура", "Класс", "Предмет", "Участников", "Успеваемость, %", "Качество, %", "Средняя отметка",
                "СОУ, %", "Ниже порога, %", "Средний балл", "Подтвердили, %",
            ].map(SheetCell.text)
        ]
        for line in model.lines {
            for year in model.years {
                guard let result = line.byYear[year] else { continue }
                let m = result.metrics()
                rows.append([
                    .number(Double(year)), .text(line.procedure.russianShortName), .number(Double(line.grade)),
                    .text(model.subjects[line.subject] ?? line.subject), .number(Double(m.participants)), number(m.successRate),
                    number(m.qualityRate), number(m.meanMark), number(m.sou), number(m.belowMinRate), number(m.meanScore),
                    number(m.confirmedRate),
                ])
            }
        }
        return try TableExport.response(rows, format: format, name: "school-\(model.school.code)-results", sheet: "Результаты")
    }
}
