import Foundation

/// A date as typed into a form, read the way the form must answer it: nothing, a day, or what is wrong in the
/// user's words. «31.02.2024» is named as a day that does not exist, not as a wrong format.
public enum DateInput: Equatable, Sendable {
    case empty
    case day(CalendarDay)
    case problem(String)

    public init(_ typed: String?) {
        let text = (typed ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { self = .empty; return }
        if let day = CalendarDay(parsing: text) { self = .day(day); return }
        self = .problem(Self.explain(text))
    }

    /// Why a text that is not a date is not one.
    static func explain(_ text: String) -> String {
        let iso = text.contains("-")
        let parts = text.split(separator: iso ? "-" : ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let first = parts[0], let month = parts[1], let last = parts[2] else {
            return "«\(text)» — не дата: введите ДД.ММ.ГГГГ, например 28.02.2025"
        }
        let (year, day) = iso ? (first, last) : (last, first)
        guard InputRange.year.contains(year) else {
            return "год \(year) вне допустимого: с \(InputRange.year.lowerBound) по \(InputRange.year.upperBound)"
        }
        guard (1...12).contains(month) else { return "«\(text)» — такой даты нет: месяц \(month), а месяцев 12" }
        let days = CalendarDay.daysIn(month: month, year: year)
        let count = RussianFormat.plural(days, "день", "дня", "дней")
        return "«\(text)» — такой даты нет: в \(Self.monthsPrepositional[month - 1]) \(year) года \(days) \(count)"
    }

    static let monthsPrepositional = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                                      "сентябре", "октябре", "ноябре", "декабре"]
}

/// What a date field holds, which decides which dates look like a slip of the keyboard.
public enum DateExpectation: Sendable {
    /// Something that has happened (a visit held, a measure done): a future day is refused.
    case happened
    /// A deadline or a planned day: a day already past, or years ahead, is asked about.
    case due
    /// An order's or a document's date: asked about when years from today.
    case any

    /// A day that cannot be meant, with the reason; nil when the day may stand.
    public func problem(_ day: CalendarDay, today: CalendarDay) -> String? {
        guard self == .happened, day > today else { return nil }
        return "\(day.russian) ещё не наступило (сегодня \(today.russian))"
    }

    /// A day that may be meant but probably is not: the form asks the user to confirm it.
    public func warning(_ day: CalendarDay, today: CalendarDay) -> String? {
        let years = DateExpectation.yearsBetween(today, day)
        switch self {
        case .happened where years <= -2:
            return "\(day.russian) — больше двух лет назад; проверьте год"
        case .due where day < today:
            return "срок \(day.russian) уже прошёл (сегодня \(today.russian))"
        case .due where years >= 3, .any where abs(years) >= 3:
            return "\(day.russian) — далеко от сегодняшнего дня (\(today.russian)); проверьте год"
        default:
            return nil
        }
    }

    /// Whole years from `from` to `to`, negative when `to` is earlier.
    static func yearsBetween(_ from: CalendarDay, _ to: CalendarDay) -> Int {
        let (early, late, sign) = from <= to ? (from, to, 1) : (to, from, -1)
        var years = late.year - early.year
        if (late.month, late.day) < (early.month, early.day) { years -= 1 }
        return sign * years
    }
}
