import OporaData
import OporaDomain

enum RegistryView {
    static func municipalities(_ model: MunicipalitiesModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Муниципалитеты", context, active: .municipalities) {
            el("h1") { "Муниципалитеты" }
            el("table", .class("cards-narrow")) {
                el("thead") { el("tr") {
                    el("th") { "Муниципалитет" }; el("th") { "Регион" }
                    el("th", .class("num")) { "Школ" }; el("th", .class("num")) { "Обучающихся" }
                    if model.canManage { el("th") { "Переименовать" } }
                } }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(5, "Муниципалитетов пока нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td", UI.cardLabel("Муниципалитет")) { el("a", .href("/schools?municipality=\(row.id)")) { row.name } }
                            el("td", UI.cardLabel("Регион")) { row.region }
                            el("td", .class("num"), UI.cardLabel("Школ")) { RussianFormat.integer(row.schools) }
                            el("td", .class("num"), UI.cardLabel("Обучающихся")) { RussianFormat.integer(row.students) }
                            if model.canManage {
                                el("td", UI.cardLabel("Переименовать")) {
                                    renameForm("/municipalities/\(row.id)", name: row.name, version: row.version, echo: model.echo,
                                               csrf: context.csrf)
                                }
                            }
                        }
                    }
                }
            }
            if model.canManage && !model.regions.isEmpty {
                let action = "/municipalities", echo = model.echo
                el("h2", .id("new")) { "Добавить муниципалитет" }
                UI.refusal(echo, for: action)
                el("form", .class("row"), .method("post"), .action(action + "#new")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Регион", name: "region_id", options: model.regions.map { (String($0.id), $0.name) },
                              selected: echo.value("region_id", for: action,
                                                   stored: model.regions.count == 1 ? String(model.regions[0].id) : ""),
                              required: true, includeEmpty: model.regions.count == 1 ? nil : "— выберите регион —",
                              error: echo.error("region_id", for: action))
                    UI.field("Наименование", name: "name", value: echo.value("name", for: action, stored: ""), required: true,
                             error: echo.error("name", for: action))
                    el("button", .type("submit")) { "Добавить" }
                }
            }
        }
    }

    static func regions(_ model: RegionsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Регионы", context, active: .regions) {
            el("h1") { "Регионы" }
            el("table", .class("cards-narrow")) {
                el("thead") { el("tr") { el("th") { "Регион" }; el("th", .class("num")) { "Муниципалитетов" }
                                         el("th") { "Переименовать" } } }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(3, "Регионов пока нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td", UI.cardLabel("Регион")) { row.name }
                            el("td", .class("num"), UI.cardLabel("Муниципалитетов")) { RussianFormat.integer(row.municipalities) }
                            el("td", UI.cardLabel("Переименовать")) {
                                renameForm("/regions/\(row.id)", name: row.name, version: row.version, echo: model.echo, csrf: context.csrf)
                            }
                        }
                    }
                }
            }
            if model.canCreate {
                let action = "/regions", echo = model.echo
                el("h2", .id("new")) { "Добавить регион" }
                UI.refusal(echo, for: action)
                el("form", .class("row"), .method("post"), .action(action + "#new")) {
                    Layout.csrfField(context.csrf)
                    UI.field("Наименование", name: "name", value: echo.value("name", for: action, stored: ""), required: true,
                             error: echo.error("name", for: action))
                    el("button", .type("submit")) { "Добавить" }
                }
            }
        }
    }

    static func renameForm(_ action: String, name: String, version: Int, echo: FormEcho?, csrf: String) -> HTMLNode {
        el("form", .class("row"), Attr("style", "margin:0"), .method("post"), .action(action)) {
            Layout.csrfField(csrf)
            el("input", .type("hidden"), .name("version"), .value(echo.value("version", for: action, stored: String(version))))
            el("input", .name("name"), .value(echo.value("name", for: action, stored: name)), .required,
               Attr("aria-label", "Новое наименование"), Attr("aria-invalid", echo.message(for: action) != nil ? "true" : nil))
            el("button", .type("submit"), .class("secondary")) { "Сохранить" }
            refusal(echo, action, stored: name)
        }
    }

    /// Why the row's form came back, under that row; after a conflict also what is stored now (so the user can
    /// merge by hand) — a refused value needs only its reason, the typed one stays in the field.
    static func refusal(_ echo: FormEcho?, _ action: String, stored: String) -> HTMLNode {
        guard let message = echo.message(for: action) else { return .empty }
        return el("div", .class("flash error"), Attr("role", "alert")) {
            // Marked as the field's reason: the row's form has no room for a note under each input.
            el("p", .class("field-error")) { message }
            if message == RepositoryError.conflict(entity: "").description {
                el("p") {
                    "Сейчас сохранено: «\(stored)». Ваш вариант — в поле; чтобы сохранить его поверх, обновите страницу и введите снова."
                }
            }
        }
    }

    static func years(_ model: YearsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Учебные годы", context, active: .years) {
            el("h1") { "Учебные годы" }
            el("p", .class("lead")) {
                "Результаты ВПР, ОГЭ и ЕГЭ относятся к календарному году процедуры (весна учебного года). "
                    + "Текущий учебный год определяется по сегодняшней дате: он начинается 1 сентября."
            }
            if model.currentMissing {
                el("p", .class("flash error")) { "Текущий учебный год \(model.current.label) ещё не добавлен в справочник." }
            }
            el("table") {
                el("thead") { el("tr") { el("th") { "Учебный год" }; el("th") { "Статус" } } }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(2, "Учебных годов пока нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") { row.label }
                            el("td") {
                                if row.isCurrent { el("span", .class("tag good")) { "текущий" } }
                            }
                        }
                    }
                }
            }
            if model.canManage {
                let action = "/years", echo = model.echo
                el("h2", .id("new")) { "Добавить учебный год" }
                UI.refusal(echo, for: action)
                el("form", .class("row"), .method("post"), .action(action + "#new")) {
                    Layout.csrfField(context.csrf)
                    UI.field("Учебный год", name: "label", value: echo.value("label", for: action, stored: ""), required: true,
                             hint: "например, 2025/26", error: echo.error("label", for: action))
                    el("label", .class("check")) {
                        el("input", .type("checkbox"), .name("current"), .value("1"),
                           .when(!echo.value("current", for: action, stored: "").isEmpty, Attr("checked", "checked")))
                        " текущий"
                    }
                    el("button", .type("submit")) { "Добавить" }
                }
            }
        }
    }

    static func catalogues(_ model: CataloguesModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Справочники", context, active: .catalogues) {
            el("h1") { "Справочники" }
            el("h2") { "Оценочные процедуры" }
            el("table") {
                el("thead") { el("tr") { el("th") { "Код" }; el("th") { "Краткое название" }; el("th") { "Полное название" } } }
                el("tbody") {
                    model.procedures.map { procedure in
                        el("tr") {
                            el("td", .class("muted")) { procedure.code }
                            if model.canManage {
                                el("td", Attr("colspan", "2")) {
                                    let action = "/catalogues/procedures/\(procedure.id!)"
                                    el("form", .class("row"), Attr("style", "margin:0"), .method("post"), .action(action)) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name("version"),
                                           .value(model.echo.value("version", for: action, stored: String(procedure.version))))
                                        el("input", .name("short_name"),
                                           .value(model.echo.value("short_name", for: action, stored: procedure.shortName)),
                                           .required, Attr("aria-label", "Краткое название"))
                                        el("input", .name("name"), .value(model.echo.value("name", for: action,
                                                                                           stored: procedure.name)), .required,
                                                                                               Attr("size", "50"),
                                                                                                   Attr("aria-label", "Полное название"))
                                        el("button", .type("submit"), .class("secondary")) { "Сохранить" }
                                        refusal(model.echo, action, stored: "\(procedure.shortName) — \(procedure.name)")
                                    }
                                }
                            } else {
                                el("td") { procedure.shortName }
                                el("td") { procedure.name }
                            }
                        }
                    }
                }
            }
            el("h2") { "Факторы риска" }
            el("p", .class("muted")) { "Номера факторов постоянны (файлы и направления ссылаются на них); название можно изменить — " +
                                       "файлы примут и новое." }
            el("table", .id("risk-factors")) {
                el("thead") { el("tr") { el("th") { "№" }; el("th") { "Название" } } }
                el("tbody") {
                    model.riskFactors.map { row in
                        el("tr") {
                            el("td", .class("muted")) { String(row.factor.number) }
                            if model.canManage {
                                el("td") {
                                    let action = "/catalogues/risk-factors/\(row.factor.number)"
                                    el("form", .class("row"), Attr("style", "margin:0"), .method("post"), .action(action)) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name("version"),
                                           .value(model.echo.value("version", for: action, stored: String(row.version))))
                                        el("input", .name("name"), .value(model.echo.value("name", for: action,
                                                                                           stored: row.factor.name)), .required,
                                                                                               Attr("size", "70"),
                                           Attr("aria-label", "Название фактора \(row.factor.number)"))
                                        el("button", .type("submit"), .class("secondary")) { "Сохранить" }
                                        refusal(model.echo, action, stored: row.factor.name)
                                    }
                                }
                            } else {
                                el("td") { row.factor.name }
                            }
                        }
                    }
                }
            }
            el("h2") { "Предметы" }
            el("table") {
                el("thead") { el("tr") { el("th") { "Код" }; el("th") { "Наименование и другие написания (через |)" } } }
                el("tbody") {
                    model.subjects.map { subject in
                        el("tr") {
                            el("td", .class("muted")) { subject.code }
                            if model.canManage {
                                el("td") {
                                    let action = "/catalogues/subjects/\(subject.id!)"
                                    el("form", .class("row"), Attr("style", "margin:0"), .method("post"), .action(action)) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name("version"),
                                           .value(model.echo.value("version", for: action, stored: String(subject.version))))
                                        el("input", .name("name"), .value(model.echo.value("name", for: action, stored: subject.name)),
                                           .required, Attr("aria-label", "Наименование"))
                                        el("input", .name("aliases"),
                                           .value(model.echo.value("aliases", for: action, stored: subject.aliases)),
                                           Attr("size", "40"), Attr("aria-label", "Другие написания"))
                                        el("button", .type("submit"), .class("secondary")) { "Сохранить" }
                                        refusal(model.echo, action, stored: subject.name)
                                    }
                                }
                            } else {
                                el("td") {
                                    subject.name + (subject.aliases.isEmpty ? "" : " (\(subject.aliasList.joined(separator: ", ")))")
                                }
                            }
                        }
                    }
                }
            }
            if model.canManage {
                let action = "/catalogues/subjects", echo = model.echo
                el("h2", .id("new")) { "Добавить предмет" }
                UI.refusal(echo, for: action)
                el("form", .class("row"), .method("post"), .action(action + "#new")) {
                    Layout.csrfField(context.csrf)
                    UI.field("Код", name: "code", value: echo.value("code", for: action, stored: ""), required: true,
                             hint: "латиницей, например astr", error: echo.error("code", for: action))
                    UI.field("Наименование", name: "name", value: echo.value("name", for: action, stored: ""), required: true,
                             error: echo.error("name", for: action))
                    UI.field("Другие написания", name: "aliases", value: echo.value("aliases", for: action, stored: ""), hint: "через |",
                             error: echo.error("aliases", for: action))
                    el("button", .type("submit")) { "Добавить" }
                }
            }
        }
    }
}
