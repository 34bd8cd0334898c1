import Foundation
import OporaData
import OporaDomain

enum SupportBoardView {
    static func page(_ model: SupportBoardModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Сопровождение школ", context, active: .support) {
            el("div", .class("toolbar")) {
                el("a", .href("/support/network?year=\(model.year)")) { "Сеть поддержки: организации и схема" }
                el("a", .href("/support/mine")) { "Мой план работы" }
                el("a", .href("/support/export.xlsx?year=\(model.year)")) { "Выгрузить в Excel" }
            }
            el("h1") { "Сопровождение школ, \(model.year) год" }
            el("p", .class("lead")) {
                model.hasList ? "Школы утверждённого списка: куратор, наставник, последний визит, ближайший срок по рекомендациям, " +
                                "обучение педагогов."
                    : "Список года не утверждён — показаны все школы вашей области доступа."
            }
            el("div", .class("cards")) {
                HomeView.card(String(model.rows.count), "школ")
                HomeView.card(String(model.withoutMentor.count), "без наставника")
                HomeView.card(String(model.rows.reduce(0) { $0 + $1.overdue }), "просроченных рекомендаций")
                HomeView.card("\(model.teams.teams) (\(model.teams.people) чел.)", "команд: \(model.rule.russianName)")
            }
            el("table", .id("support")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Школа" }; el("th") { "Куратор" }; el("th") { "Наставник" }; el("th") { "Последний визит" }
                        el("th") { "Срок по рекомендациям" }; el("th", .class("num")) { "Обучено, чел." }
                        el("th", .class("num")) { "Часов" }; el("th") { "Команда" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(8, "Школ нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") {
                                el("a", .href("/schools/\(row.schoolID)/support?year=\(model.year)")) { row.school }
                                if let status = row.status { el("div", .class("muted")) { status.russianName } }
                            }
                            el("td") {
                                row.curators.isEmpty ? el("span", .class("tag warn")) { "не назначен" }
                                    : .text(row.curators.joined(separator: ", "))
                            }
                            el("td") { row.mentor.map { HTMLNode.text($0) } ?? el("span", .class("tag warn")) { "нет" } }
                            el("td") { row.lastVisit?.russian ?? "—" }
                            el("td") {
                                row.nextFollowUp?.russian ?? "—"
                                if row.overdue > 0 { el("div") { el("span", .class("tag bad")) { "просрочено: \(row.overdue)" } } }
                            }
                            el("td", .class("num")) { String(row.people) }
                            el("td", .class("num")) { RussianFormat.number(row.personHours) }
                            el("td") { row.teamMeetsRule ? el("span", .class("tag good")) { "да" } : .text("нет") }
                        }
                    }
                }
            }
            if !model.withoutMentor.isEmpty {
                el("p") { el("b") { "Без наставника: " }; model.withoutMentor.joined(separator: ", ") }
            }
            forecasts(model, context)
            if model.canPair {
                curatorForm(model, context)
                if model.curators.isEmpty { el("p", .class("muted")) { "Учётных записей кураторов вашей территории нет — их создаёт " +
                                                                       "администратор в разделе «Пользователи»." } }
            }
            if model.canPair {
                pairForm(model, context)
            }
            if model.canVisit { SchoolSupportView.visitForm(model.schools, school: nil, echo: model.echo, context) }
        }
    }

    /// The programmes' forecast figures beside what the log shows (seed 002: «10 команд (60 человек)»).
    static func forecasts(_ model: SupportBoardModel, _ context: PageContext) -> HTMLNode {
        guard !model.forecasts.isEmpty else { return .empty }
        return el("section", .id("forecast")) {
            el("h2") { "Прогноз программы и факт, \(model.year)" }
            model.forecasts.map { forecast in
                el("div") {
                    el("h3") { forecast.programme }
                    if forecast.lines.isEmpty { el("p", .class("muted")) { "Прогнозные значения на этот год не заданы." } }
                    else {
                        el("table") {
                            el("thead") { el("tr") { el("th") { "Показатель" }; el("th", .class("num")) { "Прогноз" }
                                                     el("th", .class("num")) { "Факт" }; el("th") { "" } } }
                            el("tbody") {
                                forecast.lines.map { line in
                                    el("tr") {
                                        el("td") { line.name }
                                        el("td", .class("num")) { String(line.planned) }
                                        el("td", .class("num")) { String(line.actual) }
                                        el("td") {
                                            line.isMet ? el("span", .class("tag good")) { "достигнут" }
                                                : el("span", .class("tag warn")) {
                                                    "\(RussianFormat.number(line.reached.rate ?? 0)) % прогноза"
                                                }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if forecast.canChange {
                        el("details") {
                            el("summary") { "Задать прогноз на \(model.year) год" }
                            let echo = model.echo?.values["programme"] == String(forecast.programmeID) ? model.echo : nil
                            UI.refusal(echo, for: forecastAction)
                            el("form", .class("stack"), .method("post"), .action("\(forecastAction)?year=\(model.year)#forecast")) {
                                Layout.csrfField(context.csrf)
                                el("input", .type("hidden"), .name("programme"), .value(String(forecast.programmeID)))
                                el("input", .type("hidden"), .name("year"), .value(String(model.year)))
                                el("input", .type("hidden"), .name("version"), .value(String(forecast.version)))
                                SupportFigures.fields.map { field in
                                    UI.field(field.name, name: field.code,
                                             value: echo.value(field.code, for: forecastAction,
                                                               stored: forecast.figures[keyPath: field.key].map(String.init) ?? ""),
                                             type: "number", error: echo.error(field.code, for: forecastAction))
                                }
                                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить прогноз" } }
                            }
                        }
                    }
                }
            }
            el("p", .class("muted")) { "Факт — по школам на этой странице: команды по правилу «\(model.rule.russianName)», пары " +
                                       "наставничества года, пункты сопровождения, школы с визитом или консультацией в году." }
        }
    }

    static let curatorAction = "/support/curators"
    static let forecastAction = "/support/forecasts"
    static let pairAction = "/support/pairs"

    /// A curator chosen by name for a school chosen by name (none pre-chosen), from today by default.
    static func curatorForm(_ model: SupportBoardModel, _ context: PageContext) -> HTMLNode {
        let action = curatorAction, echo = model.echo
        func typed(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        return el("section", .id("curator")) {
            el("h2") { "Закрепить куратора" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action + "#curator")) {
                Layout.csrfField(context.csrf)
                UI.select("Куратор", name: "curator", options: model.curators.map { (String($0.id), $0.name) },
                          selected: typed("curator"), required: true, includeEmpty: "— выберите куратора —",
                          error: echo.error("curator", for: action), searchable: model.curators.count > 10)
                UI.select("Школа", name: "school", options: model.schools.map { (String($0.id), $0.name) },
                          selected: typed("school"), required: true, includeEmpty: "— выберите школу —",
                          error: echo.error("school", for: action), searchable: model.schools.count > 10)
                UI.field("С", name: "from", value: typed("from", CalendarDay.today().russian), required: true, hint: "ДД.ММ.ГГГГ",
                         error: echo.error("from", for: action), warning: echo.warning("from", for: action))
                UI.field("По", name: "until", value: typed("until"), hint: "ДД.ММ.ГГГГ, пусто — бессрочно",
                         error: echo.error("until", for: action), warning: echo.warning("until", for: action))
                UI.field("Направление", name: "direction", value: typed("direction"), hint: "например: математика, воспитательная работа",
                         error: echo.error("direction", for: action))
                el("div", .class("actions")) { el("button", .type("submit")) { "Закрепить куратора" } }
            }
        }
    }

    /// Two schools chosen by name, neither pre-chosen (a school is never its own mentor: refused beside the field).
    static func pairForm(_ model: SupportBoardModel, _ context: PageContext) -> HTMLNode {
        let action = pairAction, echo = model.echo
        func typed(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        let schools = model.schools.map { (String($0.id), $0.name) }
        return el("section", .id("pair")) {
            el("h2") { "Закрепить школу-наставника" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action + "#pair")) {
                Layout.csrfField(context.csrf)
                UI.select("Школа", name: "supported", options: schools, selected: typed("supported"), required: true,
                          includeEmpty: "— выберите школу —", error: echo.error("supported", for: action), searchable: schools.count > 10)
                UI.select("Школа-наставник", name: "mentor", options: schools, selected: typed("mentor"), required: true,
                          includeEmpty: "— выберите школу —", error: echo.error("mentor", for: action), searchable: schools.count > 10)
                UI.field("С года", name: "start_year", value: typed("start_year", String(model.year)), type: "number", required: true,
                         error: echo.error("start_year", for: action))
                UI.field("По год", name: "end_year", value: typed("end_year", String(model.year)), type: "number", required: true,
                         error: echo.error("end_year", for: action))
                UI.field("Соглашение №", name: "agreement_number", value: typed("agreement_number"),
                         error: echo.error("agreement_number", for: action))
                UI.field("Дата соглашения", name: "agreement_date", value: typed("agreement_date"), hint: "ДД.ММ.ГГГГ",
                         error: echo.error("agreement_date", for: action), warning: echo.warning("agreement_date", for: action))
                UI.field("Предмет соглашения", name: "subject", value: typed("subject"), error: echo.error("subject", for: action))
                UI.field("Ссылка на скан", name: "link", value: typed("link"), hint: "https://…", error: echo.error("link", for: action))
                el("div", .class("actions")) { el("button", .type("submit")) { "Закрепить" } }
            }
        }
    }
}
