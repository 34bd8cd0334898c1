import Fluent
import OporaData
import OporaDomain
import Vapor

/// Context data of one school in one year (social passport, ИСБШ and quality groups, user indicators), editable.
struct SchoolContextModel {
    struct Row { let code: String; let label: String; let value: String? }

    static let standard: [(code: String, label: String)] = [
        ("isbs_group", "Группа ИСБШ (1–11)"), ("quality_group", "Группа качества (1–11)"), ("cluster", "Кластер"),
        ("single_parent", "Доля обучающихся из неполных семей, %"), ("parents_higher_ed", "Доля родителей с высшим образованием, %"),
        ("parents_unemployed", "Доля неработающих родителей, %"), ("deviant_registered", "Доля состоящих на учёте, %"),
        ("non_native_russian", "Доля неносителей русского языка, %"), ("ovz_share", "Доля обучающихся с ОВЗ, %"),
    ]

    let school: SchoolModel
    let year: Int
    let rows: [Row]
    let canEdit: Bool

    static func build(_ req: Request, id: Int) async throws -> SchoolContextModel {
        let user = try req.user
        let school = try await req.schoolInScope(id)
        let repository = IdentificationRepository(db: req.db)
        let latest = try await repository.latestContextYear()
        let year = (try? req.query.get(Int.self, at: "year")) ?? latest ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let values = try await repository.context(year: year)[id] ?? [:]
        var rows = standard.map { Row(code: $0.code, label: $0.label, value: values[$0.code]?.text) }
        for (code, value) in values.sorted(by: { $0.key < $1.key }) where !standard.contains(where: { $0.code == code }) {
            rows.append(Row(code: code, label: code, value: value.text))
        }
        return SchoolContextModel(school: school, year: year, rows: rows, canEdit: user.role.canEditSchools)
    }
}

enum SchoolContextView {
    static func page(_ model: SchoolContextModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Контекст: \(model.school.displayName)", context, active: .schools) {
            el("div", .class("toolbar")) { el("a", .href("/schools/\(model.school.id!)")) { "← Карточка школы" } }
            el("h1") { "Контекстные данные, \(model.year) год" }
            el("p", .class("lead")) { model.school.name }
            el("form", .class("row"), .method("get"), .action("/schools/\(model.school.id!)/context")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            el("form", .class("stack"), .method("post"), .action("/schools/\(model.school.id!)/context?year=\(model.year)")) {
                Layout.csrfField(context.csrf)
                model.rows.map { row in
                    el("label") {
                        el("span") { row.label }
                        el("input", .name("v_\(row.code)"), .value(row.value), .when(!model.canEdit, Attr("readonly", "")))
                    }
                }
                if model.canEdit {
                    UI.field("Новый показатель: код", name: "new_code", value: nil, hint: "латиницей, например teachers_highest")
                    UI.field("Новый показатель: значение", name: "new_value", value: nil)
                    el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить" } }
                }
            }
        }
    }
}

struct SchoolContextController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("schools", ":id", "context") { req async throws -> HTMLNode in
            SchoolContextView.page(try await SchoolContextModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("schools", ":id", "context", use: save)
    }

    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try req.require(\.canEditSchools)
        let id = try req.intParameter("id")
        let school = try await req.schoolInScope(id)
        guard let year = try? req.query.get(Int.self, at: "year") else { throw Abort(.badRequest, reason: "Не указан год") }
        let form = try req.content.decode([String: String].self)
        // The form becomes a `context` file, so the same checks and messages apply as to an import.
        var lines = ["year,school,indicator,value"]
        let cell = { (text: String) in CSVText.cell(text) }
        for (key, value) in form.sorted(by: { $0.key < $1.key }) where key.hasPrefix("v_") {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            lines.append([String(year), cell(school.code), cell(String(key.dropFirst(2))), cell(trimmed)].joined(separator: ","))
        }
        if let code = form["new_code"].cleaned, let value = form["new_value"].cleaned {
            lines.append([String(year), cell(school.code), cell(code), cell(value)].joined(separator: ","))
        }
        let back = "/schools/\(id)/context?year=\(year)"
        guard lines.count > 1 else { return req.redirect(to: back, flash: .error, "Нечего сохранять") }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.context, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "форма")
            return req.redirect(to: back, flash: .success, "Сохранено")
        } catch let rejected as ImportRejected {
            return req.redirect(to: back, flash: .error, rejected.errors.map { "\($0.column): \($0.message)" }.joined(separator: "; "))
        }
    }
}
