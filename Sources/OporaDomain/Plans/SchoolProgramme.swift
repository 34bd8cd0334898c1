import Foundation

/// The documents a school on the list writes (the «500+» cycle: risk profile → concept → medium-term
/// programme → anti-risk programmes), each with the same structured parts.
public enum ProgrammeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case concept
    case mediumTerm = "medium_term"
    case antiRisk = "anti_risk"

    public var russianName: String {
        switch self {
        case .concept: "Концепция развития"
        case .mediumTerm: "Среднесрочная программа развития"
        case .antiRisk: "Антирисковая программа"
        }
    }
}

/// A measure of a programme: what, by when (as written, read by `DeadlineReader`), who, with what result.
public struct ProgrammeMeasure: Sendable, Hashable, Codable {
    /// Stable across edits (remarks are anchored to it); given by `ProgrammeContent.withStableIDs`.
    public var id: String?
    public var text: String
    public var deadline: String
    public var responsible: String
    public var result: String

    public init(id: String? = nil, text: String, deadline: String = "", responsible: String = "", result: String = "") {
        self.id = id
        self.text = text
        self.deadline = deadline
        self.responsible = responsible
        self.result = result
    }
}

/// An indicator with its baseline and target, as the programme states them.
public struct ProgrammeIndicator: Sendable, Hashable, Codable {
    /// Stable across edits, as a measure's.
    public var id: String?
    public var name: String
    public var unit: String
    public var baseline: String
    public var target: String

    public init(id: String? = nil, name: String, unit: String = "", baseline: String = "", target: String = "") {
        self.id = id
        self.name = name
        self.unit = unit
        self.baseline = baseline
        self.target = target
    }
}

/// The structured content of one version of a programme.
public struct ProgrammeContent: Sendable, Hashable, Codable {
    public var goal: String
    public var tasks: [String]
    public var measures: [ProgrammeMeasure]
    public var indicators: [ProgrammeIndicator]
    /// The tasks' stable ids, in the tasks' order (tasks are plain lines of text).
    public var taskIDs: [String]?
    /// The largest id each section («task», «measure», «indicator») ever gave: a removed item's id is never given
    /// again, so a remark left on a removed item never lands on a new one.
    public var lastIDs: [String: Int]?

    public init(goal: String = "", tasks: [String] = [], measures: [ProgrammeMeasure] = [], indicators: [ProgrammeIndicator] = [],
                taskIDs: [String]? = nil) {
        self.goal = goal
        self.tasks = tasks
        self.measures = measures
        self.indicators = indicators
        self.taskIDs = taskIDs
    }

    /// What a programme must have before it is submitted, in Russian; empty when it may be.
    public func problemsBeforeSubmission(period: ClosedRange<Int>) -> [String] {
        var problems: [String] = []
        if goal.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("не указана цель") }
        if tasks.isEmpty { problems.append("нет ни одной задачи") }
        if measures.isEmpty { problems.append("нет ни одного мероприятия") }
        for (index, measure) in measures.enumerated() {
            if measure.deadline.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("мероприятие \(index + 1): не указан срок") }
            if measure.responsible.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("мероприятие \(index + 1): не указан ответственный")
            }
        }
        if indicators.isEmpty { problems.append("нет ни одного показателя") }
        for (index, indicator) in indicators.enumerated() where indicator.target.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("показатель \(index + 1): не указано целевое значение")
        }
        return problems
    }

    /// Every item with a stable key, for remarks and comparisons: «goal», «task.2», «measure.3», «indicator.1» — the
    /// number after the dot is the item's stable id (its position only in content that has no ids yet), the label
    /// its position.
    public var items: [ProgrammeItem] {
        var items = [ProgrammeItem(key: "goal", section: .goal, label: "Цель", text: goal)]
        items += tasks.enumerated().map {
            ProgrammeItem(key: taskKey(at: $0.offset), section: .tasks, label: "Задача \($0.offset + 1)", text: $0.element)
        }
        items += measures.enumerated().map { index, measure in
            ProgrammeItem(
                key: measureKey(at: index), section: .measures, label: "Мероприятие \(index + 1)",
                text: [measure.text, "срок: \(measure.deadline)", "ответственный: \(measure.responsible)", "результат: \(measure.result)"]
                    .joined(separator: "; "))
        }
        items += indicators.enumerated().map { index, indicator in
            ProgrammeItem(
                key: indicatorKey(at: index), section: .indicators, label: "Показатель \(index + 1)",
                text: "\(indicator.name)\(indicator.unit.isEmpty ? "" : ", \(indicator.unit)"): \(indicator.baseline) → \(indicator.target)"
            )
        }
        return items
    }
}

extension ProgrammeContent {
    public func taskKey(at index: Int) -> String { "task." + (taskIDs.flatMap { index < $0.count ? $0[index] : nil } ?? String(index + 1)) }
    public func measureKey(at index: Int) -> String { "measure." + (measures[index].id ?? String(index + 1)) }
    public func indicatorKey(at index: Int) -> String { "indicator." + (indicators[index].id ?? String(index + 1)) }

