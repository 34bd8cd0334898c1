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
            let action = self.action(model), echo = model.echo
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                model.rows.map { row in
                    let name = "v_\(row.code)", error = echo.error(name, for: action)
                    return el("label", Attr("class", error != nil ? "field invalid" : nil)) {
                        el("span") { row.label }
                        el("input", .name(name), .value(echo.value(name, for: action, stored: row.value ?? "")),
                           .when(!model.canEdit, Attr("readonly", "")), Attr("aria-invalid", error != nil ? "true" : nil),
                           Attr("aria-describedby", error != nil ? "\(name)-note" : nil),
                           Attr("autofocus", error != nil ? "autofocus" : nil))
                        if let error { el("small", .class("field-error"), .id("\(name)-note")) { error } }
                    }
                }
                if model.canEdit {
                    UI.field("Новый показатель: код", name: "new_code", value: echo.value("new_code", for: action, stored: ""),
                             hint: "латиницей, например teachers_highest", error: echo.error("new_code", for: action))
                    UI.field("Новый показатель: значение", name: "new_value", value: echo.value("new_value", for: action, stored: ""),
                             error: echo.error("new_value", for: action))
                    el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить" } }
                }
            }
        }
    }

    static func action(_ model: SchoolContextModel) -> String { "/schools/\(model.school.id!)/context?year=\(model.year)" }
}
