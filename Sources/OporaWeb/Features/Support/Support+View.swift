import Foundation
import OporaData
import OporaDomain

enum SupportView {
    static func board(_ model: SupportBoardModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Сопровождение школ", context, active: .support) {
            el("h1") { "Сопровождение школ, \(model.year) год" }
            el("p", .class("lead")) {
                model.hasList ? "Школы утверждённого списка: куратор, наставник, последний визит, ближайший срок по рекомендациям, обучение педагогов."
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
                        el("th") { "Срок по рекомендациям" }; el("th", .class("num")) { "Обучено, чел." }; el("th", .class("num")) { "Часов" }; el("th") { "Команда" }
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
                            el("td") { row.curators.isEmpty ? el("span", .class("tag warn")) { "не назначен" } : .text(row.curators.joined(separator: ", ")) }
                            el("td") { row.mentor.map { HTMLNode.text($0) } ?? el("span", .class("tag warn")) { "нет" } }
                            el("td") { row.lastVisit?.russian ?? "—" }
                            el("td") {
                                row.nextFollowUp?.russian ?? "—"
                                if row.overdue > 0 { el("div") { el("span", .class("tag bad")) { "просрочено: \(row.overdue)" } } }
                            }
                            el("td", .class("num")) { row.training.map { String($0.people) } ?? "0" }
                            el("td", .class("num")) { row.training.map { RussianFormat.number($0.personHours) } ?? "0" }
                            el("td") { row.training?.teamMeetsRule == true ? el("span", .class("tag good")) { "да" } : .text("нет") }
                        }
                    }
                }
            }
            if !model.withoutMentor.isEmpty {
                el("p") { el("b") { "Без наставника: " }; model.withoutMentor.joined(separator: ", ") }
            }
            if model.canPair {
                el("h2") { "Закрепить школу-наставника" }
                el("form", .class("stack"), .method("post"), .action("/support/pairs")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Школа", name: "supported", options: model.schools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                    UI.select("Наставник", name: "mentor", options: model.schools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                    UI.field("С года", name: "start_year", value: String(model.year), type: "number", required: true)
                    UI.field("По год", name: "end_year", value: String(model.year), type: "number", required: true)
                    UI.field("Соглашение №", name: "agreement_number", value: nil)
                    UI.field("Дата соглашения", name: "agreement_date", value: nil, hint: "ДД.ММ.ГГГГ")
                    UI.field("Предмет соглашения", name: "subject", value: nil)
                    UI.field("Ссылка на скан", name: "link", value: nil, hint: "https://…")
                    el("div", .class("actions")) { el("button", .type("submit")) { "Закрепить" } }
                }
            }
            if model.canVisit { visitForm(model.schools, action: "/support/visits", context) }
        }
    }

    static func visitForm(_ schools: [(id: Int, name: String)], action: String, _ context: PageContext) -> HTMLNode {
        el("section") {
            el("h2") { "Записать визит или консультацию" }
            el("form", .class("stack"), .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                UI.select("Школа", name: "school", options: schools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                UI.field("Дата", name: "date", value: CalendarDay.today().russian, required: true)
                UI.field("Кто", name: "visitor", value: nil, required: true)
                UI.select("Формат", name: "format", options: VisitFormat.allCases.map { ($0.rawValue, $0.russianName) }, selected: VisitFormat.onSite.rawValue)
                UI.field("Тема", name: "topic", value: nil, required: true)
                UI.field("Выводы", name: "findings", value: nil)
                UI.field("Рекомендации", name: "recommendations", value: nil)
                UI.field("Что сделать школе", name: "follow_up", value: nil)
                UI.field("Срок", name: "follow_up_due", value: nil, hint: "ДД.ММ.ГГГГ")
                el("div", .class("actions")) { el("button", .type("submit")) { "Записать" } }
            }
        }
    }

    static func school(_ model: SchoolSupportModel, _ context: PageContext) -> HTMLNode {
        let id = model.school.id!
        let today = CalendarDay.today()
        return Layout.page("Сопровождение: \(model.school.displayName)", context, active: .support) {
            el("div", .class("toolbar")) { el("a", .href("/schools/\(id)")) { "← Карточка школы" }; el("a", .href("/support")) { "Сопровождение школ" } }
            el("h1") { "Сопровождение: \(model.school.displayName)" }
            el("h2") { "Наставничество" }
            el("table", .id("pairs")) {
                el("thead") { el("tr") { el("th") { "Наставник" }; el("th") { "Школа" }; el("th") { "Период" }; el("th") { "Соглашение" } } }
                el("tbody") {
                    if model.pairs.isEmpty { UI.emptyRow(4, "Пар нет") }
                    model.pairs.map { pair in
                        el("tr") {
                            el("td") { pair.mentor.displayName }; el("td") { pair.supported.displayName }
                            el("td") { "\(pair.startYear)–\(pair.endYear)" }
                            el("td") {
                                [pair.agreementNumber.map { "№ \($0)" }, pair.agreementDate.flatMap(CalendarDay.init(parsing:))?.russian, pair.subject].compactMap { $0 }.joined(separator: ", ")
                                if let link = pair.link { " "; el("a", .href(link)) { "скан" } }
                            }
                        }
                    }
                }
            }
            el("h2") { "Визиты и консультации" }
            el("table", .id("visits")) {
                el("thead") { el("tr") { el("th") { "Дата" }; el("th") { "Кто, формат" }; el("th") { "Тема, выводы" }; el("th") { "Рекомендации" }; el("th") { "Срок" } } }
                el("tbody") {
                    if model.visits.isEmpty { UI.emptyRow(5, "Визитов нет") }
                    model.visits.map { visit in
                        el("tr") {
                            el("td") { visit.day?.russian ?? visit.visitedOn }
                            el("td") { visit.visitor; el("div", .class("muted")) { visit.visitFormat.russianName } }
                            el("td") { visit.topic; if let findings = visit.findings { el("div", .class("muted")) { findings } } }
                            el("td") { [visit.recommendations, visit.followUp].compactMap { $0 }.joined(separator: "; ") }
                            el("td") {
                                visit.due?.russian ?? "—"
                                if visit.followUpDone { el("div") { el("span", .class("tag good")) { "исполнено" } } }
                                else if FollowUp.isOverdue(due: visit.due, done: false, today: today) { el("div") { el("span", .class("tag bad")) { "просрочено" } } }
                                if model.canVisit && !visit.followUpDone && visit.due != nil {
                                    el("form", .method("post"), .action("/support/visits/\(visit.id!)/done"), .class("inline")) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name("version"), .value(String(visit.version)))
                                        el("button", .type("submit"), .class("link")) { "отметить исполненным" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("h2") { "Обучение педагогов, \(model.year)" }
            if let training = model.training {
                el("p") {
                    "Обучено: \(training.people) чел., \(RussianFormat.number(training.personHours)) человеко-часов; не менее 32 часов — \(training.qualified) чел. "
                    training.teamMeetsRule ? el("span", .class("tag good")) { "команда соответствует правилу" } : el("span", .class("tag warn")) { "команда не набрана" }
                }
            } else { el("p", .class("muted")) { "В журнале мероприятий за год записей нет." } }
            if !model.participations.isEmpty {
                el("table", .id("events")) {
                    el("thead") { el("tr") { el("th") { "Мероприятие" }; el("th") { "Дата" }; el("th") { "Роль" }; el("th", .class("num")) { "Человек" }; el("th", .class("num")) { "Часов" } } }
                    el("tbody") {
                        model.participations.sorted { $0.start < $1.start }.map { row in
                            el("tr") {
                                el("td") { row.event }; el("td") { row.start.russian }; el("td") { ParticipantRole.russianName(row.role) }
                                el("td", .class("num")) { row.person.map { "1 (\($0))" } ?? String(row.count) }
                                el("td", .class("num")) { RussianFormat.number(row.hours) }
                            }
                        }
                    }
                }
            }
            if model.canVisit { visitForm([(id, model.school.displayName)], action: "/support/visits", context) }
        }
    }
}
