import Foundation
import OporaData
import OporaDomain

extension PlansView {
    /// The form's address: a refused form comes back echoed for it.
    static let newPlanAction = "/plans"

    static func list(_ model: PlansListModel, _ context: PageContext, echo: FormEcho? = nil) -> HTMLNode {
        Layout.page("Программы и дорожные карты", context, active: .plans) {
            el("h1") { "Программы и дорожные карты" }
            el("p", .class("lead")) {
                "Региональные, муниципальные и школьные программы поддержки: паспорт и изменения, "
                    + "дорожная карта с прочитанными сроками, показатели и оценка эффективности."
            }
            // No action: the filter reloads this page, and `form[action='/plans']` stays the new programme's form.
            el("form", .class("row"), .method("get"), .id("plans-filter")) {
                UI.field("Код или название", name: "q", value: model.search, type: "search")
                UI.select("Уровень", name: "level", options: ProgrammeLevel.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: model.level?.rawValue, includeEmpty: "все уровни")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            el("p", .class("muted"), .id("plans-count")) {
                let shown = model.paging.total == model.inScope
                    ? "Программ: \(RussianFormat.integer(model.inScope))"
                    : "Найдено \(RussianFormat.integer(model.paging.total)) из \(RussianFormat.integer(model.inScope))"
                if model.paging.pageCount > 1 {
                    let range = model.paging.range
                    shown + "; показаны \(RussianFormat.integer(range.lowerBound + 1))–\(RussianFormat.integer(range.upperBound))"
                } else {
                    shown
                }
            }
            el("div", .class("scroll")) { planTable(model) }
            model.paging.links("/plans", [("q", model.search), ("level", model.level?.rawValue)])
            if model.canCreate { newPlanForm(model, context, echo: echo) }
        }
    }

    static func planTable(_ model: PlansListModel) -> HTMLNode {
        el("table", .id("plans")) {
            el("thead") {
                el("tr") {
                    el("th") { "Код" }; el("th") { "Программа" }; el("th") { "Уровень, территория" }; el("th") { "Срок" }
                    el("th", .class("num")) { "Мероприятий" }; el("th", .class("num")) { "Выполнено" }
                    el("th", .class("num")) { "Просрочено" }; el("th", .class("num")) { "Сроки без даты" }
                }
            }
            el("tbody") {
                if model.rows.isEmpty {
                    UI.emptyRow(8, model.inScope == 0
                        ? "Программ пока нет: заведите программу формой выше или загрузите паспорт (вид данных «Программы»)"
                        : "Таких программ нет")
                }
                model.rows.map { row in
                    el("tr") {
                        el("td") { row.code }
                        el("td") {
                            el("a", .href("/plans/\(row.id)")) { row.name }
                            if let order = row.order { el("div", .class("muted")) { "утверждена приказом \(order)" } }
                        }
                        el("td") { row.level.russianName; el("div", .class("muted")) { row.territory } }
                        el("td") { "\(row.period.lowerBound)–\(row.period.upperBound)" }
                        el("td", .class("num")) { el("a", .href("/plans/\(row.id)/roadmap")) { String(row.progress.total.total) } }
                        el("td", .class("num")) { String(row.progress.total[.done]) }
                        el("td", .class("num")) {
                            row.progress.overdue > 0
                                ? el("a", .href("/plans/\(row.id)/roadmap?show=overdue"),
                                    .class("tag bad")) { String(row.progress.overdue) }
                                : HTMLNode.text("0")
                        }
                        el("td", .class("num")) { String(row.progress.undated) }
                    }
                }
            }
        }
    }

    /// A new programme in one form: the user's own territory and this year onwards are chosen already, so a
    /// coordinator types the code, the name and the order and is done.
    static func newPlanForm(_ model: PlansListModel, _ context: PageContext, echo: FormEcho?) -> HTMLNode {
        let action = newPlanAction
        func value(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        func field(_ label: String, _ name: String, stored: String = "", required: Bool = false, hint: String? = nil) -> HTMLNode {
            UI.field(label, name: name, value: value(name, stored), required: required, hint: hint,
                     error: echo.error(name, for: action), warning: echo.warning(name, for: action))
        }
        return el("section", .id("new-plan")) {
            el("h2") { "Новая программа" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                field("Код", "code", required: true, hint: "короткий, для файлов и команд: P2025")
                field("Наименование", "name", required: true)
                UI.select("Уровень и территория", name: "municipality", options: model.territories,
                          selected: value("municipality", model.ownTerritory), required: model.regionName == nil,
                          includeEmpty: model.regionName.map { "\($0) — региональная программа" },
                          error: echo.error("municipality", for: action), searchable: model.territories.count > 12)
                field("Начало", "start", stored: String(model.today.year), required: true, hint: "год (2025) или дата (01.09.2025)")
                field("Окончание", "end", stored: String(model.today.year + 2), required: true, hint: "год (2027) или дата (31.12.2027)")
                field("Приказ №", "order_number")
                field("Дата приказа", "order_date", hint: "ДД.ММ.ГГГГ")
                el("div", .class("actions")) { el("button", .type("submit")) { "Завести программу" } }
            }
            el("p", .class("muted")) {
                "Дорожную карту, показатели и их значения загрузите на странице "; el("a", .href("/imports")) { "«Загрузка данных»" }
                " (виды «Дорожная карта», «Показатели программы», «Значения показателей»)."
            }
        }
    }
}
