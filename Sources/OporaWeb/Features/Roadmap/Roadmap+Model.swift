import Fluent
import OporaData
import OporaDomain
import Vapor

/// The roadmap: execution by section, overdue by responsible, and the measures with a filter.
struct RoadmapPageModel: Sendable {
    static let filters = ["all", "overdue", "in_progress", "not_started", "done", "undated"]

    let plan: PlanModel
    let today: CalendarDay
    let rows: [RoadmapRow]
    let shown: ArraySlice<RoadmapRow>
    let matching: Int
    let paging: Paging
    let filter: String
    let sections: [(String, ExecutionTally)]
    let total: ExecutionTally
    let overdueByResponsible: [(String, [RoadmapRow])]
    let canChange: Bool

    static func build(_ req: Request, id: Int) async throws -> RoadmapPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let today = CalendarDay.today()
        let rows = RoadmapRow.rows(try await PlanRepository(db: req.db).measures(id), period: plan.period, today: today)
        let filter = try req.queryChoice("show", from: filters, default: "all")
        let shown = rows.filter { row in
            switch filter {
            case "all": true
            case "undated": row.needsDate
            default: row.progress.rawValue == filter
            }
        }
        let (sections, total) = ExecutionTally.bySection(rows.map { ($0.measure.section, $0.progress) })
        let overdue = Dictionary(grouping: rows.filter { $0.progress == .overdue }) { $0.measure.responsible ?? "ответственный не указан" }
        let paging = Paging(page: try req.queryInt("page", in: InputRange.page, "страница") ?? 1, size: 200, total: shown.count)
        return RoadmapPageModel(plan: plan, today: today, rows: rows, shown: paging.slice(shown), matching: shown.count, paging: paging, filter: filter,
                                sections: sections, total: total,
                                overdueByResponsible: overdue.keys.sorted().map { ($0, overdue[$0]!) }, canChange: plan.canChange(user))
    }
}
