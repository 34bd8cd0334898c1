import Fluent
import OporaData
import OporaDomain
import Vapor

/// The shapes the seeds file (issue 19, point 8) on «Отчёты»: ЕГЭ score bands and ОГЭ marks per school for a
/// municipality the scope holds whole, Table 13 of each programme the scope reads.
struct ReportShapesModel: Sendable {
    var egeSubjects: [(code: String, name: String)] = []
    var ogeSubjects: [(code: String, name: String)] = []
    var programmes: [(id: Int, name: String)] = []

    static func build(_ req: Request, user: CurrentUser) async throws -> ReportShapesModel {
        let works = try await req.derived.availableWorks(scope: user.scope)
        let names = Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: req.db).all().map { ($0.code, $0.name) })
        func subjects(_ procedure: ProcedureCode) -> [(code: String, name: String)] {
            Set(works.filter { $0.procedure == procedure }.map(\.subject)).map { ($0, names[$0] ?? $0) }.sorted { $0.name < $1.name }
        }
        let programmes = try await PlanRepository(db: req.db).programmes(user.scope).map { ($0.id!, "\($0.code) — \($0.name)") }
        return ReportShapesModel(egeSubjects: subjects(.ege), ogeSubjects: subjects(.oge), programmes: programmes)
    }
}

extension ReportsView {
    static func shapes(_ model: ReportsModel) -> HTMLNode {
        let exams = !model.municipalities.isEmpty && !(model.shapes.egeSubjects.isEmpty && model.shapes.ogeSubjects.isEmpty)
        guard exams || !model.shapes.programmes.isEmpty else { return .empty }
        return el("section", .class("panel"), .id("exam-shapes")) {
            el("h2") { "Формы таблиц: ЕГЭ по интервалам баллов, ОГЭ по отметкам, регламент сбора" }
            if !model.municipalities.isEmpty && !model.shapes.egeSubjects.isEmpty {
                el("p", .class("muted")) { "ЕГЭ: число участников каждой школы в интервалах 0–23, 24–39 … 100, средний балл и итог." }
                examForm("/reports/ege-bands", model, subjects: model.shapes.egeSubjects)
            }
            if !model.municipalities.isEmpty && !model.shapes.ogeSubjects.isEmpty {
                el("p", .class("muted")) { "ОГЭ: число «2», «3», «4», «5» и не преодолевших порог по школам, средняя отметка и итог." }
                examForm("/reports/oge-marks", model, subjects: model.shapes.ogeSubjects)
            }
            if !model.shapes.programmes.isEmpty {
                el("p", .class("muted")) { "Регламент сбора отчётных данных программы (таблица 13): показатели, месяцы, источник." }
                el("form", .class("row"), .method("get"), .action("/reports/schedule")) {
                    UI.select("Программа", name: "programme", options: model.shapes.programmes.map { (String($0.id), $0.name) },
                              selected: nil, required: true)
                    UI.select("Формат", name: "format", options: ReportFormat.allCases.map { ($0.rawValue, $0.rawValue.uppercased()) },
                              selected: "docx")
                    el("button", .type("submit")) { "Скачать" }
                }
            }
        }
    }

    static func examForm(_ action: String, _ model: ReportsModel, subjects: [(code: String, name: String)]) -> HTMLNode {
        form(action, model) {
            UI.select("Муниципалитет", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) },
                      selected: nil, required: true)
            UI.select("Предмет", name: "subject", options: subjects.map { ($0.code, $0.name) }, selected: nil, required: true)
        }
    }
}

extension ReportsController {
    func registerShapes(_ routes: any RoutesBuilder) {
        routes.get("reports", "ege-bands", use: egeBands)
        routes.get("reports", "oge-marks", use: ogeMarks)
        routes.get("reports", "schedule", use: schedule)
    }

    /// The municipality of the query if the scope holds it whole (404 otherwise, as for the note), and the subject.
    func examQuery(_ req: Request) async throws -> (municipality: Int, subject: String, year: Int, format: ReportFormat) {
        let user = try req.user
        guard let id = try req.queryInt("municipality", in: InputRange.id, "муниципалитет") else {
            throw Abort(.badRequest, reason: "Не указан муниципалитет")
        }
        guard try await ReportsModel.noteMunicipalities(req, user: user).contains(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Муниципалитет не найден")
        }
        let text = (try? req.query.get(String.self, at: "subject")) ?? ""
        guard !text.isEmpty, text.count <= 100, let subject = try await ReportBuilder(db: req.db).subjectCode(text) else {
            throw Abort(.badRequest, reason: "Не указан или не найден предмет")
        }
        return (id, subject, try year(req), try format(req))
    }

    @Sendable func egeBands(_ req: Request) async throws -> Response {
        let query = try await examQuery(req)
        let document = try await ReportBuilder(db: req.db).egeBands(year: query.year, municipalityID: query.municipality,
                                                                    subject: query.subject)
        let name = TableExport.fileName(["ege-bands", String(query.municipality), query.subject, String(query.year)])
        return try respond(document, format: query.format, name: name)
    }

    @Sendable func ogeMarks(_ req: Request) async throws -> Response {
        let query = try await examQuery(req)
        let document = try await ReportBuilder(db: req.db).ogeMarks(year: query.year, municipalityID: query.municipality,
                                                                    subject: query.subject)
        let name = TableExport.fileName(["oge-marks", String(query.municipality), query.subject, String(query.year)])
        return try respond(document, format: query.format, name: name)
    }

    /// A programme's Table 13: only a programme the scope reads (404 otherwise).
    @Sendable func schedule(_ req: Request) async throws -> Response {
        let user = try req.user
        guard let id = try req.queryInt("programme", in: InputRange.id, "программа") else {
            throw Abort(.badRequest, reason: "Не указана программа")
        }
        guard let plan = try await PlanRepository(db: req.db).programme(id, scope: user.scope) else {
            throw Abort(.notFound, reason: "Программа не найдена")
        }
        let document = try await ReportBuilder(db: req.db).collectionSchedule(plan)
        return try respond(document, format: try format(req), name: TableExport.fileName(["schedule", plan.code]))
    }
}
