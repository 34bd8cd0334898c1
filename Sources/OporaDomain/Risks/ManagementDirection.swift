import Foundation

/// A management direction groups risk factors the authority acts on together (seed 004: «Факторы риска с
/// высокой значимостью … можно объединить для принятия управленческих решений»). Its schools are derived
/// from the profiles, never typed: a school belongs when it rates any of the direction's factors `high`.
public struct ManagementDirection: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var factors: [Int]

    public init(code: String, name: String, factors: [Int]) {
        self.code = code
        self.name = name
        self.factors = factors
    }

    /// The directions of the Pervouralsk programme 2023–2025 with the codes of CONTRACT.md; its «низкий
    /// кадровый потенциал» is split into its three factors so each list can be checked against the text.
    public static let pervouralsk: [ManagementDirection] = [
        .init(code: "staff_shortage", name: "Дефицит педагогических кадров", factors: [2]),
        .init(code: "competence", name: "Недостаточная предметная и методическая компетентность педагогов", factors: [3]),
        .init(code: "pd_system", name: "Несформированность внутришкольной системы повышения квалификации", factors: [5]),
        .init(code: "equipment", name: "Низкий уровень оснащения школы", factors: [1]),
        .init(code: "atmosphere", name: "Неблагоприятная учебная атмосфера (мотивация, благополучие, дисциплина)", factors: [9, 11, 12]),
        .init(code: "failure_risk", name: "Высокая доля обучающихся с рисками учебной неуспешности", factors: [6]),
        .init(code: "ovz", name: "Высокая доля обучающихся с ОВЗ", factors: [7]),
        .init(code: "parents", name: "Низкий уровень партнёрства с родителями", factors: [10]),
    ]

    /// Problems of a set of directions, in Russian; empty when the set is usable.
    public static func problems(_ directions: [ManagementDirection]) -> [String] {
        var problems: [String] = []
        if directions.isEmpty { problems.append("нет ни одного направления") }
        var codes: Set<String> = []
        for direction in directions {
            let label = direction.code.isEmpty ? "направление без кода" : "направление «\(direction.code)»"
            if direction.code.range(of: "^[a-z][a-z0-9_]{0,63}$", options: .regularExpression) == nil {
                problems.append("\(label): код — латинские строчные буквы, цифры и _")
            }
            if !codes.insert(direction.code).inserted { problems.append("\(label) встречается дважды") }
            if direction.name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(label): нет названия") }
            if direction.factors.isEmpty { problems.append("\(label): нет ни одного фактора риска") }
            for factor in direction.factors where !RiskFactor.numbers.contains(factor) {
                problems.append("\(label): фактора риска № \(factor) нет (номера от 1 до 12)")
            }
        }
        return problems
    }
}

/// A direction with its schools for one year, each with the factors that put it there.
public struct DirectionList: Sendable, Hashable, Codable {
    public var direction: ManagementDirection
    public var schools: [String]
    /// For each school, the direction's factors it rates high.
    public var reasons: [String: [Int]]

    /// Derives every direction's list from the ratings of one year; schools in natural order («2» before «10»).
    public static func derive(_ directions: [ManagementDirection], from ratings: [RiskRating], year: Int) -> [DirectionList] {
        var high: [String: Set<Int>] = [:]
        for rating in ratings where rating.year == year && rating.level == .high {
            high[rating.school, default: []].insert(rating.factor)
        }
        return directions.map { direction in
            var reasons: [String: [Int]] = [:]
            for (school, factors) in high {
                let hits = direction.factors.filter(factors.contains)
                if !hits.isEmpty { reasons[school] = hits }
            }
            return DirectionList(direction: direction, schools: reasons.keys.sorted(by: naturalOrder), reasons: reasons)
        }
    }

    public static func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.compare(rhs, options: [.numeric, .caseInsensitive]) == .orderedAscending
    }
}

/// Where a list printed in a document differs from the list its own ratings give.
public struct DirectionDisagreement: Sendable, Hashable {
    public var direction: String
    /// In the ratings' list, missing from the printed one.
    public var missing: [String]
    /// In the printed list, not supported by the ratings.
    public var extra: [String]

    public init(direction: String, missing: [String], extra: [String]) {
        self.direction = direction
        self.missing = missing
        self.extra = extra
    }

    public static func compare(derived: [DirectionList], printed: [String: [String]]) -> [DirectionDisagreement] {
        derived.compactMap { list in
            guard let typed = printed[list.direction.code] else { return nil }
            let missing = list.schools.filter { !typed.contains($0) }
            let extra = typed.filter { !list.schools.contains($0) }.sorted(by: DirectionList.naturalOrder)
            return missing.isEmpty && extra.isEmpty
                ? nil : DirectionDisagreement(direction: list.direction.code, missing: missing, extra: extra)
        }
    }
}
