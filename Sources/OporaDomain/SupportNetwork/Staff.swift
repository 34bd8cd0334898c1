/// Staff and development of a school in a year (issue 10; seed 004's Tables 8 and 23, seed 003's 286 teachers):
/// qualification categories, attestation, courses, diagnosed deficits and individual development routes (ИОМ),
/// the specialists and the vacancies.

/// A teacher's qualification category (seed 004, Table 8: «аттестованных на 1КК и ВКК»).
public enum QualificationCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case highest, first, conforms, none

    public var russianName: String {
        switch self {
        case .highest: "высшая"
        case .first: "первая"
        case .conforms: "соответствие занимаемой должности"
        case .none: "без категории"
        }
    }

    /// «высшая», «ВКК», «первая», «1КК», «СЗД», «соответствие …», «нет», «без категории», or the English codes.
    public init?(parsing text: String) {
        let key = HeaderKey.normalize(text)
        if let category = QualificationCategory(rawValue: key) { self = category; return }
        let stems: [(String, QualificationCategory)] = [
            ("высш", .highest), ("вкк", .highest), ("перв", .first), ("1кк", .first), ("1 кк", .first),
            ("соответств", .conforms), ("сзд", .conforms), ("без", .none), ("нет", .none),
        ]
        guard let found = stems.first(where: { key.hasPrefix($0.0) }) else { return nil }
        self = found.1
    }
}

/// The state of a teacher's individual development route (ИОМ) built on a diagnosed deficit.
public enum DevelopmentRoute: String, Sendable, Hashable, Codable, CaseIterable {
    case none, planned, active, completed

    public var russianName: String {
        switch self {
        case .none: "нет"
        case .planned: "разработан"
        case .active: "реализуется"
        case .completed: "завершён"
        }
    }

    public init?(parsing text: String) {
        let key = HeaderKey.normalize(text)
        if let route = DevelopmentRoute(rawValue: key) { self = route; return }
        let stems: [(String, DevelopmentRoute)] = [("нет", .none), ("разработ", .planned), ("составлен", .planned), ("реализ", .active),
                                                   ("в работе", .active), ("заверш", .completed), ("выполнен", .completed)]
        guard let found = stems.first(where: { key.hasPrefix($0.0) }) else { return nil }
        self = found.1
    }
}

/// One line of a school's staff in a year: a coded person, or a count of people sharing the same facts.
public struct StaffGroup: Sendable, Hashable {
    public var school: String
    public var year: Int
    public var position: String
    public var count: Int
    public var person: String?
    public var category: QualificationCategory?
    public var attestedOn: CalendarDay?
    /// Course hours of the year; 0 or nil when no course was taken.
    public var courseHours: Double?
    public var courseTopic: String?
    public var courseProvider: String?
    public var deficit: String?
    public var route: DevelopmentRoute?

    public init(
        school: String, year: Int, position: String = "teacher", count: Int = 1, person: String? = nil,
        category: QualificationCategory? = nil,
        attestedOn: CalendarDay? = nil, courseHours: Double? = nil, courseTopic: String? = nil, courseProvider: String? = nil,
        deficit: String? = nil, route: DevelopmentRoute? = nil
    ) {
        self.school = school
        self.year = year
        self.position = position
        self.count = count
        self.person = person
        self.category = category
        self.attestedOn = attestedOn
        self.courseHours = courseHours
        self.courseTopic = courseTopic
        self.courseProvider = courseProvider
        self.deficit = deficit
        self.route = route
    }

    public var tookCourse: Bool { (courseHours ?? 0) > 0 }
}

/// A school's staff in a year, summed: what Table 8 prints («74/82,4» — teachers and the share with the first or
/// highest category) and what an indicator needs («доля педагогов, прошедших курсовую подготовку»).
public struct StaffSummary: Sendable, Hashable {
    public let school: String
    public let people: Int
    public let byCategory: [QualificationCategory: Int]
    public let trained: Int
    public let courseHours: Double
    public let withDeficit: Int
    public let byRoute: [DevelopmentRoute: Int]

    /// Share with the first or highest category (Table 8's «Доля аттестованных на 1КК и ВКК»).
    public var categorised: Share { Share(count: (byCategory[.highest] ?? 0) + (byCategory[.first] ?? 0), base: people) }
    public var trainedShare: Share { Share(count: trained, base: people) }
    /// Routes being built or followed, of those with a diagnosed deficit.
    public var routesForDeficits: Share {
        Share(count: (byRoute[.planned] ?? 0) + (byRoute[.active] ?? 0) + (byRoute[.completed] ?? 0), base: withDeficit)
    }

