import Foundation
import OporaData
import OporaDomain

enum SupportWorkListView {
    static func page(_ model: CuratorWorkModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Мой план работы", context, active: .support) {
            el("div", .class("toolbar")) { el("a", .href("/support")) { "← Сопровождение школ" } }
            el("h1") { "Мой план работы" }
            el("p", .class("lead")) {
                "\(model.name): закреплённые школы, рекомендации со сроками (просроченные первыми) и последний визит."
            }
            el("table", .id("work")) {
                el("thead") { el("tr") { el("th") { "Школа" }; el("th") { "Куратор с" }; el("th") { "Последний визит" }
                                         el("th") { "Что сделать школе" }; el("th") { "Срок" } } }
                el("tbody") {
                    if model.items.isEmpty { UI.emptyRow(5, "За вами не закреплено ни одной школы") }
                    model.items.map { item in
                        el("tr") {
                            el("td") { el("a", .href("/schools/\(item.schoolID)/support")) { item.school } }
                            el("td") { item.since?.russian ?? "—" }
                            el("td") {
                                item.lastVisit?.russian ?? "визитов не было"
                                if let last = item.lastVisit,
                                    last.adding(days: 90) < model.today { el("div") { el("span", .class("tag warn")) { "больше 90 " +
                                                                                                                       "дней назад" } } }
                            }
                            el("td") {
                                item.open.isEmpty ? .text("—") : .text(item.open.map { $0.followUp ?? $0.topic }.joined(separator: "; "))
                            }
                            el("td") {
                                item.open.first?.due?.russian ?? "—"
                                if item.open.contains(where: { FollowUp.isOverdue(due: $0.due, done: false, today: model.today) }) {
                                    el("div") { el("span", .class("tag bad")) { "просрочено" } }
                                }
                            }
                        }
                    }
                }
            }
            if !model.loggedOpen.isEmpty {
                el("h2") { "Рекомендации по моим визитам в другие школы" }
                el("ul") {
                    model.loggedOpen.map { visit in
                        el("li") {
                            el("a", .href("/schools/\(visit.$school.id)/support")) { visit.school.displayName }
                            ": \(visit.followUp ?? visit.topic), срок \(visit.due?.russian ?? "—")"
                        }
                    }
                }
            }
        }
    }
}
