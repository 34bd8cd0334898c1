import Foundation

/// A roadmap measure as every view of it needs it: as written, as read, and where it stands today.
public struct RoadmapRow: Sendable {
    public let id: Int
    public let version: Int
    public let measure: RoadmapMeasure
    public let result: String?
    public let comment: String?
    public let evidence: String?
    public let reading: Deadline
    public let progress: MeasureProgress
    public let needsDate: Bool

    /// The first due date not yet passed (or the last one when all have passed).
    public func nextDue(after today: CalendarDay) -> CalendarDay? { reading.due.first { $0 >= today } ?? reading.due.last }

    /// A measure as stored, before its deadline is read.
    public struct Stored: Sendable {
        public let id: Int
        public let version: Int
        public let measure: RoadmapMeasure
        public let result: String?
        public let comment: String?
        public let evidence: String?

        public init(id: Int, version: Int, measure: RoadmapMeasure, result: String?, comment: String?, evidence: String?) {
            self.id = id
            self.version = version
            self.measure = measure
            self.result = result
            self.comment = comment
            self.evidence = evidence
        }
    }

    /// Reads each measure's deadline within the programme's period and says where it stands today.
    public static func read(_ measures: [Stored], period: DatePeriod, today: CalendarDay) -> [RoadmapRow] {
        // A roadmap repeats its deadline forms («ежеквартально», «2023-2025 гг.»): each distinct one is read once.
        var readings: [String: Deadline] = [:]
        return measures.map { model in
            let measure = model.measure
            let key = "\(measure.year ?? 0)|\(measure.deadline)"
            let read = readings[key] ?? DeadlineReader.read(measure.deadline, year: measure.year, period: period)
            readings[key] = read
            let reading = measure.dated(read, period: period)
            return RoadmapRow(id: model.id, version: model.version, measure: measure, result: model.result, comment: model.comment,
                              evidence: model.evidence, reading: reading,
                              progress: MeasureProgress.of(status: measure.status, due: reading.due, today: today),
                              needsDate: measure.datedOn == nil && reading.kind == .unparsed)
        }
    }

    /// «до 10.09.2024», «31.03, 30.06 … 31.12.2025 (12 сроков)», «постоянно»: the reading in a few words.
    public var dueText: String {
        let dates = reading.due.map(\.russian)
        switch dates.count {
        case 0: return reading.kind.russianName
        case 1...3: return dates.joined(separator: ", ")
        default:
            let count = "\(dates.count) \(RussianFormat.plural(dates.count, "срок", "срока", "сроков"))"
            return "\(dates[0]), \(dates[1]) … \(dates[dates.count - 1]) (\(count))"
        }
    }
}
