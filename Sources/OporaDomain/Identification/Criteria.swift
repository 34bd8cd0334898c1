import Foundation

/// A criteria set: data, not code (GUIDE §5). Stored per scope and year; read from YAML or JSON.
public struct CriteriaSet: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var lowResults: LowResultsRule
    public var social: SocialRule?
    public var typology: TypologyRule?

    enum CodingKeys: String, CodingKey { case name, description, lowResults = "low_results", social, typology }

    public init(name: String, description: String? = nil, lowResults: LowResultsRule, social: SocialRule? = nil,
                typology: TypologyRule? = nil) {
        self.name = name
        self.description = description
        self.lowResults = lowResults
        self.social = social
        self.typology = typology
    }

    /// Seed 004 (Pervouralsk): ≥ 30 % below the minimum in Russian and mathematics (ВПР 5–8, ОГЭ, ЕГЭ),
    /// in ≥ 2 procedures in one year or in the same procedure two years running; risk of decline with a
    /// smaller share; unfavourable social conditions for ИСБШ groups 1–4.
    public static let pervouralsk = CriteriaSet(
        name: "Первоуральск (программа 2023–2025): правило 30 %",
        description: "Не менее 30 % не преодолевших минимальный порог по русскому языку и математике (ВПР 5–8, ОГЭ, ЕГЭ) "
            + "минимум в двух процедурах за год или в одной процедуре два года подряд",
        lowResults: LowResultsRule(
            metric: .belowMinRate, threshold: 30, riskLowerBound: 15,
            procedures: [.vpr, .oge, .ege], subjects: ["rus", "math", "math_base", "math_prof"],
            grades: [ProcedureCode.vpr.rawValue: [5, 6, 7, 8]],
            minProceduresInYear: 2, consecutiveYears: 2, jointSubjects: false, pooledGrades: false,
            minimumGroup: 5, requireInterval: false),
        social: SocialRule(isbsGroups: [1, 2, 3, 4]),
        typology: .pervouralsk)

    /// Another reading the seeds support (seed 003's focus on ГИА): ОГЭ and ЕГЭ only, Russian and
    /// mathematics, one procedure in the year is enough, grades pooled, the interval must cross.
    public static let giaOnly = CriteriaSet(
        name: "ГИА: ОГЭ и ЕГЭ, одна процедура, с учётом малых групп",
        description: "Доля не преодолевших порог на ОГЭ или ЕГЭ по русскому языку или математике не ниже 30 %, причём нижняя "
            + "граница 95 % интервала тоже не ниже порога",
        lowResults: LowResultsRule(
            metric: .belowMinRate, threshold: 30, riskLowerBound: 15, procedures: [.oge, .ege],
            subjects: ["rus", "math", "math_base", "math_prof"], grades: [:], minProceduresInYear: 1, consecutiveYears: 0,
            jointSubjects: false, pooledGrades: true, minimumGroup: 1, requireInterval: true),
        social: SocialRule(isbsGroups: [1, 2, 3, 4]),
        typology: .pervouralsk)

    public static let presets: [String: CriteriaSet] = ["pervouralsk": pervouralsk, "gia": giaOnly]

    /// A preset by its key; `seed004` is the earlier name of `pervouralsk`, still accepted.
    public static func preset(_ key: String) -> CriteriaSet? {
        presets[key == "seed004" ? "pervouralsk" : key]
    }

    public func validate() throws {
        let problems = self.problems()
        if !problems.isEmpty { throw CriteriaError.invalid(problems.map { $0.key.isEmpty ? $0.message : "\($0.key): \($0.message)" }) }
    }

    /// Every problem of the set, keyed by the documented key it concerns (`low_results.threshold`; empty for the
    /// set as a whole): the file reader prints «key: message», the form shows the message beside its field.
    public func problems() -> [(key: String, message: String)] {
        var problems: [(key: String, message: String)] = []
        let rule = lowResults
        if !(0...100).contains(rule.threshold) { problems.append(("low_results.threshold", "от 0 до 100")) }
        if rule.riskLowerBound < 0 || rule.riskLowerBound > rule.threshold {
            problems.append(("low_results.risk_lower_bound", "от 0 до порога"))
        }
        if let upper = rule.riskUpperBoundSetting, upper < rule.riskLowerBound || upper > 100 {
            problems.append(("low_results.risk_upper_bound", "от нижней границы риска до 100"))
        }
        if rule.procedures.isEmpty { problems.append(("low_results.procedures", "укажите хотя бы одну процедуру")) }
        if rule.subjects.isEmpty { problems.append(("low_results.subjects", "укажите хотя бы один предмет")) }
        if rule.minProceduresInYear < 1 && rule.consecutiveYears < 1 {
            problems.append(("", "нужна хотя бы одна ветвь: min_procedures_in_year ≥ 1 или consecutive_years ≥ 1"))
        }
        if rule.consecutiveYears > 10 { problems.append(("low_results.consecutive_years", "не больше 10")) }
        if rule.minimumGroup < 1 { problems.append(("low_results.minimum_group", "не меньше 1")) }
        for key in rule.grades.keys.sorted() where ProcedureCode(rawValue: key) == nil {
            problems.append(("low_results.grades", "неизвестная процедура \(key)"))
        }
        if let social = social, social.isbsGroups.contains(where: { !(1...11).contains($0) }) {
            problems.append(("social.isbs_groups", "группы от 1 до 11"))
        }
        return problems
    }
}