    public static func compute(_ groups: [StaffGroup]) -> [StaffSummary] {
        let grouped = Dictionary(grouping: groups, by: \.school)
        return grouped.keys.sorted().map { school in
            let rows = grouped[school]!
            var byCategory: [QualificationCategory: Int] = [:], byRoute: [DevelopmentRoute: Int] = [:]
            var trained = 0, hours = 0.0, deficits = 0
            for row in rows {
                if let category = row.category { byCategory[category, default: 0] += row.count }
                if row.tookCourse { trained += row.count; hours += Double(row.count) * (row.courseHours ?? 0) }
                if row.deficit != nil { deficits += row.count; byRoute[row.route ?? .none, default: 0] += row.count }
            }
            return StaffSummary(school: school, people: rows.reduce(0) { $0 + $1.count }, byCategory: byCategory, trained: trained,
                                courseHours: hours, withDeficit: deficits, byRoute: byRoute)
        }
    }
}

/// Specialists of seed 004's Table 23, in its column order.
public enum Specialty: String, Sendable, Hashable, Codable, CaseIterable {
    case socialPedagogue = "social_pedagogue", tutor, psychologist, speechTherapist = "speech_therapist", defectologist
    case organiser, additionalEducation = "additional_education"

    public var russianName: String {
        switch self {
        case .socialPedagogue: "Социальный педагог"
        case .tutor: "Тьютор"
        case .psychologist: "Педагог-психолог"
        case .speechTherapist: "Учитель-логопед"
        case .defectologist: "Учитель-дефектолог"
        case .organiser: "Педагог-организатор"
        case .additionalEducation: "Педагог доп. образования"
        }
    }

    /// Table 23's headers and the English codes.
    public init?(parsing text: String) {
        let key = HeaderKey.normalize(text)
        if let specialty = Specialty(rawValue: key) { self = specialty; return }
        let stems: [(String, Specialty)] = [
            ("социальн", .socialPedagogue), ("тьютор", .tutor), ("педагог-психолог", .psychologist), ("психолог", .psychologist),
            ("учитель-логопед", .speechTherapist), ("логопед", .speechTherapist), ("учитель-дефектолог", .defectologist),
            ("дефектолог", .defectologist), ("педагог-организатор", .organiser), ("организатор", .organiser),
            ("педагог доп", .additionalEducation), ("педагог дополнительного", .additionalEducation),
        ]
        guard let found = stems.first(where: { key.hasPrefix($0.0) }) else { return nil }
        self = found.1
    }
}

/// Staff and part-timers of one specialty in one school (a cell of Table 23).
public struct SpecialistCount: Sendable, Hashable {
    public var staff: Int
    public var partTime: Int

    public init(staff: Int, partTime: Int) {
        self.staff = staff
        self.partTime = partTime
    }

    public var total: Int { staff + partTime }

    /// Table 23 writes «1», «1*» (a part-timer: «педагог работает по совместительству»), «3; 6*», «1 *» and «0».
    public init?(cell: String) {
        var staff = 0, partTime = 0
        for part in cell.split(whereSeparator: { $0 == ";" || $0 == "+" }) {
            var text = part.trimmingCharacters(in: .whitespaces)
            let isPartTime = text.hasSuffix("*")
            if isPartTime { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
            guard let number = Int(text), (0...500).contains(number) else { return nil }
            if isPartTime { partTime += number } else { staff += number }
        }
        guard !cell.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        self.init(staff: staff, partTime: partTime)
    }

    /// As Table 23 prints it.
    public var cell: String {
        switch (staff, partTime) {
        case (_, 0): String(staff)
        case (0, _): "\(partTime)*"
        default: "\(staff); \(partTime)*"
        }
    }
}

/// One school's row of Table 23 for a year.
public struct SpecialistsRow: Sendable, Hashable {
    public var school: String
    public var year: Int
    public var counts: [Specialty: SpecialistCount]
    public var vacancies: Int?

    public init(school: String, year: Int, counts: [Specialty: SpecialistCount], vacancies: Int?) {
        self.school = school
        self.year = year
        self.counts = counts
        self.vacancies = vacancies
    }

    /// The specialties a school of the support programme is expected to have and has nobody for, not even a part-timer.
    public var missing: [Specialty] {
        [.socialPedagogue, .psychologist, .speechTherapist, .defectologist].filter { (counts[$0]?.total ?? 0) == 0 }
    }
}
