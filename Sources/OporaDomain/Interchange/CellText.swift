import Foundation

/// A cell's text trimmed, tested and measured without Foundation on the common path, with Foundation's answers:
/// a million-row file's cells mostly neither start nor end with white space (the reader already dropped an
/// unquoted cell's spaces and tabs), and bridging each one to be trimmed cost a quarter of a programme row.
public enum CellText {
    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)` (`.whitespaces` without `newlines`); the text itself,
    /// not a copy, when neither end may be white space.
    public static func trimmed(_ text: String, newlines: Bool = true) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              mayBeSpace(first) || mayBeSpace(last) else { return text }
        return text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }

    /// Nothing but white space and line ends (or nothing at all).
    public static func isBlank(_ text: String) -> Bool {
        // Most cells start with a printable ASCII letter or digit, or a letter from U+00C0 to U+07FF (Cyrillic among
        // them), none of which is white space: said from the first byte, without reading scalars' properties.
        guard let first = text.utf8.first else { return true }
        if (0x21...0x7F).contains(first) || (0xC3...0xDF).contains(first) { return false }
        for scalar in text.unicodeScalars where !mayBeSpace(scalar) { return false }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// More than `limit` characters: counted only when the text has more bytes than that (a character is a byte
    /// or more).
    public static func exceeds(_ text: String, _ limit: Int) -> Bool {
        text.utf8.count > limit && text.count > limit
    }

    /// Whether Foundation could count `scalar` as white space: Unicode's White_Space property (category Z, tab, line
    /// ends, U+0085) and, as Foundation has it, the zero-width space U+200B (with its neighbours and U+FEFF, to be
    /// safe) — so «no» here is Foundation's «no», and a «yes» leaves the answer to Foundation.
    static func mayBeSpace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        // Below U+1680 (Ogham's space) only U+0085 and U+00A0 are white space: Cyrillic letters never read properties.
        if value < 0x1680 { return value == 0x85 || value == 0xA0 }
        return scalar.properties.isWhitespace || (0x2000...0x200F).contains(value) || value == 0xFEFF
    }

    /// A date written ДД.ММ.ГГГГ read from its ten bytes; anything else as `CalendarDay(parsing:)` reads it.
    public static func day(_ text: String) -> CalendarDay? {
        // `.some(answer)` when the bytes are ДД.ММ.ГГГГ (an answer of nil: no such day), `.none` otherwise.
        if case .some(.some(let answer)) = text.utf8.withContiguousStorageIfAvailable(russianDay) { return answer }
        return CalendarDay(parsing: text)
    }

    static func russianDay(_ bytes: UnsafeBufferPointer<UInt8>) -> CalendarDay?? {
        guard bytes.count == 10, bytes[2] == UInt8(ascii: "."), bytes[5] == UInt8(ascii: ".") else { return .none }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let day = number(0..<2), let month = number(3..<5), let year = number(6..<10) else { return .none }
        guard let valid = CalendarDay.valid(year: year, month: month, day: day), InputRange.year.contains(year) else {
            return .some(nil)
        }
        return .some(valid)
    }
}
