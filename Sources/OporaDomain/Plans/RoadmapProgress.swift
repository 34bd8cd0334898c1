import Foundation

/// Where a roadmap stands as a whole: the rules the roadmap page, the programmes' list, the start page's reminders
/// and the execution report (DOCX) all read, so that «done», «late» and «needs a date» mean the same everywhere.
public struct RoadmapProgress: Sendable {
    /// The states in the order every report of a roadmap shows them.
    public static let states: [MeasureProgress] = [.done, .inProgress, .overdue, .notStarted, .cancelled]
    /// The group of late measures whose responsible the plan does not name.
    public static let noResponsible = "ответственный не указан"
    /// Days ahead a deadline counts as «coming up» on the start page.
    public static let soonDays = 14

    /// Sections in their first-seen order, each with its tally.
    public let sections: [(section: String, tally: ExecutionTally)]
    /// The whole roadmap's tally.
    public let total: ExecutionTally
    /// Late measures grouped by their responsible, the groups in alphabetical order, the plan's order inside.
    public let overdueByResponsible: [(responsible: String, rows: [RoadmapRow])]
    /// Measures whose deadline names no date and nobody has dated by hand.
    public let undated: Int

    public init(_ rows: [RoadmapRow]) {
        let (sections, total) = ExecutionTally.bySection(rows.map { ($0.measure.section, $0.progress) })
        self.sections = sections.map { (section: $0.0, tally: $0.1) }
        self.total = total
        let late = Dictionary(grouping: rows.filter { $0.progress == .overdue }) { row -> String in
            guard let who = row.measure.responsible?.trimmingCharacters(in: .whitespacesAndNewlines), !who.isEmpty else {
                return Self.noResponsible
            }
            return who
        }
        overdueByResponsible = late.keys.sorted().map { (responsible: $0, rows: late[$0]!) }
        undated = rows.filter(\.needsDate).count
    }

    public var overdue: Int { total[.overdue] }

    /// Measures still to do with a deadline from today to `days` ahead.
    public static func dueSoon(_ rows: [RoadmapRow], today: CalendarDay, days: Int = soonDays) -> Int {
        let until = today.adding(days: days)
        return rows.filter { row in
            row.progress != .done && row.progress != .cancelled && row.reading.due.contains { $0 >= today && $0 <= until }
        }.count
    }

    /// «выполнено 12.03.2024», «не начато; срок не распознан — нужна дата»: a measure's state in the report.
    public static func stateText(_ row: RoadmapRow) -> String {
        var state = row.progress.russianName
        if let done = row.measure.doneOn { state += " \(done.russian)" }
        if row.needsDate { state += "; срок не распознан — нужна дата" }
        return state
    }
}

/// The roadmap's filter of measures: by state, or those whose deadline needs a date.
public enum RoadmapFilter: String, Sendable, CaseIterable {
    case all
    case overdue
    case inProgress = "in_progress"
    case notStarted = "not_started"
    case done
    case undated

    public var russianName: String {
        switch self {
        case .all: "все"
        case .undated: "срок не распознан"
        case .overdue: MeasureProgress.overdue.russianName
        case .inProgress: MeasureProgress.inProgress.russianName
        case .notStarted: MeasureProgress.notStarted.russianName
        case .done: MeasureProgress.done.russianName
        }
    }

    public func matches(_ row: RoadmapRow) -> Bool {
        switch self {
        case .all: true
        case .undated: row.needsDate
        case .overdue, .inProgress, .notStarted, .done: row.progress.rawValue == rawValue
        }
    }
}
