import Fluent
import OporaData
import OporaDomain
import Vapor

extension PlanModel {
    /// The programme if the user's scope reads it; otherwise 404, so that other territories' plans stay unseen.
    static func load(_ req: Request, id: Int) async throws -> PlanModel {
        guard let plan = try await PlanRepository(db: req.db).programme(id, scope: try req.user.scope) else {
            throw Abort(.notFound, reason: "Программа не найдена")
        }
        return plan
    }

    func canChange(_ user: CurrentUser) -> Bool { ProgrammeAccess.canChange(place, role: user.role, scope: user.scope) }

    /// «Первоуральск», «Свердловская область» or the school's name.
    func territoryName(on db: any Database) async throws -> String {
        if let school = schoolID, let model = try await SchoolModel.find(school, on: db) { return model.displayName }
        if let municipality = municipalityID, let model = try await MunicipalityModel.find(municipality, on: db) { return model.name }
        if let region = regionID, let model = try await RegionModel.find(region, on: db) { return model.name }
        return ""
    }
}

/// The programmes the user's scope reads, with the state of each roadmap.
struct PlansListModel: Sendable {
    struct Row: Sendable {
        let id: Int
        let code: String
        let name: String
        let level: ProgrammeLevel
        let territory: String
        let period: ClosedRange<Int>
        let order: String?
        let tally: ExecutionTally
        let needsDate: Int
    }

    let rows: [Row]
    let canCreate: Bool
    let municipalities: [(id: Int, name: String)]

    static func build(_ req: Request) async throws -> PlansListModel {
        let user = try req.user
        let repository = PlanRepository(db: req.db)
        let today = CalendarDay.today()
        var rows: [Row] = []
        for plan in try await repository.programmes(user.scope) {
            let measures = RoadmapRow.rows(try await repository.measures(plan.id!), period: plan.period, today: today)
            var tally = ExecutionTally()
            for row in measures { tally.add(row.progress) }
            rows.append(Row(id: plan.id!, code: plan.code, name: plan.name, level: plan.programmeLevel, territory: try await plan.territoryName(on: req.db),
                            period: plan.period.years, order: plan.orderNumber.map { PlanPageModel.order($0, plan.orderDate) },
                            tally: tally,
                            needsDate: measures.filter(\.needsDate).count))
        }
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all().map { ($0.id!, $0.name) }
        return PlansListModel(rows: rows, canCreate: user.role.canImport, municipalities: municipalities)
    }
}

/// One programme's passport, its versions and what each amendment changed.
struct PlanPageModel: Sendable {
    struct Version: Sendable {
        let number: Int
        let order: String?
        let note: String?
        let by: String
        let at: Date
    }
    struct Participant: Sendable {
        let code: String
        let name: String?
        let status: IdentificationStatus?
    }

    let plan: PlanModel
    let passport: ProgrammePassport
    let territory: String
    let versions: [Version]
    let compared: (old: Int, new: Int)?
    let changes: [ProgrammePassport.Change]
    let participants: [Participant]
    let listYear: Int?
    let canChange: Bool

    static func order(_ number: String, _ date: String?) -> String {
        "№ \(number)" + (date.flatMap(CalendarDay.init(parsing:)).map { " от \($0.russian)" } ?? "")
    }

    static func build(_ req: Request, id: Int) async throws -> PlanPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let amendments = try await PlanRepository(db: req.db).amendments(id)
        let versions = amendments.map { amendment in
            Version(number: amendment.number, order: amendment.orderNumber.map { order($0, amendment.orderDate) },
                    note: amendment.note, by: amendment.createdBy, at: amendment.createdAt)
        }
        // Compare the versions asked for, else the newest with the one before.
        var compared: (Int, Int)? = nil
        if let text = try req.queryText("compare", maxLength: 20) {
            let numbers = text.split(separator: "-").compactMap { Int($0) }
            if numbers.count == 2 { compared = (numbers[0], numbers[1]) }
        } else if amendments.count >= 2 {
            compared = (amendments[amendments.count - 2].number, amendments[amendments.count - 1].number)
        }
        var changes: [ProgrammePassport.Change] = []
        if let (old, new) = compared, let a = amendments.first(where: { $0.number == old }), let b = amendments.first(where: { $0.number == new }),
           let pa = a.passport, let pb = b.passport {
            changes = ProgrammePassport.compare(pa, pb, roadmaps: (a.roadmap, b.roadmap))
        } else {
            compared = nil
        }
        let passport = plan.passport
        // Participants linked to the newest approved list of the programme's territory.
        let territory = PlanRepository.territory(plan)
        let years = try await IdentificationRepository(db: req.db).lists(scope: territory).map(\.year)
        let listYear = years.max()
        let statuses = try await listYear.asyncMap { try await IdentificationRepository(db: req.db).approvedStatuses(year: $0, scope: territory) } ?? nil
        let schools = passport.participants.isEmpty ? [] : try await SchoolModel.query(on: req.db).filter(\.$code ~~ passport.participants).all()
        let participants = passport.participants.map { code in
            let school = schools.first { $0.code == code }
            return Participant(code: code, name: school?.displayName, status: school.flatMap { statuses?[$0.id!] })
        }
        return PlanPageModel(plan: plan, passport: passport, territory: try await plan.territoryName(on: req.db), versions: versions,
                             compared: compared, changes: changes, participants: participants, listYear: listYear, canChange: plan.canChange(user))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// The roadmap: execution by section, overdue by responsible, and the measures with a filter.
struct RoadmapPageModel: Sendable {
    static let filters = ["all", "overdue", "in_progress", "not_started", "done", "undated"]

