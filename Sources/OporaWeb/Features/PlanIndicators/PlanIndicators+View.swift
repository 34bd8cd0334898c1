import Foundation
import OporaData
import OporaDomain

extension PlansView {
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
