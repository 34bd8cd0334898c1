import OporaDomain

enum HomeView {
    static func render(_ model: HomeModel, _ context: PageContext, check: DatabaseCheckModel? = nil) -> HTMLNode {
        Layout.page("Обзор", context, active: .home) {
            el("h1") { model.scopeLabel }
            el("div", .class("cards")) {
                card(RussianFormat.integer(model.schools.count), "школ")
                card(RussianFormat.integer(model.students), "обучающихся")
                card(RussianFormat.integer(model.rural), "сельских школ")
                if model.municipalities > 1 { card(RussianFormat.integer(model.municipalities), "муниципалитетов") }
            }
            if !model.reminders.isEmpty { reminders(model.reminders) }
            if let check { DatabaseCheckView.panel(check) }
            el("h2") { "Где нужно внимание" }
            el("div", .class("panel")) {
                if model.attention.isEmpty {
                    el("p", .class("muted")) { "Замечаний нет." }
                } else {
                    el("ul", .class("attention")) {
                        model.attention.prefix(40).map { item in
                            el("li") {
                                el("span", .class("tag \(tagClass(item.level))")) { label(item.level) }
                                " "
                                el("a", .href("/schools/\(item.schoolID)")) { item.school }
                                ": \(item.reason)"
                            }
                        }
                    }
                    if model.attention.count > 40 { el("p", .class("muted")) { "… и ещё \(model.attention.count - 40)" } }
                }
            }
            if model.schools.count <= 50 {
                el("h2") { "Школы" }
                el("table") {
                    el("thead") {
                        el("tr") {
                            el("th") { "Школа" }; el("th") { "Муниципалитет" }; el("th") { "Местность" };
                            el("th", .class("num")) { "Обучающихся" }
                        }
                    }
                    el("tbody") {
                        if model.schools.isEmpty {
                            UI.emptyRow(4, "В вашей области доступа пока нет школ. Загрузите реестр на странице «Загрузка данных».")
                        }
                        model.schools.map { row in
                            el("tr") {
                                el("td") { el("a", .href("/schools/\(row.id)")) { row.shortName ?? row.name } }
                                el("td") { row.municipality }
                                el("td") { row.settlement.flatMap(Settlement.init(rawValue:))?.russianName ?? "—" }
                                el("td", .class("num")) { UI.number(row.students) }
                            }
                        }
                    }
                }
            } else {
                el("h2") { "Муниципалитеты" }
                el("table") {
                    el("thead") { el("tr") {
                        el("th") { "Муниципалитет" }; el("th", .class("num")) { "Школ" }; el("th", .class("num")) { "Обучающихся" }
                        el("th", .class("num")) { "Требуют внимания" }
                    } }
                    el("tbody") {
                        model.municipalitySummary.map { item in
                            el("tr") {
                                el("td") { el("a", .href("/schools?municipality=\(item.id)")) { item.name } }
                                el("td", .class("num")) { RussianFormat.integer(item.schools) }
                                el("td", .class("num")) { RussianFormat.integer(item.students) }
                                el("td", .class("num")) {
                                    item.flagged > 0 ? el("span", .class("tag bad")) { String(item.flagged) } : .text("0")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func reminders(_ reminders: PlanReminders) -> HTMLNode {
        el("section", .id("reminders")) {
            el("h2") { "Программы: что нужно сделать" }
            el("div", .class("panel")) {
                el("ul", .class("attention")) {
                    reminders.items.map { item in
                        el("li") {
                            el("a", .href("/plans/\(item.id)/roadmap")) { item.name }
                            ": "
                            [
                                item.overdue > 0 ? "просрочено мероприятий: \(item.overdue)" : nil,
                                item.dueSoon > 0 ? "срок в ближайшие 2 недели: \(item.dueSoon)" : nil,
                                item.undated > 0 ? "сроков без даты: \(item.undated)" : nil,
                                item.missingIndicators.isEmpty
                                    ? nil : "в этом месяце собрать показатели: \(item.missingIndicators.joined(separator: ", "))",
                            ]
                            .compactMap { $0 }.joined(separator: "; ")
                            if item.overdue > 0 { " "; el("span", .class("tag bad")) { "просрочено" } }
                        }
                    }
                    if reminders.openDecisions > 0 {
                        el("li") {
                            el("a", .href("/decisions")) { "Управленческие решения" }
                            ": исполняется \(reminders.openDecisions)"
                            if reminders.overdueDecisions > 0 {
                                ", срок прошёл у \(reminders.overdueDecisions) "; el("span", .class("tag bad")) { "срок прошёл" }
                            }
                        }
                    }
                    if reminders.overdueFollowUps > 0 {
                        el("li") {
                            el("a", .href(reminders.followUpsPath)) { "Рекомендации по визитам в школы" }
                            ": просрочено \(reminders.overdueFollowUps) "
                            el("span", .class("tag bad")) { "просрочено" }
                        }
                    }
                }
            }
        }
    }

    static func card(_ value: String, _ label: String) -> HTMLNode {
        el("div", .class("card")) { el("div", .class("value")) { value }; el("div", .class("label")) { label } }
    }

    static func tagClass(_ level: HomeModel.Attention.Level) -> String {
        switch level { case .high: "bad"; case .medium: "warn"; case .info: "" }
    }

    static func label(_ level: HomeModel.Attention.Level) -> String {
        switch level { case .high: "важно"; case .medium: "внимание"; case .info: "данные" }
    }
}
