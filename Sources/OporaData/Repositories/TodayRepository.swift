import FluentKit
import Foundation
import OporaDomain

/// Gathers, within a scope, what «Сегодня» judges (`TodayList`): the page, the menu's badge and the daily digest
/// read the same facts, through the same scoped queries as the pages the items link to.
public struct TodayRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public func facts(role: Role, scope: AccessScope, today: CalendarDay) async throws -> TodayFacts {
        guard role != .viewer else { return TodayFacts() }
        var facts = TodayFacts()
        let programmes = try await ProgrammeRepository(db: db, actor: .commandLine).programmes(scope)
        for programme in programmes where programme.programmeStatus == .submitted || programme.programmeStatus == .returned {
            let remarks = programme.programmeStatus == .returned
                ? try await ProgrammeRepository(db: db, actor: .commandLine).openRemarks(programme.id!).count : 0
            facts.programmes.append(.init(id: programme.id!, title: programme.title, school: programme.school.displayName,
                                          status: programme.programmeStatus, submittedAt: programme.submittedAt, openRemarks: remarks))
        }
        let plans = PlanRepository(db: db)
        for monitored in try await plans.monitoring(scope, today: today) {
            let plan = monitored.plan
            let canChange = ProgrammeAccess.canChange(plan.place, role: role, scope: scope)
            guard canChange else { continue }
            facts.plans.append(.init(id: plan.id!, name: plan.name, progress: monitored.rows.map(\.progress),
                                     missingIndicators: monitored.missingIndicators, canChange: canChange))
        }
        let decisions = try await plans.decisions(scope, openOnly: true)
        let schoolIDs = Set(decisions.compactMap(\.schoolID))
        let names = try await schoolIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: SchoolModel.query(on: db)
            .filter(\.$id ~~ Array(schoolIDs)).all().map { ($0.id!, $0.displayName) })
        for decision in decisions {
            facts.decisions.append(.init(id: decision.id!, title: decision.decision, school: decision.schoolID.flatMap { names[$0] },
                                         status: decision.decisionStatus, due: decision.due,
                                         canClose: DecisionAccess.canChange(decision.owner, role: role, scope: scope)))
        }
        if role != .schoolAdmin {
            for visit in try await SupportRepository(db: db).visits(scope) where visit.followUpDue != nil && !visit.followUpDone {
                facts.visits.append(.init(schoolID: visit.$school.id, school: visit.school.displayName,
                                          followUp: visit.followUp ?? visit.topic, due: visit.due, done: visit.followUpDone))
            }
        }
        if role.canImport, scope.holdsTerritory,
           let year = try await ResultsRepository(db: db).availableWorks(scope: scope).map(\.year).max(),
           try await IdentificationRepository(db: db).listInForce(year: year, scope: scope) == nil {
            facts.yearsWithoutList = [year]
        }
        return facts
    }

    /// The user's items for today (what the page lists and the badge counts).
    public func items(role: Role, scope: AccessScope, today: CalendarDay, now: Date = Date()) async throws -> [TodayItem] {
        TodayList.items(role: role, scope: scope, facts: try await facts(role: role, scope: scope, today: today), today: today, now: now)
    }
}
