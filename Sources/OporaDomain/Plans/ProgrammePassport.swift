/// The passport of a regional, municipal or school programme: what the authority signs. Each amendment keeps a
/// full copy, so any two versions compare.
public struct ProgrammePassport: Sendable, Hashable, Codable {
    public var name: String
    public var start: CalendarDay
    public var end: CalendarDay
    public var goal: String
    public var tasks: [String]
    /// School codes of the participants (linked to the identification list where they are on it).
    public var participants: [String]
    public var expectedResults: [String]
    /// Funding lines as written («2024 — местный бюджет — 150 тыс. руб.»).
    public var funding: [String]
    /// The normative basis: the laws and orders the programme rests on (seed 004 amends exactly this).
    public var basis: [String]

    public init(name: String, start: CalendarDay, end: CalendarDay, goal: String = "", tasks: [String] = [], participants: [String] = [],
                expectedResults: [String] = [], funding: [String] = [], basis: [String] = []) {
        self.name = name
        self.start = start
        self.end = end
        self.goal = goal
        self.tasks = tasks
        self.participants = participants
        self.expectedResults = expectedResults
        self.funding = funding
        self.basis = basis
    }

    enum CodingKeys: String, CodingKey { case name, start, end, goal, tasks, participants, expectedResults, funding, basis }

    /// Lists missing from a stored passport read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        start = try container.decode(CalendarDay.self, forKey: .start)
        end = try container.decode(CalendarDay.self, forKey: .end)
        goal = try container.decodeIfPresent(String.self, forKey: .goal) ?? ""
        tasks = try container.decodeIfPresent([String].self, forKey: .tasks) ?? []
        participants = try container.decodeIfPresent([String].self, forKey: .participants) ?? []
        expectedResults = try container.decodeIfPresent([String].self, forKey: .expectedResults) ?? []
        funding = try container.decodeIfPresent([String].self, forKey: .funding) ?? []
        basis = try container.decodeIfPresent([String].self, forKey: .basis) ?? []
    }

    /// From the start date to the end date: deadlines are read within it.
    public var period: DatePeriod { .from(start, to: end) }

    public enum Part: String, Sendable, CaseIterable {
        case name, period, basis, goal, tasks, participants, expectedResults, funding, roadmap

        public var russianName: String {
            switch self {
            case .name: "Наименование"
            case .period: "Срок реализации"
            case .goal: "Цель"
            case .tasks: "Задачи"
            case .participants: "Участники"
            case .expectedResults: "Ожидаемые результаты"
            case .funding: "Финансирование"
            case .basis: "Нормативная основа"
            case .roadmap: "Дорожная карта"
            }
        }
    }

    func items(_ part: Part) -> [String] {
        switch part {
        case .name: [name]
        case .period: ["\(start.russian) — \(end.russian)"]
        case .goal: goal.isEmpty ? [] : [goal]
        case .tasks: tasks
        case .participants: participants
        case .expectedResults: expectedResults
        case .funding: funding
        case .basis: basis
        case .roadmap: []
        }
    }

    public struct Change: Sendable, Hashable {
        public let part: Part
        public let change: ListDiff.Change
    }

    /// What an amendment changed, part by part, in the passport's order; with the roadmaps of both versions
    /// (one line per measure) their differences too.
    public static func compare(
        _ old: ProgrammePassport, _ new: ProgrammePassport, roadmaps: (old: [String], new: [String]) = ([], [])
    ) -> [Change] {
        Part.allCases.filter { $0 != .roadmap }.flatMap { part in
            ListDiff.changes(old.items(part), new.items(part)).map { Change(part: part, change: $0) }
        }
            + ListDiff.changes(roadmaps.old, roadmaps.new).map { Change(part: .roadmap, change: $0) }
    }

    /// A measure as an amendment compares it: number, text, deadline and who answers for it.
    public static func roadmapLine(_ measure: RoadmapMeasure) -> String {
        var line = "\(measure.number) \(measure.measure) — \(measure.deadline)"
        if let responsible = measure.responsible, !responsible.isEmpty { line += " (\(responsible))" }
        return line
    }

    /// Splits a text area into list items: one per line, numbering and bullets kept as typed, blanks dropped.
    public static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
