import OporaDomain
import XCTest

/// Issue 18, point 3: the characters refused in names and texts, and the limit named, on every path.
final class TextInputTests: XCTestCase {
    func testWhichCharactersAreRefusedInNamesAndInTexts() {
        // (character, refused in a name, refused in a multi-line text)
        let cases: [(Unicode.Scalar, Bool, Bool)] = [
            ("\u{0}", true, true), ("\u{1}", true, true), ("\u{1F}", true, true), ("\u{7F}", true, true),
            ("\t", true, false), ("\n", true, false), ("\r", true, false),
            ("\u{2028}", true, true), ("\u{2029}", true, true),
            ("\u{202A}", true, true), ("\u{202B}", true, true), ("\u{202C}", true, true), ("\u{202D}", true, true),
            ("\u{202E}", true, true), ("\u{2066}", true, true), ("\u{2067}", true, true), ("\u{2068}", true, true),
            ("\u{2069}", true, true), ("\u{200E}", true, true), ("\u{200F}", true, true),
            // Ordinary text a Russian document holds: letters, «», №, dashes, non-breaking and zero-width spaces.
            ("я", false, false), ("«", false, false), ("№", false, false), ("—", false, false), (" ", false, false),
            ("\u{A0}", false, false), ("\u{200B}", false, false), ("\u{2027}", false, false), ("\u{202F}", false, false),
            ("\u{2065}", false, false), ("\u{206A}", false, false), ("\u{2010}", false, false),
        ]
        for (scalar, inName, inText) in cases {
            let label = TextInput.code(scalar)
            XCTAssertEqual(TextInput.isForbiddenInName(scalar), inName, label)
            XCTAssertEqual(TextInput.isForbidden(scalar), inText, label)
            XCTAssertEqual(TextInput.forbiddenCharacter(in: "Школа\(scalar)№ 5", multiline: false) != nil, inName, label)
            XCTAssertEqual(TextInput.forbiddenCharacter(in: "Школа\(scalar)№ 5", multiline: true) != nil, inText, label)
            // The file readers find exactly the same characters in the bytes of a cell (tab and line breaks
            // are allowed inside a quoted cell).
            XCTAssertEqual(ImportLimits.forbiddenControl(in: "Школа\(scalar)№ 5"), inText ? scalar : nil, label)
        }
    }

    /// The readers test eight bytes at a time: a refused character is found at every position of a long cell,
    /// one or three bytes long, across the eight-byte steps and at the very end; ordinary long text passes.
    func testARefusedCharacterIsFoundAtEveryPositionOfALongCell() {
        let ordinary = "Программа № 5 «Школа» — план; ёж, tab\t, 2024–2026 годы"
        XCTAssertNil(ImportLimits.forbiddenControl(in: String(repeating: ordinary, count: 4)))
        for scalar: Unicode.Scalar in ["\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{202E}", "\u{2069}", "\u{200F}"] {
            for length in 0...40 {
                for position in [0, length / 2, length] {
                    var text = String(repeating: "ab", count: length / 2) + (length % 2 == 1 ? "я" : "")
                    text.insert(Character(scalar), at: text.index(text.startIndex, offsetBy: min(position, text.count)))
                    XCTAssertEqual(ImportLimits.forbiddenControl(in: text), scalar, "\(TextInput.code(scalar)) at \(position) of \(length)")
                }
            }
        }
    }

