import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Анкетирование»: the campaigns with a school in the user's scope.
struct CampaignListModel: Sendable {
    struct Row: Sendable {
        let id: Int
        let title: String
        let questionnaire: String
        let period: String
        let state: String
        let answered: Int
        let expected: Int
    }

    let rows: [Row]
    let canCreate: Bool

    static func build(_ req: Request) async throws -> CampaignListModel {
        let user = try req.user
        let repository = SurveyCampaignRepository(db: req.db)
        var rows: [Row] = []
        // People read a questionnaire's title (of the campaign's own version), not its code.
        let questionnaires = QuestionnaireRepository(db: req.db)
        var titles: [Int: String] = [:]
        for campaign in try await repository.campaigns(scope: user.scope) {
            let links = try await repository.links(campaignID: campaign.id, scope: user.scope)
            if titles[campaign.questionnaireID] == nil {
                titles[campaign.questionnaireID] = try await questionnaires.version(id: campaign.questionnaireID)?.questionnaire.title
            }
            rows.append(Row(id: campaign.id, title: campaign.title,
                            questionnaire: titles[campaign.questionnaireID] ?? campaign.questionnaireCode,
                            period: "\(campaign.starts.russian) – \(campaign.ends.russian)",
                            state: CampaignPageModel.stateName(campaign, today: req.today),
                            answered: links.map(\.answered).reduce(0, +), expected: links.map(\.expected).reduce(0, +)))
        }
        return CampaignListModel(rows: rows, canCreate: CampaignPageModel.mayRun(user))
    }
}

/// The form of a new campaign: the questionnaire versions, the scope's schools, the groups.
struct CampaignDraftModel: Sendable {
    let questionnaires: [(id: Int, label: String, groups: [RespondentGroup])]
    let schools: [SchoolName]
    let today: CalendarDay
    /// A refused form, shown again as typed with each problem beside its field.
    let echo: FormEcho?
    let chosenSchools: Set<Int>

    static func build(_ req: Request, echo: FormEcho? = nil, chosen: Set<Int> = []) async throws -> CampaignDraftModel {
        let user = try req.user
        guard CampaignPageModel.mayRun(user) else { throw Abort(.forbidden, reason: "Анкетирование проводит орган власти") }
        let stored = try await QuestionnaireRepository(db: req.db).list()
        return CampaignDraftModel(
            questionnaires: stored.map { ($0.id, "\($0.title) (\($0.code), версия \($0.version))", $0.questionnaire.groups) },
            schools: try await ScopeQueries.schoolNames(user.scope, on: req.db), today: req.today, echo: echo,
            chosenSchools: chosen)
    }

    /// The typed value when the form was refused, else `stored`.
    func value(_ input: String, _ stored: String = "") -> String { echo.value(input, for: "/campaigns", stored: stored) }
    func error(_ input: String) -> String? { echo.error(input, for: "/campaigns") }
    func warning(_ input: String) -> String? { echo.warning(input, for: "/campaigns") }

    /// Every group any version asks, for the expected counts.
    var groups: [RespondentGroup] { Array(Set(questionnaires.flatMap(\.groups))).sorted() }
}

/// One campaign: its links in the user's scope with their response rates, those lagging first.
struct CampaignPageModel: Sendable {
    let campaign: SurveyCampaignRepository.Campaign
    let questionnaire: StoredQuestionnaire?
    let links: [SurveyCampaignRepository.LinkRow]
    let state: String
    let canRun: Bool
    let pendingTexts: Int
    /// Other campaigns of the same questionnaire code, for the dynamics.
    let siblings: [(id: Int, title: String)]
    /// Who created the campaign, by name (`ActorNames`).
    var createdBy = ""
    /// A refused reissue of links, told beside the buttons.
    var echo: FormEcho? = nil

    static func build(_ req: Request, id: Int) async throws -> CampaignPageModel {
        let user = try req.user
        let repository = SurveyCampaignRepository(db: req.db)
        guard let campaign = try await repository.campaign(id, scope: user.scope) else {
            throw Abort(.notFound, reason: "Кампания не найдена")
        }
        let links = ResponseRate.lagging(try await repository.links(campaignID: id, scope: user.scope), rate: \.rate,
                                         name: { "\($0.schoolName) \($0.group)" })
        let pending = try await repository.texts(campaignID: id, scope: user.scope, states: [.pending]).count
        let siblings = try await repository.campaigns(scope: user.scope)
            .filter { $0.questionnaireCode == campaign.questionnaireCode && $0.id != id }.map { ($0.id, $0.title) }
        return CampaignPageModel(
            campaign: campaign, questionnaire: try await QuestionnaireRepository(db: req.db).version(id: campaign.questionnaireID),
            links: links, state: stateName(campaign, today: req.today), canRun: mayRun(user), pendingTexts: pending, siblings: siblings,
            createdBy: try await req.actorNames(campaign.createdBy))
    }

