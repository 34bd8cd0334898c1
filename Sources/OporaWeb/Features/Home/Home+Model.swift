import Fluent
import OporaData
import OporaDomain
import Vapor

/// The start page: what the user's scope holds and where attention is needed.
struct HomeModel {
    struct Attention {
        enum Level: Int, Comparable { case high = 0, medium = 1, info = 2
            static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue } }
        let level: Level
        let schoolID: Int
        let school: String
        let reason: String
    }

    let scopeLabel: String
    let municipalities: Int
    let schools: [SchoolsListModel.Row]
    let attention: [Attention]

    var students: Int { schools.compactMap(\.students).reduce(0, +) }
    var rural: Int { schools.filter { $0.settlement == Settlement.rural.rawValue }.count }

    static func build(_ req: Request) async throws -> HomeModel {
        let user = try req.user
        let rows = try await SchoolsListModel.rows(for: user, municipalityID: nil, search: nil, on: req.db)
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).count()
        var attention: [Attention] = []
        for row in rows {
            let name = row.shortName ?? row.name
            if row.students == nil {
                attention.append(.init(level: .info, schoolID: row.id, school: name, reason: "не указана численность обучающихся"))
            } else if let students = row.students, students < 50 {
                attention.append(.init(level: .info, schoolID: row.id, school: name,
                                       reason: "малокомплектная школа (\(students) обуч.): доли по ней считаются на очень малых группах"))
            }
            if row.director == nil {
                attention.append(.init(level: .info, schoolID: row.id, school: name, reason: "не указан директор"))
            }
        }
        return HomeModel(scopeLabel: user.scopeLabel, municipalities: municipalities, schools: rows,
                         attention: attention.sorted { ($0.level, $0.school) < ($1.level, $1.school) })
    }
}
