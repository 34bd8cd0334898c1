import Foundation
@testable import OporaData
import XCTest

/// Issue 18: the audit log's changes are written by hand (a million risk ratings are a million changes); the text
/// must hold what `JSONEncoder` wrote, and read back the same.
final class AuditChangesJSONTests: XCTestCase {
    func testTheChangesReadAsJSONEncoderWroteThem() throws {
        let lists: [[FieldChange]] = [
            [],
            [FieldChange(field: "2024: фактор 3", old: nil, new: "высокая; expert")],
            [FieldChange(field: "a/b \"c\" \\d", old: "старое", new: nil), FieldChange(field: "x", old: "1", new: "2")],
            [FieldChange(field: "tab\tline\nreturn\r", old: "😀 «ёлка»", new: "\u{1}\u{1F}\u{8}\u{C}")],
        ]
        for changes in lists {
            let written = AuditChangesJSON.text(changes)
            XCTAssertEqual(try JSONDecoder().decode([FieldChange].self, from: Data(written.utf8)), changes, written)
            // The same JSON values as JSONEncoder's (whose key order varies from run to run).
            let encoded = try JSONEncoder().encode(changes)
            XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? NSArray,
                           try JSONSerialization.jsonObject(with: encoded) as? NSArray, written)
        }
    }
}
