import Fluent
import OporaData
import OporaDomain
import Vapor

/// What a query finds among the schools, programmes, measures and decisions the user may see — read through the
/// same scoped repositories as their own pages, so a hit never opens a page that answers 404.
struct SearchModel {
    struct Hit: Sendable { let title: String; let detail: String; let href: String }
    struct Group: Sendable { let title: String; let hits: [Hit]; let total: Int }

    static let perGroup = 30

    let query: String
    let tooShort: Bool
    let groups: [Group]
    var total: Int { groups.map(\.total).reduce(0, +) }

    static func build(_ req: Request) async throws -> SearchModel {
        let user = try req.user
        let typed = String((try? req.query.get(String.self, at: "q")) ?? "").prefix(200)
        let query = SearchQuery(String(typed))
        guard !query.isTooShort else { return SearchModel(query: String(typed), tooShort: !query.isEmpty, groups: []) }
        let schools = try await ScopeQueries.schoolNames(user.scope, on: req.db)
        let schoolHits = schools.filter { query.matches($0.name, $0.shortName, $0.code) }
            .map { Hit(title: $0.displayName, detail: $0.code, href: "/schools/\($0.id)") }
        let programmeHits = try await ProgrammeRepository(db: req.db, actor: user.actor).programmes(user.scope)
            .filter { query.matches($0.title, $0.school.name, $0.school.shortName) }
            .map { Hit(title: $0.title, detail: $0.school.displayName, href: "/programmes/\($0.id!)") }
        let plans = PlanRepository(db: req.db)
        let visiblePlans = try await plans.programmes(user.scope)
        let planHits = visiblePlans.filter { query.matches($0.name, $0.code, $0.orderNumber) }
            .map { Hit(title: $0.name, detail: $0.code, href: "/plans/\($0.id!)") }
        let planNames = Dictionary(uniqueKeysWithValues: visiblePlans.map { ($0.id!, $0.name) })
        let measures = planNames.isEmpty ? [] : try await MeasureModel.query(on: req.db)
            .filter(\.$programmeID ~~ Array(planNames.keys)).sort(\.$programmeID).sort(\.$position).all()
        let measureHits = measures.filter { query.matches($0.measure, $0.section, $0.responsible, $0.result, $0.comment) }
            .map { Hit(title: "\($0.number). \($0.measure)", detail: planNames[$0.programmeID] ?? "",
                       href: "/plans/\($0.programmeID)/measures/\($0.id!)") }
        let decisionHits = try await plans.decisions(user.scope)
            .filter { query.matches($0.finding, $0.decision, $0.responsible) }
            .map { Hit(title: $0.decision, detail: $0.finding, href: "/decisions#d\($0.id!)") }
        let groups = [("Школы", schoolHits), ("Программы школ", programmeHits), ("Программы органов управления", planHits),
                      ("Мероприятия дорожных карт", measureHits), ("Управленческие решения", decisionHits)]
            .filter { !$0.1.isEmpty }
            .map { Group(title: $0.0, hits: Array($0.1.prefix(perGroup)), total: $0.1.count) }
        return SearchModel(query: String(typed), tooShort: false, groups: groups)
    }
}
