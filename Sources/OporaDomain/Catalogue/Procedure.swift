/// Assessment procedures named in CONTRACT.md. Codes are stable interchange values.
public enum ProcedureCode: String, CaseIterable, Sendable, Codable, Hashable {
    case vpr = "VPR", oge = "OGE", ege = "EGE", gve = "GVE", diag = "DIAG", pisa = "PISA", term = "TERM"

    public var russianShortName: String {
        switch self {
        case .vpr: "ВПР"
        case .oge: "ОГЭ"
        case .ege: "ЕГЭ"
        case .gve: "ГВЭ"
        case .diag: "Региональная диагностика"
        case .pisa: "Оценка по модели PISA"
        case .term: "Промежуточная аттестация"
        }
    }

    public var russianFullName: String {
        switch self {
        case .vpr: "Всероссийские проверочные работы"
        case .oge: "Основной государственный экзамен"
        case .ege: "Единый государственный экзамен"
        case .gve: "Государственный выпускной экзамен"
        case .diag: "Региональная диагностическая работа"
        case .pisa: "Региональная оценка по модели PISA"
        case .term: "Четвертные и годовые отметки, промежуточная аттестация"
        }
    }

    /// Whether a student below the minimum is recognised by the mark 2 (otherwise by the score threshold).
    /// ЕГЭ базовая математика has no test score, only marks 2–5: its «2» is below the minimum too.
    public func judgesMinimumByMark(subject: String) -> Bool {
        switch self {
        case .vpr, .oge, .gve, .term, .diag: true
        case .ege: subject == "math_base"
        case .pisa: false
        }
    }

    /// Parses the code or its Russian abbreviation, case-insensitively.
    public init?(parsing text: String) {
        if let exact = ProcedureCode(rawValue: text) { self = exact; return }
        let key = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let direct = ProcedureCode(rawValue: key) { self = direct; return }
        switch key {
        case "ВПР": self = .vpr
        case "ОГЭ": self = .oge
        case "ЕГЭ": self = .ege
        case "ГВЭ": self = .gve
        case "ДКР", "РДР", "ДИАГНОСТИКА": self = .diag
        case "PISA-МОДЕЛЬ", "ПИЗА": self = .pisa
        case "ПА", "ПРОМЕЖУТОЧНАЯ АТТЕСТАЦИЯ", "ОТМЕТКИ": self = .term
        default: return nil
        }
    }
}

import Foundation
