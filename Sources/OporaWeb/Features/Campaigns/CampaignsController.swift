import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Анкетирование» (docs/SURVEYS.md «Кампании»): campaigns, their links, rates, results, the review of free texts and
/// the proposed risk profile. Scope: a campaign shows only its schools in the user's scope; a school outside is a 404.
struct CampaignsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("campaigns") { req async throws -> HTMLNode in
            CampaignsView.list(try await CampaignListModel.build(req), try req.pageContext())
        }
        routes.get("campaigns", "new") { req async throws -> HTMLNode in
            CampaignsView.draft(try await CampaignDraftModel.build(req), try req.pageContext())
        }
        routes.post("campaigns", use: create)
        routes.get("campaigns", ":id") { req async throws -> HTMLNode in
            CampaignsView.page(try await CampaignPageModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("campaigns", ":id", "links", use: reissue)
        routes.get("campaigns", ":id", "export.xlsx") { req async throws -> Response in
            let model = try await CampaignPageModel.build(req, id: try req.intParameter("id"))
            return try TableExport.response(model.exportRows(), format: .xlsx, name: "campaign-\(model.campaign.id)",
                                            sheet: "Отклик")
        }
        routes.get("campaigns", ":id", "schools", ":school") { req async throws -> HTMLNode in
            CampaignsView.school(try await CampaignSchoolModel.build(req, campaignID: try req.intParameter("id"),
                                                                      schoolID: try req.intParameter("school")), try req.pageContext())
        }
        routes.get("campaigns", ":id", "schools", ":school", "export.xlsx") { req async throws -> Response in
            let model = try await CampaignSchoolModel.build(req, campaignID: try req.intParameter("id"),
                                                            schoolID: try req.intParameter("school"))
            return try TableExport.response(model.exportRows(), format: .xlsx,
                                            name: "campaign-\(model.campaign.id)-school-\(model.school.id!)", sheet: "Ответы")
        }
        routes.post("campaigns", ":id", "schools", ":school", "risks", use: acceptRisks)
        routes.get("campaigns", ":id", "review", use: reviewPage)
        routes.post("campaigns", ":id", "review", use: review)
        routes.get("campaigns", ":id", "dynamics") { req async throws -> HTMLNode in
            CampaignsView.dynamics(try await CampaignDynamicsModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.user
        guard CampaignPageModel.mayRun(user) else { throw Abort(.forbidden, reason: "Анкетирование проводит орган власти") }
        let fields = PublicFormBody.parse(req.body.string ?? "")
        let chosen = Set((fields[CampaignFields.schools] ?? []).compactMap { Int($0) })
        var check = FormCheck(fields.compactMapValues(\.first), today: req.today)
        // Every field is read before anything is refused, so the form comes back with each problem beside its field.
        let questionnaireID = check.integer(CampaignFields.questionnaire, in: InputRange.id, required: true)
        var stored: StoredQuestionnaire?
        if let questionnaireID { stored = try await QuestionnaireRepository(db: req.db).version(id: questionnaireID) }
        if questionnaireID != nil, stored == nil { check.refuse(CampaignFields.questionnaire, "Выберите анкету из списка") }
        let title = check.name(CampaignFields.title, limit: 300, required: true)
        let starts = check.day(CampaignFields.starts, required: true, expect: .any)
        let ends = check.day(CampaignFields.ends, required: true, expect: .any)
        var expected: [(group: String, count: Int)] = []
        for group in stored?.questionnaire.groups ?? [] {
            if let count = check.integer(CampaignFields.expected(group.code), in: CampaignRules.expectedRange) {
                expected.append((group.code, count))
            }
        }
        func refused(_ message: String? = nil) async throws -> Response {
            let model = try await CampaignDraftModel.build(req, echo: check.echo(action: "/campaigns", message: message), chosen: chosen)
            return try await CampaignsView.draft(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard check.passed, let stored, let title, let starts, let ends else { return try await refused() }
        do {
            let draft = SurveyCampaignRepository.Draft(
                questionnaireID: stored.id, questionnaireCode: stored.code, title: title, starts: starts, ends: ends,
                schoolIDs: Array(chosen).sorted(), expected: expected)
            let (campaignID, links) = try await SurveyCampaignRepository(db: req.db).create(draft, scope: user.scope, actor: user.actor)
            return try await linksPage(req, campaignID: campaignID, links: links)
        } catch let error as RepositoryError {
            let message = check.absorb(error, inputs: ["Название": CampaignFields.title, "Период": CampaignFields.ends,
                                                       "Школы": CampaignFields.schools, "Группы": CampaignFields.groups])
            return try await refused(message)
        }
    }

    @Sendable func reissue(_ req: Request) async throws -> Response {
        let user = try req.user
        guard CampaignPageModel.mayRun(user) else { throw Abort(.forbidden, reason: "Ссылки выпускает орган власти") }
        let id = try req.intParameter("id")
        let link = PublicFormBody.parse(req.body.string ?? "")[CampaignFields.link]?.first.flatMap { Int($0) }
        do {
            let links = try await SurveyCampaignRepository(db: req.db).reissue(campaignID: id, linkID: link, scope: user.scope,
                                                                               actor: user.actor)
            return try await linksPage(req, campaignID: id, links: links)
        } catch let error as RepositoryError {
            // The campaign's page again, the reason beside the links' buttons.
            if req.prefersJSON { throw error }
            var model = try await CampaignPageModel.build(req, id: id)
            model.echo = FormEcho(action: "/campaigns/\(id)/links", values: [:], message: "Ссылки не выпущены: " + error.description)
            return try await CampaignsView.page(model, try req.pageContext())
                .encodeResponse(status: FriendlyErrorMiddleware.describe(error).0, for: req)
        }
    }

    func linksPage(_ req: Request, campaignID: Int, links: [SurveyCampaignRepository.IssuedLink]) async throws -> Response {
        let user = try req.user
        guard let campaign = try await SurveyCampaignRepository(db: req.db).campaign(campaignID, scope: user.scope) else {
            throw Abort(.notFound)
        }
        let names = Dictionary(uniqueKeysWithValues: try await ScopeQueries.schoolNames(user.scope, on: req.db)
            .map { ($0.id, $0.displayName) })
        let host = req.headers.first(name: .host).map { "http://" + $0 } ?? ""
        let page = CampaignsView.links(campaign, links.map { (link: $0, school: names[$0.schoolID] ?? "") }, base: host,
                                       try req.pageContext())
        let response = try await page.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable func reviewPage(_ req: Request) async throws -> HTMLNode { try await reviewPage(req, echo: nil) }

    func reviewPage(_ req: Request, echo: FormEcho?) async throws -> HTMLNode {
        let user = try req.user
        let id = try req.intParameter("id")
        let repository = SurveyCampaignRepository(db: req.db)
        guard let campaign = try await repository.campaign(id, scope: user.scope) else {
            throw Abort(.notFound, reason: "Кампания не найдена")
        }
        let texts = try await repository.texts(campaignID: id, scope: user.scope, states: [.pending])
        let questionnaire = try await QuestionnaireRepository(db: req.db).version(id: campaign.questionnaireID)?.questionnaire
        return CampaignsView.review(campaign, texts, questionnaire: questionnaire, canReview: user.role.canRateRisks,
                                    try req.pageContext(), echo: echo)
    }

    @Sendable func review(_ req: Request) async throws -> Response {
        let user = try req.require(\.canRateRisks)
        let id = try req.intParameter("id")
        let fields = PublicFormBody.parse(req.body.string ?? "")
        guard let answer = fields[CampaignFields.answer]?.first.flatMap({ Int($0) }) else {
            throw Abort(.badRequest, reason: "Не указан ответ")
        }
        let decision: TextReview
        switch fields[CampaignFields.decision]?.first {
        case "approve": decision = .approved
        case "hide": decision = .hidden
        default: throw Abort(.badRequest, reason: "Решение: показывать или скрыть")
        }
        do {
            try await SurveyCampaignRepository(db: req.db).review(answerID: answer, campaignID: id, decision: decision,
                                                                  scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            // The review page again, the reason over the answers still waiting.
            if req.prefersJSON { throw error }
            let echo = FormEcho(action: "/campaigns/\(id)/review", values: [:], message: "Решение не записано: " + error.description)
            return try await reviewPage(req, echo: echo).encodeResponse(status: FriendlyErrorMiddleware.describe(error).0, for: req)
        }
        return req.redirect(to: "/campaigns/\(id)/review", flash: .success,
                            decision == .approved ? "Ответ будет показываться" : "Ответ скрыт")
    }

    /// The levels the curator kept or changed become ratings through the `risks` import (its checks, scope and
    /// audit), with the source «анкетирование» and the campaign named in the comment. A refusal comes back as the
    /// school's page with the year and every level as chosen, each reason beside its field.
    @Sendable func acceptRisks(_ req: Request) async throws -> Response {
        let user = try req.require(\.canRateRisks)
        let id = try req.intParameter("id")
        let schoolID = try req.intParameter("school")
        var model = try await CampaignSchoolModel.build(req, campaignID: id, schoolID: schoolID)
        guard let proposal = model.proposal else { throw Abort(.badRequest, reason: "Эта анкета не о факторах риска") }
        var check = FormCheck(PublicFormBody.parse(req.body.string ?? "").compactMapValues(\.first), today: req.today)
        let year = check.integer(CampaignFields.year, in: InputRange.year, required: true)
        var lines = ["year,school,factor,level,source,comment"]
        var factors: [Int] = []  // per line of the file after the header
        for factor in proposal.factors.keys.sorted() {
            guard let text = check[CampaignFields.level(factor)] else { continue }
            guard let level = RiskLevel(rawValue: text) else {
                check.refuse(CampaignFields.level(factor), "Выберите уровень из списка")
                continue
            }
            let item = proposal.factors[factor]!
            let note = level == item.level ? "принято" : "изменено куратором (предложено: \(item.level.russianName))"
            let comment = "кампания «\(model.campaign.title)»: \(item.points) из \(item.maximum) баллов, \(note)"
            lines.append([String(year ?? 0), model.school.code, String(factor), level.rawValue, ProposedRiskProfile.source, comment]
                .map { CSVText.cell($0) }.joined(separator: ","))
            factors.append(factor)
        }
        let action = "/campaigns/\(id)/schools/\(schoolID)/risks"
        func refused(_ message: String? = nil) async throws -> Response {
            model.echo = check.echo(action: action, message: message)
            return try await CampaignsView.school(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard check.passed, let year else { return try await refused() }
        guard lines.count > 1 else {
            return try await refused("Не записано: не выбрано ни одного уровня — выберите уровень хотя бы одного фактора")
        }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.risks, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "анкетирование")
            return req.redirect(to: "/schools/\(schoolID)/risks?year=\(year)", flash: .success,
                                "По анкетированию записано факторов: \(lines.count - 1)")
        } catch let rejected as ImportRejected {
            var unplaced: [String] = []
            for issue in rejected.errors {
                let index = issue.line - 2  // line 1 is the header
                if factors.indices.contains(index), issue.column == "level" {
                    check.refuse(CampaignFields.level(factors[index]), issue.message)
                } else if issue.column == "year" {
                    check.refuse(CampaignFields.year, issue.message)
                } else {
                    unplaced.append(issue.message)
                }
            }
            return try await refused(unplaced.isEmpty ? nil : "Не записано: " + unplaced.joined(separator: "; "))
        }
    }
}
