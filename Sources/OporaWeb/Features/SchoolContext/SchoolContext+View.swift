import OporaData
import OporaDomain

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
