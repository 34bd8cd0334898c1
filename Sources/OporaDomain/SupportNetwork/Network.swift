/// Who supports whom (issue 10): curators assigned to schools for a period, the support organisations of seeds 002
/// and 004, and a programme's yearly forecast figures for the support it promises.

/// Seed 002's regional consultation centre, its branches and support points; seed 004's methodological
/// associations and clusters.
public enum OrganisationKind: String, Sendable, Hashable, Codable, CaseIterable {
    case centre, branch, point, association, cluster

    public var russianName: String {
        switch self {
        case .centre: "консультационный центр"
        case .branch: "филиал центра"
        case .point: "пункт сопровождения"
        case .association: "методическое объединение"
        case .cluster: "кластер"
        }
    }

    public var pluralName: String {
        switch self {
        case .centre: "Консультационные центры"
        case .branch: "Филиалы"
        case .point: "Пункты сопровождения"
        case .association: "Методические объединения"
        case .cluster: "Кластеры"
        }
    }

    /// The kinds an organisation of this kind may belong to: a branch to a centre, a point to a centre or a branch;
    /// centres, associations and clusters stand alone.
    public var allowedParents: [OrganisationKind] {
        switch self {
        case .branch: [.centre]
        case .point: [.centre, .branch]
        case .centre, .association, .cluster: []
        }
    }

    /// Why `parent` cannot hold an organisation of this kind, or nil when it can.
    public func problem(withParent parent: OrganisationKind?) -> String? {
        switch (parent, allowedParents.isEmpty) {
        case (nil, _): self == .branch ? "филиал должен относиться к консультационному центру" : nil
        case (_?, true): "\(russianName) не входит в другую организацию"
        case (let parent?, false):
            allowedParents.contains(parent)
                ? nil : "\(russianName) может входить только в: \(allowedParents.map(\.russianName).joined(separator: ", "))"
        }
    }
}

/// A curator's assignment to a school from a day, until a day or open (seed 003: each direction has its curator;
/// seed 004: a curator per school). History is kept: ending an assignment closes it, never deletes it.
public struct CuratorAssignment: Sendable, Hashable {
    public var curator: String
    public var school: String
    public var from: CalendarDay
    public var until: CalendarDay?

    public init(curator: String, school: String, from: CalendarDay, until: CalendarDay? = nil) {
        self.curator = curator
        self.school = school
        self.from = from
        self.until = until
    }

    public func isCurrent(on day: CalendarDay) -> Bool { Self.runs(from: from, until: until, on: day) }

    /// A period from a day, until a day or open, includes `day` (both ends count).
    public static func runs(from: CalendarDay, until: CalendarDay?, on day: CalendarDay) -> Bool {
        from <= day && (until.map { day <= $0 } ?? true)
    }

    public func overlaps(_ other: CuratorAssignment) -> Bool {
        let farFuture = CalendarDay(year: 9999, month: 12, day: 31)
        return from <= (other.until ?? farFuture) && other.from <= (until ?? farFuture)
    }

    /// The schools a curator holds on `day` (its scope): a school with assignments while one of them is current;
    /// a school linked to the account with no assignment at all (set on the users' page) as linked.
    public static func schoolsHeld(
        linked: Set<Int>, assignments: [(school: Int, from: CalendarDay, until: CalendarDay?)], on day: CalendarDay
    ) -> Set<Int> {
        let assigned = Set(assignments.map(\.school))
        let current = Set(assignments.filter { runs(from: $0.from, until: $0.until, on: day) }.map(\.school))
        return linked.subtracting(assigned).union(current)
    }

    /// A new assignment is refused when it ends before it starts or overlaps the same curator's assignment to the
    /// same school; several curators of one school are allowed (one per direction).
    public static func problem(with new: CuratorAssignment, existing: [CuratorAssignment]) -> String? {
        if let until = new.until, until < new.from { return "окончание \(until.russian) раньше начала \(new.from.russian)" }
        if let clash = existing.first(where: { $0.curator == new.curator && $0.school == new.school && $0.overlaps(new) }) {
            return "куратор уже закреплён за школой с \(clash.from.russian)" + (clash.until.map { " по \($0.russian)" } ?? "")
        }
        return nil
    }
}

/// What the support network is expected to reach in a year (seed 002's plan-schedule: «10 команд (60 человек)»,
/// «Определение школ партнеров … 10», «13 пунктов сопровождения», «регулярные консультации … 10»).
public struct SupportFigures: Sendable, Hashable, Codable {
    public var teams: Int?
    public var people: Int?
    public var pairs: Int?
    public var points: Int?
    public var consultedSchools: Int?

    public init(teams: Int? = nil, people: Int? = nil, pairs: Int? = nil, points: Int? = nil, consultedSchools: Int? = nil) {
        self.teams = teams
        self.people = people
        self.pairs = pairs
        self.points = points
        self.consultedSchools = consultedSchools
    }

    public static var fields: [(key: WritableKeyPath<SupportFigures, Int?>, code: String, name: String)] { [
        (\.teams, "teams", "Команд школ обучено по правилу"),
        (\.people, "people", "Человек в этих командах"),
        (\.pairs, "pairs", "Школ с закреплённой школой-наставником"),
        (\.points, "points", "Пунктов сопровождения"),
        (\.consultedSchools, "consulted", "Школ, получивших консультации и визиты"),
    ] }
}

/// One forecast figure beside what the log shows.
public struct ForecastLine: Sendable, Hashable {
    public let name: String
    public let planned: Int
    public let actual: Int

    public var isMet: Bool { actual >= planned }
    /// Share of the forecast reached, in per cent.
    public var reached: Share { Share(count: min(actual, planned), base: planned) }

    /// The forecast's figures that were set, each beside the actual one.
    public static func compare(forecast: SupportFigures, actual: SupportFigures) -> [ForecastLine] {
        SupportFigures.fields.compactMap { field in
            forecast[keyPath: field.key].map { ForecastLine(name: field.name, planned: $0, actual: actual[keyPath: field.key] ?? 0) }
        }
    }
}
