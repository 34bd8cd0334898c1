import Foundation
import OporaData
import OporaDomain

extension PlansView {
    static func roadmap(_ model: RoadmapPageModel, _ context: PageContext) -> HTMLNode {
        let plan = model.plan, id = plan.id!
        let states = RoadmapProgress.states
        return Layout.page("Дорожная карта: \(plan.name)", context, active: .plans) {
            tabs(plan, "roadmap")
            el("div", .class("toolbar")) {
                el("span", .class("muted")) { "Состояние на \(model.today.russian)" }
                el("span", .class("spacer"))
                el("a", .href("/plans/\(id)/roadmap/export.xlsx")) { "Скачать XLSX" }
                el("a", .href("/plans/\(id)/roadmap/export.docx")) { "Отчёт об исполнении (DOCX)" }
            }
            el("h2") { "Исполнение по разделам" }
            el("table", .id("execution")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Раздел" }
                        states.map { state in el("th", .class("num")) { state.russianName } }
                        el("th", .class("num")) { "Всего" }; el("th", .class("num")) { "Выполнено, %" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(8, "Мероприятий нет: загрузите дорожную карту на странице «Загрузка данных»") }
                    (model.progress.sections + (model.rows.isEmpty ? [] : [(section: "Итого",
                        tally: model.progress.total)])).map { section, tally in
                        el("tr") {
                            el("td") { section.isEmpty ? "Без раздела" : section }
                            states.map { state in el("td", .class("num")) { String(tally[state]) } }
                            el("td", .class("num")) { String(tally.total) }
                            el("td", .class("num")) { tally.doneRate.map { RussianFormat.number($0) } ?? "—" }
                        }
                    }
                }
            }
            if !model.progress.overdueByResponsible.isEmpty {
                el("h2") { "Просрочено — по ответственным" }
                el("table", .id("overdue")) {
                    el("thead") { el("tr") { el("th") { "Ответственные" }; el("th") { "Мероприятия" } } }
                    el("tbody") {
                        model.progress.overdueByResponsible.map { who, rows in
                            el("tr") {
                                el("td") { who }
                                el("td") {
                                    rows.map { row in
                                        el("div") {
                                            el("a", .href("/plans/\(id)/measures/\(row.id)")) { "№ \(row.measure.number)" }
                                            " \(row.measure.measure.prefix(140)) — «\(row.measure.deadline)»"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("h2") { "Мероприятия" }
            el("div", .class("toolbar")) {
                RoadmapFilter.allCases.map { filter in
                    el("a", .href("/plans/\(id)/roadmap?show=\(filter.rawValue)"), .when(model.filter == filter, .class("active"))) {
                        filter.russianName
                    }
                }
            }
            el("table", .id("measures")) {
                el("thead") {
                    el("tr") {
                        el("th") { "№" }; el("th") { "Мероприятие" }; el("th") { "Срок в плане" }; el("th") { "Даты" }
                        el("th") { "Ответственные" }; el("th") { "Исполнение" }
                    }
                }
                el("tbody") {
                    if model.shown.isEmpty && !model.rows.isEmpty { UI.emptyRow(6, "Таких мероприятий нет") }
                    sectionRows(Array(model.shown), id: id, today: model.today)
                }
            }
            model.paging.links("/plans/\(id)/roadmap", [("show", model.filter.rawValue)])
        }
    }

    static func sectionRows(_ rows: [RoadmapRow], id: Int, today: CalendarDay) -> [HTMLNode] {
        var nodes: [HTMLNode] = []
        var section: String? = nil
        for row in rows {
            if row.measure.section != section {
                section = row.measure.section
                if let section, !section.isEmpty { nodes.append(el("tr") { el("th", Attr("colspan", "6")) { section } }) }
            }
            nodes.append(el("tr", .id("m\(row.id)")) {
                el("td") { el("a", .href("/plans/\(id)/measures/\(row.id)")) { row.measure.number } }
                el("td") { row.measure.measure; if let result = row.result { el("div", .class("muted")) { result } } }
                el("td") { row.measure.deadline }
                el("td") {
                    if row.needsDate { el("span", .class("tag warn"), .title("Срок не распознан: назначьте дату")) { "нужна дата" } }
                    else { row.dueText }
                    // A date the plan names outside the programme's period is shown, not dropped silently.
                    if !row.reading.outside.isEmpty {
                        let dates = row.reading.outside.map(\.russian).joined(separator: ", ")
                        el("div", .class("tag warn")) { "вне срока программы: " + dates }
                    }
                }
                el("td") { row.measure.responsible ?? "" }
                el("td") {
                    progressTag(row.progress)
                    if let done = row.measure.doneOn { el("div", .class("muted")) { done.russian } }
                    if row.progress == .overdue, let next = row.nextDue(after: today) { el("div",
                        .class("muted")) { "срок \(next.russian)" } }
                }
            })
        }
        return nodes
    }

    // MARK: one measure

    static func measure(_ plan: PlanModel, _ row: RoadmapRow, canChange: Bool, echo: FormEcho? = nil, _ context: PageContext) -> HTMLNode {
        let id = plan.id!, action = "/plans/\(id)/measures/\(row.id)"
        func value(_ key: String, _ stored: String?) -> String { echo.value(key, for: action, stored: stored ?? "") }
        return Layout.page("Мероприятие № \(row.measure.number)", context, active: .plans) {
            tabs(plan, "roadmap")
            el("h2") { "Мероприятие № \(row.measure.number)" }
            el("dl", .class("facts panel")) {
                el("dt") { "Раздел" }; el("dd") { row.measure.section }
                el("dt") { "Мероприятие" }; el("dd") { row.measure.measure }
                el("dt") { "Срок в плане" }; el("dd") { row.measure.deadline }
                el("dt") { "Прочитан как" }
                el("dd") { row.reading.kind.russianName + (row.reading.due.isEmpty ? "" : ": "
                    + "" + row.reading.due.map(\.russian).joined(separator: ", ")) }
                el("dt") { "Ответственные" }; el("dd") { row.measure.responsible ?? "не указаны" }
                el("dt") { "Ожидаемый результат" }; el("dd") { row.result ?? "—" }
                el("dt") { "Исполнение" }; el("dd") { progressTag(row.progress) }
                el("dt") { "Подтверждение" }; el("dd") { row.evidence ?? "—" }
            }
            if row.progress == .overdue {
                el("p") {
                    el("a", .href("/decisions?kind=measure&ref=\(row.id)&programme=\(id)"),
                        .class("button secondary")) { "Принять управленческое решение" }
                }
            }
            if canChange {
                UI.refusal(echo, for: action)
                el("form", .class("stack"), .method("post"), .action(action)) {
                    Layout.csrfField(context.csrf)
                    el("input", .type("hidden"), .name("version"), .value(value("version", String(row.version))))
                    UI.select("Статус", name: "status", options: MeasureStatus.allCases.map { ($0.rawValue, $0.russianName) },
                              selected: value("status", row.measure.status.rawValue), required: true, error: echo.error("status",
                                  for: action))
                    UI.field("Дата выполнения", name: "done_on", value: value("done_on", row.measure.doneOn?.russian),
                             hint: "ДД.ММ.ГГГГ, для выполненного", error: echo.error("done_on", for: action),
                             warning: echo.warning("done_on", for: action))
                    UI.field("Назначенная дата", name: "dated_on", value: value("dated_on", row.measure.datedOn?.russian),
                             hint: "если срок в плане не называет даты («по отдельному графику»)", error: echo.error("dated_on",
                                 for: action),
                             warning: echo.warning("dated_on", for: action))
                    UI.textArea("Подтверждение (ссылки, номера документов)", name: "evidence", value: value("evidence", row.evidence),
                                rows: 3, error: echo.error("evidence", for: action))
                    UI.textArea("Комментарий", name: "comment", value: value("comment", row.comment), rows: 3,
                                error: echo.error("comment", for: action))
                    el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить" } }
                }
            }
        }
    }
}
