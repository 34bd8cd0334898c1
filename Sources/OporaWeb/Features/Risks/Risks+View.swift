import Foundation
import OporaData
import OporaDomain

enum RisksView {
    /// Colours of the heatmap: high red, medium amber, low green, not relevant grey; the letter says it too.
    static func cell(_ level: RiskLevel?) -> HTMLNode {
        guard let level else { return el("td", .class("risk")) { "" } }
        let letter: String
        switch level {
        case .high: letter = "В"
        case .medium: letter = "С"
        case .low: letter = "Н"
        case .notRelevant: letter = "—"
        }
        // No title per cell: a region's matrix has 12,000 cells; the header names each factor.
        return el("td", .class("risk \(level.rawValue)")) { letter }
    }

    static func statusTag(_ status: IdentificationStatus?, hasList: Bool) -> HTMLNode {
        if let status { return IdentificationView.tag(status) }
        let title = "Профиль рисков есть, а в утверждённом списке на этот год школы нет"
        return hasList ? el("span", .class("tag warn"), .title(title)) { "нет в списке" } : .empty
    }

    static func page(_ model: RiskMatrixModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Матрица рисков", context, active: .risks) {
            el("h1") { "Матрица рисков" + (model.year.map { ", \($0) год" } ?? "") }
            el("p", .class("lead")) {
                "Школы × двенадцать факторов риска проекта «500+»: В — высокая значимость, С — средняя, Н — низкая, «—» — не актуален. "
                "Списки по управленческим направлениям ниже выводятся из профилей, их не нужно набирать."
            }
            el("form", .class("row"), .method("get"), .action("/risks")) {
                UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: model.year.map(String.init))
                if model.municipalities.count > 1 {
                    UI.select("Муниципалитет", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) },
                              selected: model.municipality.map(String.init), includeEmpty: "Все")
                }
                UI.select("Школы", name: "status", options: RiskMatrixModel.StatusFilter.allCases.map { ($0.rawValue, $0.label) },
                          selected: model.filter.rawValue)
                el("input", .type("hidden"), .name("sort"), .value(model.sort))
                el("button", .type("submit"), .class("secondary")) { "Показать" }
                el("span", .class("spacer"))
                if model.year != nil {
                    el("a", .class("button secondary"), .href("/risks/export.csv?\(query(model, sort: model.sort))")) { "CSV" }
                    el("a", .class("button secondary"), .href("/risks/export.xlsx?\(query(model, sort: model.sort))")) { "XLSX" }
                }
            }
            if model.year == nil {
                el("p", .class("panel")) {
                    "Профилей рисков пока нет. Их заполняют на странице школы («Профиль рисков») или загружают файлом вида «Профили " +
                    "рисков» на странице «Загрузка данных»."
                }
            } else {
                matrix(model)
                el("h2") { "Управленческие направления" }
                el("p", .class("muted")) {
                    "Школа входит в направление, если высоко оценила хотя бы один из его факторов (\(model.directionsSource)). "
                    el("a", .href("/risks/directions?year=\(model.year ?? 0)")) { "Направления территории" }
                }
                directions(model)
                el("h2") { "Факторы риска" }
                el("ol") { model.factors.map { factor in el("li") { factor.name } } }
            }
        }
    }

    static func query(_ model: RiskMatrixModel, sort: String) -> String {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "year", value: model.year.map(String.init)),
                                 URLQueryItem(name: "municipality", value: model.municipality.map(String.init)),
                                 URLQueryItem(name: "status", value: model.filter.rawValue),
                                 URLQueryItem(name: "sort", value: sort)].filter { $0.value != nil }
        return components.percentEncodedQuery ?? ""
    }

    static func matrix(_ model: RiskMatrixModel) -> HTMLNode {
        let counts = model.highCounts
        func sortLink(_ key: String, _ label: String, title: String? = nil) -> HTMLNode {
            el("a", .href("/risks?\(query(model, sort: key))"), .when(title != nil,
                                                                      .title(title ?? "")),
                                                                          .when(model.sort == key, .class("active"))) { label }
        }
        return el("div", .class("scroll")) {
            el("table", .class("risk-matrix"), .id("risk-matrix")) {
                el("thead") {
                    el("tr") {
                        el("th") { sortLink("school", "Школа") }
                        el("th") { "Статус" }
                        model.factors.map { factor in el("th", .class("num")) { sortLink("f\(factor.number)", String(factor.number),
                                                                                         title: factor.name) } }
                        el("th", .class("num")) { sortLink("high", "Высоких") }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(model.factors.count + 3, "Нет школ под выбранные условия") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") {
                                el("a", .href("/schools/\(row.schoolID)/risks?year=\(model.year ?? 0)")) { row.name }
                                row.hasProfile ? .empty : el("div", .class("muted")) { "профиль не заполнен" }
                            }
                            el("td") { statusTag(row.status, hasList: model.hasList) }
                            model.factors.map { factor in cell(row.levels[factor.number]) }
                            el("td", .class("num")) { String(row.highCount) }
                        }
                    }
                }
                el("tfoot") {
                    el("tr") {
                        el("th") { "Высокая значимость: школ" }
                        el("th") { "" }
                        model.factors.map { factor in el("th", .class("num")) { String(counts[factor.number] ?? 0) } }
                        el("th") { "" }
                    }
                }
            }
        }
    }

    static func directions(_ model: RiskMatrixModel) -> HTMLNode {
        let names = model.names
        return el("table", .id("directions")) {
            el("thead") { el("tr") { el("th") { "Направление" }; el("th") { "Факторы" }; el("th", .class("num")) { "Школ" }
                                     el("th") { "Школы" } } }
            el("tbody") {
                model.directions.map { list in
                    el("tr") {
                        el("td") { list.direction.name }
                        el("td") { list.direction.factors.map { "№ \($0)" }.joined(separator: ", ") }
                        el("td", .class("num")) { String(list.schools.count) }
                        el("td") {
                            list.schools.isEmpty ? "—"
                                : list.schools.map { names[$0] ?? $0 }.sorted(by: DirectionList.naturalOrder).joined(separator: "; ")
                        }
                    }
                }
            }
        }
    }

    static func profile(_ model: SchoolRiskProfileModel, _ context: PageContext) -> HTMLNode {
        let id = model.school.id!
        return Layout.page("Профиль рисков: \(model.school.displayName)", context, active: .risks) {
            el("div", .class("toolbar")) {
                el("a", .href("/schools/\(id)")) { "← Карточка школы" }
                el("a", .href("/risks?year=\(model.year)")) { "Матрица рисков" }
                el("a", .href("/decisions?kind=risk&school=\(id)&year=\(model.year)#new")) { "Принять управленческое решение" }
                model.surveys.map { survey in
                    el("a", .href("/campaigns/\(survey.id)/schools/\(id)#proposed-risks")) {
                        "Анкетирование «\(survey.title)»: предложенный профиль"
                    }
                }
            }
            el("h1") { "Профиль рисков, \(model.year) год" }
            if model.canEdit {
                el("p") {
                    el("a", .class("button secondary"), .href("/schools/\(id)/risks/questionnaire?year=\(model.year)")) {
                        "Заполнить по анкете"
                    }
                }
            }
            el("p", .class("lead")) { model.school.name; " "; statusTag(model.status, hasList: model.hasList) }
            el("form", .class("row"), .method("get"), .action("/schools/\(id)/risks")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            let action = "/schools/\(id)/risks", echo = model.echo
            UI.refusal(echo, for: action)
            el("form", .method("post"), .action("\(action)?year=\(model.year)")) {
                Layout.csrfField(context.csrf)
                let columns = ["Фактор риска", "Значимость", "Источник", "Комментарий"]
                el("table", .id("risk-profile"), .class("cards-narrow")) {
                    UI.head(columns)
                    el("tbody") {
                        model.factors.map { factor in
                            let rating = model.ratings[factor.number]
                            return el("tr") {
                                el("td", UI.cardLabel(columns[0])) { "\(factor.number). \(factor.name)" }
                                el("td", UI.cardLabel(columns[1])) {
                                    let level = echo.value("level_\(factor.number)", for: action, stored: rating?.level.rawValue ?? "")
                                    el("select", .name("level_\(factor.number)"), .when(!model.canEdit, Attr("disabled", "")),
                                       Attr("aria-label", "Значимость: фактор \(factor.number)")) {
                                        el("option", .value("")) { "— не оценён" }
                                        RiskLevel.allCases.sorted().map { option in
                                            el("option", .value(option.rawValue), .when(level == option.rawValue,
                                                                                        .selected)) { option.russianName }
                                        }
                                    }
                                    note(echo.error("level_\(factor.number)", for: action), "level_\(factor.number)")
                                }
                                ["source", "comment"].map { field in
                                    let input = "\(field)_\(factor.number)"
                                    let stored = (field == "source" ? rating?.source : rating?.comment) ?? ""
                                    let error = echo.error(input, for: action)
                                    return el("td", UI.cardLabel(field == "source" ? columns[2] : columns[3])) {
                                        el("input", .name(input), .value(echo.value(input, for: action, stored: stored)),
                                           .when(!model.canEdit, Attr("readonly", "")),
                                           Attr("aria-label", (field == "source" ? "Источник" : "Комментарий")
                                                + ": фактор \(factor.number)"),
                                           Attr("aria-invalid", error != nil ? "true" : nil),
                                           Attr("aria-describedby", error != nil ? "\(input)-note" : nil))
                                        note(error, input)
                                    }
                                }
                            }
                        }
                    }
                }
                if model.canEdit { el("div", .class("actions")) { el("button", .type("submit")) { "Сохранить профиль" } } }
            }
            if model.history.count > 1 {
                el("h2") { "По годам" }
                el("table", .class("risk-matrix"), .id("risk-history")) {
                    el("thead") {
                        el("tr") {
                            el("th") { "Год" }
                            model.factors.map { factor in el("th", .class("num"), .title(factor.name)) { String(factor.number) } }
                            el("th") { "Что изменилось" }
                        }
                    }
                    el("tbody") {
                        model.history.enumerated().map { index, entry in
                            el("tr") {
                                el("td") { String(entry.year) }
                                model.factors.map { factor in cell(entry.levels[factor.number]) }
                                el("td") {
                                    index == 0 ? "—" : SchoolRiskProfileModel.changes(from: model.history[index - 1], to: entry)
                                        .joined(separator: "; ").nonEmptyOr("без изменений")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func questionnaire(_ model: RiskQuestionnaireModel, _ context: PageContext) -> HTMLNode {
        let id = model.school.id!
        let groups = Dictionary(grouping: model.questionnaire.questions, by: \.factor)
        return Layout.page("Анкета: \(model.school.displayName)", context, active: .risks) {
            el("div", .class("toolbar")) { el("a", .href("/schools/\(id)/risks?year=\(model.year)")) { "← Профиль рисков" } }
            el("h1") { "\(model.questionnaire.name), \(model.year) год" }
            el("p", .class("lead")) {
                "Ответьте на вопросы по каждому фактору: значимость фактора считается по доле набранных баллов (от 60 % — высокая, от " +
                "30 % — средняя, больше нуля — низкая, ноль — не актуален) и записывается в профиль. Фактор, на вопросы которого " +
                "ответили не полностью, не меняется."
            }
            let action = questionnaireAction(model), echo = model.echo
            UI.refusal(echo, for: action)
            el("form", .method("post"), .action(action), .id("questionnaire")) {
                Layout.csrfField(context.csrf)
                model.factors.map { factor in
                    let error = echo.error(factorInput(factor.number), for: action)
                    return el("fieldset", .id(factorInput(factor.number)), Attr("class", error != nil ? "invalid" : nil)) {
                        el("legend") { "\(factor.number). \(factor.name)" }
                        if let error { el("p", .class("field-error"), Attr("role", "alert")) { error } }
                        (groups[factor.number] ?? []).map { question in
                            let ticked = echo.value(question.code, for: action, stored: "")
                            return el("div", .class("question")) {
                                el("p") { question.text }
                                question.answers.enumerated().map { index, answer in
                                    el("label", .class("inline")) {
                                        el("input", .type("radio"), .name(question.code), .value(String(index)),
                                           .when(ticked == String(index), .checked))
                                        " \(answer.text)"
                                    }
                                }
                            }
                        }
                    }
                }
                el("div", .class("actions")) { el("button", .type("submit")) { "Рассчитать и записать в профиль" } }
            }
        }
    }

    static func questionnaireAction(_ model: RiskQuestionnaireModel) -> String {
        "/schools/\(model.school.id!)/risks/questionnaire?year=\(model.year)"
    }

    /// Where a factor begun but not finished is named (its fieldset).
    static func factorInput(_ factor: Int) -> String { "factor_\(factor)" }

    /// A refused cell's reason under it.
    static func note(_ error: String?, _ input: String) -> HTMLNode {
        guard let error else { return .empty }
        return el("small", .class("field-error"), .id("\(input)-note")) { error }
    }
}

extension String {

    func nonEmptyOr(_ fallback: String) -> String { isEmpty ? fallback : self }
}
