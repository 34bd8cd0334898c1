import OporaDomain
import XCTest

/// Seed 004's rubric and its Table 12: 36 points in 2022 and 42 in 2023, both «удовлетворительный».
final class ProgrammeScoreTests: XCTestCase {
    /// Each indicator's points as Table 12 prints them (nine indicators scored in 2022 and 2023).
    static let table12: [Int: [Int]] = [2022: [4, 2, 6, 6, 2, 4, 4, 6, 2], 2023: [6, 2, 6, 6, 4, 4, 4, 6, 4]]

    func testTable12ScoresAsTheProgrammeSays() {
        for (year, expected) in [(2022, 36), (2023, 42)] {
            let score = ProgrammeScore.compute(points: Self.table12[year]!, indicators: 9)
            XCTAssertEqual(score.total, expected, "\(year)")
            XCTAssertEqual(score.level, .satisfactory, "\(year)")
            XCTAssertEqual(score.level.russianName, "удовлетворительный")
            // The seed's maximum of 135 cannot be reached with nine indicators: 9 × 7 = 63.
            XCTAssertEqual(score.maximum, 63)
            XCTAssertEqual(score.unreachable, ["уровень «высокий» начинается с 95 баллов, а максимум при этих показателях — 63"])
        }
    }

    func testBandsAndRubric() {
        let bands = ScoreBands.pervouralsk
        let cases: [(Int, EffectivenessLevel)] = [(0, .critical), (11, .critical), (12, .satisfactory), (52, .satisfactory), (53, .medium),
                                                  (94, .medium), (95, .high), (135, .high)]
        for (total, level) in cases { XCTAssertEqual(bands.level(total), level, "\(total)") }
        XCTAssertEqual(try IndicatorPoints.checked(presence: 2, dynamics: 3, documentation: 2).get().total, 7)
        XCTAssertEqual(IndicatorPoints.maximum, 7)
        switch IndicatorPoints.checked(presence: 3, dynamics: -1, documentation: 2) {
        case .success: XCTFail("outside the rubric")
        case .failure(let error): XCTAssertEqual(error.description, "presence: 3 вне шкалы 0–2; dynamics: -1 вне шкалы 0–3")
        }
        XCTAssertEqual(ScoreBands.pervouralsk.unreachable(maximum: 135), [])
    }
}
