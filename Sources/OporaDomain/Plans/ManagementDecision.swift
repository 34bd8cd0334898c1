/// What prompted a management decision: the finding it answers.
public enum FindingKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An indicator off its target.
    case indicator
    /// An overdue roadmap measure.
    case measure
    /// A school's results.
    case results
    /// A school's risk profile.
    case risk
    case other

    public var russianName: String {
        switch self {
        case .indicator: "показатель не достиг цели"
        case .measure: "просроченное мероприятие"
        case .results: "результаты школы"
        case .risk: "риск школы"
        case .other: "иное"
        }
    }
}

public enum DecisionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, done, cancelled

    public var russianName: String {
        switch self {
        case .open: "исполняется"
        case .done: "исполнено"
        case .cancelled: "отменено"
        }
    }

    /// An open decision past its due date.
    public func isOverdue(due: CalendarDay?, today: CalendarDay) -> Bool {
        self == .open && (due.map { $0 < today } ?? false)
    }
}
