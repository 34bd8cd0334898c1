import Foundation
import OporaData
import OporaDomain

extension PlansView {
    static func list(_ model: PlansListModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Программы и дорожные карты", context, active: .plans) {
            el("h1") { "Программы и дорожные карты" }
            el("p", .class("lead")) {
                "Региональные, муниципальные и школьные программы поддержки: паспорт и изменения, дорожная карта с прочитанными сроками, показатели и оценка эффективности."
            }
            el("table", .id("plans")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Код" }; el("th") { "Программа" }; el("th") { "Уровень, территория" }; el("th") { "Срок" }
                        el("th", .class("num")) { "Мероприятий" }; el("th", .class("num")) { "Выполнено" }; el("th", .class("num")) { "Просрочено" }
                        el("th", .class("num")) { "Сроки без даты" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(8, "Программ пока нет: загрузите паспорт (вид данных «Программы») или заведите программу ниже") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") { row.code }
                            el("td") { el("a", .href("/plans/\(row.id)")) { row.name }; if let order = row.order { el("div", .class("muted")) { "утверждена приказом \(order)" } } }
                            el("td") { row.level.russianName; el("div", .class("muted")) { row.territory } }
                            el("td") { "\(row.period.lowerBound)–\(row.period.upperBound)" }
                            el("td", .class("num")) { el("a", .href("/plans/\(row.id)/roadmap")) { String(row.tally.total) } }
                            el("td", .class("num")) { String(row.tally[.done]) }
                            el("td", .class("num")) {
                                row.tally[.overdue] > 0 ? el("a", .href("/plans/\(row.id)/roadmap?show=overdue"), .class("tag bad")) { String(row.tally[.overdue]) } : HTMLNode.text("0")
                            }
                            el("td", .class("num")) { String(row.needsDate) }
                        }
                    }
                }
            }
            if model.canCreate {
                el("h2") { "Новая программа" }
                el("form", .class("stack"), .method("post"), .action("/plans")) {
                    Layout.csrfField(context.csrf)
                    UI.field("Код", name: "code", value: nil, required: true, hint: "короткий, для файлов и команд: P2025")
                    UI.field("Наименование", name: "name", value: nil, required: true)
                    UI.select("Муниципалитет", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) }, selected: nil,
                              includeEmpty: "— региональная программа —")
                    UI.field("Начало (год или дата)", name: "start", value: nil, required: true)
                    UI.field("Окончание (год или дата)", name: "end", value: nil, required: true)
                    UI.field("Приказ №", name: "order_number", value: nil)
                    UI.field("Дата приказа", name: "order_date", value: nil, hint: "ДД.ММ.ГГГГ")
                    el("div", .class("actions")) { el("button", .type("submit")) { "Завести программу" } }
                }
                el("p", .class("muted")) {
                    "Дорожную карту, показатели и их значения загрузите на странице "; el("a", .href("/imports")) { "«Загрузка данных»" }
                    " (виды «Дорожная карта», «Показатели программы», «Значения показателей»)."
                }
            }
        }
    }
}
