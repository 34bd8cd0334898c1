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

    /// Signals from the latest year's results: a high share below the minimum in Russian or mathematics
    /// (the seed 004 threshold of 30 %), and ВПР marks that confirm term marks for fewer than half.
    static func resultSignals(_ user: CurrentUser, rows: [SchoolsListModel.Row], on db: any Database) async throws -> [Attention] {
        let repository = ResultsRepository(db: db)
        let works = try await repository.availableWorks(scope: user.scope)
        guard let year = works.map(\.year).max() else { return [] }
        let results = try await repository.results(ResultFilter(year: year), scope: user.scope)
        let names = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.shortName ?? $0.name) })
        let subjects = try await ResultLabels.subjects(on: db)
        var signals: [Attention] = []
        for (schoolID, group) in Dictionary(grouping: results, by: \.schoolID) {
            guard let name = names[schoolID] else { continue }
            let low: [(work: WorkKey, below: Double)] = group.compactMap { result in
                let w = result.work
                let core = w.subject == "rus" || w.subject.hasPrefix("math")
                let counted = (w.procedure == .vpr && (5...8).contains(w.grade)) || w.procedure == .oge || w.procedure == .ege
                guard core && counted else { return nil }
                let metrics = result.metrics()
                guard let below = metrics.belowMinRate, below >= 30, !metrics.isSmallGroup() else { return nil }
                return (w, below)
            }
            if !low.isEmpty {
                let reasons = low.sorted { $0.work < $1.work }.prefix(3).map { item in
                    "\(item.work.procedure.russianShortName)-\(year) \(subjects[item.work.subject]?.lowercased() ?? item.work.subject), \(item.work.grade) кл.: \(RussianFormat.number(item.below)) % ниже порога"
                }
                signals.append(.init(level: low.count >= 2 ? .high : .medium, schoolID: schoolID, school: name,
                                     reason: reasons.joined(separator: "; ") + (low.count > 3 ? " и ещё \(low.count - 3)" : "")))
            }
            let vpr = ResultCounts.combined(group.filter { $0.work.procedure == .vpr }.map(\.counts))
            if vpr.objectivityTotal >= Metrics.defaultMinimumGroup, let confirmed = Metrics.compute(vpr, procedure: .vpr).confirmedRate, confirmed < 50 {
                signals.append(.init(level: .medium, schoolID: schoolID, school: name,
                                     reason: "ВПР-\(year) подтверждают отметки по журналу лишь в \(RussianFormat.number(confirmed)) % работ — проверить объективность"))
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
