import Foundation
import OporaDomain
import XCTest

/// Issue 18, point 1: a cell is trimmed, tested and measured without Foundation on the common path, and every
/// answer is Foundation's (`trimmingCharacters`, `count`, `CalendarDay(parsing:)`).
final class CellTextTests: XCTestCase {
    static let texts = ["", " ", "\t", "\n", "abc", " abc ", "\u{00A0}Школа\u{00A0}", "Школа", "Школа ", "\u{2028}x\u{2029}",
                        "\u{3000}全角\u{3000}", "a\u{0085}", "\u{200B}zero width",
                        "\u{FEFF}bom", "x\u{200D}", "  \n\t ", "\u{00A0}", "№ 5", "é\u{0301}"]

    func testTrimmingIsFoundations() {
        for text in Self.texts {
            XCTAssertEqual(CellText.trimmed(text), text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
            XCTAssertEqual(CellText.trimmed(text, newlines: false), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
            XCTAssertEqual(CellText.isBlank(text), text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text.debugDescription)
        }
    }

    /// Every scalar up to U+3000 and U+FEFF, alone, before and after a letter: the answers read from the first byte or
    /// without a scalar's properties are Foundation's.
    func testABlankCellIsFoundationsForEveryLeadingCharacter() {
        for value in Array(0...0x3000) + [0xFEFF] {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(Character(scalar)), String(Character(scalar)) + "я"] {
                XCTAssertEqual(CellText.isBlank(text), text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                               String(value, radix: 16))
            }
            for text in ["я" + String(Character(scalar)), String(Character(scalar)) + "я", "я" + String(Character(scalar)) + "я"] {
                XCTAssertEqual(CellText.trimmed(text), text.trimmingCharacters(in: .whitespacesAndNewlines), String(value, radix: 16))
                XCTAssertEqual(CellText.trimmed(text, newlines: false), text.trimmingCharacters(in: .whitespaces), String(value, radix: 16))
            }
        }
    }

    func testALengthIsCountedInCharacters() {
        let cases: [(String, Int, Bool)] = [("abc", 3, false), ("abcd", 3, true), ("Школа", 5, false), ("Школа", 4, true),
                                             ("é\u{0301}é\u{0301}", 2, false), ("🎓🎓🎓", 3, false), ("🎓🎓🎓", 2, true)]
        for (text, limit, exceeds) in cases {
            XCTAssertEqual(CellText.exceeds(text, limit), exceeds, "\(text) \(limit)")
            XCTAssertEqual(CellText.exceeds(text, limit), text.count > limit, "\(text) \(limit)")
        }
    }

    func testADateIsReadAsCalendarDayReadsIt() {
        let texts = ["01.01.2024", "31.12.2026", "29.02.2024", "29.02.2023", "31.02.2024", "00.01.2024", "01.13.2024", "01.01.1999",
                     "01.01.2101", "1.1.2024", " 01.01.2024", "2024-01-15", "01.01.99999", "01-01-2024", "0a.01.2024", "15.01.2024"]
        for text in texts { XCTAssertEqual(CellText.day(text), CalendarDay(parsing: text), text) }
    }
}
