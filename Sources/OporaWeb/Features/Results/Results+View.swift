import Foundation
import OporaData
import OporaDomain

enum ResultsView {
    static func percent(_ value: Double?) -> String { RussianFormat.optionalNumber(value) }

    static func explorer(_ model: ResultsExplorerModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Результаты", context, active: .results) {
            el("h1") { "Результаты оценочных процедур" }
            if model.works.isEmpty {
                el("div", .class("panel")) {
                    el("p") {
                        "Результатов пока нет. Загрузите их на странице «Загрузка данных» (итоги по школам или результаты учеников)."
                    }
                }
            } else if let work = model.selected {
                el("form", .class("row"), .method("get"), .action("/results")) {
                    UI.select(
                        "Работа", name: "work", options: model.works.map { ($0.encoded, ResultLabels.work($0, subjects: model.subjects)) },
                        selected: work.encoded)
                    UI.field("Мин. размер группы", name: "min", value: String(model.minimumGroup), type: "number")
                    el("input", .type("hidden"), .name("sort"), .value(model.sort))
                    el("button", .type("submit"), .class("secondary")) { "Показать" }
                    el("span", .class("spacer"))
                    el("a", .class("button secondary"), .href(exportLink(model, "csv"))) { "CSV" }
                    el("a", .class("button secondary"), .href(exportLink(model, "xlsx"))) { "XLSX" }
                    el("a", .class("button secondary"), .href("/results/objectivity?year=\(work.year)")) { "Объективность" }
                    el("a", .class("button secondary"), .href("/tasks")) { "Анализ ВПР по заданиям" }
                }
                el("p", .class("lead")) {
                    "\(ResultLabels.work(work, subjects: model.subjects)). Школ: \(model.rows.count). "
                    "Разница — в процентных пунктах с муниципалитетом. Интервал — 95 % (Уилсон): чем меньше группа, тем он шире."
                }
                table(model, work: work)
                model.paging.links("/results", [("work", work.encoded), ("sort", model.sort), ("min", String(model.minimumGroup))])
            }
        }
    }

    static func exportLink(_ model: ResultsExplorerModel, _ format: String) -> String {
        guard let work = model.selected else { return "/results" }
        return
            "/results/export.\(format)?work=\(work.encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&" +
            "sort=\(model.sort)&min=\(model.minimumGroup)"
    }

    static func sortHeader(_ model: ResultsExplorerModel, _ key: String, _ label: String, numeric: Bool = true) -> HTMLNode {
        let href =
            "/results?work=\(model.selected?.encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&sort=\(key)&" +
            "min=\(model.minimumGroup)"
        return el("th", .when(numeric, .class("num"))) {
            el("a", .href(href), .title("Упорядочить")) { label + (model.sort == key ? " ▾" : "") }
        }
    }

    static func table(_ model: ResultsExplorerModel, work: WorkKey) -> HTMLNode {
        el("table") {
            el("thead") {
                el("tr") {
                    sortHeader(model, "school", "Школа", numeric: false)
                    sortHeader(model, "participants", "Участ.")
                    sortHeader(model, "success", "Успеваемость, %")
                    el("th", .class("num")) { "± п.п. к МО" }
                    sortHeader(model, "quality", "Качество, %")
                    sortHeader(model, "mean", "Ср. отметка")
                    sortHeader(model, "sou", "СОУ, %")
                    sortHeader(model, "below", "Ниже порога, %")
                    sortHeader(model, "score", "Ср. балл")
                    sortHeader(model, "confirmed", "Подтв. отметку, %")
                }
            }
            el("tbody") {
                if model.rows.isEmpty { UI.emptyRow(10, "В вашей области доступа нет результатов по этой работе") }
                model.paging.slice(model.rows).map { row in
                    el("tr") {
                        el("td") {
                            el("a", .href("/schools/\(row.schoolID)/results")) { row.school }
                            if row.small {
                                " ";
                                el("span", .class("tag warn"), .title("Меньше \(model.minimumGroup) участников: доли неустойчивы")) {
                                    "малая группа"
                                }
                            }
                        }
                        el("td", .class("num")) { RussianFormat.integer(row.metrics.participants) }
                        el("td", .class("num")) {
                            percent(row.metrics.successRate)
                            if let interval = row.successInterval, row.small {
                                el("br");
                                el("small", .class("muted")) {
                                    "\(RussianFormat.number(interval.lower, digits: 0))–\(RussianFormat.number(interval.upper, digits: 0))"
                                }
                            }
                        }
                        el("td", .class("num")) { row.differenceSuccess.map { RussianFormat.signedDifference($0) } ?? "—" }
                        el("td", .class("num")) { percent(row.metrics.qualityRate) }
                        el("td", .class("num")) { RussianFormat.optionalNumber(row.metrics.meanMark, digits: 2) }
                        el("td", .class("num")) { percent(row.metrics.sou) }
                        el("td", .class("num")) {
                            let below = row.metrics.belowMinRate
                            if let below, below >= model.threshold - 1e-9 {
                                el("span", .class("tag bad"), .title("Не ниже порога действующих критериев")) { percent(below) }
                            } else {
                                percent(below)
                            }
                        }
                        el("td", .class("num")) { RussianFormat.optionalNumber(row.metrics.meanScore) }
                        el("td", .class("num")) { percent(row.metrics.confirmedRate) }
                    }
                }
                model.comparisons.map { comparison in
                    el("tr", .class("comparison")) {
                        el("td") { el("strong") { comparison.label }; " "; el("small", .class("muted")) { comparison.source } }
                        el("td", .class("num")) { comparison.participants.map(RussianFormat.integer) ?? "—" }
                        el("td", .class("num")) { percent(comparison.successRate) }
                        el("td", .class("num")) { "" }
                        el("td", .class("num")) {
                            percent(comparison.qualityRate)
                            if let flag = comparison.qualityFlag {
                                " "; el("span", .class("tag bad"), .title(flag)) { "качество > успеваемости" }
                            }
                        }
                        el("td", .class("num")) { RussianFormat.optionalNumber(comparison.meanMark, digits: 2) }
                        el("td", .class("num")) { "" }
                        el("td", .class("num")) { percent(comparison.belowMinRate) }
                        el("td", .class("num")) { RussianFormat.optionalNumber(comparison.meanScore) }
                        el("td", .class("num")) { "" }
                    }
                }
            }
        }
    }

    static func school(_ model: SchoolResultsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Результаты: \(model.school.displayName)", context, active: .results) {
            el("div", .class("toolbar")) {
                el("a", .href("/schools/\(model.school.id!)")) { "← Карточка школы" }
                el("span", .class("spacer"))
                el("a", .class("button secondary"), .href("/schools/\(model.school.id!)/results.csv")) { "CSV" }
                el("a", .class("button secondary"), .href("/schools/\(model.school.id!)/results.xlsx")) { "XLSX" }
            }
            el("h1") { model.school.name }
            el("p", .class("lead")) { "Динамика результатов по годам: успеваемость / качество / доля ниже порога, %." }
            if model.lines.isEmpty {
                el("div", .class("panel")) { el("p") { "Результатов по школе пока нет." } }
            } else {
                el("div", .class("panel")) {
                    el("h2", Attr("style", "margin-top:0")) { "Доля не преодолевших порог по годам, %" }
                    SVGCharts.lines(chartSeries(model), maxY: 60)
                }
                el("table") {
                    el("thead") {
                        el("tr") {
                            el("th") { "Работа" }
                            model.years.map { year in el("th", .class("num")) { "\(year): участ. · усп. · кач. · < порога" } }
                        }
                    }
                    el("tbody") {
                        model.lines.map { line in
                            el("tr") {
                                el("td") {
                                    "\(line.procedure.russianShortName), \(line.grade) кл., \(model.subjects[line.subject] ?? line.subject)"
                                }
                                model.years.map { year in
                                    el("td", .class("num")) {
                                        if let result = line.byYear[year] {
                                            let m = result.metrics()
                                            "\(m.participants) · \(percent(m.successRate)) · \(percent(m.qualityRate)) · " +
                                            "\(percent(m.belowMinRate))"
                                            if m.isSmallGroup(minimum: model.minimumGroup) {
                                                " "; el("span", .class("tag warn")) { "мало" }
                                            }
                                        } else {
                                            "—"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if let latest = latestDistribution(model) {
                    el("h2") { "Распределение отметок: \(latest.title)" }
                    el("div", .class("panel"), Attr("style", "max-width:520px")) {
                        SVGCharts.markDistribution(latest.counts, comparison: latest.municipality, comparisonName: "муниципалитет")
                    }
                }
            }
        }
    }

    static func chartSeries(_ model: SchoolResultsModel) -> [SVGCharts.Series] {
        let colors = ["#c0392b", "#1f5fa8", "#2e8b57", "#8e44ad", "#d4a017", "#16a085"]
        let candidates = model.lines.filter { ($0.subject == "rus" || $0.subject.hasPrefix("math")) && $0.byYear.count > 1 }
            .sorted {
                ($0.byYear.values.map(\.counts.participants).reduce(0, +)) > ($1.byYear.values.map(\.counts.participants).reduce(0, +))
            }
            .prefix(4)
        return candidates.enumerated().map { index, line in
            SVGCharts.Series(name: "\(line.procedure.russianShortName) \(line.grade) кл., \(model.subjects[line.subject] ?? line.subject)",
                             color: colors[index % colors.count],
                             points: model.years.map { (String($0), line.byYear[$0]?.metrics().belowMinRate) })
        }
    }

    static func latestDistribution(_ model: SchoolResultsModel) -> (title: String, counts: ResultCounts, municipality: ResultCounts?)? {
        guard
            let line = model.lines.filter({ $0.procedure == .vpr && $0.subject.hasPrefix("math") }).max(by: {
                ($0.byYear.keys.max() ?? 0, -$0.grade) < ($1.byYear.keys.max() ?? 0, -$1.grade)
            }) ?? model.lines.first,
            let year = line.byYear.keys.max(), let result = line.byYear[year], result.counts.hasMarks
        else { return nil }
        return (
            "\(line.procedure.russianShortName)-\(year), \(line.grade) класс, \(model.subjects[line.subject] ?? line.subject)",
            result.counts, model.municipalityCounts[result.work]
        )
    }

    static func objectivity(_ model: ObjectivityModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Объективность", context, active: .results) {
            el("h1") { "Объективность оценивания: ВПР и отметки по журналу" }
            el("p", .class("lead")) {
                "Доля работ ВПР, где отметка понижена, подтверждена или повышена относительно отметки по журналу. "
                "Это сигнал для проверки, а не вывод: низкое подтверждение или ВПР заметно выше ОГЭ — повод посмотреть внимательнее."
            }
            el("form", .class("row"), .method("get"), .action("/results/objectivity")) {
                UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: model.year.map(String.init))
                el("button", .type("submit"), .class("secondary")) { "Показать" }
                el("span", .class("spacer"))
                el("a", .class("button secondary"), .href("/results/objectivity/export.csv?year=\(model.year ?? 0)")) { "CSV" }
                el("a", .class("button secondary"), .href("/results/objectivity/export.xlsx?year=\(model.year ?? 0)")) { "XLSX" }
            }
            if model.rows.isEmpty {
                el("div", .class("panel")) { el("p") { "Нет работ ВПР с отметками по журналу." } }
            } else {
                el("div", .class("panel")) {
                    SVGCharts.objectivity(model.rows.prefix(25).map { ($0.school, $0.lowered, $0.confirmed, $0.raised) })
                }
                el("table") {
                    el("thead") {
                        el("tr") {
                            el("th") { "Школа" }; el("th", .class("num")) { "Сравнено работ" }; el("th", .class("num")) { "Понизили, %" }
                            el("th", .class("num")) { "Подтвердили, %" }; el("th", .class("num")) { "Повысили, %" }
                            el("th", .class("num")) { "Успеваемость ВПР, %" }; el("th", .class("num")) { "Успеваемость ОГЭ, %" };
                            el("th") { "Сигнал" }
                        }
                    }
                    el("tbody") {
                        model.paging.slice(model.rows).map { row in
                            el("tr") {
                                el("td") { el("a", .href("/schools/\(row.schoolID)/results")) { row.school } }
                                el("td", .class("num")) { RussianFormat.integer(row.compared) }
                                el("td", .class("num")) { percent(row.lowered) }
                                el("td", .class("num")) { percent(row.confirmed) }
                                el("td", .class("num")) { percent(row.raised) }
                                el("td", .class("num")) { percent(row.vprSuccess) }
                                el("td", .class("num")) { percent(row.ogeSuccess) }
                                el("td") {
                                    ObjectivitySignal.signals(
                                        confirmedRate: row.confirmed, compared: row.compared, vprSuccess: row.vprSuccess,
                                        ogeSuccess: row.ogeSuccess
                                    ).map { signal in
                                        el("span", .class(signal == .fewCompared ? "tag" : "tag warn")) { signal.russianName }
                                    }
                                }
                            }
                        }
                    }
                }
                model.paging.links("/results/objectivity", [("year", model.year.map(String.init))])
            }
        }
    }
}