    /// The content with every task, measure and indicator given a stable id, so that a remark stays on its item
    /// whatever is inserted, removed or reordered around it. An item keeps the id it carries (the edit form sends
    /// them back) if the previous version knows it; one without takes the id of the previous version's item with
    /// the same text, else — when a section keeps its length — of the item edited in its place; else a new id,
    /// one above the largest the section ever had. Without a previous version ids are the positions.
    public func withStableIDs(previous: ProgrammeContent?) -> ProgrammeContent {
        var content = self
        let old = previous ?? ProgrammeContent()
        var last = old.lastIDs ?? [:]
        func id(_ key: String) -> String { String(key[key.index(after: key.firstIndex(of: ".")!)...]) }
        let currentTaskIDs: [String?] = tasks.indices.map { index in taskIDs.flatMap { index < $0.count ? $0[index] : nil } }
        content.taskIDs = StableIDs.assign(current: Array(zip(currentTaskIDs, tasks)),
                                           previous: old.tasks.indices.map { (id(old.taskKey(at: $0)), old.tasks[$0]) },
                                           last: &last["task"])
        let measureIDs = StableIDs.assign(current: measures.map { ($0.id, $0.text) },
                                          previous: old.measures.indices.map { (id(old.measureKey(at: $0)), old.measures[$0].text) },
                                          last: &last["measure"])
        for index in content.measures.indices { content.measures[index].id = measureIDs[index] }
        let indicatorIDs = StableIDs.assign(current: indicators.map { ($0.id, $0.name) },
                                            previous: old.indicators.indices.map {
                                                (id(old.indicatorKey(at: $0)), old.indicators[$0].name)
                                            },
                                            last: &last["indicator"])
        for index in content.indicators.indices { content.indicators[index].id = indicatorIDs[index] }
        content.lastIDs = last
        return content
    }
}

/// Ids of one section's items (numbers written as text).
enum StableIDs {
    static func assign(current: [(id: String?, text: String)], previous: [(id: String, text: String)], last: inout Int?) -> [String] {
        let known = Set(previous.map(\.id))
        var result: [String?] = Array(repeating: nil, count: current.count)
        var used = Set<String>()
        for (index, item) in current.enumerated() {
            if let id = item.id, known.contains(id), !used.contains(id) { result[index] = id; used.insert(id) }
        }
        // A client that sent ids (the edit form) marks every new item by sending none; one that sent none (a file,
        // the tasks' text box) is matched by text, and an item edited in place by its place when nothing was added
        // or removed.
        let sentIDs = !used.isEmpty
        for index in current.indices where result[index] == nil && !sentIDs {
            if let match = previous.first(where: { !used.contains($0.id) && $0.text == current[index].text }) {
                result[index] = match.id
                used.insert(match.id)
            }
        }
        let unmatched = current.indices.filter { result[$0] == nil }
        let free = previous.filter { !used.contains($0.id) }
        if !sentIDs, current.count == previous.count, unmatched.count == free.count {
            for (index, old) in zip(unmatched, free) { result[index] = old.id; used.insert(old.id) }
        }
        var next = ([last ?? 0] + previous.compactMap { Int($0.id) } + result.compactMap { $0.flatMap { Int($0) } }).max() ?? 0
        let ids = result.map { id -> String in
            if let id { return id }
            next += 1
            return String(next)
        }
        last = next
        return ids
    }
}

public struct ProgrammeItem: Sendable, Hashable {
    public enum Section: String, Sendable, CaseIterable {
        case goal, tasks, measures, indicators
        public var russianName: String {
            switch self {
            case .goal: "Цель"
            case .tasks: "Задачи"
            case .measures: "Мероприятия"
            case .indicators: "Показатели"
            }
        }
    }

    public let key: String
    public let section: Section
    public let label: String
    public let text: String
}

/// What changed between two versions, item by item: the longest common run of unchanged items is kept, and a
/// removal next to an addition in the same section is one change.
public struct ProgrammeChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case added, removed, changed }
    public let kind: Kind
    public let section: ProgrammeItem.Section
    public let old: String?
    public let new: String?

    public static func compare(_ old: ProgrammeContent, _ new: ProgrammeContent) -> [ProgrammeChange] {
        ProgrammeItem.Section.allCases.flatMap { section in
            diff(
                old.items.filter { $0.section == section }.map(\.text), new.items.filter { $0.section == section }.map(\.text),
                section: section)
        }
    }

    static func diff(_ a: [String], _ b: [String], section: ProgrammeItem.Section) -> [ProgrammeChange] {
        ListDiff.changes(a, b).map { ProgrammeChange(kind: $0.kind, section: section, old: $0.old, new: $0.new) }
    }
}

/// Item-by-item differences of two lists of texts: the longest common run of unchanged items is kept, and a
/// removal next to an addition is one change.
public enum ListDiff {
    public struct Change: Sendable, Hashable {
        public let kind: ProgrammeChange.Kind
        public let old: String?
        public let new: String?
    }

    public static func changes(_ a: [String], _ b: [String]) -> [Change] {
        // Longest common subsequence table.
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var changes: [Change] = []
        var removed: [String] = [], added: [String] = []
        func flush() {
            let paired = min(removed.count, added.count)
            for index in 0..<paired { changes.append(Change(kind: .changed, old: removed[index], new: added[index])) }
            changes += removed.dropFirst(paired).map { Change(kind: .removed, old: $0, new: nil) }
            changes += added.dropFirst(paired).map { Change(kind: .added, old: nil, new: $0) }
            removed = []; added = []
        }
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { flush(); i += 1; j += 1 }
            else if j < b.count, i == a.count || table[i][j + 1] >= table[i + 1][j] { added.append(b[j]); j += 1 }
            else { removed.append(a[i]); i += 1 }
        }
        flush()
        return changes
    }
}
