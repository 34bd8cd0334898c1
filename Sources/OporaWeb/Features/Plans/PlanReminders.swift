import Fluent
import OporaData
import OporaDomain
import Vapor

/// What the start page reminds of in the territorial programmes: measures overdue or due within the next
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
        let today = req.today
        var items: [Item] = []
        for monitored in try await repository.monitoring(user.scope, today: today) {
            let progress = RoadmapProgress(monitored.rows)
            let item = Item(id: monitored.plan.id!, name: monitored.plan.name, overdue: progress.overdue,
                            dueSoon: RoadmapProgress.dueSoon(monitored.rows, today: today), undated: progress.undated,
                            missingIndicators: monitored.missingIndicators)
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
