import Fluent
import OporaData
import OporaDomain
import Vapor

/// The roadmap: execution by section, overdue by responsible, and the measures with a filter.
struct RoadmapPageModel: Sendable {
    let plan: PlanModel
    let today: CalendarDay
    let rows: [RoadmapRow]
    let shown: ArraySlice<RoadmapRow>
    let matching: Int
    let paging: Paging
    let filter: RoadmapFilter
    /// Sections, total and late measures by responsible, as the domain counts them (`RoadmapProgress`).
    let progress: RoadmapProgress
    let canChange: Bool

    static func build(_ req: Request, id: Int) async throws -> RoadmapPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let today = CalendarDay.today()
        let rows = RoadmapRow.rows(try await PlanRepository(db: req.db).measures(id), period: plan.period, today: today)
        let key = try req.queryChoice("show", from: RoadmapFilter.allCases.map(\.rawValue), default: RoadmapFilter.all.rawValue)
        let filter = RoadmapFilter(rawValue: key) ?? .all
        let shown = rows.filter(filter.matches)
        let paging = Paging(page: try req.queryInt("page", in: InputRange.page, "страница") ?? 1, size: 200, total: shown.count)
        return RoadmapPageModel(plan: plan, today: today, rows: rows, shown: paging.slice(shown), matching: shown.count, paging: paging,
                                filter: filter, progress: RoadmapProgress(rows), canChange: plan.canChange(user))
    }
}
