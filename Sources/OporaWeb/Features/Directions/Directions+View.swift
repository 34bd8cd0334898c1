import OporaData
import OporaDomain

enum DirectionsView {
    static func page(_ model: DirectionsPageModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Управленческие направления", context, active: .risks) {
            el("div", .class("toolbar")) { el("a", .href("/risks?year=\(model.year)")) { "← Матрица рисков" } }
            el("h1") { "Управленческие направления на \(model.year) год" }
            el("p", .class("lead")) {
                "Направление — название и факторы риска, которые решаются вместе. Школа попадает в список направления, если "
                "высоко оценила хотя бы один из его факторов: списки выводятся из профилей. Показаны: \(model.source)."
            }
            el("form", .class("row"), .method("get"), .action("/risks/directions")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            if model.inherited {
                el("div", .class("flash success")) { "Своих направлений на этот год нет: действуют показанные ниже." }
            }
            UI.refusal(model.echo, for: DirectionsPageModel.formAction)
            form(model, context)
            advanced(model, context)
            versions(model)
        }
    }

    static func form(_ model: DirectionsPageModel, _ context: PageContext) -> HTMLNode {
        let f = model.fields, errors = model.echo?.fieldErrors ?? [:], locked = !model.canEdit
        let rows = DirectionsForm.rowCount(f)
        return el("form", .class("panel criteria-form"), .method("post"), .action(DirectionsPageModel.formAction), .id("directions-form")) {
            Layout.csrfField(context.csrf)
            el("input", .type("hidden"), .name("year"), .value(String(model.year)))
            el("input", .type("hidden"), .name(DirectionsForm.rowsField), .value(String(rows)))
            el("p", .class("muted")) { "Чтобы убрать направление, очистите его строку; пустые строки внизу — для новых направлений." }
            (0..<rows).map { row in
                el("fieldset", .id("direction-\(row)")) {
                    el("legend") { "Направление \(row + 1)" }
                    el("div", .class("row")) {
                        UI.field("Код (латиницей)", name: DirectionsForm.codeField(row), value: f[DirectionsForm.codeField(row)] ?? "",
                                 error: errors[DirectionsForm.codeField(row)])
                        UI.field("Название", name: DirectionsForm.nameField(row), value: f[DirectionsForm.nameField(row)] ?? "",
                                 error: errors[DirectionsForm.nameField(row)])
                    }
                    CriteriaPageView.errorNote(DirectionsForm.factorsField(row), errors[DirectionsForm.factorsField(row)])
                    el("div", .class("criteria-grid")) {
                        model.factors.map { factor in
                            let name = DirectionsForm.factorField(row, factor.number)
                            return el("label", .class("criteria-check")) {
                                el("input", .type("checkbox"), .name(name), .value("1"), .when(f[name] != nil, Attr("checked", "checked")),
                                   .when(locked, Attr("disabled", "disabled")))
                                el("span") { "№ \(factor.number). \(factor.name)" }
                            }
                        }
                    }
                }
            }
            if model.canEdit { el("p") { el("button", .type("submit"), .id("directions-save")) { "Сохранить новую версию" } } }
        }
    }

    static func advanced(_ model: DirectionsPageModel, _ context: PageContext) -> HTMLNode {
        CriteriaPageView.yamlView(id: "directions-yaml",
                                  note: "Те же направления текстом (YAML или JSON: code, name, factors), "
                                      + "как в файле для «opora directions».",
                                  text: model.text, error: model.textError, action: "/risks/directions?year=\(model.year)",
                                  label: "Направления в YAML", canEdit: model.canEdit, context)
    }

    static func versions(_ model: DirectionsPageModel) -> HTMLNode {
        el("section") {
            el("h2") { "Версии" }
            el("table") {
                el("thead") { el("tr") { el("th", .class("num")) { "Версия" }; el("th") { "Кто" }; el("th") { "Когда" } } }
                el("tbody") {
                    if model.versions.isEmpty { UI.emptyRow(3, "Сохранённых версий нет") }
                    model.versions.map { version in
                        el("tr") {
                            el("td", .class("num")) { String(version.version) }
                            el("td") { version.createdBy }
                            el("td") { RussianFormat.dateTime(version.createdAt) }
                        }
                    }
                }
            }
        }
    }
}
