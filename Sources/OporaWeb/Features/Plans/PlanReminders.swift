import Fluent
import OporaData
import OporaDomain
import Vapor

/// two weeks, deadlines nobody has dated, indicators due this month without a value, open decisions.
struct PlanReminders: Sendable {
    struct Item: Sendable {
        let id: Int
        let name: String
        let overdue: Int
        let dueSoon: Int
        let undated: Int
        let missingIndicators: [String]
    }

    let items: [Item]
    let openDecisions: Int
    let overdueDecisions: Int
    /// Visits' follow-ups whose date has passed (the support network), and where to see them.
    let overdueFollowUps: Int
    let followUpsPath: String

    var isEmpty: Bool { items.isEmpty && openDecisions == 0 && overdueFollowUps == 0 }

    static func build(_ req: Request, user: CurrentUser) async throws -> PlanReminders {
        let repository = PlanRepository(db: req.db)
        let today = CalendarDay.today()
        var items: [Item] = []
        for plan in try await repository.programmes(user.scope) where plan.period.years.upperBound >= today.year - 1 {
            let rows = RoadmapRow.rows(try await repository.measures(plan.id!), period: plan.period, today: today)
            let progress = RoadmapProgress(rows)
            let indicators = try await repository.indicators(plan.id!)
            let values = try await repository.values(plan.id!)
            let withValues = Set(values.filter { $0.year == today.year }.compactMap { value in
                indicators.first { $0.id == value.indicatorID }?.code
            })
            let missing = CollectionSchedule.missing(indicators.map(\.monitored), month: today.month, withValues: withValues).map(\.code)
            let item = Item(id: plan.id!, name: plan.name, overdue: progress.overdue, dueSoon: RoadmapProgress.dueSoon(rows, today: today),
                            undated: progress.undated, missingIndicators: missing)
            if item.overdue + item.dueSoon + item.undated + item.missingIndicators.count > 0 { items.append(item) }
        }
        let open = try await repository.decisions(user.scope, openOnly: true)
        let lateFollowUps = try await SupportRepository(db: req.db).visits(user.scope)
            .filter { FollowUp.isOverdue(due: $0.due, done: $0.followUpDone, today: today) }.count
        return PlanReminders(items: items, openDecisions: open.count,
                             overdueDecisions: open.filter { $0.decisionStatus.isOverdue(due: $0.due, today: today) }.count,
                             overdueFollowUps: lateFollowUps, followUpsPath: user.role == .curator ? "/support/mine" : "/support")
    }
}
