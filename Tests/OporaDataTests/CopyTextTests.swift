import XCTest

@testable import OporaData

/// PostgreSQL's COPY text, as `BulkTable` writes it: a text that needs no escape is copied at once (issue 18), one
/// with a backslash, tab or line end is escaped byte by byte — either way the line COPY reads back as the cells.
final class CopyTextTests: XCTestCase {
    func testTextsAreEscapedOnlyWhereCopyNeedsIt() {
        let long = String(repeating: "Мероприятие ", count: 20)
        let cases: [([BulkValue], String)] = [
            ([.text("Школа № 1"), .int(7), .null], "Школа № 1\t7\t\\N\n"),
            ([.text("a\\b"), .text("tab\there"), .text("line\nend\r")], "a\\\\b\ttab\\there\tline\\nend\\r\n"),
            ([.text(""), .text("короткий"), .double(2.5)], "\tкороткий\t2.5\n"),
            ([.text(long)], long + "\n"),
            // The escapes found wherever they fall in a long text, which is tested eight bytes at a time.
            ([.text(long + "\\"), .text("\t" + long), .utf8(Array((long + "\r" + long).utf8))],
             long + "\\\\\t\\t" + long + "\t" + long + "\\r" + long + "\n"),
            ([.utf8(Array("{\"name\":\"Школа \\\"7\\\"\"}".utf8))], "{\"name\":\"Школа \\\\\"7\\\\\"\"}\n"),
            // Whole numbers written digit by digit, as `String(_:)` writes them.
            ([.int(0), .int(-5), .int(1_000_000), .int(Int.max), .int(Int.min)],
             "0\t-5\t1000000\t\(Int.max)\t\(Int.min)\n"),
        ]
        for (values, expected) in cases {
            var line: [UInt8] = [], moments = MomentText()
            BulkTable.appendLine(values, to: &line, moments: &moments)
            XCTAssertEqual(String(decoding: line, as: UTF8.self), expected)
        }
        for length in 0...24 {
            for position in 0...length {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes.insert(UInt8(ascii: "\\"), at: position)
                XCTAssertTrue(bytes.withUnsafeBufferPointer(BulkTable.mayNeedEscape), "\(position) of \(length)")
                bytes.remove(at: position)
                XCTAssertFalse(bytes.withUnsafeBufferPointer(BulkTable.mayNeedEscape), "\(length)")
            }
        }
    }

    /// The ids a bulk write names, kept as bits while small and positive, in a set otherwise; each counted once.
    func testAnIDSetKeepsEveryDistinctIDOnce() {
        var set = IDSet()
        XCTAssertTrue(set.isEmpty)
        for id in [5, 64, 63, 5, 1, 200_000, -3, 0, IDSet.bitLimit, IDSet.bitLimit - 1, 64, -3, Int.max] { set.insert(id) }
        XCTAssertEqual(set.count, 10)
        XCTAssertEqual(set.ids, [1, 5, 63, 64, 200_000, IDSet.bitLimit - 1, -3, 0, IDSet.bitLimit, Int.max])
    }
}
