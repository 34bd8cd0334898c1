import Foundation
import OporaDomain
import XCTest

final class CampaignRulesTests: XCTestCase {
    let start = CalendarDay(year: 2026, month: 9, day: 1)
    let end = CalendarDay(year: 2026, month: 9, day: 30)

    func testTheFormIsOpenOnlyWithinThePeriodAndBelowThreeTimesTheExpected() {
        let cases: [(today: CalendarDay, answered: Int, expected: Int, state: FormState)] = [
            (CalendarDay(year: 2026, month: 8, day: 31), 0, 10, .notStarted(start)),
            (start, 0, 10, .open),
            (end, 29, 10, .open),
            (end, 30, 10, .full),
            (CalendarDay(year: 2026, month: 10, day: 1), 0, 10, .ended(end)),
            // An expected count of 0 still lets three answers in.
            (start, 2, 0, .open),
            (start, 3, 0, .full),
        ]
        for item in cases {
            let state = CampaignRules.formState(starts: start, ends: end, today: item.today, answered: item.answered,
                                                expected: item.expected)
            XCTAssertEqual(state, item.state, "\(item.today) \(item.answered)/\(item.expected)")
        }
        XCTAssertEqual(FormState.ended(end).russianMessage, "Опрос завершён 30.09.2026. Спасибо, ответы больше не принимаются.")
    }

    func testAPeriodEndsAfterItStartsAndLastsAtMostAYear() {
        XCTAssertNoThrow(try CampaignRules.period(starts: start, ends: start).get())
        XCTAssertEqual(CampaignRules.period(starts: end, ends: start).failureValue?.description,
                       "Период: дата окончания раньше даты начала")
        XCTAssertNotNil(CampaignRules.period(starts: start, ends: start.adding(days: 367)).failureValue)
    }

    func testLaggingLinksComeFirst() {
        let links = [("А", ResponseRate(expected: 20, answered: 20)), ("Б", ResponseRate(expected: 20, answered: 4)),
                     ("В", ResponseRate(expected: 40, answered: 8)), ("Г", ResponseRate(expected: 5, answered: 0))]
        let order = ResponseRate.lagging(links, rate: \.1, name: \.0).map(\.0)
        // 0 % first; Б and В both 20 %: В misses 32 answers, Б 16.
        XCTAssertEqual(order, ["Г", "В", "Б", "А"])
        XCTAssertEqual(ResponseRate(expected: 20, answered: 4).percent, 20)
    }

    func testTokensAreLongRandomAndKeptAsTheirHash() {
        let a = SurveyToken.new(), b = SurveyToken.new()
        XCTAssertNotEqual(a, b)
        XCTAssertTrue(SurveyToken.isWellFormed(a))
        XCTAssertEqual(a.utf8.count, 43) // 256 bits
        XCTAssertEqual(SurveyToken.hash(a).count, 64)
        XCTAssertNotEqual(SurveyToken.hash(a), a)
        XCTAssertFalse(SurveyToken.isWellFormed(String(a.dropLast()) + "/"))
        XCTAssertFalse(SurveyToken.isWellFormed("short"))
    }

    func testTheRateWindowRefusesBeyondItsLimitAndForgets() {
        var window = RateWindow(limit: 3, window: 60)
        let now = Date(timeIntervalSince1970: 1_000_000)
        XCTAssertEqual((0..<5).map { _ in window.allow("ip:1", now: now) }, [true, true, true, false, false])
        XCTAssertTrue(window.allow("ip:2", now: now))
        XCTAssertTrue(window.allow("ip:1", now: now.addingTimeInterval(61)))
        window.prune(now: now.addingTimeInterval(200))
        XCTAssertEqual(window.keys, 0)
    }
}

private extension Result {
    var failureValue: Failure? { if case .failure(let error) = self { error } else { nil } }
}