    /// Analysts and coordinators of a region or a municipality run campaigns; directors and curators read theirs.
    static func mayRun(_ user: CurrentUser) -> Bool {
        guard user.role.canImport else { return false }
        if case .schools = user.scope { return false }
        return true
    }

    static func stateName(_ campaign: SurveyCampaignRepository.Campaign, today: CalendarDay) -> String {
        if today < campaign.starts { return "с \(campaign.starts.russian)" }
        if today > campaign.ends { return "завершена" }
        return "идёт"
    }

    static func groupName(_ code: String) -> String { RespondentGroup(code: code)?.russianName ?? code }

    func exportRows() -> [[SheetCell]] {
        var rows: [[SheetCell]] = [[.text("Школа"), .text("Муниципалитет"), .text("Группа"), .text("Ожидается"), .text("Ответили"),
                                    .text("Доля ответивших, %")]]
        for link in links {
            rows.append([.text(link.schoolName), .text(link.municipality), .text(Self.groupName(link.group)),
                         .number(Double(link.expected)),
                         .number(Double(link.answered)), link.rate.percent.map { .percent($0) } ?? .empty])
        }
        return rows
    }
}

/// A school's answers in one campaign, per question against its municipality and region (hidden below five answers),
/// the free texts it may see, and for a risk questionnaire the proposed profile a curator accepts or changes.
struct CampaignSchoolModel: Sendable {
    struct Line: Sendable {
        let question: Question
        let school: QuestionTally?
        let municipality: QuestionTally?
        let region: QuestionTally?
        let schoolAnswers: Int
    }

    let campaign: SurveyCampaignRepository.Campaign
    let school: SchoolModel
    let questionnaire: Questionnaire
    let groups: [(group: RespondentGroup, lines: [Line])]
    let texts: [SurveyCampaignRepository.TextAnswer]
    let proposal: ProposedRiskProfile?
    let canAccept: Bool
    let year: Int
    /// The refused risk levels: the year and every level as chosen, each reason beside its field.
    var echo: FormEcho? = nil

    static func build(_ req: Request, campaignID: Int, schoolID: Int) async throws -> CampaignSchoolModel {
        let user = try req.user
        let school = try await req.schoolInScope(schoolID)
        let repository = SurveyCampaignRepository(db: req.db)
        guard let campaign = try await repository.campaign(campaignID, scope: .schools([schoolID])),
              try await repository.campaign(campaignID, scope: user.scope) != nil,
              let stored = try await QuestionnaireRepository(db: req.db).version(id: campaign.questionnaireID) else {
            throw Abort(.notFound, reason: "Кампания не найдена")
        }
        let questionnaire = stored.questionnaire
        let tallies = try await CampaignTallies.read(campaignID: campaignID, questionnaire: questionnaire, on: req.db)
        let municipalityID = school.$municipality.id
        let regionID = school.municipality.$region.id
        var groups: [(RespondentGroup, [Line])] = []
        for group in questionnaire.groups {
            let own = tallies.of(group: group.code) { $0.schoolID == schoolID }
            let municipality = tallies.of(group: group.code) { $0.municipalityID == municipalityID }
            let region = tallies.of(group: group.code) { $0.regionID == regionID }
            let lines = questionnaire.questions(for: group).filter { !$0.isText }.map { question in
                Line(question: question, school: own.shown(question.id), municipality: municipality.shown(question.id),
                     region: region.shown(question.id), schoolAnswers: own.questions[question.id]?.answered ?? 0)
            }
            groups.append((group, lines))
        }
        // In the school every text not hidden; beyond it only those a person has approved.
        let withinSchool: Bool
        if case .schools = user.scope { withinSchool = true } else { withinSchool = false }
        let texts = try await repository.texts(campaignID: campaignID, scope: user.scope,
                                               states: withinSchool ? [.pending, .approved] : [.approved], schoolID: schoolID)
        let proposal = questionnaire.purpose == .risk
            ? ProposedRiskProfile.propose(questionnaire, tally: tallies.of(group: nil) { $0.schoolID == schoolID }) : nil
        return CampaignSchoolModel(
            campaign: campaign, school: school, questionnaire: questionnaire, groups: groups, texts: texts, proposal: proposal,
            canAccept: user.role.canRateRisks && user.role != .viewer, year: campaign.ends.year)
    }
}

extension Question {
    var isText: Bool {
        if case .text = kind { return true }
        return false
    }
}

/// A campaign's counted answers, read once (one GROUP BY) and added up for any set of schools.
struct CampaignTallies: Sendable {
    let counts: [SurveyCampaignRepository.ValueCount]
    let respondents: [(schoolID: Int, municipalityID: Int, regionID: Int, group: String, answered: Int)]
    let questionnaire: Questionnaire