    let plan: PlanModel
    let today: CalendarDay
    let rows: [RoadmapRow]
    let shown: ArraySlice<RoadmapRow>
    let matching: Int
    let paging: Paging
    let filter: String
    let sections: [(String, ExecutionTally)]
    let total: ExecutionTally
    let overdueByResponsible: [(String, [RoadmapRow])]
    let canChange: Bool

    static func build(_ req: Request, id: Int) async throws -> RoadmapPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let today = CalendarDay.today()
        let rows = RoadmapRow.rows(try await PlanRepository(db: req.db).measures(id), period: plan.period, today: today)
        let filter = try req.queryChoice("show", from: filters, default: "all")
        let shown = rows.filter { row in
            switch filter {
            case "all": true
            case "undated": row.needsDate
            default: row.progress.rawValue == filter
            }
        }
        let (sections, total) = ExecutionTally.bySection(rows.map { ($0.measure.section, $0.progress) })
        let overdue = Dictionary(grouping: rows.filter { $0.progress == .overdue }) { $0.measure.responsible ?? "ответственный не указан" }
        let paging = Paging(page: try req.queryInt("page", in: InputRange.page, "страница") ?? 1, size: 200, total: shown.count)
        return RoadmapPageModel(plan: plan, today: today, rows: rows, shown: paging.slice(shown), matching: shown.count, paging: paging, filter: filter,
                                sections: sections, total: total,
                                overdueByResponsible: overdue.keys.sorted().map { ($0, overdue[$0]!) }, canChange: plan.canChange(user))
    }
}

/// What falls due in each month of a year.
struct RoadmapCalendarModel: Sendable {
    struct Entry: Sendable {
        let day: CalendarDay
        let row: RoadmapRow
    }

    /// A month card of the year's view lists this many; the month's own page lists all.
    static let perMonth = 25

    let plan: PlanModel
    let year: Int
    /// One month asked for: its full list instead of the year's twelve cards.
    let month: Int?
    let today: CalendarDay
    let months: [[Entry]]
    let undated: Int

    static func build(_ req: Request, id: Int) async throws -> RoadmapCalendarModel {
        let plan = try await PlanModel.load(req, id: id)
        let today = CalendarDay.today()
        let period = plan.period
        let year = try req.queryYear() ?? (period.years.contains(today.year) ? today.year : period.lowerBound.year)
        let month = try req.queryInt("month", in: 1...12, "месяц")
        let rows = RoadmapRow.rows(try await PlanRepository(db: req.db).measures(id), period: period, today: today)
        var months = Array(repeating: [Entry](), count: 12)
        for row in rows {
            for day in row.reading.due where day.year == year { months[day.month - 1].append(Entry(day: day, row: row)) }
        }
        return RoadmapCalendarModel(plan: plan, year: year, month: month, today: today, months: months.map { $0.sorted { $0.day < $1.day } },
                                    undated: rows.filter { $0.reading.due.isEmpty }.count)
    }
}

/// Indicators with their values by year, the score of each year and what the collection schedule asks for now.
struct IndicatorsPageModel: Sendable {
    struct Line: Sendable {
        let indicator: IndicatorModel
        let values: [Int: IndicatorValueModel]
        let computed: Share?
    }
    struct YearScore: Sendable {
        let year: Int
        let lines: [ScoreLine]
        let score: ProgrammeScore
    }

    let plan: PlanModel
    let years: [Int]
    let lines: [Line]
    let scores: [YearScore]
    let computedYear: Int
    let month: Int
    let dueNow: [MonitoredIndicator]
    let missingNow: [MonitoredIndicator]
    let canChange: Bool

