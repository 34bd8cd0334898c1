import OporaData
import OporaDomain

/// The school card: the answers first (list, people, programme, risks, decisions, visits, what is late), each with
/// a link to where it is handled; the registry's attributes and the orders' history below.
extension SchoolsView {
    static func card(_ model: SchoolCardModel, _ context: PageContext) -> HTMLNode {
        let school = model.school
        let id = school.id
        return Layout.page(school.shortName ?? school.name, context, active: .schools) {
            el("div", .class("toolbar")) {
                el("a", .href("/schools")) { "← Все школы" }
                el("span", .class("spacer"))
                el("a", .class("button secondary"), .href("/schools/\(id)/results")) { "Результаты и динамика" }
                el("a", .class("button secondary"), .href("/tasks?school=\(id)")) { "Анализ ВПР по заданиям" }
                el("a", .class("button secondary"), .href("/schools/\(id)/context")) { "Контекст (соцпаспорт, ИСБШ)" }
                if model.canEdit { el("a", .class("button"), .href("/schools/\(id)/edit")) { "Изменить" } }
            }
            el("h1") { school.name }
            el("p", .class("lead")) { "\(school.municipality), \(school.region)" }
            el("div", .class("school-card-grid")) {
                standing(model)
                people(model)
                programmes(model)
                risks(model)
                decisionsAndVisits(model)
            }
            late(model)
            el("h2") { "Сведения о школе" }
            el("div", .class("panel")) {
                el("dl", .class("facts")) {
                    fact("Код", school.code)
                    fact("Краткое наименование", school.shortName)
                    fact("Номер", school.number)
                    fact("Организационная форма", school.organisationalForm)
                    fact("Тип поселения", school.settlement.flatMap(Settlement.init(rawValue:))?.russianName)
                    fact("Адрес", school.address)
                    fact("Директор", school.director)
                    fact("Обучающихся", school.students.map(RussianFormat.integer))
                    fact("Обучающихся с ОВЗ", school.studentsOVZ.map(RussianFormat.integer))
                    fact("Смен", school.shifts.map(String.init))
                }
            }
            listings(model)
            executions(model)
            if model.canViewAudit {
                el("p", .id("card-audit")) { el("a", .href("/audit?school=\(id)")) { "Журнал изменений по школе →" } }
            }
        }
    }

    static func cardSection(_ id: String, _ title: String, link: (String, String)? = nil,
                            @HTMLBuilder _ body: () -> HTMLNode) -> HTMLNode {
        el("section", .class("panel school-card-part"), .id(id)) {
            el("h2") { title }
            body()
            if let link { el("p", .class("card-link")) { el("a", .href(link.1)) { link.0 } } }
        }
    }

    static func standing(_ model: SchoolCardModel) -> HTMLNode {
        let standing = model.standing
        let id = model.school.id
        let link = ("Идентификация и перечень →", "/identification" + (standing.year.map { "?year=\($0)" } ?? ""))
        return cardSection("card-list", "Перечень ШНОР", link: link) {
            if let listing = standing.listing, let entry = listing.entry {
                el("p") {
                    el("span", .class("tag \(entry.status == .riskOfDecline ? "warn" : "bad")")) { "в перечне \(listing.order.year) года" }
                    " " + entry.status.russianName
                }
                el("p", .class("muted")) { IdentificationView.orderLabel(listing.order) }
                if !entry.reason.isEmpty { el("p") { el("b") { "Основание: " }; entry.reason } }
            } else if let year = standing.year {
                el("p") {
                    standing.listExists ? "В перечне \(year) года, утверждённом приказом, школы нет."
                        : "Перечень \(year) года для территории школы приказом пока не утверждён."
                }
            } else {
                el("p") { "Результатов оценочных процедур по школе пока нет, перечень к ней не применялся." }
            }
            if let result = standing.result, let year = standing.year {
                el("p") {
                    el("b") { "По критериям, \(year) год: " }
                    IdentificationView.tag(result.status, hasData: result.wasJudged, name: result.statusName)
                }
                if let explanation = standing.explanation { el("p", .class("muted")) { explanation } }
            }
            el("p", .class("muted")) { el("a", .href("/schools/\(id)/results")) { "Результаты и динамика →" } }
        }
    }

