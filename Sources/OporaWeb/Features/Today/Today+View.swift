import OporaDomain

enum TodayView {
    static func render(_ model: TodayModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Сегодня", context, active: .today) {
            el("h1") { "Сегодня, \(model.day.russian)" }
            el("p", .class("muted")) { "\(model.greeting) · \(model.role.russianName) · \(model.scopeLabel)" }
            if model.items.isEmpty {
                el("div", .class("panel today-empty")) {
                    el("p") { "На сегодня дел нет: ничто не ждёт вашего ответа, проверки или срока." }
                }
            } else {
                el("p", .class("today-summary")) {
                    "Ждёт вас: \(model.items.count)"
                    if model.lateCount > 0 { el("span", .class("tag bad")) { "просрочено: \(model.lateCount)" } }
                }
                model.groups.map { group in
                    el("section", .class("panel today-group"), Attr("data-task", group.task.rawValue)) {
                        el("h2") { "\(group.task.russianName) (\(group.items.count))" }
                        el("ul", .class("today-list")) {
                            group.items.map { item in
                                el("li", .when(item.late, .class("late"))) {
                                    el("a", .href(item.path)) { item.title }
                                    if item.late { el("span", .class("tag bad")) { "просрочено" } }
                                    el("div", .class("muted")) { item.detail }
                                }
                            }
                        }
                    }
                }
            }
            el("p") { el("a", .href("/overview")) { "Обзор территории: школы, сигналы, проверка базы данных →" } }
        }
    }
}
