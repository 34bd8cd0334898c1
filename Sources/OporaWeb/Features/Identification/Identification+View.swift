import Foundation
import OporaData
import OporaDomain

enum IdentificationView {
    /// A status as a coloured tag; a school without results reads «нет данных», in no colour (it was not judged).
    static func tag(_ status: IdentificationStatus, hasData: Bool = true, name: String? = nil) -> HTMLNode {
        let style: String
        switch status {
        case .lowResultsSocial, .lowResults: style = "bad"
        case .riskOfDecline: style = "warn"
        case .none: style = hasData ? "good" : ""
        }
        return el("span", .class("tag \(style)")) { name ?? (status == .none && !hasData ? "нет данных" : status.russianName) }
    }

    static func page(_ model: IdentificationModel, _ context: PageContext) -> HTMLNode {
        let criteria = model.choice.criteria
        let query = queryString(model, page: nil)
        return Layout.page("Идентификация", context, active: .identification) {
            if model.choice.isWhatIf, let whatIf = model.choice.whatIfThreshold {
                // The heading, the table and the approval panel speak of the same threshold (issue 24, point 4).
                el("h1") { "Идентификация школ: что если порог \(RussianFormat.plain(whatIf)) %" }
                el("p", .class("lead"), .id("what-if")) {
                    "Расчёт «что если»: порог \(RussianFormat.plain(whatIf)) % вместо \(RussianFormat.plain(model.choice.setThreshold)) % "
                    "по набору «\(criteria.name)». Карточки, таблица и сравнение с перечнем ниже — "
                    "при пороге \(RussianFormat.plain(whatIf)) %."
                }
            } else {
                el("h1") { "Идентификация школ" }
                el("p", .class("lead")) { criteria.description ?? criteria.name }
            }
            el("form", .class("row"), .method("get"), .action("/identification")) {
                UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: model.year.map(String.init))
                UI.select("Критерии", name: "criteria", options: CriteriaChoice.options, selected: model.choice.key)
                UI.field("Что если порог, %", name: "threshold", value: model.choice.whatIfThreshold.map { RussianFormat.plain($0) },
                         hint: "пусто — как в критериях")
                el("button", .type("submit"), .class("secondary")) { "Применить" }
                el("span", .class("spacer"))
                if let year = model.year {
                    el("a", .class("button secondary"), .href("/identification/export.csv?\(query)")) { "CSV" }
                    el("a", .class("button secondary"), .href("/identification/export.xlsx?\(query)")) { "XLSX" }
                    el("a", .class("button secondary"), .href("/typology?year=\(year)")) { "Типология" }
                    el("a", .class("button secondary"), .href("/criteria?year=\(year)")) { "Критерии" }
                    el("a", .class("button secondary"), .href("/exits?year=\(year)")) { "Выход из списка" }
                }
            }
            let flagged = model.flagged
            if let changes = model.changes, let listYear = model.listYear {
                el("div", .class("panel")) {
                    let orders = model.ordersInForce.map(orderLabel).joined(separator: "; ")
                    el("strong") { "По сравнению с перечнем в силе на \(listYear) год (\(orders)): " }
                    "войдут — \(changes.entered.count), останутся — \(changes.stayed.count), выйдут — \(changes.left.count)."
                    if !changes.entered.isEmpty {
                        el("p") { "Войдут: " + changes.entered.map { model.names[$0] ?? $0 }.joined(separator: ", ") }
                    }
                    if !changes.left.isEmpty { el("p") { "Выйдут: " + changes.left.map { model.names[$0] ?? $0 }.joined(separator: ", ") } }
                    el("p") {
                        el("a", .href("/identification/lists")) { "История приказов" }
                        " · "
                        el("a", .href("/exits?year=\(listYear)")) { "Выход из списка" }
                        if model.canApprove {
                            " · "
                            el("a", .href("/reports/order.docx?year=\(listYear)")) { "Приказ об утверждении перечня (DOCX)" }
                        }
                    }
                }
            }
            if model.canApprove, let year = model.year {
                if model.choice.isWhatIf, let whatIf = model.choice.whatIfThreshold {
                    whatIfPanel(model, year: year, whatIf: whatIf)
                } else {
                    approvalForm(model, year: year, context)
                }
            }
            el("div", .class("cards")) {
                IdentificationStatus.allCases.map { status in
                    HomeView.card(String(model.rows.filter { $0.status == status }.count), status.russianName)
                }
            }
            el("h2") { "Выявленные школы: \(flagged.count) из \(model.rows.count)" }
            el("form", .class("row"), .method("get"), .action("/identification")) {
                model.year.map { el("input", .type("hidden"), .name("year"), .value(String($0))) } ?? .empty
                el("input", .type("hidden"), .name("criteria"), .value(model.choice.key))
                el("input", .type("hidden"), .name("threshold"), .value(model.choice.whatIfThreshold.map { String($0) }))
                UI.field("Поиск по названию", name: "q", value: model.search)
                el("button", .type("submit"), .class("secondary")) { "Найти" }
            }
            table(Array(model.paging.slice(model.shown)), empty: model.rows.isEmpty ? "Нет данных за выбранный год" : "Школ не найдено")
            model.paging.links("/identification", [("year", model.year.map(String.init)), ("criteria", model.choice.key),
                                                   ("threshold", model.choice.whatIfThreshold.map { String($0) }), ("q", model.search)])
        }
    }

    /// «приказ № 21 от 15.03.2023, Управление образования …».
    static func orderLabel(_ order: ListOrder) -> String {
        "приказ № \(order.number) от \(RussianFormat.date(order.date)), \(order.issuer)"
            + (order.authority == .own ? "" : " — \(order.authority.russianName)")
    }

    /// Why a what-if run is not approved, and what to do instead (the page and a forged post say the same).
    static func whatIfRefusal(typed: String, set: Double) -> String {
        "Перечень по расчёту «что если» (порог \(typed) %) не утверждается: приказ утверждает перечень по действующему набору "
            + "критериев (порог \(RussianFormat.plain(set)) %). Чтобы утвердить перечень с порогом \(typed) %, сохраните этот порог "
            + "в наборе критериев на год, затем утвердите перечень."
    }

    /// In place of the approval form on a what-if run: the reason, a way to make the threshold the set's, a way back.
    static func whatIfPanel(_ model: IdentificationModel, year: Int, whatIf: Double) -> HTMLNode {
        el("div", .class("panel"), .id("what-if-approval")) {
            el("h2", Attr("style", "margin-top:0")) { "Утвердить перечень приказом" }
            el("p") { whatIfRefusal(typed: RussianFormat.plain(whatIf), set: model.choice.setThreshold) }
            el("p") {
                el("a", .class("button secondary"), .href("/criteria?year=\(year)")) { "Открыть критерии на \(year) год" }
                " "
                el("a", .class("button"), .href("/identification?year=\(year)&criteria=\(model.choice.key)")) {
                    "Вернуться к порогу \(RussianFormat.plain(model.choice.setThreshold)) % и утвердить"
                }
            }
        }
    }

    /// Approving makes an order: the computed list, with schools taken off or added by hand (each with its reason), and
    /// a reason for each school that leaves the list in force. A refused form comes back with every value as typed.
    static func approvalForm(_ model: IdentificationModel, year: Int, _ context: PageContext) -> HTMLNode {
        let flagged = model.flagged
        let leaving = model.changes?.left ?? []
        let statuses = IdentificationStatus.allCases.filter { $0 != .none }.map { ($0.rawValue, $0.russianName) }
        let echo = model.approvalEcho, action = IdentificationController.approvalAction
        func typed(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        func checked(_ name: String) -> Bool { echo?.values[name] != nil }
        return el("form", .class("panel"), .method("post"), .action(action), .id("approval")) {
            Layout.csrfField(context.csrf)
            el("h2", Attr("style", "margin-top:0")) { "Утвердить перечень приказом" }
            UI.refusal(echo, for: action)
            el("input", .type("hidden"), .name("year"), .value(String(year)))
            el("input", .type("hidden"), .name("criteria"), .value(model.choice.key))
            el("div", .class("row")) {
                UI.field("Номер приказа", name: "order_number", value: typed("order_number"), required: true,
                         error: echo.error("order_number", for: action))
                UI.field("Дата приказа", name: "order_date", value: typed("order_date", RussianFormat.date(Date())), required: true,
                         hint: "ДД.ММ.ГГГГ", error: echo.error("order_date", for: action), warning: echo.warning("order_date", for: action))
                UI.field("Орган, издавший приказ", name: "issuer", value: typed("issuer", model.defaultIssuer), required: true,
                         error: echo.error("issuer", for: action))
            }
            if !flagged.isEmpty {
                el("h3") { "Выявленные школы: отметьте, чтобы исключить (с причиной)" }
                let columns = ["Исключить", "Школа", "Статус", "Причина исключения"]
                el("table", .class("cards-narrow")) {
                    UI.head(columns)
                    el("tbody") {
                        flagged.map { row in
                            el("tr") {
                                el("td", UI.cardLabel(columns[0])) {
                                    el("input", .type("checkbox"), .name("remove_\(row.schoolID)"), .value("1"),
                                       .id("remove_\(row.schoolID)"), .when(checked("remove_\(row.schoolID)"), Attr("checked", "checked")),
                                       Attr("aria-label", "Исключить: \(row.school)"))
                                }
                                el("td", UI.cardLabel(columns[1])) { row.school }
                                el("td", UI.cardLabel(columns[2])) { tag(row.status) }
                                el("td", UI.cardLabel(columns[3])) {
                                    el("input", .type("text"), .name("remove_reason_\(row.schoolID)"), Attr("maxlength", "500"),
                                       .value(typed("remove_reason_\(row.schoolID)")),
                                       Attr("aria-label", "Причина исключения: \(row.school)"))
                                }
                            }
                        }
                    }
                }
            }
            if !leaving.isEmpty {
                el("h3") { "Выходят из перечня в силе: причина выхода" }
                el("table", .class("cards-narrow")) {
                    el("tbody") {
                        leaving.map { id in
                            el("tr") {
                                el("td", UI.cardLabel("Школа")) { model.names[id] ?? id }
                                el("td", UI.cardLabel("Причина выхода")) {
                                    el("input", .type("text"), .name("exit_reason_\(id)"), Attr("maxlength", "500"),
                                       Attr("placeholder", ListInForce.defaultExitReason), .value(typed("exit_reason_\(id)")),
                                       Attr("aria-label", "Причина выхода: \(model.names[id] ?? id)"))
                                }
                            }
                        }
                    }
                }
            }
            if !model.addable.isEmpty {
                el("h3") { "Включить школы, которые критерии не выделили (с причиной)" }
                (1...3).map { index in
                    el("div", .class("row")) {
                        UI.select("Школа", name: "add_school_\(index)", options: model.addable.map { (String($0.schoolID), $0.school) },
                                  selected: typed("add_school_\(index)"), includeEmpty: "—", searchable: true)
                        UI.select("Статус", name: "add_status_\(index)", options: statuses,
                                  selected: typed("add_status_\(index)", IdentificationStatus.lowResults.rawValue))
                        UI.field("Причина включения", name: "add_reason_\(index)", value: typed("add_reason_\(index)"))
                    }
                }
            }
            el("button", .type("submit"), .id("approve")) { "Утвердить перечень (выявлено \(flagged.count))" }
        }
    }

    static func table(_ rows: [IdentificationModel.Row], empty: String) -> HTMLNode {
        el("table") {
            el("thead") {
                el("tr") {
                    el("th") { "Школа" }; el("th") { "Статус" }; el("th", .class("num")) { "ИСБШ" }
                    el("th") { "Обоснование (для приказа)" }
                }
            }
            el("tbody") {
                if rows.isEmpty { UI.emptyRow(4, empty) }
                rows.map { row in
                    el("tr") {
                        el("td") { el("a", .href("/schools/\(row.schoolID)/results")) { row.school } }
                        el("td") { tag(row.status, hasData: row.hasData && row.statusName == row.status.russianName, name: row.statusName) }
                        el("td", .class("num")) { row.isbs.map(String.init) ?? "—" }
                        el("td", .when(row.status == .none && !row.nearMiss, .class("muted"))) { row.explanation }
                    }
                }
            }
        }
    }

    /// The page's own parameters, for exports and paging links.
    static func queryString(_ model: IdentificationModel, page: Int?) -> String {
        var components = URLComponents()
        components.queryItems = [model.year.map { URLQueryItem(name: "year", value: String($0)) },
                                 URLQueryItem(name: "criteria", value: model.choice.key),
                                 model.choice.whatIfThreshold.map { URLQueryItem(name: "threshold", value: String($0)) },
                                 model.search.map { URLQueryItem(name: "q", value: $0) },
                                 page.map { URLQueryItem(name: "page", value: String($0)) }].compactMap { $0 }
        return components.percentEncodedQuery ?? ""
    }

    static func typology(_ model: TypologyModel, _ context: PageContext) -> HTMLNode {
        let byCell = Dictionary(grouping: model.points) { "\($0.isbs)|\($0.quality)" }
        let counts = Dictionary(grouping: model.points, by: \.type).mapValues(\.count)
        return Layout.page("Типология", context, active: .identification) {
            el("h1") { "Типология школ: ИСБШ × качество, \(model.year)" }
            el("p", .class("lead")) {
                "Группа индекса социального благополучия (строки) и группа качества подготовки (столбцы), 1–11; типы — по набору "
                "критериев «\(model.criteriaName)»."
            }
            el("form", .class("row"), .method("get"), .action("/typology")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            el("div", .class("cards")) {
                SchoolType.allCases.map { type in
                    el("div", .class("card"), Attr("style", "border-left:6px solid \(type.colour)")) {
                        el("div", .class("value")) { String(counts[type] ?? 0) }
                        el("div", .class("label")) { type.russianName }
                    }
                }
            }
            if model.points.isEmpty {
                el("div", .class("panel")) {
                    el("p") {
                        "Нет групп ИСБШ и качества за \(model.year) год: загрузите контекстные данные (isbs_group, quality_group) "
                        "на странице «Загрузка данных»."
                    }
                }
            } else {
                el("div", .class("panel")) { scatter(model) }
                el("table", Attr("style", "table-layout:fixed")) {
                    el("thead") { el("tr") {
                        el("th") { "ИСБШ \\ качество" }
                        (1...11).map { q in el("th", .class("num")) { String(q) } }
                    } }
                    el("tbody") {
                        (1...11).map { isbs in
                            el("tr") {
                                el("th") { String(isbs) }
                                (1...11).map { quality in
                                    let type = model.rule.type(isbsGroup: isbs, qualityGroup: quality)
                                    let here = byCell["\(isbs)|\(quality)"] ?? []
                                    let style = Attr("style", "background:\(type.colour)22;font-size:.8rem")
                                    return el("td", style, .title(type.russianName)) {
                                        // A region's thousand names do not fit a grid: beyond a hundred schools, each cell counts them.
                                        if model.isDense {
                                            if !here.isEmpty { el("strong") { String(here.count) } }
                                        } else {
                                            here.map { point in
                                                el("div") { el("a", .href("/schools/\(point.schoolID)")) { point.school } }
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
    }

    static func scatter(_ model: TypologyModel) -> HTMLNode {
        let size = 440.0, margin = 40.0
        let cell = (size - margin) / 11
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size) \(size)\" width=\"440\" "
            + "style=\"max-width:100%\" role=\"img\" class=\"chart\">"
        for isbs in 1...11 {
            for quality in 1...11 {
                let type = model.rule.type(isbsGroup: isbs, qualityGroup: quality)
                svg += "<rect x=\"\(margin + Double(quality - 1) * cell)\" y=\"\(Double(11 - isbs) * cell)\" width=\"\(cell)\" "
                    + "height=\"\(cell)\" fill=\"\(type.colour)\" fill-opacity=\"0.14\"/>"
            }
            svg += "<text x=\"\(margin - 6)\" y=\"\(Double(11 - isbs) * cell + cell / 2 + 4)\" font-size=\"10\" "
                + "text-anchor=\"end\">\(isbs)</text>"
            svg += "<text x=\"\(margin + Double(isbs - 1) * cell + cell / 2)\" y=\"\(size - 24)\" font-size=\"10\" "
                + "text-anchor=\"middle\">\(isbs)</text>"
        }
        svg += "<text x=\"\(margin + (size - margin) / 2)\" y=\"\(size - 6)\" font-size=\"11\" "
            + "text-anchor=\"middle\">группа качества</text>"
        svg += "<text x=\"10\" y=\"\((size - margin) / 2)\" font-size=\"11\" transform=\"rotate(-90 10 \((size - margin) / 2))\" "
            + "text-anchor=\"middle\">группа ИСБШ</text>"
        if model.isDense {
            // One circle per cell, its area by the number of schools in it.
            for (key, points) in Dictionary(grouping: model.points, by: { "\($0.isbs)|\($0.quality)" }) {
                let point = points[0]
                let x = margin + Double(point.quality - 1) * cell + cell / 2
                let y = Double(11 - point.isbs) * cell + cell / 2
                let radius = min(cell / 2 - 1, 4 + Double(points.count).squareRoot() * 1.5)
                svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(radius)\" fill=\"\(point.type.colour)\" fill-opacity=\"0.85\" "
                    + "stroke=\"#fff\"><title>\(key.replacingOccurrences(of: "|", with: " × ")): школ \(points.count)</title></circle>"
            }
        } else {
            var placed: [String: Int] = [:]
            for point in model.points {
                let key = "\(point.isbs)|\(point.quality)"
                let k = placed[key, default: 0]
                placed[key] = k + 1
                let x = margin + Double(point.quality - 1) * cell + cell / 2 + Double(k % 3 - 1) * 8
                let y = Double(11 - point.isbs) * cell + cell / 2 + Double(k / 3) * 8 - 4
                svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"5\" fill=\"\(point.type.colour)\" stroke=\"#fff\">"
                    + "<title>\(HTMLNode.escape(point.school)): \(point.type.russianName)</title></circle>"
            }
        }
        return .trusted(svg + "</svg>")
    }
}

enum IdentificationListsView {
    static func page(_ model: IdentificationListsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Приказы о перечне", context, active: .identification) {
            el("h1") { "Приказы об утверждении перечня школ" }
            el("p", .class("lead")) {
                "В силе — последний по дате приказ муниципалитета или его региона на год; прежние приказы остаются в истории."
            }
            el("p") { el("a", .href("/exits")) { "Выход из списка: готовые к выходу школы и приказ о завершении поддержки" } }
            if model.items.isEmpty {
                el("div", .class("panel")) {
                    el("p") { "Приказов пока нет. Утвердите перечень на странице «Идентификация» или загрузите приказ (approved_list)." }
                }
            }
            model.items.map { item in
                el("div", .class("panel")) {
                    el("h2", Attr("style", "margin-top:0")) {
                        "\(item.list.year) год, \(item.list.scopeLabel): приказ № \(item.list.orderNumber) "
                            + "от \(RussianFormat.date(item.list.orderDate))"
                    }
                    let authority = ListAuthority(rawValue: item.list.authority) ?? .own
                    el("p") { "Издал: \(item.list.issuer)" + (authority == .own ? "" : " (\(authority.russianName))") }
                    el("p", .class("muted")) {
                        "Основа: \(item.list.criteriaName). Записал: \(model.names(item.list.approvedBy)), "
                            + "\(RussianFormat.dateTime(item.list.approvedAt))."
                    }
                    section("Вошли", item.entered)
                    section("Остались", item.stayed)
                    exits("Вышли", item.left)
                    exits("Исключены из рассчитанного списка", item.takenOff)
                }
            }
        }
    }

    static func section(_ title: String, _ entries: [IdentificationListsModel.Entry]) -> HTMLNode {
        el("div") {
            el("h3") { "\(title): \(entries.count)" }
            if !entries.isEmpty {
                el("ul") {
                    entries.map { entry in
                        el("li") {
                            entry.explanation.isEmpty ? entry.school : entry.explanation
                            if entry.added { el("span", .class("tag warn")) { "включена вручную: \(entry.school)" } }
                        }
                    }
                }
            }
        }
    }

    static func exits(_ title: String, _ exits: [IdentificationListsModel.Exit]) -> HTMLNode {
        el("div") {
            el("h3") { "\(title): \(exits.count)" }
            if !exits.isEmpty { el("ul") { exits.map { exit in el("li") { "\(exit.school) — \(exit.reason)" } } } }
        }
    }
}
