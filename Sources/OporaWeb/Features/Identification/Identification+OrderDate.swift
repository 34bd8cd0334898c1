import Foundation
import OporaDomain

/// The order date typed on the approval form: a real calendar day in 2000–2100; a date more than a year from today
/// is asked about once («дата верна») rather than taken silently.
enum OrderDateField {
    enum Reading: Equatable {
        case accepted(Date)
        case refused(String)
    }

    static let farFromTodayDays = 366

    static func read(_ text: String?, confirmed: Bool, today: CalendarDay = .today()) -> Reading {
        guard let typed = text?.trimmingCharacters(in: .whitespaces), !typed.isEmpty else { return .refused("укажите дату приказа") }
        let parts = typed.contains("-")
            ? typed.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            : typed.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }.reversed()
        let numbers = parts.compactMap { $0 }
        guard parts.count == 3, numbers.count == 3 else { return .refused("«\(typed)» — не дата; пишите ДД.ММ.ГГГГ, например 15.03.2024") }
        let (year, month, day) = (numbers[0], numbers[1], numbers[2])
        guard InputRange.year.contains(year) else {
            return .refused("\(year) год — вне пределов: от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        guard let calendarDay = CalendarDay.valid(year: year, month: month, day: day), let date = RussianFormat.parseDate(calendarDay.iso) else {
            return .refused("«\(typed)» — такой даты нет в календаре")
        }
        let distance = abs(calendarDay.spreadsheetSerial - today.spreadsheetSerial)
        if distance > farFromTodayDays && !confirmed {
            return .refused("\(typed) — больше года от сегодняшнего дня; проверьте год. Если дата верна, отметьте «дата верна»")
        }
        return .accepted(date)
    }
}
