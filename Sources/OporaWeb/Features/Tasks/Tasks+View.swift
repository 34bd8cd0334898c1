import Foundation
import OporaData
import OporaDomain

/// Renders «Анализ ВПР»: the choice of work, the planned results table, the histogram with the scale's boundaries,
/// the markers beside the ВПР-vs-journal ones, the deficits by requirement, the documents.
enum TasksView {
    static func percent(_ value: Double?) -> String { RussianFormat.optionalNumber(value) }

    static func page(_ model: TasksModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Анализ ВПР", context, active: .tasks) {
            el("h1") { "Анализ ВПР: \(model.placeTitle)" }
            el("p", .class("lead")) {
                "Выполнение заданий ВПР по проверяемым требованиям в сравнении с муниципалитетом, регионом и Россией, "
                "распределение первичных баллов и признаки необъективности."
            }
            form(model)
            if let work = model.work {
                planned(work, model: model)
                distribution(work, model: model)
                markers(work, model: model)
            } else {
                el("div", .class("panel"), .id("no-tasks")) {
                    el("p") { "Нет результатов ВПР по заданиям. Загрузите спецификацию (tasks) и баллы участников (task_scores)." }
                }
            }
            deficits(model)
            listed(model)
            documents(model)
        }
    }

    static func form(_ model: TasksModel) -> HTMLNode {
        el("form", .class("row"), .method("get"), .action("/tasks")) {
            if let school = model.schoolID { el("input", .type("hidden"), .name("school"), .value(String(school))) }
            if !model.municipalities.isEmpty && model.schoolID == nil {
                UI.select("Территория", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) },
                          selected: model.municipalityID.map(String.init), includeEmpty: "весь регион")
            } else if let municipality = model.municipalityID {
                el("input", .type("hidden"), .name("municipality"), .value(String(municipality)))
            }
            UI.select("Работа", name: "work", options: model.works.map { ($0.encoded, model.title($0)) },
                      selected: model.selected?.encoded)
            el("button", .type("submit"), .class("secondary")) { "Показать" }
            el("span", .class("spacer"))
            if let year = model.selected?.year {
                el("a", .class("button secondary"), .href("/tasks/objectivity?year=\(year)")) { "Школы с признаками необъективности" }
            }
        }
    }

    static func planned(_ work: VprAnalysis.Work, model: TasksModel) -> HTMLNode {
        el("section", .class("panel"), .id("planned")) {
            el("h2") { "Достижение планируемых результатов" }
            el("p") {
                "\(work.title). Участников: \(RussianFormat.integer(work.report.participants))."
                if work.report.small {
                    el("span", .class("tag warn"), .id("small-group")) {
                        "малая группа (меньше \(TaskFigures.smallGroup)): доли неустойчивы"
                    }
                }
            }
            el("div", .class("scroll tasks-table")) {
                el("table", .class("data")) {
                    el("thead") {
                        el("tr") {
                            el("th") { "Задание" }; el("th") { "Проверяемое требование (умение)" }
                            el("th", .class("num")) { "Макс. балл" }
                            el("th", .class("num")) { "% \(model.place.genitive)" }
                            if model.place.hasMunicipalityColumn { el("th", .class("num")) { "% муниципалитета" } }
                            el("th", .class("num")) { "% региона" }
                            el("th", .class("num")) { "% России" }; el("th") { "Дефицит" }
                        }
                    }
                    el("tbody") {
                        if work.report.tasks.isEmpty { UI.emptyRow(7, "Нет заданий в спецификации") }
                        work.report.tasks.map { line in
                            el("tr", .class(line.deficit ? "deficit" : "")) {
                                el("td") { line.task }
                                el("td") { line.requirement ?? "—" }
                                el("td", .class("num")) { String(line.maxPoints) }
                                el("td", .class("num")) { percent(line.percent) }
                                if model.place.hasMunicipalityColumn { el("td", .class("num")) { percent(line.municipality) } }
                                el("td", .class("num")) { percent(line.region) }
                                el("td", .class("num")) { percent(line.russia) }
                                el("td") { line.deficit ? el("span", .class("tag warn")) { "дефицит" } : .empty }
                            }
                        }
                    }
                }
            }
            el("p", .class("muted")) {
                "Дефицит — выполнение ниже порога освоения (60 % для базового задания, 30 % для повышенного) "
                "или на 10 п. п. и более ниже региона."
            }
        }
    }

    static func distribution(_ work: VprAnalysis.Work, model: TasksModel) -> HTMLNode {
        el("section", .class("panel"), .id("distribution")) {
            el("h2") { "Распределение первичных баллов" }
            SVGCharts.scoreHistogram(VprAnalysis.Work.shares(work.report.histogram),
                                     comparison: work.regionHistogram.map(VprAnalysis.Work.shares),
                                     comparisonName: "регион, % участников", boundaries: work.boundaries)
            if let line = ReportBuilder.boundaryLine(work) { el("p", .id("boundaries")) { line } }
        }
    }

    static func markers(_ work: VprAnalysis.Work, model: TasksModel) -> HTMLNode {
        el("section", .class("panel"), .id("markers")) {
            el("h2") { "Признаки необъективности" }
            el("div", .class("tasks-markers")) {
                el("div") {
                    el("h3") { "По заданиям и баллам" }
                    if work.markers.isEmpty {
                        el("p", .class("muted")) { "Не найдены." }
                    } else {
                        el("ul") {
                            work.markers.map { marker in
                                el("li") { el("strong") { marker.title }; ": "; marker.detail }
                            }
                        }
                    }
                }
                el("div", .id("journal-markers")) {
                    el("h3") { "ВПР и отметки по журналу" }
                    if model.journalSignals.isEmpty {
                        el("p", .class("muted")) { model.journalCompared ? "Не найдены." : "Нет отметок по журналу для сравнения." }
                    } else {
                        el("p") {
                            model.journalSignals.map { signal in
                                el("span", .class(signal == .fewCompared ? "tag" : "tag warn")) { signal.russianName }
                            }
                        }
                    }
                }
            }
            el("p", .class("muted")) { "Признак — повод проверить, а не вывод." }
        }
    }

    static func deficits(_ model: TasksModel) -> HTMLNode {
        el("section", .class("panel"), .id("deficits")) {
            el("h2") { "Дефициты по требованиям и блокам (все классы и годы)" }
            if model.byRequirement.isEmpty {
                el("p", .class("muted")) { "Дефицитов нет." }
            } else {
                deficitTable(model.byRequirement, name: "Проверяемое требование (умение)", id: "by-requirement")
                deficitTable(model.byBlock, name: "Блок", id: "by-block")
            }
        }
    }

    /// A territory's most common deficits among its listed schools, each with the course to plan.
    static func listed(_ model: TasksModel) -> HTMLNode {
        guard model.place.isTerritory, let year = model.selected?.year else { return .empty }
        return el("section", .class("panel"), .id("listed-deficits")) {
            el("h2") { "Частые дефициты школ перечня, \(year)" }
            if let listed = model.listedDeficits {
                if listed.isEmpty { el("p", .class("muted")) { "У школ перечня дефицитов нет." } }
                el("ul") {
                    listed.prefix(10).map { item in
                        el("li") {
                            el("strong") { item.requirement }
                            " — школ: \(item.schools.count) (\(item.schools.joined(separator: ", "))). "
                            if model.mayPlanCourses {
                                el("a", .href("/tasks/course?requirement=\(percentEncoded(item.requirement))&year=\(year)")) {
                                    "Запланировать курс"
                                }
                            }
                        }
                    }
                }
            } else {
                el("p", .class("muted")) { "На \(year) год нет приказа об утверждении перечня школ." }
            }
        }
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    static func deficitTable(_ groups: [DeficitGroup], name: String, id: String) -> HTMLNode {
        el("div", .class("scroll")) {
            el("table", .class("data"), .id(id)) {
                el("thead") {
                    el("tr") {
                        el("th") { name }; el("th", .class("num")) { "Заданий с дефицитом" }
                        el("th", .class("num")) { "Выполнение, %" }; el("th") { "Где" }
                    }
                }
                el("tbody") {
                    groups.map { group in
                        el("tr") {
                            el("td") { group.name }
                            el("td", .class("num")) { "\(group.deficitTasks) из \(group.allTasks)" }
                            el("td", .class("num")) { percent(group.percent) }
                            el("td") { group.tasks.joined(separator: "; ") }
                        }
                    }
                }
            }
        }
    }

    static func documents(_ model: TasksModel) -> HTMLNode {
        guard let year = model.selected?.year, let query = model.documentQuery else { return .empty }
        return el("section", .class("panel"), .id("documents")) {
            el("h2") { "Документ «Анализ результатов ВПР» за \(year) год" }
            el("p") {
                el("a", .class("button secondary"), .href("/tasks/report.docx?year=\(year)&\(query)")) { "Word (DOCX)" }
                " "
                el("a", .class("button secondary"), .href("/tasks/report.xlsx?year=\(year)&\(query)")) { "Excel (XLSX)" }
            }
        }
    }

    static func objectivity(_ model: TasksObjectivityModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Признаки необъективности ВПР", context, active: .tasks) {
            el("h1") { "Школы с признаками необъективности результатов ВПР" }
            el("p", .class("lead")) {
                "По распределению первичных баллов и выполнению заданий: избыток участников ровно на границе отметки, "
                "отметки не по шкале работы, высокое выполнение трудных заданий при обычном — лёгких. "
                "\(model.scopeLabel), \(model.year.map { "\($0) год" } ?? "нет данных")."
            }
            el("form", .class("row"), .method("get"), .action("/tasks/objectivity")) {
                if !model.municipalities.isEmpty {
                    UI.select("Территория", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) },
                              selected: model.municipality.map(String.init), includeEmpty: "весь регион")
                }
                UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) },
                          selected: model.year.map(String.init))
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            el("div", .class("scroll")) {
                el("table", .class("data"), .id("objectivity-list")) {
                    el("thead") {
                        el("tr") { el("th") { "Школа" }; el("th") { "Работа" }; el("th") { "Признаки" } }
                    }
                    el("tbody") {
                        if model.rows.isEmpty { UI.emptyRow(3, "Школ с признаками необъективности нет") }
                        model.rows.map { row in
                            el("tr") {
                                el("td") { el("a", .href("/tasks?school=\(row.schoolID)&work=\(row.work.encoded)")) { row.school } }
                                el("td") { row.workTitle }
                                el("td") {
                                    el("ul") {
                                        row.markers.map { marker in el("li") { el("strong") { marker.title }; ": "; marker.detail } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension TasksView {
    /// «Дефициты ВПР» on a school's programme: each requirement not mastered, with the measure to add in one click
    /// (for who may edit the programme).
    static func programmeDeficits(_ model: ProgrammeModel, _ context: PageContext) -> HTMLNode {
        guard !model.vprDeficits.isEmpty else { return .empty }
        let id = model.programme.id!, editable = model.allowed.contains(.edit)
        let present = Set(model.content.measures.map(\.text))
        return el("section", .class("panel"), .id("vpr-deficits")) {
            el("h2") { "Дефициты ВПР" }
            UI.refusal(model.echo, for: "/programmes/\(id)/vpr-measures")
            el("p", .class("muted")) { "Требования, не освоенные обучающимися школы, — предлагаемые мероприятия программы." }
            el("ul") {
                model.vprDeficits.map { group in
                    let measure = DeficitMeasure.measure(requirement: group.name, where: group.tasks, year: model.programme.endYear)
                    return el("li") {
                        el("strong") { group.name }
                        " — \(RussianFormat.optionalNumber(group.percent)) %; \(group.tasks.joined(separator: "; ")). "
                        if present.contains(measure.text) {
                            el("span", .class("tag good")) { "в программе" }
                        } else if editable {
                            el("form", .method("post"), .action("/programmes/\(id)/vpr-measures"), Attr("style", "display:inline")) {
                                Layout.csrfField(context.csrf)
                                el("input", .type("hidden"), .name("version"), .value(String(model.programme.version)))
                                el("input", .type("hidden"), .name("requirement"), .value(group.name))
                                el("button", .type("submit"), .class("secondary")) { "Добавить мероприятие" }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The school's ВПР deficits as a suggestion for the teachers' individual routes (staff development).
    static func staffSuggestion(_ deficits: [DeficitGroup]) -> HTMLNode {
        guard !deficits.isEmpty else { return .empty }
        return el("div", .id("vpr-staff-deficits")) {
            el("p") {
                el("b") { "По итогам ВПР (предложение для ИОМ): " }
                deficits.prefix(5).map { DeficitMeasure.teacherDeficit(requirement: $0.name) }.joined(separator: "; ")
            }
        }
    }
}
