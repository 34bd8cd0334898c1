import XCTest

@testable import OporaData

/// Bulk writes go out in the order of the table's index (issue 18); rows with equal keys keep the file's order, so
/// a school's staff or a programme's indicators are listed as the file gave them.
final class BulkRowsTests: XCTestCase {
    func testRowsAreOrderedByTheirKeyThenByTheirPlaceInTheFile() {
        let cases: [(rows: [(Int, Int, String)], expected: [String])] = [
            ([], []),
            ([(1, 2020, "a")], ["a"]),
            ([(1, 2020, "a"), (1, 2021, "b"), (2, 2020, "c")], ["a", "b", "c"]),
            // A file listing the schools for each year.
            ([(1, 2020, "a"), (2, 2020, "b"), (1, 2021, "c"), (2, 2021, "d")], ["a", "c", "b", "d"]),
            // Equal keys keep the file's order, wherever they are.
            ([(3, 1, "x"), (1, 1, "first"), (2, 1, "y"), (1, 1, "second"), (1, 1, "third")], ["first", "second", "third", "y", "x"]),
            ([(1, 5, "late"), (1, -5, "early"), (0, 99, "zero")], ["zero", "early", "late"]),
        ]
        for (rows, expected) in cases {
            XCTAssertEqual(BulkRows.inKeyOrder(rows) { ($0.0, $0.1, 0) }.map(\.2), expected, "\(rows)")
        }
        let third = BulkRows.inKeyOrder([(1, 1, "b"), (1, 1, "a")]) { ($0.0, $0.1, $0.2 == "a" ? 0 : 1) }
        XCTAssertEqual(third.map(\.2), ["a", "b"], "the third part of the key counts too")
    }
}
