import Fluent
import OporaData
import OporaDomain
import Vapor

/// A school's «Сопровождение»: its curators with their history, organisations, mentor pairs, visits, training,
/// staff and specialists.
struct SchoolSupportModel: Sendable {
    let school: SchoolModel
    let assignments: [CuratorAssignmentModel]
    let organisations: [SupportOrganisationModel]
    let pairs: [MentorPairModel]
    let visits: [VisitModel]
    let participations: [Participation]
    let training: TrainingSummary?
    let staff: StaffSummary?
    let staffGroups: [StaffGroup]
    let specialists: SpecialistsRow?
    let year: Int
    let canVisit: Bool
    let canManage: Bool
    /// The school's ВПР deficits, suggested as teachers' deficits (`TasksView.staffSuggestion`).
    var vprDeficits: [DeficitGroup] = []
    /// A refused form of this page, shown again as typed.
    var echo: FormEcho?

    static func build(_ req: Request, id: Int) async throws -> SchoolSupportModel {
        let user = try req.user
        let school = try await req.schoolInScope(id)
        let support = SupportRepository(db: req.db)
        let today = CalendarDay.today()
        let year = try req.queryYear() ?? today.year
        let pairs = try await MentorPairModel.query(on: req.db).group(.or) { $0.filter(\.$supported.$id == id).filter(\.$mentor.$id == id) }
            .with(\.$supported).with(\.$mentor).sort(\.$startYear, .descending).all()
        let visits = try await support.visits(.schools([id]))
        let from = CalendarDay(year: year, month: 1, day: 1), to = CalendarDay(year: year, month: 12, day: 31)
        let participations = try await support.participations(.schools([id]), from: from, to: to)
        let staff = StaffRepository(db: req.db)
        let groups = try await staff.staff(.schools([id]), year: year)
        return SchoolSupportModel(school: school, assignments: try await support.curatorAssignments(.schools([id])),
                                  organisations: try await support.organisations(.schools([id]))
                                      .filter { !$0.schools.isEmpty }.map(\.model), pairs: pairs, visits: visits,
                                  participations: participations,
                                  training: TrainingSummary.compute(participations, rule: .seed002, within: from...to).first,
                                  staff: StaffSummary.compute(groups).first, staffGroups: groups,
                                  specialists: try await staff.specialists(.schools([id]), year: year).first, year: year,
                                  canVisit: user.role != .viewer, canManage: user.role.canImport)
    }
}
