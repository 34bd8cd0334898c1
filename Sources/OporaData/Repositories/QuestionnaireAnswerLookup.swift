import FluentKit

/// Which questionnaire versions have answers: an answered version never changes, so an edit adds a new one.
/// The answers live in the campaigns' tables; this file is where the campaigns replace `standard` with theirs.
public protocol QuestionnaireAnswerLookup: Sendable {
    /// The ids among `versionIDs` that at least one response answered.
    func answeredVersions(among versionIDs: [Int], on db: any Database) async throws -> Set<Int>
}

/// Before campaigns exist no version is answered.
public struct NoQuestionnaireAnswers: QuestionnaireAnswerLookup {
    public init() {}
    public func answeredVersions(among versionIDs: [Int], on db: any Database) async throws -> Set<Int> { [] }
}

public enum QuestionnaireAnswerLookups {
    /// What every `QuestionnaireRepository` asks unless given another lookup.
    public static let standard: any QuestionnaireAnswerLookup = SurveyCampaignAnswers()
}
