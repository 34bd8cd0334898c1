import OporaDomain
import XCTest

final class DelimitedTextTests: XCTestCase {
    func testDelimiterDetection() throws {
        let cases: [(String, Character)] = [
            ("a,b,c\n1,2,3", ","),
            ("a;b;c\n1,5;2,5;3", ";"),
            ("\"a;b\",c,d\n", ","),
            ("a\tb\tc\n", "\t"),
            ("single\n1", ","),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(DelimitedTextReader.detectDelimiter(Array(text.utf8)), expected.asciiValue, text)
        }
    }

    func testQuotingLinesAndEmptyRows() throws {
        let text = "code;name;note\r\n1;\"Школа \"\"Берёзка\"\"\";\"две\nстроки\"\r\n\r\n2; пробелы вокруг ;\n"
        let table = try DelimitedTextReader.read(Array(text.utf8))
        XCTAssertEqual(table.header, ["code", "name", "note"])
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(table.rows[0].cells, ["1", "Школа \"Берёзка\"", "две\nстроки"])
        XCTAssertEqual(table.rows[0].line, 2)
        // The quoted newline moves the next record to line 5 (line 4 is empty).
        XCTAssertEqual(table.rows[1].line, 5)
        XCTAssertEqual(table.rows[1].cells, ["2", "пробелы вокруг", ""])
    }

    func testEncodings() throws {
        let text = "Код ОО;Наименование;Ёлки\n1;Школа № 1;ё\n"
        let utf8 = try DelimitedTextReader.read(Array(text.utf8))
        let bom = try DelimitedTextReader.read([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let cp1251 = try DelimitedTextReader.read(TextEncoding.utf8ToWindows1251(text))
        XCTAssertEqual(utf8.encoding, .utf8)
        XCTAssertEqual(cp1251.encoding, .windows1251)
        for table in [utf8, bom, cp1251] {
            XCTAssertEqual(table.header, ["Код ОО", "Наименование", "Ёлки"])
            XCTAssertEqual(table.rows.first?.cells, ["1", "Школа № 1", "ё"])
        }
    }

    func testWindows1251FullCyrillicRoundTrip() throws {
        let alphabet = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя№«»—"
        let bytes = TextEncoding.utf8ToWindows1251(alphabet)
        XCTAssertEqual(bytes.count, alphabet.count)
        XCTAssertFalse(TextEncoding.isValidUTF8(bytes))
        XCTAssertTrue(TextEncoding.isValidUTF8(Array((alphabet + "abc€𝄞").utf8)))
        // Two-byte characters, which are read two bytes at a time: cut off, followed by a non-continuation, overlong.
        for bad: [UInt8] in [[0x41, 0xD0], [0xD0, 0x41], [0xD0, 0xD0], [0xC0, 0x80], [0xC1, 0xBF], [0xD0, 0x9F, 0xDF]] {
            XCTAssertFalse(TextEncoding.isValidUTF8(Array("Школа № 5, ".utf8) + bad), "\(bad)")
            // Inside long Cyrillic text too, which is read four letters at a time, at every position.
            let letters = Array("ПрограммаПерехода".utf8)
            // At the letters' boundaries only: between a letter's two bytes any insert would be invalid.
            for position in stride(from: 0, through: letters.count, by: 2) {
                let bytes = Array(letters[..<position]) + bad + Array(letters[position...]) + Array("ещёТекстБезПробелов".utf8)
                XCTAssertFalse(TextEncoding.isValidUTF8(bytes), "\(bad) at \(position)")
            }
        }
        XCTAssertTrue(TextEncoding.isValidUTF8(Array(String(repeating: "ПрограммаЁё«»", count: 9).utf8)))
        XCTAssertEqual(String(decoding: TextEncoding.windows1251ToUTF8(bytes), as: UTF8.self), alphabet)
    }

    func testHeaderNormalisation() throws {
        let cases: [(String, String)] = [
            ("  Код   ОО ", "код оо"), ("Отметка «5»", "отметка 5"), ("short_name", "short name"),
            ("Количество\nучастников", "количество участников"), ("ЁЛКА", "елка"),
        ]
        for (input, expected) in cases { XCTAssertEqual(HeaderKey.normalize(input), expected, input) }
    }

    func testNumberParsing() throws {
        let decimals: [(String, Double?)] = [("94,5", 94.5), ("94.5", 94.5), ("1 500", 1500), ("1\u{00A0}500,25", 1500.25),
                                            ("64,3%", 64.3), ("abc", nil), ("", nil), ("1,2,3", nil), ("inf", nil)]
        for (text, expected) in decimals { XCTAssertEqual(NumberParsing.decimal(text), expected, text) }
        let integers: [(String, Int?)] = [("14", 14), ("14,0", 14), ("14,5", nil), ("-3", -3), ("x", nil)]
        for (text, expected) in integers { XCTAssertEqual(NumberParsing.integer(text), expected, text) }
    }
}
