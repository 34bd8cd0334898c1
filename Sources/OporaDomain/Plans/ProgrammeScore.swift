/// The effectiveness score of a programme (seed 004's rubric): each indicator gets points for presence
/// (0–2), dynamics (0–3) and documentation (0–2); the programme's total falls in a band. The maximum is
/// computed from the number of indicators, never typed.
public struct IndicatorPoints: Sendable, Hashable, Codable {
    public let presence: Int
    public let dynamics: Int
    public let documentation: Int

    public static let presenceRange = 0...2
    public static let dynamicsRange = 0...3
    public static let documentationRange = 0...2
    public static let maximum = presenceRange.upperBound + dynamicsRange.upperBound + documentationRange.upperBound

    /// Points within the rubric, or the Russian reason they are not.
    public static func checked(presence: Int, dynamics: Int, documentation: Int) -> Result<IndicatorPoints, RubricError> {
        var problems: [String] = []
        if !presenceRange.contains(presence) { problems.append("presence: \(presence) вне шкалы 0–2") }
        if !dynamicsRange.contains(dynamics) { problems.append("dynamics: \(dynamics) вне шкалы 0–3") }
        if !documentationRange.contains(documentation) { problems.append("documentation: \(documentation) вне шкалы 0–2") }
        guard problems.isEmpty else { return .failure(RubricError(problems: problems)) }
        return .success(IndicatorPoints(presence: presence, dynamics: dynamics, documentation: documentation))
    }

    init(presence: Int, dynamics: Int, documentation: Int) {
        self.presence = presence
        self.dynamics = dynamics
        self.documentation = documentation
    }

    public var total: Int { presence + dynamics + documentation }
}

public struct RubricError: Error, Sendable, Hashable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}

public enum EffectivenessLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case high, medium, satisfactory, critical

    public var russianName: String {
        switch self {
        case .high: "высокий"
        case .medium: "средний"
        case .satisfactory: "удовлетворительный"
        case .critical: "критический"
        }
    }
}

/// The lower bound of each level; a total below every bound is critical.
public struct ScoreBands: Sendable, Hashable, Codable {
    public var high: Int
    public var medium: Int
    public var satisfactory: Int

    public init(high: Int, medium: Int, satisfactory: Int) {
        self.high = high
        self.medium = medium
        self.satisfactory = satisfactory
    }

    /// Seed 004: 95–135 high, 53–94 medium, 12–52 satisfactory, 0–11 critical.
    public static let pervouralsk = ScoreBands(high: 95, medium: 53, satisfactory: 12)

    public func level(_ total: Int) -> EffectivenessLevel {
        if total >= high { return .high }
        if total >= medium { return .medium }
        if total >= satisfactory { return .satisfactory }
        return .critical
    }

    /// Levels no total can reach with this many indicators, in the user's words.
    public func unreachable(maximum: Int) -> [String] {
        [(EffectivenessLevel.high, high), (.medium, medium), (.satisfactory, satisfactory)].compactMap { level, bound in
            bound > maximum
                ? "уровень «\(level.russianName)» начинается с \(bound) баллов, а максимум при этих показателях — \(maximum)" : nil
        }
    }
}

public struct ProgrammeScore: Sendable, Hashable {
    public let total: Int
    public let maximum: Int
    public let level: EffectivenessLevel
    public let unreachable: [String]

    /// `points` are the indicators' totals of one year; `indicators` how many the programme scores.
    public static func compute(points: [Int], indicators: Int, bands: ScoreBands = .pervouralsk) -> ProgrammeScore {
        let total = points.reduce(0, +)
        let maximum = indicators * IndicatorPoints.maximum
        return ProgrammeScore(total: total, maximum: maximum, level: bands.level(total), unreachable: bands.unreachable(maximum: maximum))
    }
}
