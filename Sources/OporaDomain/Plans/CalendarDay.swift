import Foundation

/// A calendar date without a time or a time zone: what a deadline in a plan means.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// A real date, or nil (31.02, month 13).
    public static func valid(year: Int, month: Int, day: Int) -> CalendarDay? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    public static func lastDay(month: Int, year: Int) -> CalendarDay {
        CalendarDay(year: year, month: month, day: daysIn(month: month, year: year))
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 1 = Monday … 7 = Sunday (Zeller's congruence, Gregorian).
    public var weekday: Int {
        var m = month, y = year
        if m < 3 { m += 12; y -= 1 }
        let h = (day + (13 * (m + 1)) / 5 + y + y / 4 - y / 100 + y / 400) % 7   // 0 = Saturday
        return (h + 5) % 7 + 1
    }

    /// The n-th (1…4, or -1 for the last) given weekday of a month.
    public static func nthWeekday(_ n: Int, weekday: Int, month: Int, year: Int) -> CalendarDay {
        if n < 0 {
            let last = lastDay(month: month, year: year)
            return CalendarDay(year: year, month: month, day: last.day - (last.weekday - weekday + 7) % 7)
        }
        let first = CalendarDay(year: year, month: month, day: 1)
        return CalendarDay(year: year, month: month, day: 1 + (weekday - first.weekday + 7) % 7 + 7 * (n - 1))
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Excel's day number for this date: days since 30.12.1899 (its 1900 leap-year quirk lies before any date we use).
    public var spreadsheetSerial: Int { daysSinceUnixEpoch + 25_569 }

    /// The date of an Excel day number (a date cell of a workbook), or nil outside 1900–9999.
    public init?(spreadsheetSerial serial: Int) {
        guard (61...2_958_465).contains(serial) else { return nil }
        // Civil from days (Howard Hinnant's algorithm).
        let z = serial - 25_569 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// Days from 01.01.1970 (days from civil, Howard Hinnant's algorithm).
    var daysSinceUnixEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// 2024-09-10, as CONTRACT.md prints due dates.
    public var iso: String { "\(year)-\(pad(month))-\(pad(day))" }
    /// 10.09.2024, as users read dates.
    public var russian: String { "\(pad(day)).\(pad(month)).\(year)" }
    public var description: String { russian }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// ДД.ММ.ГГГГ or YYYY-MM-DD (CONTRACT's `done_on`).
    /// A date as a person writes it: 28.02.2023 or 2023-02-28, a real day of a year from 2000 to 2100 (`InputRange.year`)
    /// — the one range every path (file, form, command line, API) keeps; «31.12.99999» or 31.02 is no date.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts: [Int]
        let day: CalendarDay?
        if trimmed.contains("-") {
            parts = trimmed.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) ?? -1 }
            guard parts.count == 3 else { return nil }
            day = CalendarDay.valid(year: parts[0], month: parts[1], day: parts[2])
        } else {
            parts = trimmed.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) ?? -1 }
            guard parts.count == 3 else { return nil }
            day = CalendarDay.valid(year: parts[2], month: parts[1], day: parts[0])
        }
        guard let day, InputRange.year.contains(day.year) else { return nil }
        self = day
    }

    /// What a date must look like, for messages.
    public static let expected =
        "ожидается дата ДД.ММ.ГГГГ или ГГГГ-ММ-ДД с \(InputRange.year.lowerBound) по \(InputRange.year.upperBound) год"
}

extension CalendarDay {
    /// The calendar day of `date` where the user is.
    public static func today(_ date: Date = Date(), timeZone: TimeZone = .current) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)
    }
}

extension CalendarDay {
    /// The day `days` later (or earlier, when negative).
    public func adding(days: Int) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return CalendarDay.today(calendar.date(byAdding: .day, value: days, to: date)!, timeZone: calendar.timeZone)
    }
}

/// A programme's period from its start date to its end date (a plan «на 2023-2024 учебный год» runs from
/// 01.09.2023 to 31.08.2024): deadlines are read within it, not merely within its calendar years.
public typealias DatePeriod = ClosedRange<CalendarDay>

extension ClosedRange where Bound == CalendarDay {
    /// The calendar years the period touches.
    public var years: ClosedRange<Int> { lowerBound.year...upperBound.year }

    /// Whole calendar years, for records that keep only years (a school's own programme, a mentor pair).
    public static func calendarYears(_ years: ClosedRange<Int>) -> ClosedRange<CalendarDay> {
        CalendarDay(year: years.lowerBound, month: 1, day: 1)...CalendarDay(year: years.upperBound, month: 12, day: 31)
    }

    /// From `start` to `end`, or the start alone when the end is before it (a typing slip never empties a period).
    public static func from(_ start: CalendarDay, to end: CalendarDay) -> ClosedRange<CalendarDay> {
        start...Swift.max(start, end)
    }
}
