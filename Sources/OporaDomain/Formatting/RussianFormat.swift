import Foundation

/// The one rounding of a figure, done where it is printed (a page, a report, `opora stats` table and CSV): rates
/// are computed from counts and kept whole until then, so a 64,2857… is 64,3 everywhere, never 64,29 → 64,3 in one
/// place and 64,2857… → 64,3 in another (rounding twice turns x,x49… into x,x5 and then up).
public enum DisplayRounding {
    public static func rounded(_ value: Double, digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

/// Russian number and date formats for the UI and documents: 94,5; 1 500; 28.02.2023.
public enum RussianFormat {
    /// A number with a decimal comma, at most `digits` fraction digits, trailing zeros dropped.
    public static func number(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite else { return "—" }
        let rounded = DisplayRounding.rounded(value, digits: digits)
        var text = String(format: "%.\(digits)f", rounded)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", maxSplits: 1)
        let grouped = groupThousands(String(parts[0]))
        let body = parts.count > 1 ? grouped + "," + parts[1] : grouped
        return negative ? "−" + body : body
    }

    /// A number for a CSV that a spreadsheet opens: decimal comma, no thousands separator and an ASCII minus, since
    /// Excel and LibreOffice read «−1,5» (a typographic minus) as text.
    public static func spreadsheetNumber(_ value: Double, digits: Int = 2) -> String {
        number(value, digits: digits).replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: "\u{2009}", with: "")
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "−", with: "-")
    }

    public static func optionalNumber(_ value: Double?, digits: Int = 1) -> String {
        value.map { number($0, digits: digits) } ?? "—"
    }

    /// An integer with a thin-space thousands separator: 1 500.
    public static func integer(_ value: Int) -> String {
        let text = groupThousands(String(value.magnitude))
        return value < 0 ? "−" + text : text
    }

    /// A signed difference in percentage points: +3,2 / −1,5 / 0.
    public static func signedDifference(_ value: Double, digits: Int = 1) -> String {
        let text = number(abs(value), digits: digits)
        if text == "0" { return "0" }
        return (value > 0 ? "+" : "−") + text
    }

    private static func groupThousands(_ digits: String) -> String {
        guard digits.count > 4 else { return digits }
        var result: [Character] = []
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0 { result.append("\u{00A0}") }
            result.append(character)
        }
        return String(result.reversed())
    }

    /// 28.02.2023 (UTC calendar date).
    public static func date(_ date: Date) -> String {
        let parts = calendarParts(date)
        return String(format: "%02d.%02d.%04d", parts.day, parts.month, parts.year)
    }

    /// 28.02.2023 14:05 (UTC).
    public static func dateTime(_ date: Date) -> String {
        let parts = calendarParts(date)
        return String(format: "%02d.%02d.%04d %02d:%02d", parts.day, parts.month, parts.year, parts.hour, parts.minute)
    }

    /// Parses 28.02.2023 or 2023-02-28 (a real day, years 2000–2100, as `CalendarDay(parsing:)`) as midnight UTC.
    public static func parseDate(_ text: String) -> Date? {
        guard let day = CalendarDay(parsing: text) else { return nil }
        return utcCalendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }

    private static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    private static func calendarParts(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// The noun's form for a count: 1 срок, 2 срока, 5 сроков.
    public static func plural(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        let tens = count % 100, units = count % 10
        if (11...14).contains(tens) { return many }
        if units == 1 { return one }
        if (2...4).contains(units) { return few }
        return many
    }
}
