import OporaData
import OporaDomain

enum ExitsView {
    static func page(_ model: ExitsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Выход из списка", context, active: .identification) {
            el("h1") { "Выход из списка на \(model.year) год" }
            el("p", .class("lead")) {
                "Школы списка, действующего на \(model.year) год, по критериям выхода своей территории. "
                "Школа готова к выходу, только если выполнены все условия; нехватка данных — не выполнение. "
            }
            el("p") { el("a", .href("/exits/criteria")) { "Критерии выхода из списка" } }
            el("form", .class("row"), .method("get"), .action("/exits")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            el("h2") { "Готовы к выходу: \(model.ready.count)" }
            table(model.ready, id: "ready", empty: "Школ, выполнивших все условия выхода, нет", model: model, context: context)
            el("h2") { "Остаются в списке: \(model.notReady.count)" }
            table(model.notReady, id: "not-ready", empty: "Нет", model: model, context: context)
        }
    }

    static func table(_ rows: [ExitsModel.Row], id: String, empty: String, model: ExitsModel, context: PageContext) -> HTMLNode {
        el("table", .id(id)) {
            el("thead") {
                el("tr") {
                    el("th") { "Школа" }; el("th") { "Муниципалитет" }; el("th") { "В списке" }; el("th") { "Условия выхода" }
                    el("th") { "Критерии" }
                    if model.canRecord && id == "ready" { el("th") { "Приказ о завершении поддержки" } }
                }
            }
            el("tbody") {
                if rows.isEmpty { UI.emptyRow(5, empty) }
                rows.map { row in
                    el("tr", .id("exit-\(row.schoolID)")) {
                        el("td") { el("a", .href("/schools/\(row.schoolID)")) { row.school } }
                        el("td") { row.municipality }
                        el("td") { "\(row.status.russianName), приказ \(row.order)" }
                        el("td") {
                            el("ul") {
                                row.reasons.map { condition in
                                    el("li", .class(condition.outcome.rawValue)) { mark(condition.outcome) + " " + condition.text }
                                }
                            }
                        }
                        el("td") { row.criteria }
                        if model.canRecord && id == "ready" { el("td") { form(row, model: model, context: context) } }
                    }
                }
            }
        }
    }

    static func mark(_ outcome: ExitCondition.Outcome) -> String {
        switch outcome {
        case .met: "✓"
        case .notMet: "✗"
        case .noData: "?"
        }
    }

    static let recordAction = "/exits/record"

    /// The exit order of one ready school; a refused one comes back in its own row, as typed, each problem beside
    /// its field.
    static func form(_ row: ExitsModel.Row, model: ExitsModel, context: PageContext) -> HTMLNode {
        let action = recordAction
        let echo = model.echo?.values["school"] == String(row.schoolID) ? model.echo : nil
        func typed(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        return el("form", .method("post"), .action(action + "?year=\(model.year)"), .class("stack")) {
            UI.refusal(echo, for: action)
            Layout.csrfField(context.csrf)
            el("input", .type("hidden"), .name("school"), .value(String(row.schoolID)))
            el("input", .type("hidden"), .name("year"), .value(String(model.year)))
            UI.field("Номер приказа", name: "order_number", value: typed("order_number"), required: true,
                     error: echo.error("order_number", for: action))
            UI.field("Дата приказа", name: "order_date", value: typed("order_date"), required: true, hint: "ДД.ММ.ГГГГ",
                     error: echo.error("order_date", for: action), warning: echo.warning("order_date", for: action))
            UI.field("Орган, издавший приказ", name: "issuer", value: typed("issuer", model.defaultIssuer), required: true,
                     error: echo.error("issuer", for: action))
            UI.select("Кем издан", name: "authority", options: ListAuthority.allCases.map { ($0.rawValue, $0.russianName) },
                      selected: typed("authority", ListAuthority.own.rawValue), error: echo.error("authority", for: action))
            UI.textArea("Основание", name: "reason", value: typed("reason", row.reasons.map(\.text).joined(separator: "; ")), rows: 2,
                        required: true, error: echo.error("reason", for: action))
            el("button", .type("submit")) { "Завершить поддержку" }
        }
    }

    static let keys: [(String, String)] = [
        ("name", "название набора"),
        ("not_flagged_years", "школа не отбиралась по критериям отбора столько последних лет подряд (0 — не проверять)"),
        ("indicators_met_share",
         "доля показателей утверждённых программ школы, достигших целевых значений, в процентах (0 — не проверять)"),
        ("no_high_risk", "true — ни один фактор риска в последнем рисковом профиле не оценён как высокий"),
    ]

    static func criteria(_ model: ExitCriteriaModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Критерии выхода из списка", context, active: .identification) {
            el("h1") { "Критерии выхода из списка" }
            el("p", .class("lead")) {
                "Критерии записаны текстом (YAML или JSON) и проверяются при сохранении; ключи, которых нет в тексте, "
                "берутся из набора по умолчанию. Каждое сохранение — новая версия с автором и временем."
            }
            el("dl") { keys.map { key, meaning in el("div") { el("dt") { el("code") { key } }; el("dd") { meaning } } } }
            if model.inherited {
                el("div", .class("flash success")) {
                    "Своих критериев у территории нет: действуют вышестоящие или по умолчанию (показаны ниже)."
                }
            }
            // A short summary over the form, the problems beside the text they are about (as every refused form does).
            if model.error != nil { el("div", .class("flash error"), Attr("role", "alert")) { "Текст не сохранён: исправьте его" } }
            el("form", .method("post"), .action("/exits/criteria")) {
                Layout.csrfField(context.csrf)
                el("textarea", .name("text"), Attr("rows", "12"), Attr("style", "width:100%;font-family:monospace"),
                   Attr("aria-label", "Критерии выхода (YAML или JSON)"), .when(!model.canEdit, Attr("readonly", "")),
                   Attr("aria-invalid", model.error != nil ? "true" : nil),
                   Attr("aria-describedby", model.error != nil ? "text-note" : nil)) { model.text }
                if let error = model.error {
                    el("pre", .class("field-error"), .id("text-note"), Attr("style", "white-space:pre-wrap;margin:0")) { error }
                }
                if model.canEdit { el("p") { el("button", .type("submit")) { "Проверить и сохранить новую версию" } } }
            }
            el("h2") { "Версии" }
            el("table", .id("versions")) {
                el("thead") {
                    el("tr") { el("th", .class("num")) { "Версия" }; el("th") { "Название" }; el("th") { "Кто" }; el("th") { "Когда" } }
                }
                el("tbody") {
                    if model.versions.isEmpty { UI.emptyRow(4, "Сохранённых версий нет") }
                    model.versions.map { version in
                        el("tr") {
                            el("td", .class("num")) { String(version.version) }
                            el("td") { version.name }
                            el("td") { version.by }
                            el("td") { RussianFormat.dateTime(version.at) }
                        }
                    }
                }
            }
        }
    }
}
