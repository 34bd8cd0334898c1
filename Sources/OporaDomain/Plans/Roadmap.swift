/// The level a programme is adopted at (CONTRACT.md, `programmes`).
public enum ProgrammeLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case region, municipality, school

    public var russianName: String {
        switch self {
        case .region: "региональная"
        case .municipality: "муниципальная"
        case .school: "школьная"
        }
    }

    public init?(parsing text: String) {
        let key = HeaderKey.normalize(text)
        switch key {
        case "region", "региональная", "регион", "региональный": self = .region
        case "municipality", "муниципальная", "муниципалитет", "муниципальный": self = .municipality
        case "school", "школьная", "школа", "оо": self = .school
        default: return nil
        }
    }
}

/// A measure's status as the responsible reports it (CONTRACT.md, `roadmap`).
public enum MeasureStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case planned
    case inProgress = "in_progress"
    case done
    case cancelled

    public var russianName: String {
        switch self {
        case .planned: "запланировано"
        case .inProgress: "выполняется"
        case .done: "выполнено"
        case .cancelled: "отменено"
        }
    }

    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "planned", "запланировано", "запланирован", "не начато", "план": self = .planned
        case "in progress", "inprogress", "выполняется", "в работе", "в процессе", "исполняется": self = .inProgress
        case "done", "выполнено", "выполнен", "исполнено", "сделано": self = .done
        case "cancelled", "canceled", "отменено", "отменен", "снято": self = .cancelled
        default: return nil
        }
    }

    public static let accepted = "planned / in_progress / done / cancelled (запланировано / выполняется / выполнено / отменено)"
}

/// Where a measure stands on a given day: its reported status read against its due dates.
public enum MeasureProgress: String, Sendable, Hashable, Codable, CaseIterable {
    case done
    case inProgress = "in_progress"
    case overdue
    case notStarted = "not_started"
    case cancelled

    public var russianName: String {
        switch self {
        case .done: "выполнено"
        case .inProgress: "выполняется"
        case .overdue: "просрочено"
        case .notStarted: "не начато"
        case .cancelled: "отменено"
        }
    }

    /// A measure is overdue when it is neither done nor cancelled and either its last due date has passed, or
    /// it has not been started although a due date has passed (a recurring measure nobody began).
    /// Deadlines without dates (continuous, by schedule, on demand, unread) are never overdue by themselves.
    public static func of(status: MeasureStatus, due: [CalendarDay], today: CalendarDay) -> MeasureProgress {
        switch status {
        case .done: return .done
        case .cancelled: return .cancelled
        case .planned, .inProgress:
            if let last = due.last, last < today { return .overdue }
            if status == .planned, let first = due.first, first < today { return .overdue }
            return status == .inProgress ? .inProgress : .notStarted
        }
    }
}

/// One measure of a roadmap as the domain sees it: enough to read its deadline and judge its progress.
public struct RoadmapMeasure: Sendable, Hashable {
    public var section: String
    public var number: String
    public var measure: String
    public var deadline: String
    public var responsible: String?
    public var status: MeasureStatus
    public var doneOn: CalendarDay?
    /// The calendar year a deadline without a year refers to.
    public var year: Int?
    /// A date a person set for a deadline that names none («по отдельному графику», an unread one).
    public var datedOn: CalendarDay?

    public init(section: String = "", number: String, measure: String, deadline: String, responsible: String? = nil,
                status: MeasureStatus = .planned, doneOn: CalendarDay? = nil, year: Int? = nil, datedOn: CalendarDay? = nil) {
        self.section = section
        self.number = number
        self.measure = measure
        self.deadline = deadline
        self.responsible = responsible
        self.status = status
        self.doneOn = doneOn
        self.year = year
        self.datedOn = datedOn
    }

    /// The deadline read within the programme's period; a person's date is added to what was read.
    public func reading(period: DatePeriod) -> Deadline {
        dated(DeadlineReader.read(deadline, year: year, period: period), period: period)
    }

    /// The reading with the person's date added; `read` is what the reader made of the deadline as written.
    public func dated(_ read: Deadline, period: DatePeriod) -> Deadline {
        guard let datedOn, period.contains(datedOn) else { return read }
        return Deadline(text: read.text, kind: read.due.isEmpty ? .date : read.kind, due: Array(Set(read.due + [datedOn])).sorted(),
                        outside: read.outside)
    }

    /// A deadline with no date a person must set: read as nothing and not dated by hand.
    public func needsDate(period: DatePeriod) -> Bool {
        datedOn == nil && DeadlineReader.read(deadline, year: year, period: period).kind == .unparsed
    }
}

/// The execution report by section (done / in progress / overdue / not started / cancelled).
public struct ExecutionTally: Sendable, Hashable {
    public var counts: [MeasureProgress: Int] = [:]
    public init() {}

    public subscript(_ progress: MeasureProgress) -> Int { counts[progress, default: 0] }
    public var total: Int { counts.values.reduce(0, +) }
    /// Done among the measures not cancelled, in per cent; nil when nothing is left to do.
    public var doneRate: Double? {
        let counted = total - self[.cancelled]
        return counted > 0 ? Double(self[.done]) / Double(counted) * 100 : nil
    }

    public mutating func add(_ progress: MeasureProgress) { counts[progress, default: 0] += 1 }

    /// Sections in their first-seen order, each with its tally, and the whole roadmap's.
    public static func bySection(
        _ rows: [(section: String, progress: MeasureProgress)]
    ) -> (sections: [(String, ExecutionTally)], total: ExecutionTally) {
        var order: [String] = [], tallies: [String: ExecutionTally] = [:], total = ExecutionTally()
        for row in rows {
            if tallies[row.section] == nil { order.append(row.section) }
            tallies[row.section, default: ExecutionTally()].add(row.progress)
            total.add(row.progress)
        }
        return (order.map { ($0, tallies[$0]!) }, total)
    }
}
