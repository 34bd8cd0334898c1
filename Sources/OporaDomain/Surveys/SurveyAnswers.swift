import Foundation

/// One typed answer of a submitted form. Choices are option numbers counted from 0 (the order of the version).
public enum SurveyAnswer: Sendable, Hashable, Codable {
    case choice(Int)
    case choices([Int])
    case scale(Int)
    case number(Double)
    case text(String)
}

/// A form's answers checked against one group's questions of a version: typed answers, or a Russian message per
/// question (keyed by the question's id). Pure, so the public form, the tests and the load benchmark share it.
public enum SurveyAnswerValidation {
    /// The most a field may hold before it is even looked at (a hostile client sends megabytes).
    public static let longestField = 10_000

    public struct Outcome: Sendable, Hashable {
        public var answers: [String: SurveyAnswer]
        public var errors: [String: String]
        public var isValid: Bool { errors.isEmpty }
    }

    /// `fields` maps a form field (`Question.fieldName`) to its values (several for a multiple choice); fields that
    /// are no question of the group are ignored, an unanswered optional question gives no answer.
    public static func validate(_ questionnaire: Questionnaire, group: RespondentGroup, fields: [String: [String]]) -> Outcome {
        var outcome = Outcome(answers: [:], errors: [:])
        for question in questionnaire.questions(for: group) {
            let values = (fields[question.fieldName] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
            if values.isEmpty {
                if question.required { outcome.errors[question.id] = "Ответьте на этот вопрос" }
                continue
            }
            switch answer(question, values) {
            case .success(let answer): outcome.answers[question.id] = answer
            case .failure(let problem): outcome.errors[question.id] = problem.message
            }
        }
        return outcome
    }

    public struct Problem: Error, Sendable, Hashable {
        public let message: String
    }

    static func answer(_ question: Question, _ values: [String]) -> Result<SurveyAnswer, Problem> {
        if values.contains(where: { $0.utf8.count > longestField }) { return .failure(Problem(message: "Слишком длинный ответ")) }
        func option(_ value: String) -> Int? {
            guard let index = Int(value), question.options.indices.contains(index) else { return nil }
            return index
        }
        switch question.kind {
        case .singleChoice:
            guard values.count == 1, let index = option(values[0]) else { return .failure(Problem(message: "Выберите один из вариантов")) }
            return .success(.choice(index))
        case .multipleChoice:
            let indices = values.compactMap(option)
            guard indices.count == values.count, Set(indices).count == indices.count else {
                return .failure(Problem(message: "Выберите варианты из списка"))
            }
            return .success(.choices(indices.sorted()))
        case .scale(let range):
            guard values.count == 1, let value = Int(values[0]), range.contains(value) else {
                return .failure(Problem(message: "Выберите оценку от \(range.lowerBound) до \(range.upperBound)"))
            }
            return .success(.scale(value))
        case .number(let minimum, let maximum):
            let text = values.count == 1 ? values[0].replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "") : ""
            guard let value = Double(text), value.isFinite, text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
                return .failure(Problem(message: "Введите число"))
            }
            guard value >= minimum, value <= maximum else {
                return .failure(Problem(message: "Введите число от \(RussianFormat.number(minimum, digits: 2)) до \(RussianFormat.number(maximum, digits: 2))"))
            }
            return .success(.number(value))
        case .text(let limit):
            guard values.count == 1 else { return .failure(Problem(message: "Ожидается один ответ")) }
            if let problem = TextInput.problem(in: values[0], limit: limit, multiline: true) {
                return .failure(Problem(message: "Ответ " + problem))
            }
            return .success(.text(values[0]))
        }
    }
}
