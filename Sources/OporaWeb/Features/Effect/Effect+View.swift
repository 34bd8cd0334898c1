import OporaData
import OporaDomain

/// Renders «Результативность поддержки»: the verdict first, then the groups, the chart, each school, the breakdown and
/// the method.
enum EffectView {
    static func page(_ model: EffectModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Результативность поддержки", context, active: .effect) {
            el("h1") { "Результативность поддержки" }
            el("p", .class("lead")) {
                "Улучшились ли школы перечня больше, чем сопоставимые школы, которых не поддерживали? \(model.scopeLabel)."
            }
            form(model)
            if !model.hasOrder {
                el("div", .class("panel"), .id("no-order")) {
                    "На \(model.from) год для «\(model.scopeLabel)» нет приказа об утверждении перечня: поддержанные школы не определены. "
                    el("a", .href("/identification/lists")) { "Приказы" }
                }
            } else if let analysis = model.analysis, let procedure = model.procedure {
                result(model, analysis, procedure: procedure)
            } else {
                el("p", .class("empty")) { "Нет результатов процедур в оба года окна." }
            }
            method()
        }
    }

    static func form(_ model: EffectModel) -> HTMLNode {
        let years = model.years.isEmpty ? [model.from, model.to] : model.years
        return el("form", .class("row"), .method("get"), .action("/effect")) {
            if !model.municipalities.isEmpty {
                UI.select("Территория", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) },
                          selected: model.municipality.map(String.init), includeEmpty: "вся территория")
            }
            UI.select("С года", name: "from", options: years.map { (String($0), String($0)) }, selected: String(model.from))
            UI.select("По год", name: "to", options: years.map { (String($0), String($0)) }, selected: String(model.to))
            UI.select("Процедура", name: "procedure", options: model.procedures.map { ($0.rawValue, $0.russianShortName) },
                      selected: model.procedure?.rawValue)
            UI.select("Показатель", name: "metric", options: EffectMetric.allCases.map { ($0.rawValue, $0.russianName) },
                      selected: model.metric.rawValue)
            el("button", .type("submit"), .class("secondary")) { "Показать" }
        }
    }

    static func value(_ number: Double?) -> String { RussianFormat.optionalNumber(number) }

    static func result(_ model: EffectModel, _ analysis: EffectAnalysis, procedure: ProcedureCode) -> HTMLNode {
        let main = analysis.main
        return HTMLNode(.fragment([
            el("section", .class("panel"), .id("verdict")) {
                el("h2") { "\(procedure.russianShortName): \(analysis.metric.russianName), \(analysis.from) → \(analysis.to)" }
                if main.enough {
                    el("p", .class("big")) { EffectWording.verdict(main, metric: analysis.metric) }
                } else {
                    el("p", .class("big"), .id("too-few")) { "Недостаточно школ, чтобы судить." }
                    el("p") { EffectWording.verdict(main, metric: analysis.metric) }
                }
                el("table", .class("data")) {
                    el("thead") {
                        el("tr") {
                            el("th") { "Группа" }; el("th") { "Школ" }; el("th") { "\(analysis.from), %" }
                            el("th") { "\(analysis.to), %" }; el("th") { "Изменение, п. п." }
                        }
                    }
                    el("tbody") {
                        groupRow("Поддержанные (в перечне на \(analysis.from) год)", main.supported)
                        groupRow("Сопоставимые (вне перечней, в пределах поддержанных)", main.comparison)
                    }
                }
                el("p", .id("sensitivity")) {
                    el("strong") { "Чувствительность. " }
                    "Если сравнивать со всеми школами вне перечней (\(analysis.sensitivity.comparison.schools)): "
                    EffectWording.verdict(analysis.sensitivity, metric: analysis.metric)
                }
                if let range = analysis.range {
                    el("p", .class("muted")) {
                        "Сопоставимые школы отобраны по значению \(analysis.from) года от \(value(range.lowerBound + 1e-9)) до "
                            + "\(value(range.upperBound - 1e-9)) %."
                    }
                }
            },
            chart(analysis),
            schools(model, analysis),
            breakdown(model),
        ]))
    }

    static func groupRow(_ name: String, _ group: EffectGroup) -> HTMLNode {
        el("tr") {
            el("td") { name }; el("td", .class("num")) { String(group.schools) }
            el("td", .class("num")) { value(group.before) }; el("td", .class("num")) { value(group.after) }
            el("td", .class("num")) { group.change.map { RussianFormat.signedDifference($0) } ?? "—" }
        }
    }

    static func chart(_ analysis: EffectAnalysis) -> HTMLNode {
        let years = Array(min(analysis.from, analysis.to)...max(analysis.from, analysis.to))
        func series(_ name: String, _ color: String, _ group: EffectGroup) -> SVGCharts.Series {
            SVGCharts.Series(name: name, color: color, points: years.map { (String($0), group.byYear[$0]) })
        }
        return el("section", .class("panel"), .id("chart")) {
            el("h2") { "Обе группы по годам окна, %" }
            SVGCharts.lines([
                series("Поддержанные", "#c0392b", analysis.main.supported), series("Сопоставимые", "#2f6fb3", analysis.main.comparison),
            ])
        }
    }

    static func schools(_ model: EffectModel, _ analysis: EffectAnalysis) -> HTMLNode {
        el("section", .class("panel"), .id("schools")) {
            el("h2") { "Школы" }
            el("table", .class("data")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Школа" }; el("th") { "Группа" }; el("th") { "\(analysis.from), %" }; el("th") { "\(analysis.to), %" }
                        el("th") { "Изменение, п. п." }
                    }
                }
                el("tbody") {
                    if analysis.lines.isEmpty { UI.emptyRow(5, "Нет школ с результатами в оба года") }
                    analysis.lines.map { line in
                        el("tr") {
                            el("td") { el("a", .href("/schools/\(line.schoolID)")) { model.names[line.schoolID] ?? "#\(line.schoolID)" } }
                            el("td") { line.group == .supported ? "поддержанная" : "сопоставимая" }
                            el("td", .class("num")) { value(line.before) }; el("td", .class("num")) { value(line.after) }
                            el("td", .class("num")) { RussianFormat.signedDifference(line.after - line.before) }
                        }
                    }
                }
            }
        }
    }

    static func breakdown(_ model: EffectModel) -> HTMLNode {
        guard !model.breakdown.isEmpty else { return .empty }
        return el("section", .class("panel"), .id("breakdown")) {
            el("h2") { "По процедурам и показателям" }
            el("table", .class("data")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Процедура" }; el("th") { "Показатель" }; el("th") { "Поддерж." }; el("th") { "Сопост." }
                        el("th") { "Эффект, п. п." }; el("th") { "95 % интервал" }
                    }
                }
                el("tbody") {
                    model.breakdown.map { item in
                        el("tr") {
                            el("td") { item.procedure.russianShortName }; el("td") { item.metric.russianName }
                            el("td", .class("num")) { String(item.estimate.supported.schools) }
                            el("td", .class("num")) { String(item.estimate.comparison.schools) }
                            if item.estimate.enough, let effect = item.estimate.effect {
                                el("td", .class("num")) { RussianFormat.signedDifference(effect) }
                                el("td", .class("num")) {
                                    item.estimate.interval.map {
                                        "\(RussianFormat.signedDifference($0.lower)) … \(RussianFormat.signedDifference($0.upper))"
                                    } ?? "—"
                                }
                            } else {
                                el("td", Attr("colspan", "2")) { EffectWording.tooFew }
                            }
                        }
                    }
                }
            }
        }
    }

    static func method() -> HTMLNode {
        el("section", .class("panel"), .id("method")) {
            el("h2") { "Как считается" }
            EffectWording.method.map { paragraph in el("p") { paragraph } }
        }
    }
}
