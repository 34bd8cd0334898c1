@testable import OporaDomain
import XCTest

/// The CSV reader takes a plain field (no quote, no carriage return) from the file's bytes at once (issue 18): it must
/// read every file as the byte-at-a-time reader it replaced did — same cells, same lines, same refusals.
final class PlainFieldReadingTests: XCTestCase {
    /// The reader as it was before, byte by byte: the reference the fast one is held to.
    static func reference(_ text: String, delimiter: UInt8, limits: ImportLimits = .standard) -> [String] {
        let bytes = Array(text.utf8)
        var index = 0, line = 1, out: [String] = []
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        while index < bytes.count {
            var cells: [String] = [], field: [UInt8] = []
            let recordLine = line
            var inQuotes = false, wasQuoted = false, blankSoFar = true, ended = false, failed: String? = nil
            func finishField() {
                guard failed == nil else { return }
                guard cells.count < limits.columns else { failed = "columns@\(recordLine)"; return }
                var slice = field[...]
                if !wasQuoted {
                    while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
                    while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
                }
                let (tooLong, control) = Array(slice).withUnsafeBufferPointer {
                    (limits.cellExceeds($0), ImportLimits.forbiddenControl(in: $0))
                }
                if tooLong || control != nil { failed = "cell \(cells.count + 1)@\(recordLine)"; return }
                let text = String(decoding: slice, as: UTF8.self)
                cells.append(slice.first == UInt8(ascii: "'") ? FormulaGuard.unprotect(text) : text)
                field.removeAll()
                wasQuoted = false
                blankSoFar = true
            }
            while index < bytes.count, !ended {
                let byte = bytes[index]
                index += 1
                if inQuotes {
                    if byte == quote {
                        if index < bytes.count, bytes[index] == quote { field.append(quote); index += 1; continue }
                        inQuotes = false
                    } else {
                        if byte == newline { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case quote where blankSoFar:
                    field.removeAll()
                    inQuotes = true
                    wasQuoted = true
                    blankSoFar = false
                case delimiter: finishField()
                case newline:
                    finishField()
                    line += 1
                    ended = true
                case carriage: break
                default:
                    if byte != 0x20 { blankSoFar = false }
                    field.append(byte)
                }
            }
            if !ended { finishField() }
            if let failed { return out + ["refused: \(failed)"] }
            out.append("\(recordLine): " + cells.map { "[\($0)]" }.joined())
        }
        return out
    }

    static func read(_ text: String, delimiter: UInt8, limits: ImportLimits = .standard) -> [String] {
        var iterator = RecordIterator(bytes: Array(text.utf8), delimiter: delimiter, limits: limits)
        var out: [String] = []
        do {
            while let (line, cells) = try iterator.next() { out.append("\(line): " + cells.map { "[\($0)]" }.joined()) }
        } catch let error as ImportLimitExceeded {
            let cell = error.column.hasPrefix("№ ") ? "cell \(error.column.dropFirst(2))" : "columns"
            out.append("refused: \(cell)@\(error.line)")
        } catch {
            out.append("refused: \(error)")
        }
        return out
    }

    func testEdgeCasesReadAsBefore() {
        let cases = [
            "a,b,c\n1,2,3\n", "a,b,c\n1,2,3", "a,b,\n", ",,\n,\n", "\n\n", "a", " a , b ,\tc\t\n",
            "x\"y,z\n", "  \"quoted, with comma\"  ,b\n", "\"a\"\"b\",\"line\nbreak\",c\r\n", "a\r\nb\r\n", "a\rb,c\n",
            "'=1+2,'text\n", "Школа № 1;Берёзка;ё\n", "a,\"unterminated\n", "a,\"x\"tail,b\n", "\"\",\"\"\n",
            "a\u{0001}b,c\n", "a,b\u{2028}c\n", "long,\(String(repeating: "я", count: 40))\n",
        ]
        let tight = ImportLimits(fileBytes: 1 << 20, rows: 100, columns: 3, cellCharacters: 30)
        for text in cases {
            for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";")] {
                XCTAssertEqual(Self.read(text, delimiter: delimiter), Self.reference(text, delimiter: delimiter), text)
                XCTAssertEqual(Self.read(text, delimiter: delimiter, limits: tight),
                               Self.reference(text, delimiter: delimiter, limits: tight), "tight: \(text)")
            }
        }
    }