    static func people(_ model: SchoolCardModel) -> HTMLNode {
        cardSection("card-people", "Кто сопровождает", link: ("Сопровождение школы →", "/schools/\(model.school.id)/support")) {
            el("dl", .class("facts")) {
                el("div", Attr("style", "display:contents")) {
                    el("dt") { model.curators.count > 1 ? "Кураторы" : "Куратор" }
                    el("dd", Attr("style", "margin:0")) {
                        if model.curators.isEmpty { el("span", .class("muted")) { "не закреплён" } }
                        model.curators.map { curator in
                            el("div", .class("card-person")) {
                                curator.name
                                let contacts = [curator.phone, curator.email].compactMap { $0 }
                                if !contacts.isEmpty { el("span", .class("muted")) { " · " + contacts.joined(separator: ", ") } }
                                if let direction = curator.direction { el("div", .class("muted")) { direction } }
                            }
                        }
                    }
                }
                fact("Школа-наставник", model.mentor ?? "не закреплена")
                fact("Директор", model.school.director)
            }
        }
    }

    static func programmes(_ model: SchoolCardModel) -> HTMLNode {
        cardSection("card-programmes", "Программа школы", link: ("Все программы школ →", "/programmes")) {
            if model.programmes.isEmpty {
                el("p", .class("muted")) { "Программы школы в системе пока нет." }
            }
            el("ul", .class("card-list")) {
                model.programmes.map { programme in
                    el("li") {
                        el("a", .href("/programmes/\(programme.id)")) { programme.title }
                        " (\(programme.years)) "
                        el("span", .class("tag \(tagClass(programme.status))")) { programme.status.russianName }
                        if programme.late { " "; el("span", .class("tag bad")) { "проверка затянулась" } }
                    }
                }
            }
        }
    }

    static func tagClass(_ status: ProgrammeStatus) -> String {
        switch status { case .approved: "good"; case .returned: "warn"; case .submitted, .draft: "" }
    }

    static func risks(_ model: SchoolCardModel) -> HTMLNode {
        cardSection("card-risks", "Риски" + (model.riskYear.map { ", \($0)" } ?? ""),
                    link: ("Профиль рисков →", "/schools/\(model.school.id)/risks")) {
            if model.riskYear == nil {
                el("p", .class("muted")) { "Профиль рисков школы пока не заполнен." }
            } else if model.risks.isEmpty {
                el("p") { "Факторов высокой и средней значимости нет." }
            }
            el("ul", .class("card-list")) {
                model.risks.map { risk in
                    el("li") {
                        el("span", .class("tag \(risk.level == .high ? "bad" : "warn")")) { risk.level.russianName }
                        " \(risk.factor). \(risk.name)"
                    }
                }
            }
        }
    }

    static func decisionsAndVisits(_ model: SchoolCardModel) -> HTMLNode {
        let id = model.school.id
        return cardSection("card-decisions", "Решения и визиты",
                           link: ("Управленческие решения →", "/decisions?kind=results&school=\(id)#new")) {
            if model.decisions.isEmpty { el("p", .class("muted")) { "Открытых управленческих решений нет." } }
            el("ul", .class("card-list")) {
                model.decisions.map { decision in
                    el("li") {
                        decision.title
                        el("span", .class("muted")) { decision.due.map { " — срок \($0.russian)" } ?? " — без срока" }
                        if decision.overdue { " "; el("span", .class("tag bad")) { "срок прошёл" } }
                    }
                }
            }
            el("p") {
                el("b") { "Последний визит: " }
                if let visit = model.lastVisit {
                    "\(visit.day.russian), \(visit.visitor) — \(visit.topic)"
                } else {
                    el("span", .class("muted")) { "визитов пока не было" }
                }
            }
        }
    }

