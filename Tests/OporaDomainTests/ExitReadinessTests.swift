import Foundation
import OporaDomain
import XCTest

/// The exit rule on crafted histories (docs/EXITS.md): every condition met → ready; any flag, missed indicator or
/// high risk → not ready with that reason; missing data is never read as met.
final class ExitReadinessTests: XCTestCase {
    let rule = ExitCriteria.pervouralsk
    let met = [IndicatorCheck(name: "Доля «2» по математике", met: true), IndicatorCheck(name: "Успеваемость", met: true)]

    func testTableOfHistories() {
        struct Case {
            let name: String
            let evidence: ExitEvidence
            let ready: Bool
            let outcomes: [ExitCondition.Outcome]
            let text: String
        }
        let cases: [Case] = [
            Case(name: "all met", evidence: ExitEvidence(flagged: [2024: false, 2025: false], indicators: met, highRiskFactors: []),
                 ready: true, outcomes: [.met, .met, .met], text: "не отбиралась по критериям в 2024–2025 годах"),
            Case(name: "flagged last year", evidence: ExitEvidence(flagged: [2024: true, 2025: false], indicators: met),
                 ready: false, outcomes: [.notMet, .met, .met], text: "отобрана по критериям в 2024 г."),
            Case(name: "flagged this year", evidence: ExitEvidence(flagged: [2024: false, 2025: true], indicators: met),
                 ready: false, outcomes: [.notMet, .met, .met], text: "отобрана по критериям в 2025 г."),
            Case(name: "a flag three years back does not count",
                 evidence: ExitEvidence(flagged: [2023: true, 2024: false, 2025: false], indicators: met),
                 ready: true, outcomes: [.met, .met, .met], text: "показатели программы достигнуты: 2 из 2"),
            Case(name: "no results last year", evidence: ExitEvidence(flagged: [2024: nil, 2025: false], indicators: met),
                 ready: false, outcomes: [.noData, .met, .met], text: "нет данных: нет результатов за 2024 г."),
            Case(name: "year absent altogether", evidence: ExitEvidence(flagged: [2025: false], indicators: met),
                 ready: false, outcomes: [.noData, .met, .met], text: "нет данных: нет результатов за 2024 г."),
            Case(name: "an indicator missed",
                 evidence: ExitEvidence(flagged: [2024: false, 2025: false],
                                        indicators: [met[0], IndicatorCheck(name: "Успеваемость", met: false)]),
                 ready: false, outcomes: [.met, .notMet, .met],
                 text: "показатели программы достигнуты: 1 из 2 (нужно 100 %), не достигнуты: «Успеваемость»"),
            Case(name: "an indicator without a value",
                 evidence: ExitEvidence(flagged: [2024: false, 2025: false],
                                        indicators: [met[0], IndicatorCheck(name: "Успеваемость", met: nil)]),
                 ready: false, outcomes: [.met, .noData, .met], text: "нет данных: нет значения показателя «Успеваемость»"),
            Case(name: "no programme", evidence: ExitEvidence(flagged: [2024: false, 2025: false]),
                 ready: false, outcomes: [.met, .noData, .met], text: "нет данных: нет утверждённой программы с показателями"),
            Case(name: "high risk", evidence: ExitEvidence(flagged: [2024: false, 2025: false], indicators: met, highRiskFactors: [7, 3]),
                 ready: false, outcomes: [.met, .met, .notMet], text: "высокий уровень риска по факторам № 3, 7"),
            Case(name: "no risk profile",
                 evidence: ExitEvidence(flagged: [2024: false, 2025: false], indicators: met, highRiskFactors: nil),
                 ready: false, outcomes: [.met, .met, .noData], text: "нет данных: нет рискового профиля"),
        ]
        for item in cases {
            let verdict = ExitReadiness.judge(item.evidence, year: 2025, criteria: rule)
            XCTAssertEqual(verdict.ready, item.ready, item.name)
            XCTAssertEqual(verdict.conditions.map(\.outcome), item.outcomes, item.name)
            XCTAssertTrue(verdict.summary.contains(item.text), "\(item.name): \(verdict.summary)")
        }
    }

