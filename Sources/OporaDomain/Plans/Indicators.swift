/// Whether more of an indicator is better (`up`) or less (`down`).
public enum IndicatorDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case up, down

    public var russianName: String { self == .up ? "рост" : "снижение" }

    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "up", "рост", "увеличение", "больше", "↑": self = .up
        case "down", "снижение", "уменьшение", "меньше", "↓": self = .down
        default: return nil
        }
    }

    /// The value reaches the target in the indicator's direction.
    public func meets(_ value: Double, target: Double) -> Bool { self == .up ? value >= target : value <= target }
}

/// Monitoring phases of seeds 001 and 002: entry, intermediate, final.
public enum MonitoringPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case entry, intermediate, final

    public var russianName: String {
        switch self {
        case .entry: "входной"
        case .intermediate: "промежуточный"
        case .final: "итоговый"
        }
    }

    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "entry", "входной", "входная", "стартовый": self = .entry
        case "intermediate", "промежуточный", "промежуточная": self = .intermediate
        case "final", "итоговый", "итоговая", "финальный": self = .final
        default: return nil
        }
    }
}

/// The months an indicator is collected in, read from how seed 004's Table 13 writes them
/// («Май, Сентябрь», «Октябрь Февраль») or as numbers («5, 9»).
public enum CollectionMonths {
    public static func parse(_ text: String) -> [Int]? {
        var months: Set<Int> = []
        for word in DeadlineReader.normalise(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            if let number = Int(word), (1...12).contains(number) { months.insert(number) }
            else if let month = DeadlineReader.month(word) { months.insert(month) }
            else { return nil }
        }
        return months.isEmpty ? nil : months.sorted()
    }

    static let names = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]

    public static func russian(_ months: [Int]) -> String {
        months.filter { (1...12).contains($0) }.map { names[$0 - 1] }.joined(separator: ", ")
    }

    public static func russianName(_ month: Int) -> String { (1...12).contains(month) ? names[month - 1] : "" }

    static let prepositional = [
        "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
    ]

    /// «в марте»: the month after «в».
    public static func inMonth(_ month: Int) -> String { (1...12).contains(month) ? "в " + prepositional[month - 1] : "" }
}

/// Indicators Opora computes from the data it holds, named in an indicator's `formula`.
public enum IndicatorFormula: String, Sendable, Hashable, Codable, CaseIterable {
    /// Share of the territory's schools on the year's approved list (ШНОР).
    case shareListed = "share_listed"
    /// Share of ОГЭ/ЕГЭ/ГВЭ participants of the territory passing the minimum.
    case giaPassMinimum = "gia_pass_min"
    /// Share of ВПР works whose mark confirms the term mark.
    case vprConfirmed = "vpr_confirmed"
    /// Share of listed schools whose pass rate in Russian and in mathematics rose against the previous year, work for
    /// work (same procedure, grade and subject; ВПР and ГИА only) — `PositiveDynamics`.
    case positiveDynamics = "positive_dynamics"
    /// Share of listed schools with a mentor school for the year (the support network's pairs in force: `MentorPair.mentors`).
    case listedWithMentor = "listed_with_mentor"
    /// Share of the listed schools' teachers who took a course in the year (the staff records of the support network).
    case teachersTrained = "teachers_trained"

    public var russianName: String {
        switch self {
        case .shareListed: "доля школ территории в утверждённом списке ШНОР"
        case .giaPassMinimum: "доля участников ОГЭ, ЕГЭ и ГВЭ, преодолевших минимальный порог"
        case .vprConfirmed: "доля работ ВПР, подтвердивших отметку по журналу"
        case .positiveDynamics:
            "доля школ списка с ростом успеваемости и по русскому языку, и по математике (ВПР и ГИА, та же работа год к году)"
        case .listedWithMentor: "доля школ списка, за которыми закреплена школа-наставник"
        case .teachersTrained: "доля педагогов школ списка, прошедших курсовую подготовку"
        }
    }
}

/// One indicator of a programme, as the domain needs it.
public struct MonitoredIndicator: Sendable, Hashable {
    public var code: String
    public var name: String
    public var direction: IndicatorDirection
    public var months: [Int]

    public init(code: String, name: String, direction: IndicatorDirection = .up, months: [Int] = []) {
        self.code = code
        self.name = name
        self.direction = direction
        self.months = months
    }
}

/// Seed 004 Table 13: what is collected this month, and what of it has no value yet.
public enum CollectionSchedule {
    /// Indicators collected in `month` that have no value for `year`.
    public static func missing(_ indicators: [MonitoredIndicator], month: Int, withValues: Set<String>) -> [MonitoredIndicator] {
        indicators.filter { $0.months.contains(month) && !withValues.contains($0.code) }
    }

    /// Indicators collected in `month`.
    public static func due(_ indicators: [MonitoredIndicator], month: Int) -> [MonitoredIndicator] {
        indicators.filter { $0.months.contains(month) }
    }
}

