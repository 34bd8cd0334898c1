import Foundation
import OporaData
import OporaDomain

enum ExecutionView {
    static func page(_ model: ProgrammeExecutionModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Выполнение программы", context, active: .programmes) {
            el("h1") { "Выполнение программы «\(model.title)»" }
            el("p", .class("lead")) {
                el("a", .href("/schools/\(model.schoolID)")) { model.school }
                " · \(model.period.lowerBound)–\(model.period.upperBound) · "
                el("a", .href("/programmes/\(model.programmeID)")) { "текст программы" }
            }
            if !model.approved {
                el("div", .class("flash error")) { "Программа ещё не утверждена: выполнение отмечается по утверждённой программе." }
            } else {
                el("p", .id("tally")) {
                    "Мероприятий \(model.tally.total): выполнено \(model.tally[.done]), выполняется \(model.tally[.inProgress]), "
                    "просрочено \(model.tally[.overdue]), не начато \(model.tally[.notStarted]), отменено \(model.tally[.cancelled])"
                    model.tally.doneRate.map { " · выполнено \(RussianFormat.number($0)) %" } ?? ""
                }
                el("h2") { "Мероприятия" }
                measures(model, context)
                el("h2") { "Показатели" }
                indicators(model, context)
            }
        }
    }

    static func measureAction(_ model: ProgrammeExecutionModel, _ key: String) -> String {
        "/programmes/\(model.programmeID)/execution/measures/\(key)"
    }

    static func indicatorAction(_ model: ProgrammeExecutionModel, _ key: String) -> String {
        "/programmes/\(model.programmeID)/execution/indicators/\(key)"
    }

    static func measures(_ model: ProgrammeExecutionModel, _ context: PageContext) -> HTMLNode {
        el("table", .id("measures")) {
            el("thead") {
                el("tr") {
                    el("th", .class("num")) { "№" }; el("th") { "Мероприятие" }; el("th") { "Срок" }; el("th") { "Состояние" }
                    el("th") { "Дата выполнения" }; el("th") { "Подтверждение" }; el("th") { "Комментарий" }
                    if model.mayReport { el("th") { "Отметить" } }
                }
            }
            el("tbody") {
                if model.measures.isEmpty { UI.emptyRow(7, "В программе нет мероприятий") }
                model.measures.map { measure in
                    el("tr", .id("measure-\(measure.key)")) {
                        el("td", .class("num")) { String(measure.number) }
                        el("td") { measure.text }
                        el("td") { measure.deadline }
                        el("td") { PlansView.progressTag(measure.line.progress) }
                        el("td") { measure.line.execution.doneOn?.russian ?? "" }
                        el("td") { evidence(measure.line.execution.evidence) }
                        el("td") {
                            measure.line.execution.comment
                            if let updated = measure.updated { el("small", .class("muted")) { " (\(updated))" } }
                        }
                        if model.mayReport { el("td") { measureForm(model, measure, context) } }
                    }
                }
            }
        }
    }

    /// A link is shown as one when it is a web address; anything else as text.
    static func evidence(_ text: String) -> HTMLNode {
        if (text.hasPrefix("https://") || text.hasPrefix("http://")) && !text.contains(where: \.isWhitespace) {
            return el("a", .href(text), Attr("rel", "noopener noreferrer")) { text }
        }
        return el("span") { text }
    }

    static func measureForm(
        _ model: ProgrammeExecutionModel, _ measure: ProgrammeExecutionModel.Measure, _ context: PageContext
    ) -> HTMLNode {
        let action = measureAction(model, measure.key)
        let echo = model.echo
        let status = echo.value("status", for: action, stored: measure.line.execution.status.rawValue)
        return el("form", .method("post"), .action(action), .class("stack")) {
            Layout.csrfField(context.csrf)
            if let message = echo.message(for: action) { el("div", .class("flash error"), Attr("role", "alert")) { message } }
            el("input", .type("hidden"), .name("version"), .value(echo.value("version", for: action, stored: String(measure.version))))
            UI.select("Статус", name: "status", options: MeasureStatus.allCases.map { ($0.rawValue, $0.russianName) }, selected: status,
                      required: true, error: echo.error("status", for: action))
            UI.field("Дата выполнения", name: "done_on",
                     value: echo.value("done_on", for: action, stored: measure.line.execution.doneOn?.russian ?? ""), hint: "ДД.ММ.ГГГГ",
                     error: echo.error("done_on", for: action), warning: echo.warning("done_on", for: action))
            UI.field("Подтверждение (текст или ссылка)", name: "evidence",
                     value: echo.value("evidence", for: action, stored: measure.line.execution.evidence),
                     error: echo.error("evidence", for: action))
            UI.field("Комментарий", name: "comment", value: echo.value("comment", for: action, stored: measure.line.execution.comment),
                     error: echo.error("comment", for: action))
            el("button", .type("submit")) { "Сохранить" }
        }
    }

    static func indicators(_ model: ProgrammeExecutionModel, _ context: PageContext) -> HTMLNode {
        el("table", .id("indicators")) {
            el("thead") {
                el("tr") {
                    el("th") { "Показатель" }; el("th") { "Базовое" }; el("th") { "Целевое" }
                    MonitoringPhase.allCases.map { phase in el("th", .class("num")) { phase.russianName.capitalized } }
                    el("th") { "Достигнут" }
                    if model.mayReport { el("th") { "Ввести значения" } }
                }
            }
            el("tbody") {
                if model.indicators.isEmpty { UI.emptyRow(7, "В программе нет показателей") }
                model.indicators.map { indicator in
                    el("tr", .id("indicator-\(indicator.key)")) {
                        let unit = indicator.line.indicator.unit
                        el("td") { indicator.line.indicator.name + (unit.isEmpty ? "" : ", \(unit)") }
                        el("td") { indicator.line.indicator.baseline }
                        el("td") { indicator.line.indicator.target }
                        MonitoringPhase.allCases.map { phase in
                            el("td", .class("num")) {
                                indicator.line.values[phase].map { RussianFormat.number($0, digits: 2) } ?? "—"
                                if let who = indicator.entered[phase] { el("small", .class("muted")) { " (\(who))" } }
                            }
                        }
                        el("td") { metTag(indicator.line.met) }
                        if model.mayReport { el("td") { indicatorForm(model, indicator, context) } }
                    }
                }
            }
        }
    }

    static func metTag(_ met: Bool?) -> HTMLNode {
        switch met {
        case true?: el("span", .class("tag good")) { "да" }
        case false?: el("span", .class("tag bad")) { "нет" }
        case nil: el("span", .class("tag")) { "нет данных" }
        }
    }

    static func indicatorForm(
        _ model: ProgrammeExecutionModel, _ indicator: ProgrammeExecutionModel.Indicator, _ context: PageContext
    ) -> HTMLNode {
        let action = indicatorAction(model, indicator.key)
        let echo = model.echo
        return el("form", .method("post"), .action(action), .class("stack")) {
            Layout.csrfField(context.csrf)
            if let message = echo.message(for: action) { el("div", .class("flash error"), Attr("role", "alert")) { message } }
            MonitoringPhase.allCases.map { phase in
                el("div") {
                    el("input", .type("hidden"), .name("version_\(phase.rawValue)"),
                       .value(echo.value("version_\(phase.rawValue)", for: action, stored: String(indicator.versions[phase] ?? 0))))
                    UI.field(phase.russianName.capitalized + " этап", name: "value_\(phase.rawValue)",
                             value: echo.value("value_\(phase.rawValue)", for: action,
                                               stored: indicator.line.values[phase].map { RussianFormat.number($0, digits: 4) } ?? ""),
                             error: echo.error("value_\(phase.rawValue)", for: action))
                }
            }
            el("button", .type("submit")) { "Сохранить" }
        }
    }

    static func board(_ model: ExecutionBoardModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Как выполняются программы школ", context, active: .programmes) {
            el("h1") { "Как выполняются программы школ" }
            el("p", .class("lead")) {
                "Утверждённые программы школ на \(model.today.russian): просроченные мероприятия "
                "(срок прошёл, а мероприятие не выполнено) "
                "и показатели, последнее значение которых не достигает целевого."
            }
            el("p", .id("totals")) {
                "Всего мероприятий \(model.total.total): выполнено \(model.total[.done]), просрочено \(model.overdueTotal); "
                "показателей \(model.indicatorCount): достигнуто \(model.indicatorsMet), не достигают цели \(model.offTargetTotal)"
            }
            el("table", .id("schools")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Школа" }; el("th") { "Муниципалитет" }; el("th") { "Программы" }
                        el("th", .class("num")) { "Мероприятий" }; el("th", .class("num")) { "Выполнено" }
                        el("th") { "Просрочены" }; el("th", .class("num")) { "Показатели: достигнуто" }; el("th") { "Не достигают цели" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(8, "Утверждённых программ школ нет") }
                    model.rows.map { row in
                        el("tr", .id("school-\(row.schoolID)")) {
                            el("td") { el("a", .href("/schools/\(row.schoolID)")) { row.school } }
                            el("td") { row.municipality }
                            el("td") {
                                el("ul") {
                                    row.programmes.map { programme in
                                        el("li") { el("a", .href("/programmes/\(programme.id)/execution")) { programme.title } }
                                    }
                                }
                            }
                            el("td", .class("num")) { String(row.tally.total) }
                            el("td", .class("num")) { String(row.tally[.done]) }
                            el("td") { list(row.overdue) }
                            el("td", .class("num")) { "\(row.indicatorsMet) из \(row.indicatorCount)" }
                            el("td") { list(row.offTarget) }
                        }
                    }
                }
            }
        }
    }

    static func list(_ items: [String]) -> HTMLNode {
        if items.isEmpty { return el("span", .class("muted")) { "нет" } }
        return el("ul") { items.map { item in el("li") { item } } }
    }
}
