import Fluent
import OporaData
import OporaDomain
import Vapor

/// The management decisions of the user's territory, and a new decision prefilled from the finding it answers.
struct DecisionsModel: Sendable {
    struct Row: Sendable {
        let decision: DecisionModel
        let programme: String?
        let overdue: Bool
        /// The user's level took the decision or is above it (`DecisionAccess`): it may close it.
        let canClose: Bool
    }
    struct Draft: Sendable {
        var kind: FindingKind = .other
        var ref: Int? = nil
        var programmeID: Int? = nil
        var schoolID: Int? = nil
        var finding = ""
        var responsible = ""
    }

    let rows: [Row]
    let showAll: Bool
    let programmeFilter: Int?
    let draft: Draft
    let programmes: [(id: Int, name: String)]
    let canDecide: Bool
    /// Who recorded each decision, by name (`ActorNames`).
    var names = ActorNames(names: [:])
    /// A refused form of this page, shown again as typed.
    var echo: FormEcho?

    static func build(_ req: Request) async throws -> DecisionsModel {
        let user = try req.user
        let repository = PlanRepository(db: req.db)
        let showAll = try req.queryChoice("show", from: ["open", "all"], default: "open") == "all"
        let programmeFilter = try req.queryInt("programme", in: InputRange.id, "программа")
        let plans = try await repository.programmes(user.scope)
        let names = Dictionary(uniqueKeysWithValues: plans.map { ($0.id!, $0.name) })
        let today = CalendarDay.today()
        let rows = try await repository.decisions(user.scope, openOnly: !showAll)
            .filter { programmeFilter == nil || $0.programmeID == programmeFilter }
            .map { decision in
                Row(decision: decision, programme: decision.programmeID.flatMap { names[$0] },
                    overdue: decision.decisionStatus.isOverdue(due: decision.due, today: today),
                    canClose: DecisionAccess.canChange(decision.owner, role: user.role, scope: user.scope))
            }
        return DecisionsModel(rows: rows, showAll: showAll, programmeFilter: programmeFilter,
                              draft: try await draft(req, plans: plans, today: today), programmes: plans.map { ($0.id!, $0.name) },
                              canDecide: user.role != .viewer && user.role != .curator, names: try await req.actorNames)
    }

    /// «?kind=measure&ref=…» and «?kind=indicator&ref=…&year=…»: the finding written from the data, so that the
    /// decision names what prompted it.
    static func draft(_ req: Request, plans: [PlanModel], today: CalendarDay) async throws -> Draft {
        var draft = Draft()
        guard let kind = (try? req.query.get(String.self, at: "kind")).flatMap(FindingKind.init(rawValue:)) else { return draft }
        draft.kind = kind
        draft.ref = try req.queryInt("ref", in: InputRange.id, "основание")
        draft.programmeID = try req.queryInt("programme", in: InputRange.id, "программа")
        if kind == .results || kind == .risk, let schoolID = try req.queryInt("school", in: InputRange.id, "школа") {
            return try await schoolDraft(req, draft, schoolID: schoolID)
        }
        guard let plan = plans.first(where: { $0.id == draft.programmeID }), let ref = draft.ref else { return draft }
        switch kind {
        case .measure:
            if let model = try await MeasureModel.find(ref, on: req.db), model.programmeID == plan.id {
                let row = RoadmapRow.rows([MeasureRow(model)], period: plan.period, today: today)[0]
                draft.finding = "Мероприятие № \(model.number) «\(model.measure.prefix(200))» (срок «\(model.deadline)») — "
                    + row.progress.russianName
                draft.responsible = model.responsible ?? ""
            }
        case .indicator:
            if let indicator = try await IndicatorModel.find(ref, on: req.db), indicator.programmeID == plan.id {
                let year = try req.queryYear()
                let value = try await IndicatorValueModel.query(on: req.db).filter(\.$indicatorID == ref).all()
                    .filter { year == nil || $0.year == year }.max { $0.year < $1.year }
                draft.finding = "Показатель \(indicator.code) «\(indicator.name.prefix(200))»"
                if let value {
                    draft.finding += " за \(value.year) год: \(RussianFormat.number(value.value, digits: 2))"
                    if let target = value.target { draft.finding += " при цели \(RussianFormat.number(target, digits: 2))" }
                }
                draft.responsible = indicator.responsible ?? ""
            }
        case .results, .risk, .other:
            break
        }
        return draft
    }

    /// A school's finding: its status on the newest approved list, or its high-rated risk factors.
    static func schoolDraft(_ req: Request, _ start: Draft, schoolID: Int) async throws -> Draft {
        var draft = start
        let school = try await req.schoolInScope(schoolID)
        draft.schoolID = schoolID
        draft.ref = schoolID
        let user = try req.user
        switch draft.kind {
        case .risk:
            let byYear = try await RiskRepository(db: req.db).ratings(school: school)
            let year = try req.queryYear() ?? byYear.keys.max()
            let factors = try await RiskRepository(db: req.db).factors()
            let high = year.flatMap { byYear[$0] }?.values.filter { $0.level == .high }.map(\.factor).sorted() ?? []
            let named = high.map { number in "\(number). \(factors.first { $0.number == number }?.name ?? "")" }
            draft.finding = "Школа «\(school.displayName)»" + (year.map { ", профиль рисков \($0) года" } ?? "") + ": "
                + (high.isEmpty ? "высоких рисков нет" : "высокий риск — " + named.joined(separator: "; "))
        default:
            let lists = try await IdentificationRepository(db: req.db).lists(scope: user.scope)
            let year = lists.map(\.year).max()
            var status: IdentificationStatus? = nil
            if let year, let statuses = try await IdentificationRepository(db: req.db).approvedStatuses(year: year, scope: user.scope) {
                status = statuses[schoolID]
            }
            let listed = status.map { $0 == .none ? "не в списке" : $0.russianName } ?? "не в списке"
            draft.finding = "Школа «\(school.displayName)»" + (year.map { y in ": в списке \(y) года — " + listed } ?? ": результаты")
        }
        return draft
    }
}
