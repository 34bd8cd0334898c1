import Fluent
import OporaData
import OporaDomain
import Vapor

/// The programmes the user's scope reads, with the state of each roadmap.
struct PlansListModel: Sendable {
    struct Row: Sendable {
        let id: Int
        let code: String
        let name: String
        let level: ProgrammeLevel
        let territory: String
        let period: ClosedRange<Int>
        let order: String?
        let tally: ExecutionTally
        let needsDate: Int
    }

    let rows: [Row]
    let canCreate: Bool
    let municipalities: [(id: Int, name: String)]

    static func build(_ req: Request) async throws -> PlansListModel {
        let user = try req.user
        let repository = PlanRepository(db: req.db)
        let today = CalendarDay.today()
        var rows: [Row] = []
        for plan in try await repository.programmes(user.scope) {
            let measures = RoadmapRow.rows(try await repository.measures(plan.id!), period: plan.period, today: today)
            var tally = ExecutionTally()
            for row in measures { tally.add(row.progress) }
            rows.append(Row(id: plan.id!, code: plan.code, name: plan.name, level: plan.programmeLevel, territory: try await plan.territoryName(on: req.db),
                            period: plan.period.years, order: plan.orderNumber.map { PlanPageModel.order($0, plan.orderDate) },
                            tally: tally,
                            needsDate: measures.filter(\.needsDate).count))
        }
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all().map { ($0.id!, $0.name) }
        return PlansListModel(rows: rows, canCreate: user.role.canImport, municipalities: municipalities)
    }
}
