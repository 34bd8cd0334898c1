import FluentKit
import Foundation
import OporaDomain

extension SupportRepository {
    /// A school's curator as its card shows it: the person, how to reach them, and since when.
    public struct SchoolCurator: Sendable, Hashable {
        public let name: String
        public let phone: String?
        public let email: String?
        public let direction: String?
        public let since: CalendarDay?
    }

    /// The active curators holding the school on `day`, by the rule of a curator's scope (`CuratorAssignment.schoolsHeld`).
    public func curators(of schoolID: Int, on day: CalendarDay = .today()) async throws -> [SchoolCurator] {
        let links = try await UserSchoolModel.query(on: db).filter(\.$school.$id == schoolID).with(\.$user).all()
        let assignments = try await CuratorAssignmentModel.query(on: db).filter(\.$school.$id == schoolID).with(\.$user).all()
        var users: [Int: UserModel] = [:]
        for user in links.map(\.user) + assignments.map(\.user) where user.role == Role.curator.rawValue && user.isActive {
            users[user.id!] = user
        }
        var curators: [SchoolCurator] = []
        for (id, user) in users {
            let own = assignments.filter { $0.$user.id == id }
            let held = CuratorAssignment.schoolsHeld(linked: Set(links.filter { $0.$user.id == id }.map { $0.$school.id }),
                                                     assignments: own.map { ($0.$school.id, $0.from, $0.until) }, on: day)
            guard held.contains(schoolID) else { continue }
            let current = own.filter { $0.from <= day && ($0.until.map { day <= $0 } ?? true) }.max { $0.from < $1.from }
            curators.append(SchoolCurator(name: DocumentSignature.personName(fullName: user.fullName, login: user.login) ?? user.login,
                                          phone: user.phone, email: user.email, direction: current?.direction, since: current?.from))
        }
        return curators.sorted { $0.name < $1.name }
    }
}
