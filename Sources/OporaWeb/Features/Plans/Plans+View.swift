import Foundation
import OporaData
import OporaDomain

enum PlansView {
    static func progressTag(_ progress: MeasureProgress) -> HTMLNode {
        let style: String
        switch progress {
        case .done: style = "good"
        case .overdue: style = "bad"
        case .inProgress: style = "warn"
        case .notStarted, .cancelled: style = ""
        }
        return el("span", .class("tag \(style)")) { progress.russianName }
    }

    static func levelTag(_ level: EffectivenessLevel) -> HTMLNode {
        let style: String
        switch level {
        case .high: style = "good"
        case .medium: style = ""
        case .satisfactory: style = "warn"
        case .critical: style = "bad"
        }
        return el("span", .class("tag \(style)")) { level.russianName }
    }

    /// The programme's own tabs.
    static func tabs(_ plan: PlanModel, _ active: String) -> HTMLNode {
        let id = plan.id!
        let items: [(String, String, String)] = [
            ("passport", "/plans/\(id)", "Паспорт и изменения"), ("roadmap", "/plans/\(id)/roadmap", "Дорожная карта"),
            ("calendar", "/plans/\(id)/calendar", "Календарь сроков"), ("indicators", "/plans/\(id)/indicators", "Показатели и оценка"),
            ("decisions", "/decisions?programme=\(id)", "Решения"),
        ]
        return el("div") {
            el("div", .class("toolbar")) { el("a", .href("/plans")) { "← Все программы" } }
            el("h1") { plan.name }
            el("nav", .class("tabs")) {
                items.map { key, href, label in el("a", .href(href), .when(key == active, .class("active"))) { label } }
            }
        }
    }

    // MARK: list

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

    // MARK: passport

    static func page(_ model: PlanPageModel, _ context: PageContext) -> HTMLNode {
        let plan = model.plan, passport = model.passport, id = plan.id!
        return Layout.page(passport.name, context, active: .plans) {
            tabs(plan, "passport")
            el("div", .class("toolbar")) { el("a", .href("/plans/\(id)/passport.docx")) { "Паспорт программы (DOCX)" } }
            el("dl", .class("facts panel")) {
                el("dt") { "Код" }; el("dd") { plan.code }
                el("dt") { "Уровень" }; el("dd") { "\(plan.programmeLevel.russianName), \(model.territory)" }
                el("dt") { "Срок реализации" }; el("dd") { "\(passport.start.russian) — \(passport.end.russian)" }
                el("dt") { "Действующая редакция" }
                el("dd") { "№ \(model.versions.last?.number ?? 1)" + (plan.orderNumber.map { ", приказ " + PlanPageModel.order($0, plan.orderDate) } ?? "") }
                el("dt") { "Цель" }; el("dd") { passport.goal.isEmpty ? "не указана" : passport.goal }
            }
            listBlock("Задачи", passport.tasks)
            listBlock("Ожидаемые результаты", passport.expectedResults)
            listBlock("Финансирование", passport.funding)
            listBlock("Нормативная основа", passport.basis)
            if !model.participants.isEmpty {
                el("h2") { "Участники" + (model.listYear.map { " (статус по списку \($0) года)" } ?? "") }
                el("table", .id("participants")) {
                    el("thead") { el("tr") { el("th") { "Код" }; el("th") { "Школа" }; el("th") { "В списке" } } }
                    el("tbody") {
                        model.participants.map { participant in
                            el("tr") {
                                el("td") { participant.code }
                                el("td") { participant.name ?? "нет в реестре" }
                                el("td") { participant.status.map { $0 == .none ? "не в списке" : $0.russianName } ?? "—" }
                            }
                        }
                    }
                }
            }
            el("h2") { "Редакции и изменения" }
            el("table", .id("versions")) {
                el("thead") { el("tr") { el("th") { "Редакция" }; el("th") { "Приказ" }; el("th") { "Основание" }; el("th") { "Кто, когда" }; el("th") { "" } } }
                el("tbody") {
                    model.versions.map { version in
                        el("tr") {
                            el("td") { "№ \(version.number)" }
                            el("td") { version.order ?? "—" }
                            el("td") { version.note ?? "" }
                            el("td") { "\(version.by), \(RussianFormat.dateTime(version.at))" }
                            el("td") {
                                if version.number > 1 { el("a", .href("/plans/\(id)?compare=\(version.number - 1)-\(version.number)")) { "что изменилось" } }
                            }
                        }
                    }
                }
            }
            if let (old, new) = model.compared {
                el("h2", .id("changes")) { "Изменения редакции № \(new) против № \(old)" }
                if model.changes.isEmpty { el("p", .class("muted")) { "Редакции не различаются." } }
                else {
                    el("table", .id("diff")) {
                        el("thead") { el("tr") { el("th") { "Раздел" }; el("th") { "Было" }; el("th") { "Стало" } } }
                        el("tbody") {
                            model.changes.map { change in
                                el("tr", .class("change \(change.change.kind.rawValue)")) {
                                    el("td") { change.part.russianName }
                                    el("td") { change.change.old ?? "—" }
                                    el("td") { change.change.new ?? "—" }
                                }
                            }
                        }
                    }
                }
            }
            if model.canChange { amendForm(model, context) }
        }
    }

