import Fluent
import OporaData
import OporaDomain
import Vapor

/// The programmes the user's scope reads, one page at a time (a region may hold thousands), with the state of
/// each roadmap on the page, and what the form for a new programme offers.
struct PlansListModel: Sendable {
    struct Row: Sendable {
        let id: Int
        let code: String
        let name: String
        let level: ProgrammeLevel
        let territory: String
        let period: ClosedRange<Int>
        let order: String?
        let progress: RoadmapProgress
    }

    let rows: [Row]
    let paging: Paging
    /// Programmes the scope reads before the filters, to say «N of M».
    let inScope: Int
    let search: String?
    let level: ProgrammeLevel?
    let canCreate: Bool
    /// Where a new programme may be adopted: "" is the region (offered to a regional user only), else a municipality.
    let territories: [(value: String, label: String)]
    let regionName: String?
    /// The user's own level and territory, chosen when the form opens.
    let ownTerritory: String
    let today: CalendarDay

    static func build(_ req: Request) async throws -> PlansListModel {
        let user = try req.user
        let repository = PlanRepository(db: req.db)
        let today = req.today
        let all = try await repository.programmes(user.scope)
        let search = try req.queryText("q", maxLength: 100)
        let level = ProgrammeLevel(rawValue: try req.queryChoice("level", from: [""] + ProgrammeLevel.allCases.map(\.rawValue),
            default: ""))
        let needle = search?.lowercased()
        let matching = all.filter { plan in
            (level == nil || plan.programmeLevel == level)
                && (needle.map { plan.code.lowercased().contains($0) || plan.name.lowercased().contains($0) } ?? true)
        }
        let paging = try Paging.read(req, total: matching.count)
        var rows: [Row] = []
        for plan in paging.slice(matching) {
            let measures = RoadmapRow.rows(try await repository.measures(plan.id!), period: plan.period, today: today)
            rows.append(Row(id: plan.id!, code: plan.code, name: plan.name, level: plan.programmeLevel,
                            territory: try await plan.territoryName(on: req.db), period: plan.period.years,
                            order: plan.orderNumber.map { PlanPageModel.order($0, plan.orderDate) }, progress: RoadmapProgress(measures)))
        }
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all()
        var regionName: String? = nil
        if case .region(let id) = user.scope { regionName = try await RegionModel.find(id, on: req.db)?.name }
        // A coordinator's programme is their municipality's; a regional user's, the region's.
        let own: String
        if case .municipality(let id) = user.scope { own = String(id) } else { own = "" }
        return PlansListModel(rows: rows, paging: paging, inScope: all.count, search: search, level: level,
                              canCreate: user.role.canImport, territories: municipalities.map { (String($0.id!), $0.name) },
                              regionName: regionName, ownTerritory: own, today: today)
    }
}