    func testConditionsSwitchedOffAndShares() {
        let lenient = ExitCriteria(name: "мягкие", notFlaggedYears: 1, indicatorsMetShare: 50, noHighRisk: false)
        let half = ExitEvidence(
            flagged: [2024: true, 2025: false], indicators: [met[0], IndicatorCheck(name: "Успеваемость", met: false)],
            highRiskFactors: nil)
        let verdict = ExitReadiness.judge(half, year: 2025, criteria: lenient)
        XCTAssertTrue(verdict.ready, verdict.summary)
        XCTAssertEqual(verdict.conditions.map(\.rule), [.notFlagged, .indicatorsMet])
        // One of five met, and the one without a value could lift it to 40 % at most: refused, not «нет данных».
        let fifth = ExitEvidence(
            flagged: [2025: false],
            indicators: [met[0], IndicatorCheck(name: "Б", met: false), IndicatorCheck(name: "В", met: false),
                         IndicatorCheck(name: "Г", met: false), IndicatorCheck(name: "Д", met: nil)])
        XCTAssertEqual(ExitReadiness.judge(fifth, year: 2025, criteria: lenient).conditions[1].outcome, .notMet)
        // One of four met and one unknown could reach 50 %: not judged for want of that value.
        var fourth = fifth
        fourth.indicators.removeLast(2)
        fourth.indicators.append(IndicatorCheck(name: "Д", met: nil))
        XCTAssertEqual(ExitReadiness.judge(fourth, year: 2025, criteria: lenient).conditions[1].outcome, .noData)
        let onlyRisk = ExitCriteria(name: "риск", notFlaggedYears: 0, indicatorsMetShare: 0, noHighRisk: true)
        XCTAssertEqual(ExitReadiness.judge(ExitEvidence(flagged: [:], highRiskFactors: []), year: 2025, criteria: onlyRisk).ready, true)
    }

    func testValidationListsEveryProblem() {
        let bad = ExitCriteria(name: " ", notFlaggedYears: 11, indicatorsMetShare: 120, noHighRisk: true)
        XCTAssertEqual(bad.problems, ["name: укажите название", "not_flagged_years: от 0 до 10", "indicators_met_share: от 0 до 100"])
        let empty = ExitCriteria(name: "ничего", notFlaggedYears: 0, indicatorsMetShare: 0, noHighRisk: false)
        XCTAssertEqual(empty.problems.count, 1)
        XCTAssertThrowsError(try empty.validate()) { error in
            XCTAssertTrue("\(error)".hasPrefix("Критерии выхода из списка неверны:"))
        }
        XCTAssertEqual(ExitCriteria.pervouralsk.problems, [])
    }

    func testDecodingTakesDefaultsForMissingKeys() throws {
        let text = #"{"name": "только два года", "indicators_met_share": 0}"#
        let decoded = try JSONDecoder().decode(ExitCriteria.self, from: Data(text.utf8))
        XCTAssertEqual(decoded.notFlaggedYears, 2)
        XCTAssertEqual(decoded.indicatorsMetShare, 0)
        XCTAssertTrue(decoded.noHighRisk)
    }

    // Municipality 10 holds schools 101–103, municipality 20 school 201; the region's order lists 101, 102 and 201.
    func testExitOrderKeepsTheRestOfTheMunicipalityList() throws {
        let places = [
            ListPlace(schoolID: 101, municipalityID: 10, regionID: 1), ListPlace(schoolID: 102, municipalityID: 10, regionID: 1),
            ListPlace(schoolID: 103, municipalityID: 10, regionID: 1),
        ]
        let entry = ListEntry(status: .lowResults, reason: "по приказу региона")
        let regional = ListOrder(
            id: 1, year: 2025, territory: .region(1), number: "12-р", date: RussianFormat.parseDate("20.01.2025")!, issuer: "Минобр",
            authority: .region, entries: [101: entry, 102: entry, 201: entry])
        let entries = try ListExit.entries(
            school: places[0], year: 2025, date: RussianFormat.parseDate("01.06.2025")!, municipalityPlaces: places,
            orders: [regional]).get()
        XCTAssertEqual(entries.keys.sorted(), [102])
        guard case .failure(let notListed) = ListExit.entries(
            school: places[2], year: 2025, date: RussianFormat.parseDate("01.06.2025")!, municipalityPlaces: places,
            orders: [regional])
        else { return XCTFail("school 103 is not listed") }
        XCTAssertEqual(notListed.message, "школы нет в списке, действующем на 2025 год: исключать её нечего")
        guard case .failure(let early) = ListExit.entries(
            school: places[0], year: 2025, date: RussianFormat.parseDate("10.01.2025")!, municipalityPlaces: places,
            orders: [regional])
        else { return XCTFail("an order dated before the one in force would not replace it") }
        XCTAssertTrue(early.message.contains("раньше приказа № 12-р от 20.01.2025"), early.message)
    }
}