    /// The note an entered value of `year` carries when Opora's computation for that year contradicts it (both values).
    func disagreement(_ code: String, year: Int) -> String? {
        scores.first { $0.year == year }?.lines.first { $0.code == code }?.disagreement
    }

    static func build(_ req: Request, id: Int) async throws -> IndicatorsPageModel {
        let user = try req.user
        let plan = try await PlanModel.load(req, id: id)
        let repository = PlanRepository(db: req.db)
        let indicators = try await repository.indicators(id)
        let values = try await repository.values(id)
        let today = CalendarDay.today()
        let years = Array(Set(values.map(\.year))).sorted()
        let planYears = plan.period.years
        let computedYear = try req.queryYear() ?? years.last ?? min(max(today.year, planYears.lowerBound), planYears.upperBound)
        let computed = try await repository.computedValues(plan, indicators: indicators, year: computedYear)
        var lines: [Line] = []
        for indicator in indicators {
            var byYear: [Int: IndicatorValueModel] = [:]
            for year in years { byYear[year] = PlanRepository.yearValues(values.filter { $0.indicatorID == indicator.id }, year: year)[indicator.id!] }
            lines.append(Line(indicator: indicator, values: byYear, computed: computed[indicator.code]))
        }
        var scores: [YearScore] = []
        for year in years {
            let (scoreLines, score) = try await repository.score(plan, year: year)
            scores.append(YearScore(year: year, lines: scoreLines, score: score))
        }
        let withValues = Set(values.filter { $0.year == today.year }.compactMap { value in indicators.first { $0.id == value.indicatorID }?.code })
        let monitored = indicators.map(\.monitored)
        return IndicatorsPageModel(plan: plan, years: years, lines: lines, scores: scores, computedYear: computedYear, month: today.month,
                                   dueNow: CollectionSchedule.due(monitored, month: today.month),
                                   missingNow: CollectionSchedule.missing(monitored, month: today.month, withValues: withValues),
                                   canChange: plan.canChange(user))
    }
}

/// What the programmes ask of the user now, for the start page: overdue measures, what falls due in the next
/// two weeks, deadlines nobody has dated, indicators due this month without a value, open decisions.
struct PlanReminders: Sendable {
    struct Item: Sendable {
        let id: Int
        let name: String
        let overdue: Int
        let dueSoon: Int
        let undated: Int
        let missingIndicators: [String]
    }

    let items: [Item]
    let openDecisions: Int
    let overdueDecisions: Int
    /// Visits' follow-ups whose date has passed (the support network), and where to see them.
    let overdueFollowUps: Int
    let followUpsPath: String

    var isEmpty: Bool { items.isEmpty && openDecisions == 0 && overdueFollowUps == 0 }

    static func build(_ req: Request, user: CurrentUser) async throws -> PlanReminders {
        let repository = PlanRepository(db: req.db)
        let today = CalendarDay.today(), soon = today.adding(days: 14)
        var items: [Item] = []
        for plan in try await repository.programmes(user.scope) where plan.period.years.upperBound >= today.year - 1 {
            let rows = RoadmapRow.rows(try await repository.measures(plan.id!), period: plan.period, today: today)
            let dueSoon = rows.filter { row in
                row.progress != .done && row.progress != .cancelled && row.reading.due.contains { $0 >= today && $0 <= soon }
            }.count
            let indicators = try await repository.indicators(plan.id!)
            let values = try await repository.values(plan.id!)
            let withValues = Set(values.filter { $0.year == today.year }.compactMap { value in indicators.first { $0.id == value.indicatorID }?.code })
            let missing = CollectionSchedule.missing(indicators.map(\.monitored), month: today.month, withValues: withValues).map(\.code)
            let item = Item(id: plan.id!, name: plan.name, overdue: rows.filter { $0.progress == .overdue }.count, dueSoon: dueSoon,
                            undated: rows.filter(\.needsDate).count, missingIndicators: missing)
            if item.overdue + item.dueSoon + item.undated + item.missingIndicators.count > 0 { items.append(item) }
        }
        let open = try await repository.decisions(user.scope, openOnly: true)
        let lateFollowUps = try await SupportRepository(db: req.db).visits(user.scope)
            .filter { FollowUp.isOverdue(due: $0.due, done: $0.followUpDone, today: today) }.count
        return PlanReminders(items: items, openDecisions: open.count,
                             overdueDecisions: open.filter { $0.decisionStatus.isOverdue(due: $0.due, today: today) }.count,
                             overdueFollowUps: lateFollowUps, followUpsPath: user.role == .curator ? "/support/mine" : "/support")
    }
}
