import Fluent
import OporaData
import OporaDomain
import Vapor

/// The start page: what the user's scope holds and where attention is needed.
struct HomeModel: Sendable {
    struct Attention: Sendable {
        enum Level: Int, Comparable, Sendable { case high = 0, medium = 1, info = 2
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
    let reminders: PlanReminders

    var students: Int { schools.compactMap(\.students).reduce(0, +) }
    var rural: Int { schools.filter { $0.settlement == Settlement.rural.rawValue }.count }

    /// Signals from the latest year's results: what the identification engine finds under the criteria in force
    /// for the user's territory (flagged schools, and single alarming results short of the pattern), and ВПР
    /// marks that confirm term marks for fewer than half.
    static func resultSignals(_ user: CurrentUser, rows: [SchoolsListModel.Row], derived: DerivedData) async throws -> [Attention] {
        let works = try await derived.availableWorks(scope: user.scope)
        guard let year = works.map(\.year).max() else { return [] }
        let criteria = try await derived.effectiveCriteria(year: year, scope: user.scope) ?? .pervouralsk
        let identified = try await derived.identification(year: year, criteria: criteria, scope: user.scope)
        let subjects = try await derived.subjectNames()
        // Whether a school is listed is the list in force's answer; today's criteria only add what it does not say.
        let listed = try await IdentificationRepository(db: derived.db).listInForce(year: year, scope: user.scope)
        var signals: [Attention] = []
        for item in identified {
            if let listing = listed?[item.school.id!] {
                let order = "приказ № \(listing.order.number) от \(RussianFormat.date(listing.order.date))"
                signals.append(.init(level: listing.status == .riskOfDecline ? .medium : .high, schoolID: item.school.id!,
                                     school: item.school.displayName,
                                     reason: "в перечне \(year) года (\(order)): " + listing.status.russianName))
                continue
            }
            let level: Attention.Level
            switch item.result.status {
            case .lowResults, .lowResultsSocial: level = listed == nil ? .high : .medium
            case .riskOfDecline: level = .medium
            case .none where !item.result.nearMisses.isEmpty: level = .medium
            case .none: continue
            }
            let unlisted = listed != nil && item.result.status != .none ? " — в перечне в силе школы нет" : ""
            signals.append(.init(level: level, schoolID: item.school.id!, school: item.school.displayName,
                                 reason: "\(year): " + Identifier.explanation(item.result, subjects: subjects) + unlisted))
        }
        let results = try await derived.results(ResultFilter(year: year, procedure: .vpr), scope: user.scope)
        let names = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.shortName ?? $0.name) })
        for (schoolID, group) in Dictionary(grouping: results, by: \.schoolID) {
            guard let name = names[schoolID] else { continue }
            let pool = ResultPool(group.map { ($0.counts, $0.work.procedure, $0.work.subject) })
            if let confirmed = pool.confirmed, let rate = confirmed.rate,
                ObjectivitySignal.signals(confirmedRate: rate, compared: confirmed.base, vprSuccess: nil, ogeSuccess: nil) == [
                    .fewConfirmed(rate: rate)
                ]
            {
                signals.append(
                    .init(
                        level: .medium, schoolID: schoolID, school: name,
                        reason:
                            "ВПР-\(year) подтверждают отметки по журналу лишь в \(RussianFormat.number(rate)) % работ " +
                            "(\(confirmed.count) из \(confirmed.base)) — проверить объективность"
                    ))
            }
        }
        return signals
    }

    /// Per municipality: schools, pupils, and how many need attention (instead of a table of a thousand schools).
    struct MunicipalitySummary: Sendable { let id: Int; let name: String; let schools: Int; let students: Int; let flagged: Int }

    var municipalitySummary: [MunicipalitySummary] {
        let flaggedSchools = Set(attention.filter { $0.level == .high }.map(\.schoolID))
        return Dictionary(grouping: schools, by: \.municipalityID).map { id, rows in
            MunicipalitySummary(id: id, name: rows[0].municipality, schools: rows.count, students: rows.compactMap(\.students).reduce(0, +),
                                flagged: rows.filter { flaggedSchools.contains($0.id) }.count)
        }.sorted { $0.name < $1.name }
    }

    static func build(_ req: Request) async throws -> HomeModel {
        let user = try req.user
        let derived = try await req.derived
        let rows = try await SchoolsListModel.rows(for: user, municipalityID: nil, search: nil, derived: derived)
        let municipalities = Set(rows.map(\.municipalityID)).count
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
        attention += try await resultSignals(user, rows: rows, derived: derived)
        return HomeModel(scopeLabel: user.scopeLabel, municipalities: municipalities, schools: rows,
                         attention: attention.sorted { ($0.level, $0.school) < ($1.level, $1.school) },
                         reminders: try await PlanReminders.build(req, user: user))
    }
}