public enum CriteriaError: Error, CustomStringConvertible, Sendable {
    case invalid([String])
    case unreadable(String)

    public var description: String {
        switch self {
        case .invalid(let problems): "Набор критериев неверен:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .unreadable(let reason): "Набор критериев не читается: \(reason)"
        }
    }
}

public enum IdentificationMetric: String, Sendable, Codable, Hashable {
    case belowMinRate = "below_min_rate"
    case failureRate = "failure_rate"

    public var russianName: String {
        switch self {
        case .belowMinRate: "не преодолели минимальный порог"
        case .failureRate: "не справились (отметка «2»)"
        }
    }
}

public struct LowResultsRule: Sendable, Hashable, Codable {
    public var metric: IdentificationMetric
    /// Percent: a group at or above it counts (seed 004: 30).
    public var threshold: Double
    /// Percent: groups in [risk_lower_bound, risk_upper_bound) count towards "risk of decline".
    public var riskLowerBound: Double
    /// Percent, as written in the set (nil: the threshold — «менее 30 %», as the programme words it; 100 lets
    /// groups above the threshold count towards the risk pattern too).
    public var riskUpperBoundSetting: Double?
    public var riskUpperBound: Double { riskUpperBoundSetting ?? threshold }
    public var procedures: [ProcedureCode]
    public var subjects: [String]
    /// Grades per procedure code; a procedure not listed takes every grade.
    public var grades: [String: [Int]]
    /// Branch 1: hits in at least this many different procedures in one year (0 switches it off).
    public var minProceduresInYear: Int
    /// Branch 2: hits in the same procedure in each of this many consecutive years up to the year (0 switches it off).
    public var consecutiveYears: Int
    /// Russian and mathematics pooled into one group (true) or judged per subject (false).
    public var jointSubjects: Bool
    /// Grades of a procedure pooled (true) or judged per grade (false).
    public var pooledGrades: Bool
    /// Groups smaller than this are not judged (reported as too small).
    public var minimumGroup: Int
    /// The lower end of the 95 % Wilson interval must cross the threshold too, not only the point.
    public var requireInterval: Bool

    enum CodingKeys: String, CodingKey {
        case metric, threshold, riskLowerBound = "risk_lower_bound", riskUpperBoundSetting = "risk_upper_bound"
        case procedures, subjects, grades
        case minProceduresInYear = "min_procedures_in_year", consecutiveYears = "consecutive_years"
        case jointSubjects = "joint_subjects", pooledGrades = "pooled_grades", minimumGroup = "minimum_group"
        case requireInterval = "require_interval"
    }

    public init(metric: IdentificationMetric, threshold: Double, riskLowerBound: Double, procedures: [ProcedureCode], subjects: [String],
                grades: [String: [Int]], minProceduresInYear: Int, consecutiveYears: Int, jointSubjects: Bool, pooledGrades: Bool,
                minimumGroup: Int, requireInterval: Bool, riskUpperBound: Double? = nil) {
        self.metric = metric
        self.threshold = threshold
        self.riskLowerBound = riskLowerBound
        self.riskUpperBoundSetting = riskUpperBound
        self.procedures = procedures
        self.subjects = subjects
        self.grades = grades
        self.minProceduresInYear = minProceduresInYear
        self.consecutiveYears = consecutiveYears
        self.jointSubjects = jointSubjects
        self.pooledGrades = pooledGrades
        self.minimumGroup = minimumGroup
        self.requireInterval = requireInterval
    }

    /// Missing keys take seed 004's values, so a criteria file may state only what differs.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = CriteriaSet.pervouralsk.lowResults
        metric = try c.decodeIfPresent(IdentificationMetric.self, forKey: .metric) ?? base.metric
        threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) ?? base.threshold
        riskLowerBound = try c.decodeIfPresent(Double.self, forKey: .riskLowerBound) ?? base.riskLowerBound
        riskUpperBoundSetting = try c.decodeIfPresent(Double.self, forKey: .riskUpperBoundSetting)
        procedures = try c.decodeIfPresent([ProcedureCode].self, forKey: .procedures) ?? base.procedures
        subjects = try c.decodeIfPresent([String].self, forKey: .subjects) ?? base.subjects
        grades = try c.decodeIfPresent([String: [Int]].self, forKey: .grades) ?? base.grades
        minProceduresInYear = try c.decodeIfPresent(Int.self, forKey: .minProceduresInYear) ?? base.minProceduresInYear
        consecutiveYears = try c.decodeIfPresent(Int.self, forKey: .consecutiveYears) ?? base.consecutiveYears
        jointSubjects = try c.decodeIfPresent(Bool.self, forKey: .jointSubjects) ?? base.jointSubjects
        pooledGrades = try c.decodeIfPresent(Bool.self, forKey: .pooledGrades) ?? base.pooledGrades
        minimumGroup = try c.decodeIfPresent(Int.self, forKey: .minimumGroup) ?? base.minimumGroup
        requireInterval = try c.decodeIfPresent(Bool.self, forKey: .requireInterval) ?? base.requireInterval
    }
}

public struct SocialRule: Sendable, Hashable, Codable {
    /// ИСБШ groups that mean unfavourable social conditions (seed 004: 1–4, "very low and low").
    public var isbsGroups: [Int]
    enum CodingKeys: String, CodingKey { case isbsGroups = "isbs_groups" }
    public init(isbsGroups: [Int]) { self.isbsGroups = isbsGroups }
}
