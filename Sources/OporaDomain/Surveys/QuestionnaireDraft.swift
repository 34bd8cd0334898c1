import Foundation

/// A questionnaire as its edit form holds it: every field as typed, so that a refused form comes back unchanged.
/// `tree()` gives the definition tree the file rules check (`QuestionnaireDefinition.parse`), with each question's
/// values on «line» = its number on the form (1, 2, …) and the questionnaire's own fields on line 0, so that every
/// problem is shown beside its question.
public struct QuestionnaireDraft: Sendable, Hashable {
    public struct QuestionDraft: Sendable, Hashable {
        public var id: String
        public var group: String
        public var grades: String
        public var kind: String
        public var text: String
        public var required: Bool
        public var minimum: String
        public var maximum: String
        public var maxLength: String
        /// One option a line: «текст» or «текст | 3:2 5:1» (factor: points).
        public var options: String

        public init(id: String = "", group: String = "teacher", grades: String = "", kind: String = "single", text: String = "",
                    required: Bool = true, minimum: String = "", maximum: String = "", maxLength: String = "", options: String = "") {
            self.id = id
            self.group = group
            self.grades = grades
            self.kind = kind
            self.text = text
            self.required = required
            self.minimum = minimum
            self.maximum = maximum
            self.maxLength = maxLength
            self.options = options
        }

        public init(_ question: Question) {
            var grades = ""
            var group = question.group.code
            if case .pupil(let range) = question.group {
                group = "pupil"
                grades = "\(range.lowerBound)-\(range.upperBound)"
            }
            var minimum = "", maximum = "", length = ""
            switch question.kind {
            case .scale(let range): (minimum, maximum) = (String(range.lowerBound), String(range.upperBound))
            case .number(let low, let high): (minimum, maximum) = (QuestionnaireDraft.number(low), QuestionnaireDraft.number(high))
            case .text(let limit): length = String(limit)
            default: break
            }
            self.init(id: question.id, group: group, grades: grades, kind: question.kind.code, text: question.text,
                      required: question.required, minimum: minimum, maximum: maximum, maxLength: length,
                      options: question.options.map(OptionLine.format).joined(separator: "\n"))
        }
    }

    public var code: String
    public var title: String
    public var purpose: String
    public var description: String
    public var questions: [QuestionDraft]

    public init(code: String, title: String, purpose: String, description: String, questions: [QuestionDraft]) {
        self.code = code
        self.title = title
        self.purpose = purpose
        self.description = description
        self.questions = questions
    }

    public init(_ questionnaire: Questionnaire) {
        self.init(code: questionnaire.code, title: questionnaire.title, purpose: questionnaire.purpose.rawValue,
                  description: questionnaire.description, questions: questionnaire.questions.map(QuestionDraft.init))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// What the form's buttons do besides saving: nothing is stored by them.
    public enum Action: Sendable, Hashable {
        case add, remove(Int), up(Int), down(Int)

        /// «add», «remove:3», «up:3», «down:3» (question numbers from 1); nil for «save» or anything else.
        public init?(_ text: String) {
            if text == "add" { self = .add; return }
            let parts = text.split(separator: ":")
            guard parts.count == 2, let number = Int(parts[1]) else { return nil }
            switch parts[0] {
            case "remove": self = .remove(number)
            case "up": self = .up(number)
            case "down": self = .down(number)
            default: return nil
            }
        }
    }

    public mutating func apply(_ action: Action) {
        switch action {
        case .add:
            let group = questions.last?.group ?? "teacher"
            // A free id («q3»), so that a new question needs only its text and kind.
            let taken = Set(questions.map(\.id))
            let id = ((questions.count + 1)...).lazy.map { "q\($0)" }.first { !taken.contains($0) }!
            questions.append(QuestionDraft(id: id, group: group, grades: questions.last?.grades ?? ""))
        case .remove(let number) where questions.indices.contains(number - 1):
            questions.remove(at: number - 1)
        case .up(let number) where number >= 2 && number <= questions.count:
            questions.swapAt(number - 1, number - 2)
        case .down(let number) where number >= 1 && number < questions.count:
            questions.swapAt(number - 1, number)
        default:
            break
        }
    }

    public func tree() -> DefinitionNode {
        func scalar(_ text: String, _ line: Int) -> DefinitionNode { .scalar(text, line: line) }
        func entry(_ key: String, _ value: DefinitionNode) -> DefinitionEntry { DefinitionEntry(key: key, value: value) }
        var top = [entry("code", scalar(code, 0)), entry("title", scalar(title, 0)), entry("purpose", scalar(purpose, 0))]
        if !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            top.append(entry("description", scalar(description, 0)))
        }
        let items = questions.enumerated().map { index, question -> DefinitionNode in
            let line = index + 1
            var fields = [entry("id", scalar(question.id, line)), entry("group", scalar(question.group, line)),
                          entry("kind", scalar(question.kind, line)), entry("text", scalar(question.text, line)),
                          entry("required", scalar(question.required ? "true" : "false", line))]
            let blank = { (text: String) in text.trimmingCharacters(in: .whitespaces).isEmpty }
            if !blank(question.grades) { fields.append(entry("grades", scalar(question.grades, line))) }
            // Limits that do not apply to the chosen kind are left out rather than refused: the form shows every field.
            switch question.kind {
            case "scale", "number":
                if !blank(question.minimum) { fields.append(entry("min", scalar(question.minimum, line))) }
                if !blank(question.maximum) { fields.append(entry("max", scalar(question.maximum, line))) }
            case "text":
                if !blank(question.maxLength) { fields.append(entry("max_length", scalar(question.maxLength, line))) }
            case "single", "multiple":
                let lines = question.options.split(whereSeparator: \.isNewline).map(String.init).filter { !blank($0) }
                fields.append(entry("options", .list(lines.map { OptionLine.node($0, line: line) }, line: line)))
            default: break
            }
            return .map(fields, line: line)
        }
        top.append(entry("questions", .list(items, line: 0)))
        return .map(top, line: 0)
    }
}

/// An option as one line of the edit form: «часто | 3:2 5:1» — the text, then the points per factor.
public enum OptionLine {
    public static func format(_ option: AnswerOption) -> String {
        guard !option.risk.isEmpty else { return option.text }
        return option.text + " | " + option.risk.keys.sorted().map { "\($0):\(option.risk[$0]!)" }.joined(separator: " ")
    }

    static func node(_ text: String, line: Int) -> DefinitionNode {
        guard let bar = text.lastIndex(of: "|") else {
            return .map([DefinitionEntry(key: "text", value: .scalar(text, line: line))], line: line)
        }
        let label = String(text[..<bar])
        let pairs = text[text.index(after: bar)...].split(whereSeparator: { " ,;\t".contains($0) }).map { token -> DefinitionEntry in
            let parts = token.split(separator: ":", maxSplits: 1).map(String.init)
            return DefinitionEntry(key: parts[0], value: .scalar(parts.count > 1 ? parts[1] : "", line: line))
        }
        var entries = [DefinitionEntry(key: "text", value: .scalar(label, line: line))]
        if !pairs.isEmpty { entries.append(DefinitionEntry(key: "risk", value: .map(pairs, line: line))) }
        return .map(entries, line: line)
    }
}

/// Who may change questionnaires: the region's analysts and the municipalities' coordinators; everyone else reads.
public enum QuestionnaireAccess {
    public static func mayEdit(_ role: Role) -> Bool { role == .regionalAnalyst || role == .municipalCoordinator }
}
