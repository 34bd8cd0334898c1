import Foundation

/// The answers to one question counted: per option for a choice, the sum for a scale or a number (the mean is
/// computed from sums, never from means, so tallies add up from school to municipality to region exactly).
public struct QuestionTally: Sendable, Hashable, Codable {
    /// Respondents who answered the question.
    public var answered: Int
    /// For a choice: how many chose each option (a multiple choice counts every ticked option).
    public var optionCounts: [Int]
    /// For a scale: how many gave each mark of `scaleRange` (1 at index 0).
    public var scaleCounts: [Int]
    /// For a scale or a number: how many values and their sum.
    public var values: Int
    public var sum: Double

    public init(answered: Int = 0, optionCounts: [Int] = [], scaleCounts: [Int] = [], values: Int = 0, sum: Double = 0) {
        self.answered = answered
        self.optionCounts = optionCounts
        self.scaleCounts = scaleCounts
        self.values = values
        self.sum = sum
    }

    public static func empty(for question: Question) -> QuestionTally {
        switch question.kind {
        case .singleChoice, .multipleChoice: QuestionTally(optionCounts: Array(repeating: 0, count: question.options.count))
        case .scale: QuestionTally(scaleCounts: Array(repeating: 0, count: QuestionKind.scaleRange.count))
        default: QuestionTally()
        }
    }

    /// The mean of a scale or a number; nil when no one answered.
    public var mean: Double? { values > 0 ? sum / Double(values) : nil }

    /// The share of respondents who chose `option`, in per cent of those who answered.
    public func percent(option: Int) -> Double? {
        guard answered > 0, optionCounts.indices.contains(option) else { return nil }
        return Double(optionCounts[option]) * 100 / Double(answered)
    }

    public mutating func add(_ answer: SurveyAnswer) {
        switch answer {
        case .choice(let index):
            guard optionCounts.indices.contains(index) else { return }
            optionCounts[index] += 1
        case .choices(let indices):
            let valid = Set(indices).filter { optionCounts.indices.contains($0) }
            guard !valid.isEmpty else { return }
            for index in valid { optionCounts[index] += 1 }
        case .scale(let value):
            let index = value - QuestionKind.scaleRange.lowerBound
            guard scaleCounts.indices.contains(index) else { return }
            scaleCounts[index] += 1
            values += 1
            sum += Double(value)
        case .number(let value):
            values += 1
            sum += value
        case .text:
            break
        }
        answered += 1
    }

    /// Two tallies of the same question version added (two schools, or a school's two links).
    public static func + (lhs: QuestionTally, rhs: QuestionTally) -> QuestionTally {
        func added(_ a: [Int], _ b: [Int]) -> [Int] {
            (0..<max(a.count, b.count)).map { (a.indices.contains($0) ? a[$0] : 0) + (b.indices.contains($0) ? b[$0] : 0) }
        }
        return QuestionTally(answered: lhs.answered + rhs.answered, optionCounts: added(lhs.optionCounts, rhs.optionCounts),
                             scaleCounts: added(lhs.scaleCounts, rhs.scaleCounts), values: lhs.values + rhs.values,
                             sum: lhs.sum + rhs.sum)
    }
}

/// The small-N rule: a figure made of fewer than five answers is not shown (a school's few teachers or one class
/// would be recognisable), at every level — school, municipality, region.
public enum SmallSample {
    public static let minimumAnswers = 5
    public static let hiddenMessage = "менее 5 ответов — не показываем"

    public static func isHidden(answered: Int) -> Bool { answered < minimumAnswers }
}

/// A questionnaire version's answers counted per question, for one school × group or any sum of them.
public struct SurveyTally: Sendable, Hashable, Codable {
    /// Forms submitted.
    public var respondents: Int
    public var questions: [String: QuestionTally]

    public init(respondents: Int = 0, questions: [String: QuestionTally] = [:]) {
        self.respondents = respondents
        self.questions = questions
    }

    /// Counts responses (each a question id → answer map) against the version's questions; answers to questions
    /// the version lacks are ignored.
    public static func of(_ questionnaire: Questionnaire, responses: [[String: SurveyAnswer]]) -> SurveyTally {
        var tally = SurveyTally()
        for response in responses { tally.add(response, of: questionnaire) }
        return tally
    }

    public mutating func add(_ response: [String: SurveyAnswer], of questionnaire: Questionnaire) {
        respondents += 1
        for (id, answer) in response {
            guard let question = questionnaire.question(id) else { continue }
            questions[id, default: .empty(for: question)].add(answer)
        }
    }

    public static func + (lhs: SurveyTally, rhs: SurveyTally) -> SurveyTally {
        SurveyTally(respondents: lhs.respondents + rhs.respondents,
                    questions: lhs.questions.merging(rhs.questions, uniquingKeysWith: +))
    }

    /// Tallies summed (a municipality's schools, a region's municipalities).
    public static func sum(_ tallies: some Sequence<SurveyTally>) -> SurveyTally { tallies.reduce(SurveyTally(), +) }

    /// A question's tally as it may be shown: nil when fewer than five answered (`SmallSample`).
    public func shown(_ questionID: String) -> QuestionTally? {
        guard let tally = questions[questionID], !SmallSample.isHidden(answered: tally.answered) else { return nil }
        return tally
    }
}
