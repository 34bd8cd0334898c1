import Foundation
import OporaData
import OporaDomain

extension PlansView {
    static func indicators(_ model: IndicatorsPageModel, _ context: PageContext, echo: FormEcho? = nil) -> HTMLNode {
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
                    el("b") { "\(CollectionMonths.inMonth(model.month).capitalizedFirst) по графику сбора показателей: "
                        + "\(model.dueNow.count)." }
                    if model.missingNow.isEmpty { " Значения за этот год внесены." }
                    else {
                        " Нет значения за этот год: "
                        model.missingNow.map { $0.code }.joined(separator: ", ")
                    }
                }
            }
            el("h2") { "Оценка эффективности по годам" }
            el("table", .id("scores")) {
                el("thead") { el("tr") { el("th") { "Год" }; el("th", .class("num")) { "Баллы" }; el("th", .class("num")) { "Максимум" }
                el("th") { "Уровень" }; el("th") { "" } } }
                el("tbody") {
                    if model.scores.isEmpty { UI.emptyRow(5,
                        "Значений показателей нет: загрузите их (вид «Значения показателей») или внесите ниже") }
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
                "Рубрика: наличие 0–2, динамика 0–3, документальное подтверждение 0–2 (до 7 баллов за показатель); максимум — по числу "
                    + "оценённых в году показателей. Уровни: высокий от \(plan.bandHigh), средний от \(plan.bandMedium), "
                        + "удовлетворительный от \(plan.bandSatisfactory)."
            }
            el("h2") { "Показатели" }
            el("div", .class("scroll")) {
                el("table", .id("indicators")) {
                    el("thead") {
                        el("tr") {
                            el("th") { "Код" }; el("th") { "Показатель" }; el("th") { "Сбор" }
                            model.years.map { year in el("th", .class("num")) { "\(year): значение / цель / баллы" } }
                            el("th", .class("num")) { "Расчёт Опоры, \(model.computedYear)" }
                        }
                    }
                    el("tbody") {
                        if model.lines.isEmpty { UI.emptyRow(4 + model.years.count,
                            "Показателей нет: загрузите их (вид «Показатели программы»)") }
                        model.lines.map { line in
                            el("tr") {
                                el("td") { line.indicator.code }
                                el("td") {
                                    line.indicator.name
                                    el("div", .class("muted")) { [line.indicator.unit,
                                        line.indicator.indicatorDirection == .down ? "чем меньше, тем "
                                            + "лучше" : nil, line.indicator.source].compactMap { $0 }.joined(separator: " · ") }
                                }
                                el("td") { [line.indicator.periodicity,
                                    line.indicator.monthList.isEmpty ? nil : CollectionMonths.russian(line.indicator.monthList)]
                                        .compactMap { $0 }.joined(separator: ": ") }
                                model.years.map { year in
                                    el("td", .class("num")) {
                                        if let value = line.values[year] {
                                            RussianFormat.number(value.value, digits: 2)
                                            " / " + (value.target.map { RussianFormat.number($0, digits: 2) } ?? "—")
                                            " / " + (value.points.map { "\($0) б." } ?? "—")
                                            if let target = value.target, !line.indicator.indicatorDirection.meets(value.value,
                                                target: target) {
                                                let decide = "/decisions?kind=indicator&ref=\(line.indicator.id!)&programme=\(id)"
                                                    + "&year=\(year)"
                                                el("div") { el("a", .href(decide), .class("tag bad")) { "цель не достигнута" } }
                                            }
                                            if let note = model.disagreement(line.indicator.code, year: year) {
                                                el("div") {
                                                    el("span", .class("tag warn"), .title(note)) { "расходится с расчётом Опоры" }
                                                }
                                                el("div", .class("muted")) { note }
                                            }
                                            el("div", .class("muted")) { "\(value.monitoringPhase.russianName) этап · \(value.enteredBy)" }
                                        } else { "—" }
                                    }
                                }
                                el("td", .class("num")) {
                                    if let share = line.computed, let rate = share.rate { "\(RussianFormat.number(rate)) % "
                                        + "(\(share.count) из \(share.base))" }
                                    else if let formula = line.indicator.indicatorFormula {
                                        el("span", .class("muted"), .title(formula.russianName)) { "нет данных" }
                                    } else { "" }
                                }
                            }
                        }
                    }
                }
            }
            if model.canChange && !model.lines.isEmpty { valueForm(model, context, echo: echo) }
        }
    }

    /// One indicator's value for a year, checked field by field; a refused value comes back as typed.
    static func valueForm(_ model: IndicatorsPageModel, _ context: PageContext, echo: FormEcho?) -> HTMLNode {
        let action = "/plans/\(model.plan.id!)/values"
        func value(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        func field(_ label: String, _ name: String, stored: String = "", required: Bool = false, hint: String? = nil) -> HTMLNode {
            UI.field(label, name: name, value: value(name, stored), required: required, hint: hint, error: echo.error(name, for: action))
        }
        let indicators = model.lines.map { ($0.indicator.code, "\($0.indicator.code). \($0.indicator.name.prefix(80))") }
        return el("section", .id("new-value")) {
            el("h2") { "Внести значение" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                UI.select("Показатель", name: "indicator", options: indicators, selected: value("indicator"), required: true,
                          includeEmpty: "— выберите показатель —", error: echo.error("indicator", for: action),
                          searchable: indicators.count > 12)
                field("Год", "year", stored: String(model.computedYear), required: true)
                UI.select("Этап мониторинга", name: "phase", options: MonitoringPhase.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: value("phase", MonitoringPhase.final.rawValue), required: true, error: echo.error("phase", for: action))
                field("Значение", "value", required: true, hint: "число: 94,5")
                field("Целевое значение", "target", hint: "число, если у показателя есть цель")
                field("Наличие (0–2)", "presence")
                field("Динамика (0–3)", "dynamics")
                field("Документальное подтверждение (0–2)", "documentation")
                field("Комментарий", "comment")
                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить значение" } }
            }
        }
    }
}
