import OporaDomain
import XCTest

/// A school the rule could not judge is never «не выявлена» (issue 24: «не соответствует критериям» for no data).
final class IdentificationStatusNameTests: XCTestCase {
    func testOnlySmallGroupsReadAsTooLittleDataNotAsCleared() {
        let small = Identifier.identify(school: "S", year: 2025, results: [
            (WorkKey(year: 2025, procedure: .vpr, grade: 5, subject: "math"), ResultCounts(participants: 3, belowMin: 2)),
        ], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertEqual(small.status, .none)
        XCTAssertTrue(small.hasData)
        XCTAssertFalse(small.wasJudged)
        XCTAssertEqual(small.statusName, "недостаточно данных")
        XCTAssertFalse(Identifier.explanation(small, subjects: [:]).contains("не соответствует"))

        let nothing = Identifier.identify(school: "S", year: 2025, results: [], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertEqual(nothing.statusName, "нет данных")
        XCTAssertFalse(nothing.wasJudged)

        let cleared = Identifier.identify(school: "S", year: 2025, results: [
            (WorkKey(year: 2025, procedure: .vpr, grade: 5, subject: "math"), ResultCounts(participants: 30, belowMin: 1)),
        ], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertTrue(cleared.wasJudged)
        XCTAssertEqual(cleared.statusName, "не выявлена")
    }
}
