import Foundation

/// A row of seed 004's Table 13 («Регламент сбора отчётных данных»): what is collected, how often and when, from
/// which source and by whom. Periodicity as written in the programme wins; else it is read from the months.
public struct CollectionTableRow: Sendable, Hashable {
    public let code: String
    public let indicator: String
    public let periodicity: String
    public let period: String
    public let source: String
    public let responsible: String

    public init(code: String, indicator: String, periodicity: String?, months: [Int], source: String?, responsible: String?) {
        self.code = code
        self.indicator = indicator
        let written = periodicity?.trimmingCharacters(in: .whitespaces) ?? ""
        self.periodicity = written.isEmpty ? Self.periodicity(months: months) : written
        self.period = months.isEmpty ? "не указан" : Self.capitalised(CollectionMonths.russian(months))
        self.source = source ?? ""
        self.responsible = responsible ?? ""
    }

    /// «Один раз в год», «Два раза в год» (seed 004's words) from the count of months.
    public static func periodicity(months: [Int]) -> String {
        switch Set(months.filter { (1...12).contains($0) }).count {
        case 0: "не указана"
        case 1: "Один раз в год"
        case 2: "Два раза в год"
        case 3: "Три раза в год"
        case 4: "Четыре раза в год"
        case 12: "Ежемесячно"
        case let count: "\(count) раз в год"
        }
    }

    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
