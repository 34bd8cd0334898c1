import Fluent
import Foundation
import OporaData
import OporaDomain
import Vapor

/// The school card: «what is going on here» — its place on the list in force and why, who supports it, where its
/// programme stands, its risks, open decisions, the last visit and what is late, each with the page where it is
/// handled. Every answer is the domain's (`ListInForce` through the orders, `Identifier`, `ProgrammeWorkflow`,
/// `FollowUp`, `TodayList`); the card only gathers them. Audit internals stay on the audit page.
struct SchoolCardModel {
    /// The school on the list in force, or why it is not, with the rule's own words for the latest year of results.
    struct Standing {
        let listing: IdentificationRepository.SchoolListing?
        /// A list of the year is in force for the school's territory (so «не в перечне» is a fact, not a gap).
        let listExists: Bool
        let year: Int?
        let result: IdentificationResult?
        let explanation: String?
    }

    struct Programme { let id: Int; let title: String; let status: ProgrammeStatus; let years: String; let late: Bool }
    struct Risk { let factor: Int; let name: String; let level: RiskLevel }
    struct Decision { let title: String; let due: CalendarDay?; let overdue: Bool }
    struct Visit { let day: CalendarDay; let visitor: String; let topic: String }
    struct FollowUpLate { let text: String; let due: CalendarDay }

    let school: SchoolsListModel.Row
    let canEdit: Bool
    let canViewAudit: Bool
    let standing: Standing
    /// The orders that listed the school or took it off, newest first (the list in force is marked).
    let listings: [IdentificationRepository.SchoolListing]
    let curators: [SupportRepository.SchoolCurator]
    let mentor: String?
    let programmes: [Programme]
    /// The school's approved programmes as they are carried out (what its curator monitors).
    let executions: [ProgrammeExecutionRepository.Execution]
    let riskYear: Int?
    let risks: [Risk]
    let decisions: [Decision]
    let lastVisit: Visit?
    let lateFollowUps: [FollowUpLate]
    /// What waits for this user here (`TodayList` over the school alone).
    let today: [TodayItem]

    /// High and medium factors first: what a reader should know of the profile.
    static let risksShown = 5

    static func build(_ req: Request, id: Int) async throws -> SchoolCardModel {
        let user = try req.user
        let school = try await req.schoolInScope(id)
        let day = req.today
        let here = AccessScope.schools([id])
        let identification = IdentificationRepository(db: req.db)
        let listings = try await identification.history(school: id)
        let support = SupportRepository(db: req.db)
        let visits = try await support.visits(here)
        let decisions = try await PlanRepository(db: req.db).decisions(here, openOnly: true)
        let programmes = try await SchoolProgrammeModel.query(on: req.db).filter(\.$school.$id == id).all()
        let now = Date()
        let profile = try await risks(req, school: school)
        return SchoolCardModel(
            school: .init(school), canEdit: user.role.canEditSchools, canViewAudit: user.role.canViewAudit,
            standing: try await standing(req, school: school, listings: listings),
            listings: listings,
            curators: try await support.curators(of: id, on: day),
            mentor: try await support.mentoringPairs(here, year: day.year).first?.mentor.displayName,
            programmes: programmes.sorted { ($0.startYear, $0.id ?? 0) > ($1.startYear, $1.id ?? 0) }.map {
                Programme(id: $0.id!, title: $0.title, status: $0.programmeStatus, years: "\($0.startYear)–\($0.endYear)",
                          late: ProgrammeWorkflow.isOverdue($0.programmeStatus, submittedAt: $0.submittedAt, now: now))
            },
            executions: try await ProgrammeExecutionRepository(db: req.db).summaries(scope: here, today: day).first?.programmes ?? [],
            riskYear: profile.year, risks: profile.risks,
            decisions: decisions.map {
                Decision(title: $0.decision, due: $0.due, overdue: $0.decisionStatus.isOverdue(due: $0.due, today: day))
            },
            lastVisit: visits.compactMap { visit in visit.day.map { Visit(day: $0, visitor: visit.visitor, topic: visit.topic) } }
                .max { $0.day < $1.day },
            lateFollowUps: visits.filter { FollowUp.isOverdue(due: $0.due, done: $0.followUpDone, today: day) }.compactMap { visit in
                visit.due.map { FollowUpLate(text: visit.followUp ?? visit.topic, due: $0) }
            },
            today: try await TodayRepository(db: req.db).items(role: user.role, scope: here, today: day, now: now))
    }

    /// The list in force for the latest year of results (or the newest order), and what the criteria in force say.
    static func standing(_ req: Request, school: SchoolModel, listings: [IdentificationRepository.SchoolListing]) async throws -> Standing {
        let id = school.id!
        let derived = try await req.derived
        let here = AccessScope.schools([id])
        let latestResults = try await derived.availableWorks(scope: here).map(\.year).max()
        let inForce = listings.first { $0.inForce }
        let year = inForce?.order.year ?? latestResults
        guard let year else { return Standing(listing: nil, listExists: false, year: nil, result: nil, explanation: nil) }
        let listExists = try await IdentificationRepository(db: req.db).listInForce(year: year, scope: here) != nil
        let criteria = try await derived.effectiveCriteria(year: year, scope: here) ?? .pervouralsk
        let result = try await derived.identification(year: year, criteria: criteria, scope: here).first { $0.school.id == id }?.result
        let subjects = try await derived.subjectNames()
        let explanation = result.map { Identifier.explanation($0, subjects: subjects) }
        return Standing(listing: inForce.flatMap { $0.order.year == year && $0.entry != nil ? $0 : nil }, listExists: listExists,
                        year: year, result: result, explanation: explanation)
    }

    /// The newest risk profile's strongest factors (high, then medium), named.
    static func risks(_ req: Request, school: SchoolModel) async throws -> (year: Int?, risks: [Risk]) {
        let repository = RiskRepository(db: req.db)
        let ratings = try await repository.ratings(school: school)
        guard let year = ratings.keys.max(), let profile = ratings[year] else { return (nil, []) }
        let names = Dictionary(try await repository.factors().map { ($0.number, $0.name) }, uniquingKeysWith: { first, _ in first })
        let strong = profile.values.filter { $0.level == .high || $0.level == .medium }
            .sorted { ($0.level, $0.factor) < ($1.level, $1.factor) }
        return (year, strong.prefix(risksShown).map {
            Risk(factor: $0.factor, name: names[$0.factor] ?? "фактор \($0.factor)", level: $0.level)
        })
    }
}