    static func listBlock(_ title: String, _ items: [String]) -> HTMLNode {
        guard !items.isEmpty else { return .empty }
        return el("section") {
            el("h2") { title }
            el("ol") { items.map { item in el("li") { item } } }
        }
    }

    static func amendForm(_ model: PlanPageModel, _ context: PageContext) -> HTMLNode {
        let passport = model.passport, plan = model.plan
        func area(_ label: String, _ name: String, _ lines: [String], hint: String) -> HTMLNode {
            el("label") {
                el("span") { label }
                el("textarea", .name(name), Attr("rows", "4")) { lines.joined(separator: "\n") }
                el("small") { hint }
            }
        }
        return el("section") {
            el("h2") { "Внести изменения" }
            el("p", .class("muted")) { "Изменение сохраняется новой редакцией с приказом, которым оно утверждено; прежние редакции остаются." }
            el("form", .class("stack"), .method("post"), .action("/plans/\(plan.id!)/amend")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(plan.version)))
                UI.field("Наименование", name: "name", value: passport.name, required: true)
                UI.field("Начало", name: "start", value: passport.start.russian, required: true)
                UI.field("Окончание", name: "end", value: passport.end.russian, required: true)
                el("label") { el("span") { "Цель" }; el("textarea", .name("goal"), Attr("rows", "3")) { passport.goal } }
                area("Задачи", "tasks", passport.tasks, hint: "по одной в строке")
                area("Участники (коды школ)", "participants", passport.participants, hint: "по одному коду в строке")
                area("Ожидаемые результаты", "expected_results", passport.expectedResults, hint: "по одному в строке")
                area("Финансирование", "funding", passport.funding, hint: "строка на источник и год")
                area("Нормативная основа", "basis", passport.basis, hint: "документ в строке")
                UI.field("Приказ №", name: "order_number", value: nil, required: true)
                UI.field("Дата приказа", name: "order_date", value: nil, hint: "ДД.ММ.ГГГГ")
                UI.field("Основание, примечание", name: "note", value: nil)
                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить редакцию" } }
            }
            el("h2") { "Уровни эффективности" }
            el("form", .class("row"), .method("post"), .action("/plans/\(plan.id!)/bands")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(plan.version)))
                UI.field("Высокий — от", name: "high", value: String(plan.bandHigh), type: "number", required: true)
                UI.field("Средний — от", name: "medium", value: String(plan.bandMedium), type: "number", required: true)
                UI.field("Удовлетворительный — от", name: "satisfactory", value: String(plan.bandSatisfactory), type: "number", required: true)
                el("button", .type("submit"), .class("secondary")) { "Сохранить уровни" }
            }
        }
    }

    // MARK: roadmap

    static func roadmap(_ model: RoadmapPageModel, _ context: PageContext) -> HTMLNode {
        let plan = model.plan, id = plan.id!
        let states: [MeasureProgress] = [.done, .inProgress, .overdue, .notStarted, .cancelled]
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
                    (model.sections + (model.rows.isEmpty ? [] : [("Итого", model.total)])).map { section, tally in
                        el("tr") {
                            el("td") { section.isEmpty ? "Без раздела" : section }
                            states.map { state in el("td", .class("num")) { String(tally[state]) } }
                            el("td", .class("num")) { String(tally.total) }
                            el("td", .class("num")) { tally.doneRate.map { RussianFormat.number($0) } ?? "—" }
                        }
                    }
                }
            }
            if !model.overdueByResponsible.isEmpty {
                el("h2") { "Просрочено — по ответственным" }
                el("table", .id("overdue")) {
                    el("thead") { el("tr") { el("th") { "Ответственные" }; el("th") { "Мероприятия" } } }
                    el("tbody") {
                        model.overdueByResponsible.map { who, rows in
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
                RoadmapPageModel.filters.map { key in
                    let label: String
                    switch key {
                    case "all": label = "все"
                    case "undated": label = "срок не распознан"
                    default: label = MeasureProgress(rawValue: key)?.russianName ?? key
                    }
                    return el("a", .href("/plans/\(id)/roadmap?show=\(key)"), .when(model.filter == key, .class("active"))) { label }
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
            model.paging.links("/plans/\(id)/roadmap", [("show", model.filter)])
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
                    if row.progress == .overdue, let next = row.nextDue(after: today) { el("div", .class("muted")) { "срок \(next.russian)" } }
                }
            })
        }
        return nodes
    }

    // MARK: one measure

    static func measure(_ plan: PlanModel, _ row: RoadmapRow, canChange: Bool, form: [String: String]? = nil, error: String? = nil,
                        _ context: PageContext) -> HTMLNode {
        let id = plan.id!
        func value(_ key: String, _ stored: String?) -> String? { form?[key] ?? stored }
        return Layout.page("Мероприятие № \(row.measure.number)", context, active: .plans) {
            tabs(plan, "roadmap")
            el("h2") { "Мероприятие № \(row.measure.number)" }
            if let error { el("div", .class("flash error"), Attr("role", "alert")) { error } }
            el("dl", .class("facts panel")) {
                el("dt") { "Раздел" }; el("dd") { row.measure.section }
                el("dt") { "Мероприятие" }; el("dd") { row.measure.measure }
                el("dt") { "Срок в плане" }; el("dd") { row.measure.deadline }
                el("dt") { "Прочитан как" }; el("dd") { row.reading.kind.russianName + (row.reading.due.isEmpty ? "" : ": " + row.reading.due.map(\.russian).joined(separator: ", ")) }
                el("dt") { "Ответственные" }; el("dd") { row.measure.responsible ?? "не указаны" }
                el("dt") { "Ожидаемый результат" }; el("dd") { row.result ?? "—" }
                el("dt") { "Исполнение" }; el("dd") { progressTag(row.progress) }
                el("dt") { "Подтверждение" }; el("dd") { row.evidence ?? "—" }
            }
            if row.progress == .overdue {
                el("p") {
                    el("a", .href("/decisions?kind=measure&ref=\(row.id)&programme=\(id)"), .class("button secondary")) { "Принять управленческое решение" }
                }
            }
            if canChange {
                el("form", .class("stack"), .method("post"), .action("/plans/\(id)/measures/\(row.id)")) {
                    Layout.csrfField(context.csrf)
                    el("input", .type("hidden"), .name("version"), .value(form?["version"] ?? String(row.version)))
                    UI.select("Статус", name: "status", options: MeasureStatus.allCases.map { ($0.rawValue, $0.russianName) },
                              selected: value("status", row.measure.status.rawValue), required: true)
                    UI.field("Дата выполнения", name: "done_on", value: value("done_on", row.measure.doneOn?.russian), hint: "ДД.ММ.ГГГГ, для выполненного")
                    UI.field("Назначенная дата", name: "dated_on", value: value("dated_on", row.measure.datedOn?.russian),
                             hint: "если срок в плане не называет даты («по отдельному графику»)")
                    el("label") {
                        el("span") { "Подтверждение (ссылки, номера документов)" }
                        el("textarea", .name("evidence"), Attr("rows", "3")) { value("evidence", row.evidence) ?? "" }
                    }
                    el("label") {
                        el("span") { "Комментарий" }
                        el("textarea", .name("comment"), Attr("rows", "3")) { value("comment", row.comment) ?? "" }
                    }
                    el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить" } }
                }
            }
        }
    }

    // MARK: calendar

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

    // MARK: indicators

    static func indicators(_ model: IndicatorsPageModel, _ context: PageContext) -> HTMLNode {
        let plan = model.plan, id = plan.id!
        return Layout.page("Показатели: \(plan.name)", context, active: .plans) {
            tabs(plan, "indicators")
            el("div", .class("toolbar")) {
                el("span", .class("spacer"))
                el("a", .href("/plans/\(id)/indicators/export.docx")) { "Отчёт по показателям (DOCX)" }
                el("a", .href("/plans/\(id)/indicators/export.xlsx")) { "XLSX" }
            }
            if !model.dueNow.isEmpty {
                el("div", .class("panel"), .id("schedule")) {
                    el("b") { "\(CollectionMonths.inMonth(model.month).capitalizedFirst) по графику сбора показателей: \(model.dueNow.count)." }
                    if model.missingNow.isEmpty { " Значения за этот год внесены." }
                    else {
                        " Нет значения за этот год: "
                        model.missingNow.map { $0.code }.joined(separator: ", ")
                    }
                }
            }
            el("h2") { "Оценка эффективности по годам" }
            el("table", .id("scores")) {
                el("thead") { el("tr") { el("th") { "Год" }; el("th", .class("num")) { "Баллы" }; el("th", .class("num")) { "Максимум" }; el("th") { "Уровень" }; el("th") { "" } } }
                el("tbody") {
                    if model.scores.isEmpty { UI.emptyRow(5, "Значений показателей нет: загрузите их (вид «Значения показателей») или внесите ниже") }
                    model.scores.map { year in
                        el("tr") {
                            el("td") { String(year.year) }
                            el("td", .class("num")) { String(year.score.total) }
                            el("td", .class("num")) { String(year.score.maximum) }
                            el("td") { levelTag(year.score.level) }
                            el("td", .class("muted")) { year.score.unreachable.joined(separator: "; ") }
                        }
                    }
                }
            }
            el("p", .class("muted")) {
                "Рубрика: наличие 0–2, динамика 0–3, документальное подтверждение 0–2 (до 7 баллов за показатель); максимум — по числу оценённых в году показателей. Уровни: высокий от \(plan.bandHigh), средний от \(plan.bandMedium), удовлетворительный от \(plan.bandSatisfactory)."
            }
            el("h2") { "Показатели" }
            el("div", .class("scroll")) {
                el("table", .id("indicators")) {
                    el("thead") {
                        el("tr") {
                            el("th") { "Код" }; el("th") { "Показатель" }; el("th") { "Сбор" }
                            model.years.map { year in el("th", .class("num")) { "\(year): значение / цель / баллы" } }
                            el("th", .class("num")) { "Расчёт Opora, \(model.computedYear)" }
                        }
                    }
                    el("tbody") {
                        if model.lines.isEmpty { UI.emptyRow(4 + model.years.count, "Показателей нет: загрузите их (вид «Показатели программы»)") }
                        model.lines.map { line in
                            el("tr") {
                                el("td") { line.indicator.code }
                                el("td") {
                                    line.indicator.name
                                    el("div", .class("muted")) { [line.indicator.unit, line.indicator.indicatorDirection == .down ? "чем меньше, тем лучше" : nil, line.indicator.source].compactMap { $0 }.joined(separator: " · ") }
                                }
                                el("td") { [line.indicator.periodicity, line.indicator.monthList.isEmpty ? nil : CollectionMonths.russian(line.indicator.monthList)].compactMap { $0 }.joined(separator: ": ") }
                                model.years.map { year in
                                    el("td", .class("num")) {
                                        if let value = line.values[year] {
                                            RussianFormat.number(value.value, digits: 2)
                                            " / " + (value.target.map { RussianFormat.number($0, digits: 2) } ?? "—")
                                            " / " + (value.points.map { "\($0) б." } ?? "—")
                                            if let target = value.target, !line.indicator.indicatorDirection.meets(value.value, target: target) {
                                                el("div") { el("a", .href("/decisions?kind=indicator&ref=\(line.indicator.id!)&programme=\(id)&year=\(year)"), .class("tag bad")) { "цель не достигнута" } }
                                            }
                                            if let note = model.disagreement(line.indicator.code, year: year) {
                                                el("div") {
                                                    el("span", .class("tag warn"), .title(note)) { "расходится с расчётом Opora" }
                                                }
                                                el("div", .class("muted")) { note }
                                            }
                                            el("div", .class("muted")) { "\(value.monitoringPhase.russianName) этап · \(value.enteredBy)" }
                                        } else { "—" }
                                    }
                                }
                                el("td", .class("num")) {
                                    if let share = line.computed, let rate = share.rate { "\(RussianFormat.number(rate)) % (\(share.count) из \(share.base))" }
                                    else if let formula = line.indicator.indicatorFormula {
                                        el("span", .class("muted"), .title(formula.russianName)) { "нет данных" }
                                    } else { "" }
                                }
                            }
                        }
                    }
                }
            }
            if model.canChange && !model.lines.isEmpty {
                el("h2") { "Внести значение" }
                el("form", .class("stack"), .method("post"), .action("/plans/\(id)/values")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Показатель", name: "indicator", options: model.lines.map { ($0.indicator.code, "\($0.indicator.code). \($0.indicator.name.prefix(80))") }, selected: nil, required: true)
                    UI.field("Год", name: "year", value: String(model.computedYear), type: "number", required: true)
                    UI.select("Этап мониторинга", name: "phase", options: MonitoringPhase.allCases.map { ($0.rawValue, $0.russianName) }, selected: MonitoringPhase.final.rawValue)
                    UI.field("Значение", name: "value", value: nil, required: true)
                    UI.field("Целевое значение", name: "target", value: nil)
                    UI.field("Наличие (0–2)", name: "presence", value: nil, type: "number")
                    UI.field("Динамика (0–3)", name: "dynamics", value: nil, type: "number")
                    UI.field("Документальное подтверждение (0–2)", name: "documentation", value: nil, type: "number")
                    UI.field("Комментарий", name: "comment", value: nil)
                    el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить значение" } }
                }
            }
        }
    }
}
