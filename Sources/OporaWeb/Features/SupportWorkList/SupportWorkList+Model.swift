import Fluent
import OporaData
import OporaDomain
import Vapor

/// A curator's own work list (anyone's: the visits they logged): their schools now, what is due and when each was
/// last visited.
struct CuratorWorkModel: Sendable {
    struct Item: Sendable {
        let schoolID: Int
        let school: String
        let lastVisit: CalendarDay?
        let open: [VisitModel]
        let since: CalendarDay?
    }

    let name: String
    let items: [Item]
    let loggedOpen: [VisitModel]
    let today: CalendarDay

    static func build(_ req: Request) async throws -> CuratorWorkModel {
        let user = try req.user
        let today = CalendarDay.today()
        let support = SupportRepository(db: req.db)
        let assignments = try await CuratorAssignmentModel.query(on: req.db).filter(\.$user.$id == user.id).all()
            .filter { $0.isCurrent(on: today) }
        // A curator's scope is the schools it holds today; other roles have no schools of their own to work through.
        var schoolIDs = Set<Int>()
        if user.role == .curator, case .schools(let ids) = user.scope { schoolIDs = ids }
        let visits = try await support.visits(user.scope)
        let bySchool = Dictionary(grouping: visits, by: { $0.$school.id })
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).filter(\.$id ~~ Array(schoolIDs)).sort(\.$name).all()
        let items = schools.map { school in
            let own = bySchool[school.id!] ?? []
            return Item(schoolID: school.id!, school: school.displayName, lastVisit: own.compactMap(\.day).max(),
                        open: own.filter { !$0.followUpDone && $0.due != nil }.sorted { ($0.due ?? today) < ($1.due ?? today) },
                        since: assignments.filter { $0.$school.id == school.id }.map(\.from).min())
        }.sorted { ($0.open.first?.due ?? CalendarDay(year: 9999, month: 1, day: 1),
                    $0.school) < ($1.open.first?.due ?? CalendarDay(year: 9999, month: 1, day: 1), $1.school) }
        let logged = visits.filter { $0.createdBy == user.login && !$0.followUpDone && $0.due != nil && !schoolIDs.contains($0.$school.id) }
        return CuratorWorkModel(name: user.fullName, items: items, loggedOpen: logged, today: today)
    }
}
