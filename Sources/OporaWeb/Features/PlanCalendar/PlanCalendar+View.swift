import Foundation
import OporaData
import OporaDomain

extension PlansView {
    static func calendar(_ model: RoadmapCalendarModel, _ context: PageContext) -> HTMLNode {
        let plan = model.plan, id = plan.id!
        return Layout.page("Календарь сроков: \(plan.name)", context, active: .plans) {
            tabs(plan, "calendar")
            el("div", .class("toolbar")) {
                Array(plan.period.years).map { year in
                    el("a", .href("/plans/\(id)/calendar?year=\(year)"), .when(year == model.year, .class("active"))) { String(year) }
                }
                el("span", .class("spacer"))
                el("span", .class("muted")) { "Без даты (постоянно, по графику, по событию, не распознано): \(model.undated)" }
            }
            if let month = model.month {
                el("div", .class("toolbar")) { el("a", .href("/plans/\(id)/calendar?year=\(model.year)")) { "← Весь \(model.year) год" } }
                monthCard(model, month: month, limit: nil)
            } else {
                el("div", .class("calendar")) {
                    (1...12).map { month in monthCard(model, month: month, limit: RoadmapCalendarModel.perMonth) }
                }
            }
        }
    }

    static func monthCard(_ model: RoadmapCalendarModel, month: Int, limit: Int?) -> HTMLNode {
        let id = model.plan.id!, entries = model.months[month - 1]
        let shown = limit.map { Array(entries.prefix($0)) } ?? entries
        return el("section", .class("month"), .id("month-\(month)")) {
            el("h3") {
                CollectionMonths.russianName(month).capitalizedFirst + " \(model.year)"
                el("span", .class("muted")) { " · \(entries.count)" }
            }
            if entries.isEmpty { el("p", .class("muted")) { "сроков нет" } }
            else {
                el("ul") {
                    shown.map { entry in
                        el("li", .when(entry.row.progress == .overdue && entry.day < model.today, .class("late"))) {
                            el("b") { String(format: "%02d", entry.day.day) }
                            " "
                            el("a", .href("/plans/\(id)/measures/\(entry.row.id)")) { "№ \(entry.row.measure.number)" }
                            " \(entry.row.measure.measure.prefix(90))"
                            if entry.row.measure.status == .done { el("span", .class("tag good")) { "выполнено" } }
                        }
                    }
                }
                if shown.count < entries.count {
                    el("a", .href("/plans/\(id)/calendar?year=\(model.year)&month=\(month)")) { "все сроки месяца (\(entries.count)) →" }
                }
            }
        }
    }
}
