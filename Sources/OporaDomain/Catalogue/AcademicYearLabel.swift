/// An academic year such as 2022/23, identified by the calendar year it starts in.
public struct AcademicYearLabel: Sendable, Hashable, Comparable, Codable {
    public let startYear: Int
    public init(startYear: Int) { self.startYear = startYear }

    /// The calendar year of spring procedures (ВПР, ОГЭ, ЕГЭ) that belong to this academic year.
    public var examYear: Int { startYear + 1 }

    /// "2022/23"
    public var label: String {
        let next = (startYear + 1) % 100
        return "\(startYear)/\(next < 10 ? "0" : "")\(next)"
    }

    /// Accepts "2022/23", "2022/2023", "2022-2023" or "2022–2023".
    public init?(parsing text: String) {
        let parts = text.split(whereSeparator: { "/-–—".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let first = Int(parts[0]), (1990...2100).contains(first), let second = Int(parts[1]) else { return nil }
        let expected = first + 1
        guard second == expected || second == expected % 100 else { return nil }
        startYear = first
    }

    /// The academic year a day belongs to: it starts on 1 September, so 6 December 2026 is in 2026/27 and
    /// 31 August 2026 still in 2025/26.
    public static func containing(_ day: CalendarDay) -> AcademicYearLabel {
        AcademicYearLabel(startYear: day.month >= 9 ? day.year : day.year - 1)
    }

    public static func < (a: Self, b: Self) -> Bool { a.startYear < b.startYear }
}

import Foundation
