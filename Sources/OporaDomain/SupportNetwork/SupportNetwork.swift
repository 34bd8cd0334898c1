/// The support network's rules (GUIDE §2–3; seeds 002 and 004): mentor pairs, visits with their follow-ups,
/// and staff training measured against a team rule.

/// A supported school and its mentor school for a period (seed 004's pairs for 2023 and for 2024–2025).
public struct MentorPair: Sendable, Hashable {
    public var supported: String
    public var mentor: String
    public var period: ClosedRange<Int>
    public var status: MentorPairStatus

    public init(supported: String, mentor: String, period: ClosedRange<Int>, status: MentorPairStatus = .active) {
        self.supported = supported
        self.mentor = mentor
        self.period = period
        self.status = status
    }

    /// Whether the pair gives its school a mentor in `year`: the one rule behind «с наставником», `listed_with_mentor`
    /// and every other count of mentored schools. Only a pair in force («действует») whose period covers the year
    /// counts; a suspended or finished one is history, not support.
    public static func mentors(status: MentorPairStatus?, period: ClosedRange<Int>, in year: Int) -> Bool {
        status == .active && period.contains(year)
    }

    public func mentors(in year: Int) -> Bool { Self.mentors(status: status, period: period, in: year) }
}

/// Where a mentor pair stands: working, finished with its agreement, or paused.
public enum MentorPairStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, completed, suspended

    public var russianName: String {
        switch self {
        case .active: "действует"
        case .completed: "завершена"
        case .suspended: "приостановлена"
        }
    }
}

public enum MentorChecks {
    public struct Finding: Sendable, Hashable {
        public let isError: Bool
        public let message: String
    }

    /// A mentor school is chosen among the supported school's municipality (the municipality agrees the pair and
    /// answers for it); a school of another territory is no candidate at all.
    public static func sameTerritory(supported municipality: Int, mentor mentorMunicipality: Int) -> Bool {
        municipality == mentorMunicipality
    }

    /// A school is not its own mentor (refused); a mentor on the low-results list of a year of the pair is warned of.
    public static func check(_ pair: MentorPair, listedByYear: [Int: Set<String>]) -> [Finding] {
        var findings: [Finding] = []
        if pair.supported == pair.mentor { findings.append(Finding(isError: true, message: "школа не может быть наставником самой себе")) }
        if pair.period.lowerBound > pair.period.upperBound { findings.append(Finding(isError: true, message: "период пары пуст")) }
        let years = pair.period.filter { listedByYear[$0]?.contains(pair.mentor) == true }
        if !years.isEmpty {
            findings.append(
                Finding(
                    isError: false,
                    message: "школа-наставник сама в списке школ с низкими результатами (\(years.map(String.init).joined(separator: ", ")))"
                ))
        }
        return findings
    }

    /// Listed schools of `year` with no pair in force covering that year, in the given order.
    public static func withoutMentor(listed: [String], pairs: [MentorPair], year: Int) -> [String] {
        let mentored = mentored(pairs, year: year)
        return listed.filter { !mentored.contains($0) }
    }

    /// Schools with a mentor in `year` (pairs in force only).
    public static func mentored(_ pairs: [MentorPair], year: Int) -> Set<String> {
        Set(pairs.filter { $0.mentors(in: year) }.map(\.supported))
    }
}

/// On site or online (seed 002's consultation formats).
public enum VisitFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case onSite = "on_site", online

    public var russianName: String { self == .onSite ? "выезд в школу" : "дистанционно" }
}

/// A visit's follow-up is overdue when it has a due date that has passed and is not marked done.
public enum FollowUp {
    public static func isOverdue(due: CalendarDay?, done: Bool, today: CalendarDay) -> Bool {
        guard let due, !done else { return false }
        return due < today
    }
}

/// One participation in an event: a count of people of a school in a role, or one coded person (no names).
public struct Participation: Sendable, Hashable {
    public var event: String
    public var school: String
    public var role: String
    public var hours: Double
    public var start: CalendarDay
    /// How many people this row stands for (1 for a coded person).
    public var count: Int
    /// A person's code, when the log keeps individuals.
    public var person: String?

    public init(
        event: String, school: String, role: String = "teacher", hours: Double, start: CalendarDay, count: Int = 1, person: String? = nil
    ) {
        self.event = event
        self.school = school
        self.role = role
        self.hours = hours
        self.start = start
        self.count = count
        self.person = person
    }
}

/// Seed 002: a school team counts when at least 6 people of the school trained at least 32 hours each
/// («не менее 6 человек от школы, 32 часа»). Configurable per programme.
public struct TrainingRule: Sendable, Hashable, Codable {
    public var minimumPeople: Int
    public var minimumHours: Double

    public init(minimumPeople: Int = 6, minimumHours: Double = 32) {
        self.minimumPeople = minimumPeople
        self.minimumHours = minimumHours
    }

    public static let seed002 = TrainingRule()

    public var russianName: String {
        "не менее \(minimumPeople) человек от школы, не менее \(RussianFormat.number(minimumHours)) часов каждый"
    }
}

/// People trained, their hours and whether the school's team meets the rule, per school over a period.
public struct TrainingSummary: Sendable, Hashable {
    public let school: String
    public let people: Int
    public let personHours: Double
    /// People with at least the rule's hours.
    public let qualified: Int
    public let teamMeetsRule: Bool

    /// Coded persons are counted once with all their hours; a count row stands for that many people who each
    /// attended that event only (the log cannot tell whether two count rows are the same people).
    public static func compute(
        _ participations: [Participation], rule: TrainingRule, within period: ClosedRange<CalendarDay>
    ) -> [TrainingSummary] {
        var bySchool: [String: [Participation]] = [:]
        for row in participations where period.contains(row.start) { bySchool[row.school, default: []].append(row) }
        return bySchool.keys.sorted().map { school in
            let rows = bySchool[school]!
            var persons: [String: Double] = [:]
            var anonymous: [(count: Int, hours: Double)] = []
            for row in rows {
                if let person = row.person { persons[person, default: 0] += row.hours } else { anonymous.append((row.count, row.hours)) }
            }
            let people = persons.count + anonymous.reduce(0) { $0 + $1.count }
            let hours = persons.values.reduce(0, +) + anonymous.reduce(0) { $0 + Double($1.count) * $1.hours }
            let qualified =
                persons.values.filter { $0 >= rule.minimumHours }.count
                + anonymous.filter { $0.hours >= rule.minimumHours }.reduce(0) { $0 + $1.count }
            return TrainingSummary(
                school: school, people: people, personHours: hours, qualified: qualified, teamMeetsRule: qualified >= rule.minimumPeople)
        }
    }

    /// «10 команд (60 человек), 32 часа»: the teams meeting the rule and the people in them.
    public static func teams(_ summaries: [TrainingSummary]) -> (teams: Int, people: Int) {
        let met = summaries.filter(\.teamMeetsRule)
        return (met.count, met.reduce(0) { $0 + $1.qualified })
    }
}
