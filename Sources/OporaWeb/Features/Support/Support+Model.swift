import Fluent
import OporaData
import OporaDomain
import Vapor

/// The coordinator's support board: every listed school of the scope with its curator, mentor, last visit, next
/// follow-up, people trained this year and overdue items. A curator sees the same board for its own schools.
struct SupportBoardModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let school: String
        let status: IdentificationStatus?
        let curators: [String]
        let mentor: String?
        let lastVisit: CalendarDay?
        let nextFollowUp: CalendarDay?
        let overdue: Int
        let training: TrainingSummary?
    }

    let year: Int
    let hasList: Bool
    let rows: [Row]
    let rule: TrainingRule
    let teams: (teams: Int, people: Int)
    let withoutMentor: [String]
    let schools: [(id: Int, name: String)]
    let canPair: Bool
    let canVisit: Bool

    static func build(_ req: Request) async throws -> SupportBoardModel {
        let user = try req.user
        let today = CalendarDay.today()
        let year = try req.queryYear() ?? today.year
        let rule = TrainingRule(minimumPeople: try req.queryInt("min_people", in: 1...1_000, "человек") ?? 6,
                                minimumHours: Double(try req.queryInt("min_hours", in: 1...2_000, "часов") ?? 32))
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).sort(\.$name).all()
        let support = SupportRepository(db: req.db)
        // The year's approved list, or the nearest earlier one; without a list every school of the scope is shown.
        var statuses: [Int: IdentificationStatus]? = nil
        for candidate in stride(from: year, through: year - 2, by: -1) {
            if let found = try await IdentificationRepository(db: req.db).approvedStatuses(year: candidate, scope: user.scope) { statuses = found; break }
        }
        let shown = statuses.map { list in schools.filter { (list[$0.id!] ?? .none) != .none } } ?? schools
        let pairs = try await support.pairs(user.scope).filter { $0.period.contains(year) }
        let visits = try await support.visits(user.scope)
        let training = TrainingSummary.compute(try await support.trainingInputs(user.scope, from: CalendarDay(year: year, month: 1, day: 1),
                                                                                  to: CalendarDay(year: year, month: 12, day: 31)),
                                               rule: rule, within: CalendarDay(year: year, month: 1, day: 1)...CalendarDay(year: year, month: 12, day: 31))
        let curators = try await UserSchoolModel.query(on: req.db).filter(\.$school.$id ~~ shown.compactMap(\.id)).with(\.$user).all()
            .filter { $0.user.role == Role.curator.rawValue && $0.user.isActive }
        let rows = shown.map { school -> Row in
            let id = school.id!
            let own = visits.filter { $0.$school.id == id }
            let open = own.filter { !$0.followUpDone && $0.due != nil }
            return Row(schoolID: id, school: school.displayName, status: statuses?[id],
                       curators: curators.filter { $0.$school.id == id }.map(\.user.fullName).sorted(),
                       mentor: pairs.first { $0.$supported.id == id }?.mentor.displayName,
                       lastVisit: own.compactMap(\.day).max(), nextFollowUp: open.compactMap(\.due).min(),
                       overdue: open.filter { FollowUp.isOverdue(due: $0.due, done: false, today: today) }.count,
                       training: training.first { $0.school == school.code })
        }
        let listedCodes = shown.map(\.code)
        let mentoredPairs = pairs.map { MentorPair(supported: $0.supported.code, mentor: $0.mentor.code, period: $0.period) }
        let names = Dictionary(uniqueKeysWithValues: shown.map { ($0.code, $0.displayName) })
        return SupportBoardModel(year: year, hasList: statuses != nil, rows: rows, rule: rule, teams: TrainingSummary.teams(training),
                                 withoutMentor: statuses == nil ? [] : MentorChecks.withoutMentor(listed: listedCodes, pairs: mentoredPairs, year: year).map { names[$0] ?? $0 },
                                 schools: schools.map { ($0.id!, $0.displayName) }, canPair: user.role.canImport,
                                 canVisit: user.role != .viewer)
    }
}

/// A school's «Сопровождение»: its mentor pairs, visits and training.
struct SchoolSupportModel: Sendable {
    let school: SchoolModel
    let pairs: [MentorPairModel]
    let visits: [VisitModel]
    let participations: [Participation]
    let training: TrainingSummary?
    let year: Int
    let canVisit: Bool

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
        return SchoolSupportModel(school: school, pairs: pairs, visits: visits, participations: participations,
                                  training: TrainingSummary.compute(participations, rule: .seed002, within: from...to).first, year: year,
                                  canVisit: user.role != .viewer)
    }
}
