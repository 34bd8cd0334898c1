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

    /// Signals from the latest year's results: what the identification engine finds under the criteria in force
    /// for the user's territory (flagged schools, and single alarming results short of the pattern), and ВПР
    /// marks that confirm term marks for fewer than half.
    static func resultSignals(_ user: CurrentUser, rows: [SchoolsListModel.Row], on db: any Database) async throws -> [Attention] {
        let repository = ResultsRepository(db: db)
        let works = try await repository.availableWorks(scope: user.scope)
        guard let year = works.map(\.year).max() else { return [] }
        let criteria = try await CriteriaRepository(db: db).effective(year: year, scope: user.scope)?.0 ?? .pervouralsk
        let identified = try await IdentificationRepository(db: db).identify(year: year, criteria: criteria, scope: user.scope)
        let subjects = try await ResultLabels.subjects(on: db)
        var signals: [Attention] = []
        for item in identified {
            let name = item.school.displayName
            switch item.result.status {
            case .lowResults, .lowResultsSocial:
                signals.append(.init(level: .high, schoolID: item.school.id!, school: name,
                                     reason: "\(year): " + Identifier.explanation(item.result, subjects: subjects)))
            case .riskOfDecline:
                signals.append(.init(level: .medium, schoolID: item.school.id!, school: name,
                                     reason: "\(year): " + Identifier.explanation(item.result, subjects: subjects)))
            case .none where !item.result.nearMisses.isEmpty:
                signals.append(.init(level: .medium, schoolID: item.school.id!, school: name,
                                     reason: "\(year): " + Identifier.explanation(item.result, subjects: subjects)))
            case .none:
                break
            }
        }
        let results = try await repository.results(ResultFilter(year: year, procedure: .vpr), scope: user.scope)
        let names = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.shortName ?? $0.name) })
        for (schoolID, group) in Dictionary(grouping: results, by: \.schoolID) {
            guard let name = names[schoolID] else { continue }
            let pool = ResultPool(group.map { ($0.counts, $0.work.procedure, $0.work.subject) })
            if let confirmed = pool.confirmed, confirmed.base >= Metrics.defaultMinimumGroup, let rate = confirmed.rate, rate < 50 {
                signals.append(.init(level: .medium, schoolID: schoolID, school: name,
                                     reason: "ВПР-\(year) подтверждают отметки по журналу лишь в \(RussianFormat.number(rate)) % работ (\(confirmed.count) из \(confirmed.base)) — проверить объективность"))
            }
        }
        return signals
    }

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
        attention += try await resultSignals(user, rows: rows, on: req.db)
        return HomeModel(scopeLabel: user.scopeLabel, municipalities: municipalities, schools: rows,
                         attention: attention.sorted { ($0.level, $0.school) < ($1.level, $1.school) })
    }
}