    static func read(campaignID: Int, questionnaire: Questionnaire, on db: any Database) async throws -> CampaignTallies {
        let repository = SurveyCampaignRepository(db: db)
        let links = try await repository.links(campaignID: campaignID, scope: .everything)
        return CampaignTallies(
            counts: try await repository.valueCounts(campaignID: campaignID),
            respondents: links.map { ($0.schoolID, $0.municipalityID, $0.regionID, $0.group, $0.answered) },
            questionnaire: questionnaire)
    }

    /// The tally of the schools `where` holds, one group's links (nil: every group).
    func of(group: String?, where include: (SurveyCampaignRepository.ValueCount) -> Bool) -> SurveyTally {
        let chosen = counts.filter { (group == nil || $0.group == group) && include($0) }
        let respondents = self.respondents.filter { row in
            (group == nil || row.group == group) && chosen.contains { $0.schoolID == row.schoolID }
        }.map(\.answered).reduce(0, +)
        return StoredAnswer.tally(chosen.map { ($0.questionKey, $0.value, $0.count) }, respondents: respondents, of: questionnaire)
    }
}

/// Two campaigns of one questionnaire code compared question by question over the user's scope.
struct CampaignDynamicsModel: Sendable {
    struct Line: Sendable {
        let group: RespondentGroup
        let question: Question
        let earlier: QuestionTally?
        let later: QuestionTally?
    }

    let earlier: SurveyCampaignRepository.Campaign
    let later: SurveyCampaignRepository.Campaign
    let lines: [Line]

    static func build(_ req: Request, id: Int) async throws -> CampaignDynamicsModel {
        let user = try req.user
        let repository = SurveyCampaignRepository(db: req.db)
        guard let other = try req.queryInt("other", in: InputRange.id, "кампания для сравнения"),
              let first = try await repository.campaign(id, scope: user.scope),
              let second = try await repository.campaign(other, scope: user.scope),
              first.questionnaireCode == second.questionnaireCode else {
            throw Abort(.notFound, reason: "Кампания для сравнения не найдена (нужна кампания той же анкеты)")
        }
        let (earlier, later) = (first.starts, first.id) <= (second.starts, second.id) ? (first, second) : (second, first)
        let questionnaires = QuestionnaireRepository(db: req.db)
        guard let earlierVersion = try await questionnaires.version(id: earlier.questionnaireID)?.questionnaire,
              let laterVersion = try await questionnaires.version(id: later.questionnaireID)?.questionnaire else {
            throw Abort(.notFound, reason: "Анкета кампании не найдена")
        }
        let inScope = Set(try await ScopeQueries.schoolIDs(user.scope, on: req.db))
        let before = try await CampaignTallies.read(campaignID: earlier.id, questionnaire: earlierVersion, on: req.db)
        let after = try await CampaignTallies.read(campaignID: later.id, questionnaire: laterVersion, on: req.db)
        var lines: [Line] = []
        for group in laterVersion.groups {
            let a = before.of(group: group.code) { inScope.contains($0.schoolID) }
            let b = after.of(group: group.code) { inScope.contains($0.schoolID) }
            for question in laterVersion.questions(for: group) where !question.isText && earlierVersion.question(question.id) != nil {
                lines.append(Line(group: group, question: question, earlier: a.shown(question.id), later: b.shown(question.id)))
            }
        }
        return CampaignDynamicsModel(earlier: earlier, later: later, lines: lines)
    }
}

extension CampaignSchoolModel {
    static let hidden = "менее 5 ответов"

    /// The school's answers per question against its municipality and region, as the page shows them: a choice's
    /// options in per cent of those who answered, a scale's or a number's mean; below five answers nothing but the note.
    func exportRows() -> [[SheetCell]] {
        var rows: [[SheetCell]] = [["Группа", "Вопрос", "Вариант ответа", "Школа", "Муниципалитет", "Регион"].map(SheetCell.text)]
        func percent(_ tally: QuestionTally?, _ option: Int) -> SheetCell {
            guard let tally else { return .text(Self.hidden) }
            return tally.percent(option: option).map { .percent($0) } ?? .empty
        }
        func mean(_ tally: QuestionTally?) -> SheetCell {
            guard let tally else { return .text(Self.hidden) }
            return tally.mean.map { .number(($0 * 100).rounded() / 100) } ?? .empty
        }
        for (group, lines) in groups {
            for line in lines {
                let question = line.question
                if question.options.isEmpty {
                    rows.append([.text(group.russianName), .text(question.text), .text("среднее"),
                                 mean(line.school), mean(line.municipality), mean(line.region)])
                } else {
                    for (index, option) in question.options.enumerated() {
                        rows.append([.text(group.russianName), .text(question.text), .text(option.text),
                                     percent(line.school, index), percent(line.municipality, index), percent(line.region, index)])
                    }
                }
            }
        }
        return rows
    }
}
