import NIOCore
import XCTest

@testable import OporaData

/// PostgreSQL's COPY text, as `BulkTable` writes it: a text that needs no escape is copied at once (issue 18), one
/// with a backslash, tab or line end is escaped byte by byte — either way the line COPY reads back as the cells.
final class CopyTextTests: XCTestCase {
    func testTextsAreEscapedOnlyWhereCopyNeedsIt() {
        let cases: [([BulkValue], String)] = [
            ([.text("Школа № 1"), .int(7), .null], "Школа № 1\t7\t\\N\n"),
            ([.text("a\\b"), .text("tab\there"), .text("line\nend\r")], "a\\\\b\ttab\\there\tline\\nend\\r\n"),
            ([.text(""), .text("короткий"), .double(2.5)], "\tкороткий\t2.5\n"),
            ([.text(String(repeating: "Мероприятие ", count: 20))], String(repeating: "Мероприятие ", count: 20) + "\n"),
        ]
        for (values, expected) in cases {
            var buffer = ByteBuffer(), moments = MomentText()
            BulkTable.appendLine(values, to: &buffer, moments: &moments)
            XCTAssertEqual(buffer.readString(length: buffer.readableBytes), expected)
        }
    }
}
