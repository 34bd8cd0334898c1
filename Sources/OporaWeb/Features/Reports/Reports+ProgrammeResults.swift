import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Итоги программы» on «Отчёты»: for a programme whose whole territory the user sees (the document names every
/// school of it), never for a school's user.
extension ReportsView {
    static func programmeResults(_ model: ReportsModel) -> HTMLNode {
        guard model.canAppendix, !model.shapes.programmes.isEmpty else { return .empty }
        let years = model.years.sorted()
        return el("section", .class("panel"), .id("programme-results")) {
            el("h2") { "Итоги программы" }
            el("p", .class("muted")) {
                "Результаты школ на начало и итог, эффект поддержки против сопоставимых школ с 95 % интервалом, исполнение "
                    + "дорожной карты, баллы показателей."
            }
            el("form", .class("row"), .method("get"), .action("/reports/programme-results")) {
                UI.select("Программа", name: "programme", options: model.shapes.programmes.map { (String($0.id), $0.name) },
                          selected: nil, required: true)
                UI.select("С года", name: "from", options: years.map { (String($0), String($0)) }, selected: years.first.map(String.init))
                UI.select("По год", name: "to", options: years.map { (String($0), String($0)) }, selected: years.last.map(String.init))
                UI.select("Формат", name: "format", options: ReportFormat.allCases.map { ($0.rawValue, $0.rawValue.uppercased()) },
                          selected: "docx")
                el("button", .type("submit")) { "Скачать" }
            }
        }
    }
}

extension ReportsController {
    func registerProgrammeResults(_ routes: any RoutesBuilder) {
        routes.get("reports", "programme-results", use: programmeResults)
    }

    /// 404 for a programme outside the scope, or whose territory is wider than the user's.
    @Sendable func programmeResults(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ReportsModel.canAppendix(user), let id = try req.queryInt("programme", in: InputRange.id, "программа"),
            let plan = try await PlanRepository(db: req.db).programme(id, scope: user.scope)
        else { throw Abort(.notFound, reason: "Программа не найдена") }
        let builder = req.reportBuilder
        let territory = try await builder.scope(of: plan).scope
        let held = Set(try await ScopeQueries.municipalities(user.scope, on: req.db).all(\.$id))
        let allowed: Bool
        switch territory {
        case .municipality(let municipality): allowed = held.contains(municipality)
        case .region(let region): allowed = user.scope == .everything || user.scope == .region(region)
        default: allowed = user.scope == .everything
        }
        guard allowed else { throw Abort(.notFound, reason: "Программа не найдена") }
        guard let from = try req.queryInt("from", in: InputRange.year, "с года"),
            let to = try req.queryInt("to", in: InputRange.year, "по год")
        else { throw Abort(.badRequest, reason: "Укажите годы начала и итога") }
        guard from < to else { throw Abort(.badRequest, reason: "Год итога должен быть позже года начала") }
        let document = try await req.signed(try await builder.programmeResults(plan, from: from, to: to))
        let name = TableExport.fileName(["programme-results", plan.code, "\(from)-\(to)"])
        return try respond(document, format: try format(req), name: name)
    }
}
