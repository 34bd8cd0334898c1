import Foundation
import OporaData
import OporaDomain

enum SchoolSupportView {
    static let visitAction = "/support/visits"
    static func endAction(_ assignment: Int) -> String { "/support/curators/\(assignment)/end" }
    static func pairAction(_ pair: Int) -> String { "/support/pairs/\(pair)" }
    static func doneAction(_ visit: Int) -> String { "/support/visits/\(visit)/done" }

    /// The visit form of the board (`school` nil: the school is chosen, none pre-chosen) or of one school's tab.
    /// A refused visit comes back with everything typed and each problem beside its field.
    static func visitForm(_ schools: [(id: Int, name: String)], school: Int?, echo: FormEcho?, _ context: PageContext) -> HTMLNode {
        let action = visitAction
        func typed(_ name: String, _ stored: String? = nil) -> String { echo.value(name, for: action, stored: stored ?? "") }
        return el("section", .id("visit")) {
            el("h2") { "Записать визит или консультацию" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action + "#visit")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("page"), .value(school == nil ? "board" : "school"))
                UI.select("Школа", name: "school", options: schools.map { (String($0.id), $0.name) },
                          selected: typed("school", school.map(String.init)), required: true,
                          includeEmpty: school == nil ? "— выберите школу —" : nil, error: echo.error("school", for: action),
                          searchable: schools.count > 10)
                UI.field("Дата визита", name: "date", value: typed("date", CalendarDay.today().russian), required: true,
                         hint: "ДД.ММ.ГГГГ, не позже сегодняшнего дня", error: echo.error("date", for: action),
                         warning: echo.warning("date", for: action))
                UI.field("Кто проводил", name: "visitor", value: typed("visitor", context.user?.fullName), required: true,
                         error: echo.error("visitor", for: action))
                UI.select("Формат", name: "format", options: VisitFormat.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: typed("format", VisitFormat.onSite.rawValue), error: echo.error("format", for: action))
                UI.field("Тема", name: "topic", value: typed("topic"), required: true, error: echo.error("topic", for: action))
                UI.textArea("Выводы", name: "findings", value: typed("findings"), rows: 3, error: echo.error("findings", for: action))
                UI.textArea("Рекомендации", name: "recommendations", value: typed("recommendations"), rows: 3,
                            error: echo.error("recommendations", for: action))
                UI.field("Что сделать школе", name: "follow_up", value: typed("follow_up"), error: echo.error("follow_up", for: action))
                UI.field("Срок исполнения", name: "follow_up_due", value: typed("follow_up_due"), hint: "ДД.ММ.ГГГГ",
                         error: echo.error("follow_up_due", for: action), warning: echo.warning("follow_up_due", for: action))
                el("div", .class("actions")) { el("button", .type("submit")) { "Записать" } }
            }
        }
    }

    static func page(_ model: SchoolSupportModel, _ context: PageContext) -> HTMLNode {
        let id = model.school.id!
        let today = CalendarDay.today()
        return Layout.page("Сопровождение: \(model.school.displayName)", context, active: .support) {
            el("div", .class("toolbar")) { el("a", .href("/schools/\(id)")) { "← Карточка школы" }
                                           el("a", .href("/support")) { "Сопровождение школ" } }
            el("h1") { "Сопровождение: \(model.school.displayName)" }
            curators(model, context)
            if !model.organisations.isEmpty {
                el("p") {
                    el("b") { "Сеть поддержки: " }
                    model.organisations.map { "\($0.name) (\($0.organisationKind.russianName))" }.joined(separator: "; ")
                }
            }
            el("h2") { "Наставничество" }
            el("table", .id("pairs"), .class("cards-narrow")) {
                UI.head(pairColumns)
                el("tbody") {
                    if model.pairs.isEmpty { UI.emptyRow(5, "Пар нет") }
                    model.pairs.map { pair in
                        el("tr") {
                            el("td", UI.cardLabel(pairColumns[0])) { pair.mentor.displayName }
                            el("td", UI.cardLabel(pairColumns[1])) { pair.supported.displayName }
                            el("td", UI.cardLabel(pairColumns[2])) { "\(pair.startYear)–\(pair.endYear)" }
                            el("td", UI.cardLabel(pairColumns[3])) {
                                [pair.agreementNumber.map { "№ \($0)" }, pair.agreementDate.flatMap(CalendarDay.init(parsing:))?.russian,
                                 pair.subject].compactMap { $0 }.joined(separator: ", ")
                                if let link = pair.link { " "; el("a", .href(link)) { "скан" } }
                            }
                            el("td", UI.cardLabel(pairColumns[4])) {
                                MentorPairStatus(rawValue: pair.status)?.russianName ?? pair.status
                                if let activities = pair.activities { el("div", .class("muted")) { activities } }
                                if model.canManage && pair.$supported.id == id { pairForm(pair, echo: model.echo, context) }
                            }
                        }
                    }
                }
            }
            el("h2") { "Визиты и консультации" }
            el("table", .id("visits"), .class("cards-narrow")) {
                UI.head(visitColumns)
                el("tbody") {
                    if model.visits.isEmpty { UI.emptyRow(5, "Визитов нет") }
                    model.visits.map { visit in
                        el("tr") {
                            el("td", UI.cardLabel(visitColumns[0])) { visit.day?.russian ?? visit.visitedOn }
                            el("td", UI.cardLabel(visitColumns[1])) {
                                visit.visitor; el("div", .class("muted")) { visit.visitFormat.russianName }
                            }
                            el("td", UI.cardLabel(visitColumns[2])) {
                                visit.topic; if let findings = visit.findings { el("div", .class("muted")) { findings } }
                            }
                            el("td", UI.cardLabel(visitColumns[3])) {
                                [visit.recommendations, visit.followUp].compactMap { $0 }.joined(separator: "; ")
                            }
                            el("td", UI.cardLabel(visitColumns[4])) {
                                visit.due?.russian ?? "—"
                                if visit.followUpDone { el("div") { el("span", .class("tag good")) { "исполнено" } } }
                                else if FollowUp.isOverdue(due: visit.due, done: false,
                                                           today: today) { el("div") { el("span", .class("tag bad")) { "просрочено" } } }
                                // Outside the form: a refusal because someone else marked it first still shows.
                                UI.refusal(model.echo, for: doneAction(visit.id!))
                                if model.canVisit && !visit.followUpDone && visit.due != nil {
                                    let action = doneAction(visit.id!)
                                    el("form", .method("post"), .action(action + "#visits"), .class("inline")) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name("version"),
                                           .value(model.echo.value("version", for: action, stored: String(visit.version))))
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
                    "Обучено: \(training.people) чел., \(RussianFormat.number(training.personHours)) человеко-часов; "
                    "не менее 32 часов — \(training.qualified) чел. "
                    training.teamMeetsRule ? el("span", .class("tag good")) { "команда соответствует правилу" }
                        : el("span", .class("tag warn")) { "команда не набрана" }
                }
            } else { el("p", .class("muted")) { "В журнале мероприятий за год записей нет." } }
            if !model.participations.isEmpty {
                el("table", .id("events")) {
                    el("thead") { el("tr") { el("th") { "Мероприятие" }; el("th") { "Дата" }; el("th") { "Роль" }
                                             el("th", .class("num")) { "Человек" }; el("th", .class("num")) { "Часов" } } }
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
            staff(model)
            if model.canVisit { visitForm([(id, model.school.displayName)], school: id, echo: model.echo, context) }
        }
    }

    static func curators(_ model: SchoolSupportModel, _ context: PageContext) -> HTMLNode {
        let today = CalendarDay.today()
        return el("section") {
            el("h2") { "Кураторы" }
            el("table", .id("curators")) {
                el("thead") { el("tr") { el("th") { "Куратор" }; el("th") { "Направление" }; el("th") { "Период" }; el("th") { "" } } }
                el("tbody") {
                    if model.assignments.isEmpty { UI.emptyRow(4, "Куратор не назначен") }
                    model.assignments.map { assignment in
                        el("tr") {
                            el("td") { assignment.user.fullName }
                            el("td") { assignment.direction ?? "—" }
                            el("td") { "с \(assignment.from.russian)" + (assignment.until.map { " по \($0.russian)" } ?? "") }
                            el("td") {
                                if assignment.isCurrent(on: today) {
                                    el("span", .class("tag good")) { "сейчас" }
                                } else if assignment.from > today { el("span", .class("tag")) { "будет" } }
                                else { el("span", .class("muted")) { "в прошлом" } }
                            }
                        }
                    }
                }
            }
            // Below the table, not in its last cell: on a phone the table scrolls sideways, and a refused day's
            // reason must show without that.
            model.assignments.map { assignment in
                HTMLNode.fragment {
                    UI.refusal(model.echo, for: endAction(assignment.id!))
                    if model.canManage && assignment.isCurrent(on: today) {
                        endForm(assignment, echo: model.echo, today: today, context)
                    }
                }
            }
        }
    }

    /// Staff and development of the year, and the school's row of Table 23.
    static func staff(_ model: SchoolSupportModel) -> HTMLNode {
        el("section", .id("staff")) {
            el("h2") { "Кадры и развитие, \(model.year)" }
            if let staff = model.staff {
                el("table") {
                    el("tbody") {
                        el("tr") { el("th") { "Педагогов" }; el("td", .class("num")) { String(staff.people) } }
                        el("tr") {
                            el("th") { "С высшей и первой категорией" }
                            el("td", .class("num")) {
                                "\(staff.categorised.count) (\(RussianFormat.number(staff.categorised.rate ?? 0)) %)"
                            }
                        }
                        QualificationCategory.allCases.map { category in
                            el("tr") { el("td") { "— " + category.russianName }
                                       el("td", .class("num")) { String(staff.byCategory[category] ?? 0) } }
                        }
                        el("tr") {
                            el("th") { "Прошли курсовую подготовку" }
                            el("td", .class("num")) {
                                "\(staff.trained) (\(RussianFormat.number(staff.trainedShare.rate ?? 0)) %), "
                                    + "\(RussianFormat.number(staff.courseHours)) ч"
                            }
                        }
                        el("tr") { el("th") { "С выявленными дефицитами" }; el("td", .class("num")) { String(staff.withDeficit) } }
                        el("tr") {
                            el("th") { "ИОМ по дефицитам" }
                            el("td", .class("num")) {
                                DevelopmentRoute.allCases.filter { (staff.byRoute[$0] ?? 0) > 0 }
                                    .map { "\($0.russianName): \(staff.byRoute[$0]!)" }.joined(separator: ", ")
                            }
                        }
                    }
                }
                let deficits = Dictionary(grouping: model.staffGroups.filter { $0.deficit != nil },
                                          by: { $0.deficit! }).mapValues { $0.reduce(0) { $0 + $1.count } }
                if !deficits.isEmpty {
                    el("p") { el("b") { "Дефициты: " }
                              deficits.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                                .map { "\($0.key) — \($0.value)" }.joined(separator: "; ") }
                }
            } else { el("p", .class("muted")) { "Сведений о педагогических кадрах за год нет (загрузите файл вида «staff»)." } }
            TasksView.staffSuggestion(model.vprDeficits)
            if let row = model.specialists {
                el("h3") { "Специалисты и вакансии" }
                el("table", .id("specialists")) {
                    el("thead") { el("tr") { Specialty.allCases.map { specialty in el("th", .class("num")) { specialty.russianName } }
                                             el("th", .class("num")) { "Вакансии" } } }
                    el("tbody") {
                        el("tr") {
                            Specialty.allCases.map { specialty in el("td", .class("num")) { row.counts[specialty]?.cell ?? "—" } }
                            el("td", .class("num")) { row.vacancies.map(String.init) ?? "—" }
                        }
                    }
                }
                let missing = row.missing.map { $0.russianName.lowercased() }.joined(separator: ", ")
                el("p", .class("muted")) {
                    "* — педагог работает по совместительству." + (row.missing.isEmpty ? "" : " Нет специалиста: \(missing).")
                }
            }
        }
    }

    static let pairColumns = ["Наставник", "Школа", "Период", "Соглашение", "Состояние, что сделано"]
    static let visitColumns = ["Дата", "Кто, формат", "Тема, выводы", "Рекомендации", "Срок"]

    /// A mentor pair's state and what was done, in its row; open with the typed values when it was refused.
    static func pairForm(_ pair: MentorPairModel, echo: FormEcho?, _ context: PageContext) -> HTMLNode {
        let action = pairAction(pair.id!)
        let refused = echo.message(for: action) != nil
        return el("details", .when(refused, Attr("open", "open"))) {
            el("summary") { "изменить" }
            UI.refusal(echo, for: action)
            el("form", .class("stack"), .method("post"), .action(action + "#pairs")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(echo.value("version", for: action, stored: String(pair.version))))
                UI.select("Состояние", name: "status", options: MentorPairStatus.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: echo.value("status", for: action, stored: pair.status), required: true,
                          error: echo.error("status", for: action))
                UI.textArea("Что сделано", name: "activities", value: echo.value("activities", for: action, stored: pair.activities ?? ""),
                            rows: 3, error: echo.error("activities", for: action))
                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить" } }
            }
        }
    }

    /// A current curator released from a day (today by default); a refused day comes back beside the field.
    static func endForm(_ assignment: CuratorAssignmentModel, echo: FormEcho?, today: CalendarDay, _ context: PageContext) -> HTMLNode {
        let action = endAction(assignment.id!)
        return el("form", .class("inline"), .method("post"), .action(action + "#curators")) {
            Layout.csrfField(context.csrf)
            el("input", .type("hidden"), .name("version"),
               .value(echo.value("version", for: action, stored: String(assignment.version))))
            UI.field("Открепить куратора «\(assignment.user.fullName)» с", name: "until",
                     value: echo.value("until", for: action, stored: today.russian), required: true, hint: "ДД.ММ.ГГГГ",
                     error: echo.error("until", for: action))
            el("button", .type("submit"), .class("link")) { "открепить" }
        }
    }
}
