import Foundation

/// One of the twelve risk factors of the federal «500+» project (GUIDE §6). The numbers are fixed: files,
/// directions and profiles refer to a factor by its number; the names may be edited per installation.
public struct RiskFactor: Sendable, Hashable, Codable {
    public let number: Int
    public var name: String

    public init(number: Int, name: String) {
        self.number = number
        self.name = name
    }

    public static let numbers = 1...12

    /// The catalogue as the federal project names it; seed programmes use numbers 1–10 in this order.
    public static let catalogue: [RiskFactor] = [
        .init(number: 1, name: "Низкий уровень оснащения школы"),
        .init(number: 2, name: "Дефицит педагогических кадров"),
        .init(number: 3, name: "Недостаточная предметная и методическая компетентность педагогических работников"),
        .init(number: 4, name: "Риски низкой адаптивности учебного процесса"),
        .init(number: 5, name: "Несформированность внутришкольной системы повышения квалификации"),
        .init(number: 6, name: "Высокая доля обучающихся с рисками учебной неуспешности"),
        .init(number: 7, name: "Высокая доля обучающихся с ОВЗ"),
        .init(number: 8, name: "Низкое качество преодоления языковых и культурных барьеров"),
        .init(number: 9, name: "Пониженный уровень качества школьной образовательной и воспитательной среды"),
        .init(number: 10, name: "Низкий уровень вовлечённости родителей"),
        .init(number: 11, name: "Низкая учебная мотивация обучающихся"),
        .init(number: 12, name: "Низкий уровень дисциплины в классе"),
    ]

    /// The factor a cell names: «3», «3.», «фактор 3», the name, or «3. Name» as the seed tables write it.
    /// Names compare without case, ё, quotes and spacing, against `catalogue` (the installation's names).
    public static func number(parsing text: String, catalogue: [RiskFactor] = catalogue) -> Int? {
        let key = comparable(text)
        var digits = Substring(key)
        if digits.hasPrefix("фактор") { digits = digits.dropFirst("фактор".count).drop(while: { $0 == " " }) }
        let leading = digits.prefix(while: \.isNumber)
        if let number = Int(leading), numbers.contains(number) {
            let rest = digits.dropFirst(leading.count).drop(while: { $0 == "." || $0 == ")" || $0 == " " })
            // «3. Name» must name factor 3: a number with another factor's name is a mistake, not a choice.
            if rest.isEmpty { return number }
            return catalogue.first(where: { $0.number == number }).flatMap { comparable($0.name) == rest ? number : nil }
        }
        return catalogue.first(where: { comparable($0.name) == key })?.number
    }

    public static func comparable(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "ё", with: "е")
        let kept = lowered.unicodeScalars.filter { !"«»\"'".unicodeScalars.contains($0) }
        return String(String.UnicodeScalarView(kept)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// How strongly a factor weighs on a school (the seed tables' «значимость»).
public enum RiskLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case high, medium, low
    case notRelevant = "none"

    public var russianName: String {
        switch self {
        case .high: "высокая"
        case .medium: "средняя"
        case .low: "низкая"
        case .notRelevant: "не актуален"
        }
    }

    public init?(parsing text: String) {
        switch RiskFactor.comparable(text) {
        case "high", "высокая", "высокий", "высокое": self = .high
        case "medium", "средняя", "средний", "среднее": self = .medium
        case "low", "низкая", "низкий", "низкое": self = .low
        case "none", "не актуален", "не актуально", "неактуален", "неактуально", "не актуальна", "нет": self = .notRelevant
        default: return nil
        }
    }

    /// High first: the order of the matrix's colours and of a profile's summary.
    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool {
        let order: [RiskLevel] = [.high, .medium, .low, .notRelevant]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// One rating of a school's risk profile: a factor's level in a year, with where it came from.
public struct RiskRating: Sendable, Hashable, Codable {
    public var line: Int
    public var year: Int
    public var school: String
    public var factor: Int
    public var level: RiskLevel
    public var source: String?
    public var comment: String?

    public init(line: Int = 0, year: Int, school: String, factor: Int, level: RiskLevel, source: String? = nil, comment: String? = nil) {
        self.line = line
        self.year = year
        self.school = school
        self.factor = factor
        self.level = level
        self.source = source
        self.comment = comment
    }
}
