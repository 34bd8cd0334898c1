import Foundation
import OporaData
import OporaDomain

enum SupportView {
    static func board(_ model: SupportBoardModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Сопровождение школ", context, active: .support) {
            el("div", .class("toolbar")) {
                el("a", .href("/support/network?year=\(model.year)")) { "Сеть поддержки: организации и схема" }
                el("a", .href("/support/mine")) { "Мой план работы" }
                el("a", .href("/support/export.xlsx?year=\(model.year)")) { "Выгрузить в Excel" }
            }
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
                el("h2") { "Закрепить куратора" }
                el("form", .class("stack"), .method("post"), .action("/support/curators")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Куратор", name: "curator", options: model.curators.map { (String($0.id), $0.name) }, selected: nil, required: true)
                    UI.select("Школа", name: "school", options: model.schools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                    UI.field("С", name: "from", value: CalendarDay.today().russian, required: true, hint: "ДД.ММ.ГГГГ")
                    UI.field("По", name: "until", value: nil, hint: "ДД.ММ.ГГГГ, пусто — бессрочно")
                    UI.field("Направление", name: "direction", value: nil, hint: "например: математика, воспитательная работа")
                    el("div", .class("actions")) { el("button", .type("submit")) { "Закрепить куратора" } }
                }
                if model.curators.isEmpty { el("p", .class("muted")) { "Учётных записей кураторов вашей территории нет — их создаёт администратор в разделе «Пользователи»." } }
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
                            el("thead") { el("tr") { el("th") { "Показатель" }; el("th", .class("num")) { "Прогноз" }; el("th", .class("num")) { "Факт" }; el("th") { "" } } }
                            el("tbody") {
                                forecast.lines.map { line in
                                    el("tr") {
                                        el("td") { line.name }
                                        el("td", .class("num")) { String(line.planned) }
                                        el("td", .class("num")) { String(line.actual) }
                                        el("td") {
                                            line.isMet ? el("span", .class("tag good")) { "достигнут" }
                                                : el("span", .class("tag warn")) { "\(RussianFormat.number(line.reached.rate ?? 0)) % прогноза" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if forecast.canChange {
                        el("details") {
                            el("summary") { "Задать прогноз на \(model.year) год" }
                            el("form", .class("stack"), .method("post"), .action("/support/forecasts")) {
                                Layout.csrfField(context.csrf)
                                el("input", .type("hidden"), .name("programme"), .value(String(forecast.programmeID)))
                                el("input", .type("hidden"), .name("year"), .value(String(model.year)))
                                el("input", .type("hidden"), .name("version"), .value(String(forecast.version)))
                                SupportFigures.fields.map { field in
                                    UI.field(field.name, name: field.code, value: forecast.figures[keyPath: field.key].map(String.init), type: "number")
                                }
                                el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить прогноз" } }
                            }
                        }
                    }
                }
            }
            el("p", .class("muted")) { "Факт — по школам на этой странице: команды по правилу «\(model.rule.russianName)», пары наставничества года, пункты сопровождения, школы с визитом или консультацией в году." }
        }
    }

    static func network(_ model: SupportNetworkModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Сеть поддержки", context, active: .support) {
            el("div", .class("toolbar")) { el("a", .href("/support?year=\(model.year)")) { "← Сопровождение школ" } }
            el("h1") { "Сеть поддержки, \(model.year) год" }
            el("p", .class("lead")) { "Консультационные центры, их филиалы и пункты сопровождения, методические объединения и кластеры со своими школами; стрелки — наставничество." }
            NetworkDiagram.svg(model.diagram)
            OrganisationKind.allCases.map { kind -> HTMLNode in
                let ofKind = model.organisations.filter { $0.model.organisationKind == kind }
                guard !ofKind.isEmpty else { return .empty }
                return el("section") {
                    el("h2") { kind.pluralName }
                    el("table", .class("organisations")) {
                        el("thead") { el("tr") { el("th") { "Наименование" }; el("th") { "Входит в" }; el("th") { "Школы" } } }
                        el("tbody") {
                            ofKind.map { organisation in
                                el("tr") {
                                    el("td") {
                                        organisation.model.name
                                        if let base = organisation.model.baseSchoolID.flatMap({ id in model.schools.first { $0.id == id } }) {
                                            el("div", .class("muted")) { "на базе: \(base.name)" }
                                        }
                                        if let note = organisation.model.note { el("div", .class("muted")) { note } }
                                    }
                                    el("td") { organisation.model.parentID.flatMap { id in model.organisations.first { $0.model.id == id }?.model.name } ?? "—" }
                                    el("td") {
                                        organisation.schools.isEmpty ? .text("—") : .text(organisation.schools.map(\.displayName).joined(separator: ", "))
                                        if model.canManage {
                                            el("form", .class("inline"), .method("post"), .action("/support/organisations/\(organisation.model.id!)/schools")) {
                                                Layout.csrfField(context.csrf)
                                                UI.select("Школа", name: "school", options: model.schools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                                                UI.select("Действие", name: "member", options: [("1", "включить"), ("0", "исключить")], selected: "1")
                                                el("button", .type("submit"), .class("link")) { "применить" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if model.organisations.isEmpty { el("p", .class("muted")) { "Организаций сети поддержки пока нет." } }
            if model.canManage {
                el("h2") { "Добавить организацию" }
                el("form", .class("stack"), .method("post"), .action("/support/organisations")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Вид", name: "kind", options: OrganisationKind.allCases.map { ($0.rawValue, $0.russianName) }, selected: OrganisationKind.point.rawValue, required: true)
                    UI.field("Наименование", name: "name", value: nil, required: true)
                    UI.select("Входит в", name: "parent", options: model.organisations.filter { [.centre, .branch].contains($0.model.organisationKind) }
                        .map { (String($0.model.id!), $0.model.name) }, selected: nil, includeEmpty: "— самостоятельная —")
                    UI.select("На базе школы", name: "base_school", options: model.schools.map { (String($0.id), $0.name) }, selected: nil, includeEmpty: "—")
                    UI.field("Примечание", name: "note", value: nil)
                    el("div", .class("actions")) { el("button", .type("submit")) { "Добавить" } }
                }
            }
        }
    }

    static func mine(_ model: CuratorWorkModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Мой план работы", context, active: .support) {
            el("div", .class("toolbar")) { el("a", .href("/support")) { "← Сопровождение школ" } }
            el("h1") { "Мой план работы" }
            el("p", .class("lead")) { "\(model.name): закреплённые школы, рекомендации со сроками (просроченные первыми) и последний визит." }
            el("table", .id("work")) {
                el("thead") { el("tr") { el("th") { "Школа" }; el("th") { "Куратор с" }; el("th") { "Последний визит" }; el("th") { "Что сделать школе" }; el("th") { "Срок" } } }
                el("tbody") {
                    if model.items.isEmpty { UI.emptyRow(5, "За вами не закреплено ни одной школы") }
                    model.items.map { item in
                        el("tr") {
                            el("td") { el("a", .href("/schools/\(item.schoolID)/support")) { item.school } }
                            el("td") { item.since?.russian ?? "—" }
                            el("td") {
                                item.lastVisit?.russian ?? "визитов не было"
                                if let last = item.lastVisit, last.adding(days: 90) < model.today { el("div") { el("span", .class("tag warn")) { "больше 90 дней назад" } } }
                            }
                            el("td") { item.open.isEmpty ? .text("—") : .text(item.open.map { $0.followUp ?? $0.topic }.joined(separator: "; ")) }
                            el("td") {
                                item.open.first?.due?.russian ?? "—"
                                if item.open.contains(where: { FollowUp.isOverdue(due: $0.due, done: false, today: model.today) }) {
                                    el("div") { el("span", .class("tag bad")) { "просрочено" } }
                                }
                            }
                        }
                    }
                }
            }
            if !model.loggedOpen.isEmpty {
                el("h2") { "Рекомендации по моим визитам в другие школы" }
                el("ul") {
                    model.loggedOpen.map { visit in
                        el("li") {
                            el("a", .href("/schools/\(visit.$school.id)/support")) { visit.school.displayName }
                            ": \(visit.followUp ?? visit.topic), срок \(visit.due?.russian ?? "—")"
                        }
                    }
                }
            }
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
            curators(model, context)
            if !model.organisations.isEmpty {
                el("p") {
                    el("b") { "Сеть поддержки: " }
                    model.organisations.map { "\($0.name) (\($0.organisationKind.russianName))" }.joined(separator: "; ")
                }
            }
            el("h2") { "Наставничество" }
            el("table", .id("pairs")) {
                el("thead") { el("tr") { el("th") { "Наставник" }; el("th") { "Школа" }; el("th") { "Период" }; el("th") { "Соглашение" }; el("th") { "Состояние, что сделано" } } }
                el("tbody") {
                    if model.pairs.isEmpty { UI.emptyRow(5, "Пар нет") }
                    model.pairs.map { pair in
                        el("tr") {
                            el("td") { pair.mentor.displayName }; el("td") { pair.supported.displayName }
                            el("td") { "\(pair.startYear)–\(pair.endYear)" }
                            el("td") {
                                [pair.agreementNumber.map { "№ \($0)" }, pair.agreementDate.flatMap(CalendarDay.init(parsing:))?.russian, pair.subject].compactMap { $0 }.joined(separator: ", ")
                                if let link = pair.link { " "; el("a", .href(link)) { "скан" } }
                            }
                            el("td") {
                                MentorPairStatus(rawValue: pair.status)?.russianName ?? pair.status
                                if let activities = pair.activities { el("div", .class("muted")) { activities } }
                                if model.canManage && pair.$supported.id == id {
                                    el("details") {
                                        el("summary") { "изменить" }
                                        el("form", .class("stack"), .method("post"), .action("/support/pairs/\(pair.id!)")) {
                                            Layout.csrfField(context.csrf)
                                            el("input", .type("hidden"), .name("version"), .value(String(pair.version)))
                                            UI.select("Состояние", name: "status", options: MentorPairStatus.allCases.map { ($0.rawValue, $0.russianName) }, selected: pair.status)
                                            el("label") { el("span") { "Что сделано" }; el("textarea", .name("activities"), Attr("rows", "3")) { pair.activities ?? "" } }
                                            el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить" } }
                                        }
                                    }
                                }
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
            staff(model)
            if model.canVisit { visitForm([(id, model.school.displayName)], action: "/support/visits", context) }
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
                                    if model.canManage {
                                        el("form", .class("inline"), .method("post"), .action("/support/curators/\(assignment.id!)/end")) {
                                            Layout.csrfField(context.csrf)
                                            el("input", .type("hidden"), .name("version"), .value(String(assignment.version)))
                                            el("input", .type("text"), .name("until"), .value(today.russian), Attr("size", "10"), Attr("aria-label", "Дата окончания"))
                                            el("button", .type("submit"), .class("link")) { "открепить" }
                                        }
                                    }
                                } else if assignment.from > today { el("span", .class("tag")) { "будет" } }
                                else { el("span", .class("muted")) { "в прошлом" } }
                            }
                        }
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
                            el("td", .class("num")) { "\(staff.categorised.count) (\(RussianFormat.number(staff.categorised.rate ?? 0)) %)" }
                        }
                        QualificationCategory.allCases.map { category in
                            el("tr") { el("td") { "— " + category.russianName }; el("td", .class("num")) { String(staff.byCategory[category] ?? 0) } }
                        }
                        el("tr") {
                            el("th") { "Прошли курсовую подготовку" }
                            el("td", .class("num")) { "\(staff.trained) (\(RussianFormat.number(staff.trainedShare.rate ?? 0)) %), \(RussianFormat.number(staff.courseHours)) ч" }
                        }
                        el("tr") { el("th") { "С выявленными дефицитами" }; el("td", .class("num")) { String(staff.withDeficit) } }
                        el("tr") {
                            el("th") { "ИОМ по дефицитам" }
                            el("td", .class("num")) {
                                DevelopmentRoute.allCases.filter { (staff.byRoute[$0] ?? 0) > 0 }.map { "\($0.russianName): \(staff.byRoute[$0]!)" }.joined(separator: ", ")
                            }
                        }
                    }
                }
                let deficits = Dictionary(grouping: model.staffGroups.filter { $0.deficit != nil }, by: { $0.deficit! }).mapValues { $0.reduce(0) { $0 + $1.count } }
                if !deficits.isEmpty {
                    el("p") { el("b") { "Дефициты: " }; deficits.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) — \($0.value)" }.joined(separator: "; ") }
                }
            } else { el("p", .class("muted")) { "Сведений о педагогических кадрах за год нет (загрузите файл вида «staff»)." } }
            TasksView.staffSuggestion(model.vprDeficits)
            if let row = model.specialists {
                el("h3") { "Специалисты и вакансии" }
                el("table", .id("specialists")) {
                    el("thead") { el("tr") { Specialty.allCases.map { specialty in el("th", .class("num")) { specialty.russianName } }; el("th", .class("num")) { "Вакансии" } } }
                    el("tbody") {
                        el("tr") {
                            Specialty.allCases.map { specialty in el("td", .class("num")) { row.counts[specialty]?.cell ?? "—" } }
                            el("td", .class("num")) { row.vacancies.map(String.init) ?? "—" }
                        }
                    }
                }
                el("p", .class("muted")) { "* — педагог работает по совместительству." + (row.missing.isEmpty ? "" : " Нет специалиста: " + row.missing.map { $0.russianName.lowercased() }.joined(separator: ", ") + ".") }
            }
        }
    }
}
