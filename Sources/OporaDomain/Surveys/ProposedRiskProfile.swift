import Foundation

/// A school's risk profile as its answers propose it (issue 22): per factor the points the chosen options give,
/// against the most they could give, read into a level by `RiskQuestionnaire.level` (from 60 % high, from 30 %
/// medium, above 0 low, 0 «не актуален»). A curator accepts or changes it; it is never recorded by itself.
public struct ProposedRiskProfile: Sendable, Hashable {
    /// One option chosen `count` times that gave the factor `points` each time.
    public struct Evidence: Sendable, Hashable {
        public let questionID: String
        public let group: RespondentGroup
        public let question: String
        public let answer: String
        public let count: Int
        public let points: Int
        public var total: Int { count * points }
    }

    public struct FactorProposal: Sendable, Hashable {
        public let factor: Int
        public let level: RiskLevel
        public let points: Int
        public let maximum: Int
        /// Respondents whose answers count toward the factor (the most any of its questions had).
        public let answered: Int
        /// The options behind the points, most points first.
        public let evidence: [Evidence]
        public var percent: Double { maximum > 0 ? Double(points) * 100 / Double(maximum) : 0 }
    }

    public let factors: [Int: FactorProposal]

    /// The source recorded with an accepted rating.
    public static let source = "анкетирование"

    /// The proposal from a school's tallies (all its groups' links added). A factor none of whose questions was
    /// answered gets no proposal rather than a guess.
    public static func propose(_ questionnaire: Questionnaire, tally: SurveyTally) -> ProposedRiskProfile {
        var factors: [Int: FactorProposal] = [:]
        for factor in RiskFactor.numbers {
            var points = 0, maximum = 0, answered = 0
            var evidence: [Evidence] = []
            for question in questionnaire.questions where question.factors.contains(factor) {
                guard let counted = tally.questions[question.id], counted.answered > 0 else { continue }
                answered = max(answered, counted.answered)
                maximum += counted.answered * question.maximumPoints(factor: factor)
                for (index, option) in question.options.enumerated() {
                    let count = counted.optionCounts.indices.contains(index) ? counted.optionCounts[index] : 0
                    let value = option.risk[factor] ?? 0
                    guard count > 0 else { continue }
                    points += count * value
                    if value > 0 {
                        evidence.append(Evidence(questionID: question.id, group: question.group, question: question.text,
                                                 answer: option.text, count: count, points: value))
                    }
                }
            }
            guard answered > 0 else { continue }
            factors[factor] = FactorProposal(factor: factor, level: RiskQuestionnaire.level(points: points, maximum: maximum),
                                             points: points, maximum: maximum, answered: answered,
                                             evidence: evidence.sorted { ($0.total, $1.questionID) > ($1.total, $0.questionID) })
        }
        return ProposedRiskProfile(factors: factors)
    }

    /// The proposal straight from responses (question id → answer each), for tests and small schools.
    public static func propose(_ questionnaire: Questionnaire, responses: [[String: SurveyAnswer]]) -> ProposedRiskProfile {
        propose(questionnaire, tally: .of(questionnaire, responses: responses))
    }
}