    func testRandomFilesReadAsBefore() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab я,;\"\r\n\t'ё".unicodeScalars)
        let tight = ImportLimits(fileBytes: 1 << 20, rows: 100, columns: 4, cellCharacters: 6)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                text.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
            }
            XCTAssertEqual(Self.read(text, delimiter: UInt8(ascii: ",")), Self.reference(text, delimiter: UInt8(ascii: ",")), text)
            XCTAssertEqual(Self.read(text, delimiter: UInt8(ascii: ";"), limits: tight),
                           Self.reference(text, delimiter: UInt8(ascii: ";"), limits: tight), text)
        }
    }

    /// Keys compared as bytes, as the databases compare a key column: a text written in another Unicode form is
    /// another key, and a pooled text is the very bytes it was given.
    func testByteKeysCompareBytes() {
        let composed = "Й", decomposed = "И\u{0306}"
        XCTAssertEqual(composed, decomposed)
        XCTAssertNotEqual(ByteKey(composed), ByteKey(decomposed))
        XCTAssertEqual(ByteKey("Раздел 1|1.1"), ByteKey("Раздел " + "1|1.1"))
        XCTAssertEqual(Set([ByteKey("Раздел 1"), ByteKey("Раздел " + "1"), ByteKey(composed), ByteKey(decomposed)]).count, 3)
        XCTAssertEqual(ByteKey(""), ByteKey(String("a".dropFirst())))
        XCTAssertNotEqual(ByteKey(""), ByteKey("a"))
        XCTAssertNotEqual(ByteKey("Раздел 1"), ByteKey("Раздел 2"), "same length, last byte differs")
        let long = String(repeating: "мероприятие ", count: 20)
        XCTAssertEqual(ByteKey(long + "1"), ByteKey(String(long.reversed().reversed()) + "1"))
        XCTAssertEqual(ByteKey(long).hashValue, ByteKey(String(long.reversed().reversed())).hashValue)
        var pool = TextPool()
        let first = pool.shared("Заместитель директора \(composed)")
        let second = pool.shared("Заместитель директора \(decomposed)")
        XCTAssertEqual(Array(first!.utf8), Array("Заместитель директора \(composed)".utf8))
        XCTAssertEqual(Array(second!.utf8), Array("Заместитель директора \(decomposed)".utf8))
    }

    /// A roadmap's measures are found by programme, section and number as bytes, however their digests fall: keys whose
    /// digests coincide are still told apart, and keys a joined «programme|section|number» text would confuse differ.
    func testMeasuresAreFoundByTheirBytesWhateverTheirDigests() {
        for digest in [ProgrammeFiles.MeasureIndex.digest, { _, _, _ in 7 }] as [(String, String, String) -> Int] {
            var index = ProgrammeFiles.MeasureIndex(digest: digest)
            var records: [RoadmapRecord] = []
            func add(_ programme: String, _ section: String, _ number: String) -> Int? {
                let earlier = index.firstOrAdd(records.count, programme, section, number, in: records)
                if earlier == nil {
                    records.append(RoadmapRecord(line: records.count + 2, programme: programme, section: section, number: number,
                                                 measure: "м", deadline: "", responsible: nil, result: nil, status: .planned,
                                                 doneOn: nil, year: nil, comment: nil))
                }
                return earlier
            }
            XCTAssertNil(add("P1", "1. Раздел", "1.1."))
            XCTAssertNil(add("P1", "1. Раздел", "1.2."))
            XCTAssertNil(add("P1", "1. Раздел|1.2.", ""))
            XCTAssertNil(add("P1|1. Раздел", "1.2.", ""))
            XCTAssertNil(add("P1", "Й", "1"))
            XCTAssertNil(add("P1", "И\u{0306}", "1"), "another Unicode form is another section")
            XCTAssertEqual(add("P1", "1. Раздел", "1.2."), 1)
            XCTAssertEqual(add("P1", "И\u{0306}", "1"), 5)
            XCTAssertEqual(index.position("P1", "1. Раздел", "1.1.", in: records), 0)
            XCTAssertEqual(index.position("P1|1. Раздел", "1.2.", "", in: records), 3)
            XCTAssertNil(index.position("P2", "1. Раздел", "1.1.", in: records))
            XCTAssertEqual(records.count, 6)
        }
    }

    /// A reader may reserve room for the rows: never fewer than there are, never more than the file has lines or the
    /// limit allows.
    func testTheRowsEstimatedAreAtLeastTheRowsRead() throws {
        let files = ["a;b\n1;2\n3;4", "a;b\n1;2\n3;4\n", "a;b\r\n1;2\r\n\r\n3;4\r\n", "a;b", "a;b\n",
                     "a;b\n\"x\ny\nz\";2\n5;6", String(repeating: "a;b\n", count: 1_000)]
        for text in files {
            let stream = try DelimitedTextReader.stream(Array(text.utf8))
            var rows = 0
            try stream.forEachRow { _ in rows += 1 }
            XCTAssertGreaterThanOrEqual(stream.estimatedRows, rows, text)
            XCTAssertLessThanOrEqual(stream.estimatedRows, text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).count, text)
        }
        var tight = ImportLimits.standard
        tight.rows = 10
        let many = try DelimitedTextReader.stream(Array(("a;b\n" + String(repeating: "x\"\n\";1\n", count: 1_000)).utf8), limits: tight)
        XCTAssertEqual(many.estimatedRows, 10, "never above the limit of rows")
        let blank = try DelimitedTextReader.stream(Array(("a;b\n" + String(repeating: "\r\n\n", count: 100_000) + "1;2").utf8))
        XCTAssertEqual(blank.estimatedRows, 1, "blank lines are no rows")
        let room: [Int] = blank.arrayForRows()
        XCTAssertLessThan(room.capacity, 100, "an array reserves for the rows, not for the lines")
        let thousand = try DelimitedTextReader.stream(Array(("a;b\n" + String(repeating: "1;2\n", count: 1_000)).utf8))
        let records: [Int] = thousand.arrayForRows()
        XCTAssertGreaterThanOrEqual(records.capacity, 1_000, "room for every row: the array is not copied as it grows")
    }
}

