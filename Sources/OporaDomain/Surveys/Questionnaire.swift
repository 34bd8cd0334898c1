import Foundation

/// What a questionnaire is for: the risk questionnaires give a school a proposed risk profile, the others only tallies.
public enum QuestionnairePurpose: String, Sendable, Hashable, Codable, CaseIterable {
    case risk, satisfaction, training, other

    public var russianName: String {
        switch self {
        case .risk: "профиль рисков"
        case .satisfaction: "удовлетворённость"
        case .training: "потребность в обучении"
        case .other: "другое"
        }
    }
}

/// Who answers a question. Pupils are asked by grades («ученики 5–9 классов»), so a campaign gives each range its
/// own link. `code` is how files, forms and campaigns name a group: `director`, `teacher`, `parent`, `pupil_5_9`.
public enum RespondentGroup: Sendable, Hashable, Codable, Comparable {
    case director
    case teacher
    case pupil(grades: ClosedRange<Int>)
    case parent

    public static let gradeRange = 1...11

    public var code: String {
        switch self {
        case .director: "director"
        case .teacher: "teacher"
        case .pupil(let grades): "pupil_\(grades.lowerBound)_\(grades.upperBound)"
        case .parent: "parent"
        }
    }

    public init?(code: String) {
        switch code {
        case "director": self = .director
        case "teacher": self = .teacher
        case "parent": self = .parent
        default:
            let parts = code.split(separator: "_")
            guard parts.count == 3, parts[0] == "pupil", let low = Int(parts[1]), let high = Int(parts[2]), low <= high,
                  Self.gradeRange.contains(low), Self.gradeRange.contains(high) else { return nil }
            self = .pupil(grades: low...high)
        }
    }

    /// «Директор», «Учителя», «Ученики 5–9 классов», «Родители».
    public var russianName: String {
        switch self {
        case .director: "Директор"
        case .teacher: "Учителя"
        case .pupil(let grades) where grades.lowerBound == grades.upperBound: "Ученики \(grades.lowerBound) классов"
        case .pupil(let grades): "Ученики \(grades.lowerBound)–\(grades.upperBound) классов"
        case .parent: "Родители"
        }
    }

    /// Director, teachers, pupils (younger grades first), parents: the order of the «500+» questionnaires.
    public static func < (lhs: RespondentGroup, rhs: RespondentGroup) -> Bool {
        func key(_ group: RespondentGroup) -> (Int, Int, Int) {
            switch group {
            case .director: (0, 0, 0)
            case .teacher: (1, 0, 0)
            case .pupil(let grades): (2, grades.lowerBound, grades.upperBound)
            case .parent: (3, 0, 0)
            }
        }
        return key(lhs) < key(rhs)
    }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let group = RespondentGroup(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "группа «\(code)»"))
        }
        self = group
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// How a question is answered. Scales run within 1–5; numbers and texts carry their own limits.
public enum QuestionKind: Sendable, Hashable {
    case singleChoice
    case multipleChoice
    case scale(ClosedRange<Int>)
    case number(min: Double, max: Double)
    case text(maxLength: Int)

    public static let scaleRange = 1...5
    public static let defaultTextLength = 500
    public static let longestText = 2000

    /// The word a definition file uses: `single`, `multiple`, `scale`, `number`, `text`.
    public var code: String {
        switch self {
        case .singleChoice: "single"
        case .multipleChoice: "multiple"
        case .scale: "scale"
        case .number: "number"
        case .text: "text"
        }
    }

    public var russianName: String {
        switch self {
        case .singleChoice: "один вариант"
        case .multipleChoice: "несколько вариантов"
        case .scale(let range): "шкала \(range.lowerBound)–\(range.upperBound)"
        case .number(let min, let max): "число от \(RussianFormat.number(min)) до \(RussianFormat.number(max))"
        case .text(let length): "короткий текст до \(length) символов"
        }
    }

    public var hasOptions: Bool {
        switch self {
        case .singleChoice, .multipleChoice: true
        default: false
        }
    }
}

/// One answer of a choice, with the points it gives to risk factors (factor number → points; none for most surveys).
public struct AnswerOption: Sendable, Hashable {
    public var text: String
    public var risk: [Int: Int]

    public init(text: String, risk: [Int: Int] = [:]) {
        self.text = text
        self.risk = risk
    }
}

public struct Question: Sendable, Hashable {
    /// Unique within the questionnaire, kept across versions so that dynamics compare like with like.
    public var id: String
    public var text: String
    public var kind: QuestionKind
    public var required: Bool
    public var group: RespondentGroup
    public var options: [AnswerOption]

    public init(id: String, text: String, kind: QuestionKind, required: Bool = true, group: RespondentGroup,
                options: [AnswerOption] = []) {
        self.id = id
        self.text = text
        self.kind = kind
        self.required = required
        self.group = group
        self.options = options
    }

    /// The form field that carries the answer (`q_<id>`); a choice sends option numbers counted from 0.
    public var fieldName: String { "q_" + id }

    /// The most points the question can give `factor` for one respondent: the best option of a single choice,
    /// every positive option of a multiple one.
    public func maximumPoints(factor: Int) -> Int {
        let points = options.map { $0.risk[factor] ?? 0 }
        switch kind {
        case .multipleChoice: return points.filter { $0 > 0 }.reduce(0, +)
        default: return points.max() ?? 0
        }
    }

    /// The factors any option of this question gives points to.
    public var factors: Set<Int> { Set(options.flatMap { $0.risk.filter { $0.value > 0 }.keys }) }
}

/// A versioned questionnaire: the definition a file describes (docs/SURVEYS.md). The version is the store's.
public struct Questionnaire: Sendable, Hashable {
    public static let codeLength = 60
    public static let titleLength = 300
    public static let questionTextLength = 1000
    public static let optionTextLength = 300
    public static let maximumQuestions = 200
    public static let maximumOptions = 30

    public var code: String
    public var title: String
    public var purpose: QuestionnairePurpose
    public var description: String
    public var questions: [Question]

    public init(code: String, title: String, purpose: QuestionnairePurpose, description: String = "", questions: [Question]) {
        self.code = code
        self.title = title
        self.purpose = purpose
        self.description = description
        self.questions = questions
    }

    /// The groups asked, in the usual order.
    public var groups: [RespondentGroup] { Array(Set(questions.map(\.group))).sorted() }

    /// The questions one group answers, in the questionnaire's order.
    public func questions(for group: RespondentGroup) -> [Question] { questions.filter { $0.group == group } }

    public func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// Whether any option gives risk points (only such questionnaires propose a profile).
    public var mapsRisks: Bool { questions.contains { !$0.factors.isEmpty } }

    /// The risk mapping as a table: every option that gives points, with its factor and points.
    public var riskMapping: [RiskMappingRow] {
        questions.flatMap { question in
            question.options.enumerated().flatMap { index, option in
                option.risk.keys.sorted().map { factor in
                    RiskMappingRow(questionID: question.id, group: question.group, question: question.text, option: index,
                                   answer: option.text, factor: factor, points: option.risk[factor] ?? 0)
                }
            }
        }
    }
}

public struct RiskMappingRow: Sendable, Hashable {
    public let questionID: String
    public let group: RespondentGroup
    public let question: String
    public let option: Int
    public let answer: String
    public let factor: Int
    public let points: Int
}