/// One school's counts of one work, as the formulas read them.
public struct FormulaResult: Sendable, Hashable {
    public let school: Int
    public let work: WorkKey
    public let counts: ResultCounts

    public init(school: Int, work: WorkKey, counts: ResultCounts) {
        self.school = school
        self.work = work
        self.counts = counts
    }
}

/// What the formulas are computed from: the programme territory's schools, the year's approved list, and the
/// results of the year and the year before.
public struct FormulaInputs: Sendable {
    public var schools: Set<Int>
    public var listed: Set<Int>?
    public var results: [FormulaResult]
    public var previous: [FormulaResult]
    /// Schools with a mentor pair in force covering the year (`MentorPair.mentors`: suspended and finished pairs do not count).
    public var mentored: Set<Int>
    /// Per school, its staff of the year: those who took a course of all its teachers.
    public var staffTrained: [Int: Share]

    public init(schools: Set<Int>, listed: Set<Int>?, results: [FormulaResult], previous: [FormulaResult], mentored: Set<Int> = [],
                staffTrained: [Int: Share] = [:]) {
        self.schools = schools
        self.listed = listed
        self.results = results
        self.previous = previous
        self.mentored = mentored
        self.staffTrained = staffTrained
    }
}

extension IndicatorFormula {
    /// The indicator's value in per cent, with the count it rests on; nil when the data is not there (no
    /// approved list, no results) — never a zero that only means «nothing loaded».
    public func compute(_ inputs: FormulaInputs) -> Share? {
        switch self {
        case .shareListed:
            guard let listed = inputs.listed, !inputs.schools.isEmpty else { return nil }
            return Share(count: listed.intersection(inputs.schools).count, base: inputs.schools.count)
        case .giaPassMinimum:
            var passed = 0, all = 0
            for result in inputs.results where [.oge, .ege, .gve].contains(result.work.procedure) && inputs.schools.contains(result.school)
            {
                guard let below = result.counts.belowMin ?? result.counts.m2 else { continue }
                passed += result.counts.participants - below
                all += result.counts.participants
            }
            return all > 0 ? Share(count: passed, base: all) : nil
        case .vprConfirmed:
            var confirmed = 0, all = 0
            for result in inputs.results
            where result.work.procedure == .vpr && inputs.schools.contains(result.school) && result.counts.hasObjectivity {
                confirmed += result.counts.confirmed ?? 0
                all += result.counts.objectivityTotal
            }
            return all > 0 ? Share(count: confirmed, base: all) : nil
        case .positiveDynamics:
            guard let listed = inputs.listed?.intersection(inputs.schools), !listed.isEmpty else { return nil }
            return PositiveDynamics.share(listed: listed, now: inputs.results, before: inputs.previous)
        case .listedWithMentor:
            guard let listed = inputs.listed?.intersection(inputs.schools), !listed.isEmpty else { return nil }
            return Share(count: listed.intersection(inputs.mentored).count, base: listed.count)
        case .teachersTrained:
            // The listed schools' teachers when there is a list, else the territory's; schools without staff records are left out.
            let counted = (inputs.listed ?? inputs.schools).intersection(inputs.schools).compactMap { inputs.staffTrained[$0] }
            let base = counted.reduce(0) { $0 + $1.base }
            return base > 0 ? Share(count: counted.reduce(0) { $0 + $1.count }, base: base) : nil
        }
    }
}

/// One indicator's line of a year's score.
public struct ScoreLine: Sendable, Hashable {
    public let code: String
    public let name: String
    public let value: Double?
    public let target: Double?
    public let points: IndicatorPoints?
    public let total: Int?
    public let metTarget: Bool?
    /// What Opora computes for the indicator from the data it holds (indicators with a formula).
    public let computed: Share?
    /// Whether `value` is the one a person entered (false: Opora's computation stands in for a missing entry).
    public let entered: Bool

    public init(code: String, name: String, value: Double?, target: Double?, points: IndicatorPoints?, total: Int?, metTarget: Bool?,
                computed: Share? = nil, entered: Bool = true) {
        self.code = code
        self.name = name
        self.value = value
        self.target = target
        self.points = points
        self.total = total
        self.metTarget = metTarget
        self.computed = computed
        self.entered = entered
    }

    /// The numbered note an entered value carries when Opora's computation contradicts it (both values).
    public var disagreement: String? { entered ? IndicatorAgreement.note(entered: value, computed: computed) : nil }
}

extension ProgrammeScore {
    /// The year's score: the indicators scored that year count toward the maximum (seed 004's Table 12 scores
    /// nine of its sixteen, so its maximum is 63), the others are listed without points.
    public static func compute(_ lines: [ScoreLine], bands: ScoreBands) -> ProgrammeScore {
        let scored = lines.compactMap(\.total)
        return compute(points: scored, indicators: scored.count, bands: bands)
    }
}
