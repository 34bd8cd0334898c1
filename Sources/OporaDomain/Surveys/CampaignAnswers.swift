import Foundation

/// How a campaign keeps a typed answer (`SurveyAnswer`): one text per question, read back against the question of the
/// same version. Choices are option numbers (several joined by commas), a scale its mark, a number with a dot.
public enum StoredAnswer {
    public static func encode(_ answer: SurveyAnswer) -> String {
        switch answer {
        case .choice(let index): String(index)
        case .choices(let indices): indices.sorted().map(String.init).joined(separator: ",")
        case .scale(let value): String(value)
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .text(let text): text
        }
    }

    /// Whether the answer is a free text (kept for a person's review before it is shown beyond the school).
    public static func isText(_ answer: SurveyAnswer) -> Bool {
        if case .text = answer { return true }
        return false
    }

    /// The typed answer back; nil when the text cannot be this question's answer (the question changed kind).
    public static func decode(_ text: String, for question: Question) -> SurveyAnswer? {
        switch question.kind {
        case .singleChoice: return Int(text).map(SurveyAnswer.choice)
        case .multipleChoice:
            let parts = text.split(separator: ",").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            return .choices(parts.compactMap { $0 })
        case .scale: return Int(text).map(SurveyAnswer.scale)
        case .number: return Double(text).map(SurveyAnswer.number)
        case .text: return .text(text)
        }
    }

    /// A tally from counted stored values (question id, stored value, how many answered so): what the database gives
    /// back from a GROUP BY. `respondents` is the number of forms behind them.
    public static func tally(_ counts: [(questionID: String, value: String, count: Int)], respondents: Int,
                             of questionnaire: Questionnaire) -> SurveyTally {
        var tally = SurveyTally(respondents: respondents)
        for item in counts {
            guard let question = questionnaire.question(item.questionID),
                  let answer = decode(item.value, for: question) else { continue }
            var counted = tally.questions[item.questionID] ?? .empty(for: question)
            for _ in 0..<item.count { counted.add(answer) }
            tally.questions[item.questionID] = counted
        }
        return tally
    }
}
