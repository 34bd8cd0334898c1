import Fluent
import OporaData
import OporaDomain
import Vapor

/// The coordinator's support board: every listed school of the scope with its curator, mentor, last visit, next
/// follow-up, people trained this year and overdue items; the programmes' forecast beside what the log shows.
/// A curator sees the same board for its own schools.
struct SupportBoardModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let code: String
        let school: String
        let status: IdentificationStatus?
        let curators: [String]
        let mentor: String?
        let lastVisit: CalendarDay?
        let nextFollowUp: CalendarDay?
        let overdue: Int
        let people: Int
        let personHours: Double
        let teamMeetsRule: Bool
    }

    struct Forecast: Sendable {
        let programmeID: Int
        let programme: String
        let version: Int
        let figures: SupportFigures
        let lines: [ForecastLine]
        let canChange: Bool
    }

    let year: Int
    let hasList: Bool
    let rows: [Row]
    let rule: TrainingRule
    let teams: (teams: Int, people: Int)
    let actual: SupportFigures
    let forecasts: [Forecast]
    let withoutMentor: [String]
    let schools: [(id: Int, name: String)]
    let curators: [(id: Int, name: String)]
    let canPair: Bool
    let canVisit: Bool
    /// A refused form of this page, shown again as typed.
    var echo: FormEcho?

    static func build(_ req: Request) async throws -> SupportBoardModel {
        let user = try req.user
        let today = CalendarDay.today()
        let year = try req.queryYear() ?? today.year
        let rule = TrainingRule(minimumPeople: try req.queryInt("min_people", in: 1...1_000, "человек") ?? 6,
                                minimumHours: Double(try req.queryInt("min_hours", in: 1...2_000, "часов") ?? 32))
        let schools = try await ScopeQueries.schoolNames(user.scope, on: req.db)
        let support = SupportRepository(db: req.db)
        // The year's approved list, or the nearest earlier one; without a list every school of the scope is shown.
        var statuses: [Int: IdentificationStatus]? = nil
        for candidate in stride(from: year, through: year - 2, by: -1) {
            if let found = try await IdentificationRepository(db: req.db).approvedStatuses(year: candidate,
                                                                                           scope: user.scope) { statuses = found; break }
        }
        let shown = statuses.map { list in schools.filter { (list[$0.id] ?? .none) != .none } } ?? schools
        let shownIDs = Set(shown.map(\.id))
        // «С наставником» counts pairs in force only (the domain's `MentorPair.mentors`): a suspended or finished one is not support.
        let pairs = try await support.mentoringPairs(user.scope, year: year)
        let visits = try await support.visits(user.scope)
        let from = CalendarDay(year: year, month: 1, day: 1), to = CalendarDay(year: year, month: 12, day: 31)
        let inputs = try await support.trainingInputs(user.scope, from: from, to: to)
        let training = Dictionary(uniqueKeysWithValues: TrainingSummary.compute(inputs, rule: rule, within: from...to)
            .map { ($0.school, $0) })
        let curatorsBySchool = try await support.curatorNames(of: Array(shownIDs), on: today)
        let visitsBySchool = Dictionary(grouping: visits, by: { $0.$school.id })
        let mentorOf = Dictionary(pairs.map { ($0.$supported.id, $0.mentor.displayName) }, uniquingKeysWith: { first, _ in first })
        let rows = shown.map { school -> Row in
            let id = school.id
            let own = visitsBySchool[id] ?? []
            let open = own.filter { !$0.followUpDone && $0.due != nil }
            let trained = training[school.code]
            return Row(schoolID: id, code: school.code, school: school.displayName, status: statuses?[id],
                       curators: curatorsBySchool[id] ?? [],
                       mentor: mentorOf[id], lastVisit: own.compactMap(\.day).max(), nextFollowUp: open.compactMap(\.due).min(),
                       overdue: open.filter { FollowUp.isOverdue(due: $0.due, done: false, today: today) }.count,
                       people: trained?.people ?? 0, personHours: trained?.personHours ?? 0, teamMeetsRule: trained?.teamMeetsRule ?? false)
        }
        let shownTraining = shown.compactMap { training[$0.code] }
        let teams = TrainingSummary.teams(shownTraining)
        let points = try await support.organisations(user.scope).filter { $0.model.organisationKind == .point }.count
        let consulted = Set(visits.filter { $0.day.map((from...to).contains) == true }.map { $0.$school.id }).intersection(shownIDs).count
        let actual = SupportFigures(teams: teams.teams, people: teams.people,
                                    pairs: Set(pairs.map { $0.$supported.id }).intersection(shownIDs).count,
                                    points: points, consultedSchools: consulted)
        var forecasts: [Forecast] = []
        let programmes = try await PlanRepository(db: req.db).programmes(user.scope)
        for programme in programmes where programme.level != ProgrammeLevel.school.rawValue {
            guard let start = CalendarDay(parsing: programme.startOn), let end = CalendarDay(parsing: programme.endOn),
                (start.year...end.year).contains(year) else { continue }
            let canChange = ProgrammeAccess.canChange(programme.place, role: user.role, scope: user.scope)
            let saved = try await support.forecast(programmeID: programme.id!, year: year)
            guard saved != nil || canChange else { continue }
            let figures = saved?.figures ?? SupportFigures()
            forecasts.append(Forecast(programmeID: programme.id!, programme: "\(programme.code) · \(programme.name)",
                                      version: saved?.version ?? 0,
                                      figures: figures, lines: ForecastLine.compare(forecast: figures, actual: actual),
                                          canChange: canChange))
        }
        let listedCodes = shown.map(\.code)
        let mentoredPairs = pairs.map {
            MentorPair(supported: $0.supported.code, mentor: $0.mentor.code, period: $0.period, status: $0.pairStatus ?? .suspended)
        }
        let names = Dictionary(uniqueKeysWithValues: shown.map { ($0.code, $0.displayName) })
        let curators = user.role.canImport ? try await support.curatorAccounts(user.scope).map { ($0.id!, $0.fullName) } : []
        return SupportBoardModel(year: year, hasList: statuses != nil, rows: rows, rule: rule, teams: teams, actual: actual,
                                 forecasts: forecasts,
                                 withoutMentor: statuses == nil ? []
                                    : MentorChecks.withoutMentor(listed: listedCodes, pairs: mentoredPairs, year: year)
                                        .map { names[$0] ?? $0 },
                                 schools: schools.map { ($0.id, $0.displayName) }, curators: curators, canPair: user.role.canImport,
                                 canVisit: user.role != .viewer)
    }

    /// The board as a sheet (XLSX or CSV): what the page shows, for the same scope.
    var sheet: [[SheetCell]] {
        [["Код", "Школа", "Статус", "Куратор", "Наставник", "Последний визит", "Срок по рекомендациям", "Просрочено", "Обучено, чел.",
          "Человеко-часов",
          "Команда по правилу"].map(SheetCell.text)]
            + rows.map { row in
                [.text(row.code), .text(row.school), .text(row.status?.russianName ?? ""), .text(row.curators.joined(separator: ", ")),
                 .text(row.mentor ?? ""),
                 .day(row.lastVisit), .day(row.nextFollowUp), .number(Double(row.overdue)), .number(Double(row.people)),
                 .number(row.personHours), .text(row.teamMeetsRule ? "да" : "нет")]
            }
    }
}