    /// What is late here and what waits for this user, each with the page where it is done.
    static func late(_ model: SchoolCardModel) -> HTMLNode {
        let overdueMeasures = model.executions.filter { $0.summary.tally[.overdue] > 0 }
        let nothing = model.today.isEmpty && model.lateFollowUps.isEmpty && overdueMeasures.isEmpty
        return el("section", .class("panel"), .id("card-late")) {
            el("h2") { "Что просрочено и что ждёт" }
            if nothing { el("p") { "Просроченного нет, по школе ничего не ждёт вашего ответа." } }
            el("ul", .class("card-list")) {
                overdueMeasures.map { execution in
                    el("li") {
                        el("span", .class("tag bad")) { "просрочено" }
                        " мероприятий: \(execution.summary.tally[.overdue]) — "
                        el("a", .href("/programmes/\(execution.programme.id!)/execution")) { execution.programme.title }
                    }
                }
                model.lateFollowUps.map { item in
                    el("li") {
                        el("span", .class("tag bad")) { "просрочено" }
                        " рекомендация по визиту: \(item.text), срок \(item.due.russian) — "
                        el("a", .href("/schools/\(model.school.id)/support")) { "отметить в сопровождении" }
                    }
                }
                model.today.filter { $0.task != .overdueFollowUps }.map { item in
                    el("li") {
                        if item.late { el("span", .class("tag bad")) { "просрочено" }; " " }
                        el("a", .href(item.path)) { item.title }
                        el("span", .class("muted")) { " — \(item.detail)" }
                    }
                }
            }
        }
    }

    static func listings(_ model: SchoolCardModel) -> HTMLNode {
        guard !model.listings.isEmpty else { return .empty }
        return el("section") {
            el("h2") { "Перечень школ: приказы" }
            el("table", .id("listings")) {
                el("thead") {
                    el("tr") { el("th") { "Год" }; el("th") { "Приказ" }; el("th") { "В перечне" }; el("th") { "Основание" } }
                }
                el("tbody") {
                    model.listings.map { listing in
                        el("tr") {
                            el("td") { String(listing.order.year) }
                            el("td") {
                                IdentificationView.orderLabel(listing.order)
                                if listing.inForce { el("span", .class("tag good")) { "в силе" } }
                            }
                            el("td") {
                                listing.entry.map { IdentificationView.tag($0.status) }
                                    ?? el("span", .class("tag warn")) { "вышла / исключена" }
                            }
                            el("td") { listing.entry?.reason ?? listing.exitReason ?? "" }
                        }
                    }
                }
            }
        }
    }

    static func executions(_ model: SchoolCardModel) -> HTMLNode {
        guard !model.executions.isEmpty else { return .empty }
        return el("section") {
            el("h2") { "Выполнение программ школы" }
            el("table", .id("executions")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Программа" }; el("th", .class("num")) { "Мероприятий" }; el("th", .class("num")) { "Выполнено" }
                        el("th", .class("num")) { "Просрочено" }; el("th", .class("num")) { "Показатели: достигнуто" }
                    }
                }
                el("tbody") {
                    model.executions.map { execution in
                        el("tr") {
                            el("td") { el("a", .href("/programmes/\(execution.programme.id!)/execution")) { execution.programme.title } }
                            el("td", .class("num")) { String(execution.summary.tally.total) }
                            el("td", .class("num")) { String(execution.summary.tally[.done]) }
                            el("td", .class("num")) { String(execution.summary.tally[.overdue]) }
                            el("td", .class("num")) { "\(execution.summary.metCount) из \(execution.summary.indicators.count)" }
                        }
                    }
                }
            }
        }
    }
}
