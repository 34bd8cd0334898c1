import Foundation
@testable import OporaDomain
import XCTest

/// Issue 18 (the support kinds at a million rows): the parsers of `risks`, `events`, `staff` and `specialists` read
/// their columns by position and trim texts without Foundation when nothing needs trimming; they must read and
/// refuse exactly what the general reader does.
final class SupportFilesAtScaleTests: XCTestCase {
    /// Foundation's trimming, which the shortcut replaces, for every kind of end a cell may have.
    func testTrimmingGivesWhatFoundationGives() {
        let texts = ["", "a", " a", "a ", "\tСеминар\n", "\u{00A0}курсы", "курсы\u{00A0}", "\u{3000}x\u{3000}", "\u{2028}x",
                     "x\u{2029}", "\u{202F}ИРО", "\u{85}x", "Семинар по функциональной грамотности", "«цитата»", "x\u{200B}",
                     "\u{200B}x", " ", "\u{00A0}"]
        for text in texts {
            XCTAssertEqual(FieldText.trimmed(text), text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
        }
        // Every character of the basic plane at either end.
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in ["\(Character(scalar))x", "x\(Character(scalar))"] {
                let foundation = text.trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertEqual(FieldText.trimmed(text), foundation, "U+\(String(value, radix: 16))")
            }
        }
    }

    /// A limit counts characters, not bytes: a thousand Cyrillic letters (two thousand bytes) pass, one more is refused
    /// with its limit; white space around a quoted text is dropped as before.
    func testTextLimitsCountCharactersAndNameTheLimit() throws {
        let title = String(repeating: "Я", count: 1_000)
        let file = "event;title;start;hours;school;organiser\n"
            + "E1;\(title);10.02.2025;4,5;A1;\"\u{00A0} ИРО \"\n"
            + "E2;\(title)Я;10.02.2025;4;A1;ИРО\n"
        XCTAssertThrowsError(try EventsFile.parse(DelimitedTextReader.read(Array(file.utf8)), file: "e.csv")) { error in
            let errors = (error as? ImportRejected)?.errors ?? []
            XCTAssertEqual(errors.map { "\($0.line) \($0.column) \($0.message)" }, ["3 title текст длиннее 1000 символов"])
        }
        let firstRow = file.split(separator: "\n").prefix(2).joined(separator: "\n")
        let first = try EventsFile.parse(DelimitedTextReader.read(Array(firstRow.utf8)), file: "e.csv").records
        XCTAssertEqual(first.map(\.title), [title])
        XCTAssertEqual(first.map(\.organiser), ["ИРО"])
        XCTAssertEqual(first.map(\.hours), [4.5])
    }

    /// Numbers the plain-digit shortcut does not take go to the general reader, with its messages.
    func testNumbersBeyondTheShortcutReadAsBefore() throws {
        let file = "school;year;position;count;course_hours\nA1;2024;учитель;1 500;36\nA1;2024;учитель;0;36\nA1;2024;учитель;два;36,5\n"
        XCTAssertThrowsError(try StaffFiles.parseStaff(DelimitedTextReader.read(Array(file.utf8)), file: "s.csv")) { error in
            let errors = (error as? ImportRejected)?.errors ?? []
            XCTAssertEqual(errors.map { "\($0.line) \($0.column) \($0.message)" },
                           ["3 count 0 вне допустимого диапазона 1–10000", "4 count «два» — не целое число"])
        }
        let good = "school;year;position;count;course_hours\nA1;2024;учитель;1 500;36,5\n"
        let records = try StaffFiles.parseStaff(DelimitedTextReader.read(Array(good.utf8)), file: "s.csv").records
        XCTAssertEqual(records.map(\.group.count), [1_500])
        XCTAssertEqual(records.map(\.group.courseHours), [36.5])
    }

    /// `risks` streams its rows now: a stream and the whole table give the same ratings, warnings and refusals.
    func testRisksReadFromAStreamAsFromATable() throws {
        let file = """
            year,school,factor,level,source
            2024,A1,1,high,expert
            2024,A1,1,high,
            2024,A2,2,средняя,

            2025,A1,3,none,
            """
        let bytes = Array(file.utf8)
        let streamed = try RisksFile.parse(DelimitedTextReader.stream(bytes), file: "r.csv")
        let whole = try RisksFile.parse(DelimitedTextReader.read(bytes), file: "r.csv")
        XCTAssertEqual(streamed.records, whole.records)
        XCTAssertEqual(streamed.warnings.map(\.line), [3], "the same rating twice is kept once, with a warning")
        XCTAssertEqual(streamed.records.map(\.line), [2, 4, 6])
        let conflicting = Array((file + "\n2025,A1,3,high,").utf8)
        XCTAssertThrowsError(try RisksFile.parse(DelimitedTextReader.stream(conflicting), file: "r.csv")) { error in
            XCTAssertEqual((error as? ImportRejected)?.errors.map(\.line), [7])
        }
        XCTAssertThrowsError(try RisksFile.parse(DelimitedTextReader.stream(Array("year,school,factor,level\n".utf8)), file: "r.csv"))
    }
}
