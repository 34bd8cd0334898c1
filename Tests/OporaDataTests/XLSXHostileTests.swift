import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Spreadsheets that once crashed the process or took gigabytes: each is now a table or a Russian refusal.
final class XLSXHostileTests: XCTestCase {
    func message(_ bytes: [UInt8], limits: ImportLimits = .standard, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try TabularInput.table(bytes, fileName: "x.xlsx", limits: limits)
            XCTFail("must be refused", file: file, line: line)
            return ""
        } catch let rejected as ImportRejected {
            return rejected.errors.map(\.description).joined(separator: "\n")
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return ""
        }
    }

    let header = #"<c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c>"#

    func testTwoDozenColumnLettersAreDamageNotATrap() throws {
        let sheet = XLSXFixture.sheet([header, #"<c r="AAAAAAAAAAAAAAAAAAAAAAAA2"><v>1</v></c>"#])
        XCTAssertEqual(message(try XLSXFixture.workbook(sheet: sheet)),
                       "x.xlsx:1: —: XLSX: файл повреждён: неверная ссылка на ячейку «AAAAAAAAAAAAAAAAAAAA»")
        // Excel's own last column still reads (and is then over Opora's column limit).
        let widest = XLSXFixture.sheet([header, #"<c r="XFD2"><v>1</v></c>"#])
        XCTAssertEqual(message(try XLSXFixture.workbook(sheet: widest)),
                       "x.xlsx:2: —: столбцов больше предела 256; оставьте в файле только нужные столбцы")
        XCTAssertEqual(message(try XLSXFixture.workbook(sheet: XLSXFixture.sheet([header, #"<c r="XFE2"><v>1</v></c>"#]))),
                       "x.xlsx:1: —: XLSX: файл повреждён: неверная ссылка на ячейку «XFE2»")
    }

    func testSharedStringIndexOutsideTheTableIsDamage() throws {
        for index in ["-1", "1", "99999999999999999999", "x"] {
            let sheet = XLSXFixture.sheet([header, "<c r=\"A2\" t=\"s\"><v>\(index)</v></c>"])
            XCTAssertEqual(message(try XLSXFixture.workbook(sheet: sheet, sharedStrings: XLSXFixture.sharedStrings(["один"]))),
                           "x.xlsx:1: —: XLSX: файл повреждён: ссылка на несуществующую строку «\(index)»", index)
        }
        let good = XLSXFixture.sheet([header, #"<c r="A2" t="s"><v>0</v></c><c r="B2"><v>94.5</v></c>"#])
        let table = try TabularInput.table(
            try XLSXFixture.workbook(sheet: good, sharedStrings: XLSXFixture.sharedStrings(["один"])), fileName: "x.xlsx")
        XCTAssertEqual(table.rows.first?.cells, ["один", "94.5"])
    }

    func testDamagedArchivesAreRefusedAsDamaged() throws {
        let valid = [UInt8](try XLSX.write(sheetName: "Лист1", rows: [[.text("code"), .text("name")], [.text("S1"), .text("Школа")]]))
        XCTAssertEqual(try TabularInput.table(valid, fileName: "x.xlsx").rows.first?.cells, ["S1", "Школа"])
        // Cut anywhere, or with a byte changed anywhere: a table (when the change missed what is read) or a
        // refusal, never a trap. The changed central directory and data are the cases that trapped before.
        for cut in stride(from: 4, to: valid.count, by: 7) {
            let text = message(Array(valid.prefix(cut)))
            XCTAssertTrue(text.hasPrefix("x.xlsx:1: —: XLSX: файл повреждён"), text)
        }
        for position in 0..<valid.count {
            for bit in [0, 3, 7] {
                var flipped = valid
                flipped[position] ^= UInt8(1 << bit)
                do { _ = try TabularInput.table(flipped, fileName: "x.xlsx") } catch is ImportRejected {} catch {
                    XCTFail("position \(position): \(error)")
                }
            }
        }
    }

    func testAZipBombStopsAtTheBudget() throws {
        // 300 MB of one byte deflates to about 300 KB: the reader must stop at its budget, not allocate it all.
        let bomb = try XLSXFixture.archive([
            ("[Content_Types].xml", .bytes(Data(XLSXFixture.contentTypes.utf8))), ("_rels/.rels", .bytes(Data(XLSXFixture.rootRels.utf8))),
            ("xl/workbook.xml", .bytes(Data(XLSXFixture.workbook.utf8))),
            ("xl/_rels/workbook.xml.rels", .bytes(Data(XLSXFixture.workbookRels.utf8))),
            ("xl/worksheets/sheet1.xml", .repeated(byte: UInt8(ascii: " "), size: 300 << 20)),
        ])
        XCTAssertLessThan(bomb.count, 1 << 20)
        XCTAssertEqual(message(bomb),
                       "x.xlsx:1: —: в распакованном виде таблица больше предела 256 МБ; сохраните её как CSV или разбейте на части")
        XCTAssertEqual(message(bomb, limits: ImportLimits(decompressedBytes: 1 << 20)),
                       "x.xlsx:1: —: в распакованном виде таблица больше предела 1 МБ; сохраните её как CSV или разбейте на части")
    }

    func testDoctypeAndUnterminatedXMLAreDamage() throws {
        let doctype =
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><worksheet><sheetData/></worksheet>"
        XCTAssertEqual(
            message(try XLSXFixture.workbook(sheet: doctype)), "x.xlsx:1: —: XLSX: файл повреждён (недопустимое объявление в XML (DOCTYPE))"
        )
        XCTAssertEqual(
            message(try XLSXFixture.workbook(sheet: "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"")),
            "x.xlsx:1: —: XLSX: файл повреждён (XML обрывается внутри тега)")
    }

    func testLimitsOfRowsColumnsAndCells() throws {
        let long = String(repeating: "я", count: 10_001)
        XCTAssertEqual(
            message(
                try XLSXFixture.workbook(sheet: XLSXFixture.sheet([header, "<c r=\"B2\" t=\"inlineStr\"><is><t>\(long)</t></is></c>"]))),
            "x.xlsx:2: —: ячейка длиннее предела 10\u{00A0}000 символов")
        XCTAssertEqual(
            message(
                try XLSXFixture.workbook(
                    sheet: XLSXFixture.sheet([header, #"<c r="A2" t="s"><v>0</v></c>"#]),
                    sharedStrings: XLSXFixture.sharedStrings([long]))),
            "x.xlsx:1: —: ячейка длиннее предела 10\u{00A0}000 символов")
        let rows = [header] + (2...6).map { "<c r=\"A\($0)\"><v>\($0)</v></c>" }
        XCTAssertEqual(
            message(try XLSXFixture.workbook(sheet: XLSXFixture.sheet(rows)), limits: ImportLimits(rows: 4)),
            "x.xlsx:6: —: строк данных больше предела 4; разбейте файл на части")
        XCTAssertEqual(
            message(try XLSXFixture.workbook(sheet: XLSXFixture.sheet([header, #"<c r="B2" t="inlineStr"><is><t>a&#1;b</t></is></c>"#]))),
            "x.xlsx:2: —: в ячейке управляющий символ (код 1), которого не бывает в данных: файл повреждён или сохранён не как таблица")
        // Formatted empty cells far to the right are harmless.
        let styled = XLSXFixture.sheet([header + #"<c r="ZZ1" s="3"/>"#, #"<c r="A2"><v>1</v></c><c r="XFD2" s="1"></c>"#])
        XCTAssertEqual(try TabularInput.table(try XLSXFixture.workbook(sheet: styled), fileName: "x.xlsx").rows.first?.cells, ["1"])
    }

    func testEntitiesCDATARichTextAndPhoneticHintsRead() throws {
        let sheet = XLSXFixture.sheet([
            header,
            #"<c r="A2" t="inlineStr"><is><r><t>Шко</t></r><r><t xml:space="preserve">ла &amp; «сад» &#8470;&#x20;1</t></r></is></c>"#
                + #"<c r="B2" t="s"><v>0</v></c>"#,
            #"<c r="A3" t="str"><f>CONCAT("a","b")</f><v><![CDATA[a<b]]></v></c>"#,
        ])
        let shared = #"<sst><si><r><t>Липицкая</t></r><rPh><t>リピツカヤ</t></rPh></si></sst>"#
        let table = try TabularInput.table(try XLSXFixture.workbook(sheet: sheet, sharedStrings: shared), fileName: "x.xlsx")
        XCTAssertEqual(table.rows.map(\.cells), [["Школа & «сад» № 1", "Липицкая"], ["a<b"]])
    }
}