    /// The eight-byte tests say whether some byte matches, exactly: every byte value at every lane.
    func testEightByteTestsFindEveryMatchingByteAtEveryLane() {
        for value in 0...255 {
            for lane in 0..<8 {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: 8)
                bytes[lane] = UInt8(value)
                let word = bytes.withUnsafeBufferPointer { EightBytes.word($0, at: 0) }
                XCTAssertEqual(EightBytes.below(0x20, in: word) != 0, value < 0x20, "\(value) at \(lane)")
                XCTAssertEqual(EightBytes.below(0x0E, in: word) != 0, value < 0x0E, "\(value) at \(lane)")
                for byte: UInt8 in [0x22, 0x2F, 0x5C, 0x7F] {
                    XCTAssertEqual(EightBytes.equal(byte, in: word) != 0, value == Int(byte), "\(value) at \(lane)")
                }
                XCTAssertEqual(EightBytes.equal(0xE2, in: word) != 0, value == 0xE2, "\(value) at \(lane)")
                XCTAssertEqual(EightBytes.isASCII(word), value < 0x80, "\(value) at \(lane)")
            }
        }
        let letters = { (text: String) in
            Array(text.utf8).withUnsafeBufferPointer { EightBytes.isTwoByteCharacters(EightBytes.word($0, at: 0)) }
        }
        XCTAssertTrue(letters("Шко«"))
        XCTAssertFalse(letters("Шк a b"), "ASCII among them")
        XCTAssertFalse(letters("a" + "Школ"), "not beginning at a letter")
        XCTAssertFalse(letters("№abcde"), "a three-byte character")
        XCTAssertFalse(Array([0xC0, 0x80, 0xD0, 0x9F, 0xD0, 0x9F, 0xD0, 0x9F]).withUnsafeBufferPointer {
            EightBytes.isTwoByteCharacters(EightBytes.word($0, at: 0))
        }, "an overlong form")
    }

    func testMessagesNameTheCharacterAndTheLimit() {
        XCTAssertEqual(TextInput.problem(in: "МБОУ \u{202E}5 №", limit: 300, multiline: false),
                       "недопустимый символ U+202E (невидимая смена направления текста); удалите его")
        XCTAssertEqual(TextInput.problem(in: "строка\u{2028}вторая", limit: 300, multiline: true),
                       "недопустимый символ U+2028 (невидимый разрыв строки); удалите его")
        XCTAssertEqual(TextInput.problem(in: "две\nстроки", limit: 300, multiline: false),
                       "недопустимый символ U+000A (перевод строки); удалите его")
        XCTAssertNil(TextInput.problem(in: "две\r\nстроки", limit: 300, multiline: true))
        XCTAssertNil(TextInput.problem(in: String(repeating: "я", count: 100), limit: 100, multiline: false))
        XCTAssertEqual(TextInput.problem(in: String(repeating: "я", count: 101), limit: 100, multiline: false),
                       "не длиннее 100 символов, а введено 101; сократите текст")
        XCTAssertEqual(TextInput.problem(in: String(repeating: "я", count: 5_001), limit: 5_000, multiline: true),
                       "не длиннее \(RussianFormat.integer(5_000)) символов, а введено \(RussianFormat.integer(5_001)); сократите текст")
        XCTAssertEqual(TextInput.tooLongMessage(limit: 21, length: 22), "не длиннее 21 символа, а введено 22; сократите текст")
    }

    /// A file's cell with a direction override or a Unicode line separator is refused like a NUL, on the
    /// RFC 4180 reader and the scores file's fast reader alike.
    func testFilesRefuseSeparatorsAndDirectionMarks() {
        let message = "в ячейке недопустимый символ U+202E (невидимая смена направления текста); удалите его"
        for cell in ["Школа\u{202E}5", "\"Школа\u{202E}5\""] {
            XCTAssertEqual(rejection { _ = try DelimitedTextReader.read(Array("a,b\n1,\(cell)\n".utf8), file: "f.csv") },
                           ["f.csv:2: № 2: " + message], cell)
        }
        let header = "year,procedure,grade,subject,school,student\n"
        for quote in ["", "\""] {
            let file = header + "2025,VPR,5,math,S1,p1\n2025,VPR,5,math,\(quote)S\u{2028}1\(quote),p2\n"
            XCTAssertEqual(rejection { _ = try ResultFiles().parseScoreGroups(Array(file.utf8), file: "s.csv", parallelAbove: .max) },
                           ["s.csv:3: № 5: в ячейке недопустимый символ U+2028 (невидимый разрыв строки); удалите его"], quote)
        }
    }

    private func rejection(_ body: () throws -> Void) -> [String] {
        do { try body(); return [] } catch let rejected as ImportRejected {
            return rejected.errors.map(\.description)
        } catch let limit as ImportLimitExceeded {
            return [limit.rejection(file: "?").errors[0].description]
        } catch { return ["\(error)"] }
    }
}
