import OporaData
import OporaDomain

enum CampaignsView {
    static let proposalColumns = ["Фактор", "Предложено", "Ответы", "Принять"]

    static func list(_ model: CampaignListModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Анкетирование", context, active: .surveys) {
            el("h1") { "Анкетирование" }
            el("p", .class("lead")) {
                "Кампании: анкета, отправленная школам на срок, со ссылкой для каждой школы и группы респондентов. "
                "Ответы анонимны; результаты по вопросу показываются от 5 ответов."
            }
            if model.canCreate { el("p") { el("a", .href("/campaigns/new"), .class("button")) { "Новая кампания" } } }
            el("table", .id("campaigns")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Кампания" }; el("th") { "Анкета" }; el("th") { "Период" }; el("th") { "Состояние" }
                        el("th", .class("num")) { "Ответили" }; el("th", .class("num")) { "Ожидается" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(6, "Кампаний нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") { el("a", .href("/campaigns/\(row.id)")) { row.title } }
                            el("td") { row.questionnaire }
                            el("td") { row.period }
                            el("td") { row.state }
                            el("td", .class("num")) { RussianFormat.integer(row.answered) }
                            el("td", .class("num")) { RussianFormat.integer(row.expected) }
                        }
                    }
                }
            }
        }
    }

    static func draft(_ model: CampaignDraftModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Новая кампания", context, active: .surveys) {
            el("h1") { "Новая кампания анкетирования" }
            UI.refusal(model.echo, for: "/campaigns")
            if model.questionnaires.isEmpty {
                el("p") { "Анкет нет: сначала загрузите анкету в разделе «Анкеты»." }
            } else {
                el("form", .method("post"), .action("/campaigns"), .class("stack"), .id("campaign-form")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Анкета (версия)", name: CampaignFields.questionnaire,
                              options: model.questionnaires.map { (value: String($0.id), label: $0.label) },
                              selected: model.value(CampaignFields.questionnaire), required: true,
                              includeEmpty: "— выберите анкету —", error: model.error(CampaignFields.questionnaire))
                    UI.field("Название", name: CampaignFields.title, value: model.value(CampaignFields.title), required: true,
                             error: model.error(CampaignFields.title))
                    UI.field("Начало", name: CampaignFields.starts, value: model.value(CampaignFields.starts, model.today.russian),
                             required: true, hint: "ДД.ММ.ГГГГ", error: model.error(CampaignFields.starts),
                             warning: model.warning(CampaignFields.starts))
                    UI.field("Окончание", name: CampaignFields.ends,
                             value: model.value(CampaignFields.ends, model.today.adding(days: 14).russian), required: true,
                             hint: "ДД.ММ.ГГГГ", error: model.error(CampaignFields.ends), warning: model.warning(CampaignFields.ends))
                    el("fieldset", .class("actions")) {
                        el("legend") { "Группы респондентов: сколько ответов ожидается от каждой школы (пусто — группу не опрашивать)" }
                        if let problem = model.error(CampaignFields.groups) { el("p", .class("field-error")) { problem } }
                        model.groups.map { group in
                            UI.field(group.russianName, name: CampaignFields.expected(group.code),
                                     value: model.value(CampaignFields.expected(group.code)), type: "number",
                                     error: model.error(CampaignFields.expected(group.code)))
                        }
                    }
                    el("fieldset", .class("actions")) {
                        el("legend") { "Школы" }
                        if let problem = model.error(CampaignFields.schools) { el("p", .class("field-error")) { problem } }
                        model.schools.map { school in
                            el("label", .class("inline")) {
                                el("input", .type("checkbox"), .name(CampaignFields.schools), .value(String(school.id)),
                                   .when(model.chosenSchools.contains(school.id), Attr("checked", "")))
                                el("span") { school.displayName }
                            }
                        }
                    }
                    el("p", .class("actions")) { el("button", .type("submit")) { "Создать кампанию и выпустить ссылки" } }
                }
            }
        }
    }

    /// The links as issued: shown once (only their hashes are kept), with what to do with them.
    static func links(_ campaign: SurveyCampaignRepository.Campaign, _ links: [(link: SurveyCampaignRepository.IssuedLink,
        school: String)], base: String, _ context: PageContext) -> HTMLNode {
        Layout.page("Ссылки кампании", context, active: .surveys) {
            el("h1") { "Ссылки кампании «\(campaign.title)»" }
            el("div", .class("flash success"), Attr("role", "status")) {
                "Ссылки показаны один раз: Опора хранит только их отпечатки. Сохраните или распечатайте их сейчас; "
                "потерянную ссылку можно выпустить заново (старая перестанет работать)."
            }
            el("table", .id("links")) {
                el("thead") {
                    el("tr") { el("th") { "Школа" }; el("th") { "Группа" }; el("th") { "Ссылка" }; el("th") { "Для печати" } }
                }
                el("tbody") {
                    links.map { item in
                        el("tr", .class("survey-link"), Attr("data-link-id", String(item.link.linkID)),
                           Attr("data-school-id", String(item.link.schoolID)), Attr("data-group", item.link.group)) {
                            el("td") { item.school }
                            el("td") { CampaignPageModel.groupName(item.link.group) }
                            el("td") { el("a", .class("survey-url"), .href("/s/\(item.link.token)")) { base + "/s/" + item.link.token } }
                            el("td") {
                                el("a", .href("/s/\(item.link.token)/sheet"), Attr("target", "_blank")) { "лист" }
                                " · "
                                el("a", .href("/s/\(item.link.token)/qr.png")) { "QR PNG" }
                                " · "
                                el("a", .href("/s/\(item.link.token)/qr.svg")) { "QR SVG" }
                            }
                        }
                    }
                }
            }
            el("form", .method("post"), .action("/campaigns/\(campaign.id)/sheets"), Attr("target", "_blank"), .id("sheets")) {
                Layout.csrfField(context.csrf)
                links.map { item in el("input", .type("hidden"), .name("token"), .value(item.link.token)) }
                el("p") { el("button", .type("submit")) { "Листы с QR-кодами для печати" } }
            }
            el("p") { el("a", .href("/campaigns/\(campaign.id)")) { "К кампании" } }
        }
    }

    static func page(_ model: CampaignPageModel, _ context: PageContext) -> HTMLNode {
        let campaign = model.campaign
        return Layout.page(campaign.title, context, active: .surveys) {
            el("h1") { campaign.title }
            el("dl", .class("facts")) {
                el("dt") { "Анкета" }
                el("dd") { model.questionnaire.map { "\($0.title), версия \($0.version)" } ?? campaign.questionnaireCode }
                el("dt") { "Период" }; el("dd") { "\(campaign.starts.russian) – \(campaign.ends.russian) (\(model.state))" }
                el("dt") { "Создал" }; el("dd") { "\(model.createdBy), \(RussianFormat.dateTime(campaign.createdAt))" }
            }
            el("div", .class("toolbar")) {
                el("a", .href("/campaigns/\(campaign.id)/export.xlsx")) { "Выгрузить в XLSX" }
                el("a", .href("/campaigns/\(campaign.id)/review")) { "Свободные ответы на проверке: \(model.pendingTexts)" }
                model.siblings.map { sibling in
                    el("a", .href("/campaigns/\(campaign.id)/dynamics?other=\(sibling.id)")) { "Динамика: сравнить с «\(sibling.title)»" }
                }
            }
            el("h2") { "Отклик по школам и группам (сначала отстающие)" }
            el("div", .id("refusal")) { UI.refusal(model.echo, for: "/campaigns/\(campaign.id)/links") }
            el("table", .id("rates"), .class("cards-narrow")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Школа" }; el("th") { "Муниципалитет" }; el("th") { "Группа" }
                        el("th", .class("num")) { "Ожидается" }; el("th", .class("num")) { "Ответили" }
                        el("th", .class("num")) { "Отклик" }
                        if model.canRun { el("th") { "Ссылка" } }
                    }
                }
                el("tbody") {
                    if model.links.isEmpty { UI.emptyRow(6, "Ссылок в вашей области нет") }
                    model.links.map { link in
                        el("tr", .id("rate-\(link.linkID)"), Attr("data-school-id", String(link.schoolID)),
                           Attr("data-group", link.group)) {
                            el("td", UI.cardLabel("Школа")) {
                                el("a", .href("/campaigns/\(campaign.id)/schools/\(link.schoolID)")) { link.schoolName }
                            }
                            el("td", UI.cardLabel("Муниципалитет")) { link.municipality }
                            el("td", UI.cardLabel("Группа")) { CampaignPageModel.groupName(link.group) }
                            el("td", .class("num"), UI.cardLabel("Ожидается")) { RussianFormat.integer(link.expected) }
                            el("td", .class("num"), UI.cardLabel("Ответили")) { RussianFormat.integer(link.answered) }
                            el("td", .class("num"), UI.cardLabel("Отклик")) {
                                link.rate.percent.map { RussianFormat.number($0) + " %" } ?? "—"
                            }
                            if model.canRun {
                                el("td", UI.cardLabel("Ссылка")) {
                                    el("form", .method("post"), .action("/campaigns/\(campaign.id)/links"), .class("inline")) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name(CampaignFields.link), .value(String(link.linkID)))
                                        el("button", .type("submit"), .class("link")) { "выпустить заново" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if model.canRun {
                el("form", .method("post"), .action("/campaigns/\(campaign.id)/links")) {
                    Layout.csrfField(context.csrf)
                    el("p") {
                        el("button", .type("submit"), .class("secondary")) { "Выпустить все ссылки заново (старые перестанут работать)" }
                    }
                }
            }
        }
    }

    static func tallyText(_ tally: QuestionTally?, _ question: Question) -> HTMLNode {
        guard let tally else { return el("span", .class("muted")) { SmallSample.hiddenMessage } }
        switch question.kind {
        case .scale, .number:
            return .text("среднее \(tally.mean.map { RussianFormat.number($0, digits: 1) } ?? "—") (ответов \(tally.answered))")
        default:
            return el("ul", .class("survey-shares")) {
                question.options.enumerated().map { index, option in
                    el("li") { "\(option.text): \(tally.percent(option: index).map { RussianFormat.number($0) } ?? "0") %" }
                }
                el("li", .class("muted")) { "ответов: \(tally.answered)" }
            }
        }
    }

    static func school(_ model: CampaignSchoolModel, _ context: PageContext) -> HTMLNode {
        Layout.page("\(model.school.displayName): \(model.campaign.title)", context, active: .surveys) {
            el("h1") { model.school.displayName }
            el("p", .class("lead")) {
                el("a", .href("/campaigns/\(model.campaign.id)")) { model.campaign.title }
                " · по вопросу показываем от \(SmallSample.minimumAnswers) ответов"
            }
            el("p", .class("toolbar")) {
                el("a", .class("button secondary"), .href("/campaigns/\(model.campaign.id)/schools/\(model.school.id!)/export.xlsx")) {
                    "Ответы школы в XLSX"
                }
            }
            model.groups.map { group, lines in
                el("section", .class("survey-results"), Attr("data-group", group.code)) {
                    el("h2") { group.russianName }
                    el("div", .class("scroll")) {
                        el("table", .class("survey-results")) {
                            el("thead") {
                                el("tr") {
                                    el("th") { "Вопрос" }; el("th") { "Школа" }; el("th") { model.school.municipality.name }
                                    el("th") { model.school.municipality.region.name }
                                }
                            }
                            el("tbody") {
                                if lines.isEmpty { UI.emptyRow(4, "Вопросов с вариантами нет") }
                                lines.map { line in
                                    el("tr", Attr("data-question", line.question.id)) {
                                        el("td") { line.question.text }
                                        el("td", .class("school")) { tallyText(line.school, line.question) }
                                        el("td") { tallyText(line.municipality, line.question) }
                                        el("td") { tallyText(line.region, line.question) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("h2") { "Свободные ответы" }
            if model.texts.isEmpty {
                el("p", .class("muted"), .id("texts")) {
                    "Нет ответов, которые можно показать (ответы проверяет человек, прежде чем показать их вне школы)."
                }
            } else {
                el("ul", .id("texts")) {
                    model.texts.map { text in
                        el("li") { "\(text.value) " ; el("span", .class("tag")) { text.state.russianName } }
                    }
                }
            }
            if let proposal = model.proposal { risks(proposal, model, context) }
        }
    }

    static func risks(_ proposal: ProposedRiskProfile, _ model: CampaignSchoolModel, _ context: PageContext) -> HTMLNode {
        el("section", .id("proposed-risks")) {
            el("h2") { "Предлагаемый рисковый профиль" }
            el("p", .class("lead")) {
                "Уровни по ответам анкет; куратор принимает их или меняет. Принятые оценки записываются в профиль школы "
                "с источником «\(ProposedRiskProfile.source)»."
            }
            if proposal.factors.isEmpty {
                el("p", .class("muted")) { "Ответов на вопросы о факторах риска пока нет." }
            } else {
                let action = "/campaigns/\(model.campaign.id)/schools/\(model.school.id ?? 0)/risks", echo = model.echo
                UI.refusal(echo, for: action)
                el("form", .method("post"), .action(action)) {
                    Layout.csrfField(context.csrf)
                    UI.field("Год профиля", name: CampaignFields.year,
                             value: echo.value(CampaignFields.year, for: action, stored: String(model.year)), required: true,
                             error: echo.error(CampaignFields.year, for: action))
                    el("table", .id("proposal"), .class("cards-narrow")) {
                        UI.head(proposalColumns)
                        el("tbody") {
                            proposal.factors.keys.sorted().map { factor -> HTMLNode in
                                let item = proposal.factors[factor]!
                                return el("tr", Attr("data-factor", String(factor))) {
                                    el("td", UI.cardLabel(proposalColumns[0])) {
                                        "\(factor). \(RiskFactor.catalogue.first { $0.number == factor }?.name ?? "")"
                                    }
                                    el("td", UI.cardLabel(proposalColumns[1])) {
                                        "\(item.level.russianName) (\(item.points) из \(item.maximum) баллов)"
                                    }
                                    el("td", UI.cardLabel(proposalColumns[2])) {
                                        el("ul", .class("changes")) {
                                            item.evidence.prefix(5).map { evidence in
                                                el("li") {
                                                    "«\(evidence.question)» — «\(evidence.answer)»: \(evidence.count) × \(evidence.points)"
                                                }
                                            }
                                        }
                                    }
                                    let input = CampaignFields.level(factor), error = echo.error(input, for: action)
                                    let chosen = echo.value(input, for: action, stored: item.level.rawValue)
                                    el("td", UI.cardLabel(proposalColumns[3])) {
                                        if model.canAccept {
                                            el("label", Attr("class", error != nil ? "field invalid" : nil)) {
                                                el("select", .name(input), Attr("aria-label", "Уровень фактора \(factor)"),
                                                   Attr("aria-invalid", error != nil ? "true" : nil),
                                                   Attr("aria-describedby", error != nil ? "\(input)-note" : nil)) {
                                                    el("option", .value("")) { "не записывать" }
                                                    RiskLevel.allCases.map { level in
                                                        el("option", .value(level.rawValue), .when(level.rawValue == chosen, .selected)) {
                                                            level.russianName
                                                        }
                                                    }
                                                }
                                                RisksView.note(error, input)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if model.canAccept { el("p") { el("button", .type("submit")) { "Принять в рисковый профиль школы" } } }
                }
            }
        }
    }

    static func review(_ campaign: SurveyCampaignRepository.Campaign, _ texts: [SurveyCampaignRepository.TextAnswer],
                       questionnaire: Questionnaire?, canReview: Bool, _ context: PageContext, echo: FormEcho? = nil) -> HTMLNode {
        Layout.page("Проверка свободных ответов", context, active: .surveys) {
            el("h1") { "Свободные ответы на проверке" }
            el("p", .class("lead")) {
                el("a", .href("/campaigns/\(campaign.id)")) { campaign.title }
                " · дети пишут имена: ответ показывается вне школы, только когда его одобрил человек"
            }
            UI.refusal(echo, for: "/campaigns/\(campaign.id)/review")
            let columns = ["Школа", "Вопрос", "Ответ", "Решение"]
            el("table", .id("review"), .class("cards-narrow")) {
                UI.head(columns)
                el("tbody") {
                    if texts.isEmpty { UI.emptyRow(4, "Ответов на проверке нет") }
                    texts.map { text in
                        el("tr", .id("answer-\(text.answerID)")) {
                            el("td", UI.cardLabel(columns[0])) { text.schoolName }
                            el("td", UI.cardLabel(columns[1])) { questionnaire?.question(text.questionKey)?.text ?? text.questionKey }
                            el("td", UI.cardLabel(columns[2])) { text.value }
                            el("td", UI.cardLabel(columns[3])) {
                                // Who only reads sees the answer wait; the buttons are for those who may decide.
                                if canReview {
                                    el("form", .method("post"), .action("/campaigns/\(campaign.id)/review"), .class("inline")) {
                                        Layout.csrfField(context.csrf)
                                        el("input", .type("hidden"), .name(CampaignFields.answer), .value(String(text.answerID)))
                                        el("button", .type("submit"), .name(CampaignFields.decision), .value("approve")) { "Показывать" }
                                        " "
                                        el("button", .type("submit"), .name(CampaignFields.decision), .value("hide"),
                                           .class("secondary")) { "Скрыть" }
                                    }
                                } else {
                                    el("span", .class("muted")) { "ожидает проверки" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func dynamics(_ model: CampaignDynamicsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Динамика анкетирования", context, active: .surveys) {
            el("h1") { "Динамика: «\(model.earlier.title)» → «\(model.later.title)»" }
            el("p", .class("lead")) { "Ваша область доступа; по вопросу показываем от \(SmallSample.minimumAnswers) ответов." }
            el("table", .id("dynamics")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Группа" }; el("th") { "Вопрос" }; el("th") { model.earlier.title }; el("th") { model.later.title }
                    }
                }
                el("tbody") {
                    if model.lines.isEmpty { UI.emptyRow(4, "Общих вопросов нет") }
                    model.lines.map { line in
                        el("tr", Attr("data-question", line.question.id)) {
                            el("td") { line.group.russianName }
                            el("td") { line.question.text }
                            el("td") { tallyText(line.earlier, line.question) }
                            el("td") { tallyText(line.later, line.question) }
                        }
                    }
                }
            }
        }
    }
}

/// The campaign forms' field names (also in /work/briefs/surveys-api.md «Campaigns»).
enum CampaignFields {
    static let questionnaire = "questionnaire"
    static let title = "title"
    static let starts = "starts"
    static let ends = "ends"
    static let schools = "school"
    /// Where a refusal about the respondent groups as a whole is shown.
    static let groups = "groups"
    static func expected(_ group: String) -> String { "expected_" + group }
    static let link = "link"
    static let answer = "answer"
    static let decision = "decision"
    static let year = "year"
    static func level(_ factor: Int) -> String { "level_\(factor)" }
}
