import Foundation
import OporaDomain
import XCTest

/// The figures of issue 25, point 5, each hand-computed: `positive_dynamics`, mentoring by pairs in force, entered
/// indicator values against Opora's computation, one rounding, «нет данных».
final class FiguresTests: XCTestCase {
    func marks(_ m2: Int, _ m3: Int, _ m4: Int, _ m5: Int) -> ResultCounts {
        ResultCounts(participants: m2 + m3 + m4 + m5, m2: m2, m3: m3, m4: m4, m5: m5)
    }

    func result(_ school: Int, _ year: Int, _ procedure: ProcedureCode, _ grade: Int, _ subject: String,
                _ counts: ResultCounts) -> FormulaResult {
        FormulaResult(school: school, work: WorkKey(year: year, procedure: procedure, grade: grade, subject: subject), counts: counts)
    }

    // MARK: positive_dynamics

    /// Listed schools 1–4 of a territory of five:
    /// - 1 rose in both (ВПР 5 rus 6/10 → 8/10, ВПР 5 math 5/10 → 7/10): improved;
    /// - 2 rose only by its term marks (TERM rows) while its ВПР Russian fell: not improved;
    /// - 3 has Russian in grade 5 last year and grade 6 this year (another cohort's work, not compared): not improved;
    /// - 4 has no results at all: counted, not improved.
    /// So 1 of 4 = 25 % — not 1 of 3 compared (33,3 %), nor school 2 counted by its term marks.
    func testPositiveDynamicsComparesTheSameWorkOverTheListedSchools() {
        let before: [FormulaResult] = [
            result(1, 2022, .vpr, 5, "rus", marks(4, 6, 0, 0)), result(1, 2022, .vpr, 5, "math", marks(5, 5, 0, 0)),
            result(2, 2022, .vpr, 5, "rus", marks(2, 8, 0, 0)), result(2, 2022, .vpr, 5, "math", marks(5, 5, 0, 0)),
            result(2, 2022, .term, 5, "rus", marks(5, 5, 0, 0)), result(2, 2022, .diag, 5, "math", marks(9, 1, 0, 0)),
            result(3, 2022, .vpr, 5, "rus", marks(5, 5, 0, 0)), result(3, 2022, .vpr, 5, "math", marks(5, 5, 0, 0)),
        ]
        let now: [FormulaResult] = [
            result(1, 2023, .vpr, 5, "rus", marks(2, 8, 0, 0)), result(1, 2023, .vpr, 5, "math", marks(3, 7, 0, 0)),
            result(2, 2023, .vpr, 5, "rus", marks(3, 7, 0, 0)), result(2, 2023, .vpr, 5, "math", marks(3, 7, 0, 0)),
            // Term marks and a diagnostic that «rose» must not make school 2 improved.
            result(2, 2023, .term, 5, "rus", marks(0, 10, 0, 0)), result(2, 2023, .diag, 5, "math", marks(0, 10, 0, 0)),
            result(3, 2023, .vpr, 6, "rus", marks(0, 10, 0, 0)), result(3, 2023, .vpr, 5, "math", marks(0, 10, 0, 0)),
        ]
        let inputs = FormulaInputs(schools: [1, 2, 3, 4, 5], listed: [1, 2, 3, 4], results: now, previous: before)
        XCTAssertEqual(IndicatorFormula.positiveDynamics.compute(inputs), Share(count: 1, base: 4))

        XCTAssertTrue(PositiveDynamics.compare(school: 1, now: now, before: before).improved)
        let two = PositiveDynamics.compare(school: 2, now: now, before: before)
        XCTAssertFalse(two.improved)
        XCTAssertEqual(two.russian?.before, Share(count: 8, base: 10), "ВПР only: the TERM row of the same grade and subject is ignored")
        let three = PositiveDynamics.compare(school: 3, now: now, before: before)
        XCTAssertNil(three.russian, "ВПР 5 класс 2022 against ВПР 6 класс 2023 is not compared")
        XCTAssertFalse(three.improved)
        XCTAssertFalse(PositiveDynamics.compare(school: 4, now: now, before: before).hasData)
    }

    /// Only term marks, diagnostics and PISA-model works: nothing comparable — no figure rather than 0 %.
    func testPositiveDynamicsWithoutVPROrGIAIsNoFigure() {
        let now = [result(1, 2023, .term, 5, "rus", marks(0, 10, 0, 0)), result(1, 2023, .pisa, 8, "math", marks(0, 10, 0, 0))]
        let before = [result(1, 2022, .term, 5, "rus", marks(5, 5, 0, 0)), result(1, 2022, .pisa, 8, "math", marks(5, 5, 0, 0))]
        let inputs = FormulaInputs(schools: [1], listed: [1], results: now, previous: before)
        XCTAssertNil(IndicatorFormula.positiveDynamics.compute(inputs))
        let noList = FormulaInputs(schools: [1], listed: nil, results: [], previous: [])
        XCTAssertNil(IndicatorFormula.positiveDynamics.compute(noList), "no list")
    }

    /// ЕГЭ has no marks: its pass rate is those above the minimum. Profile and base mathematics are each compared
    /// only with themselves.
    func testPositiveDynamicsReadsGIAByTheMinimum() {
        let before = [result(1, 2022, .ege, 11, "rus", ResultCounts(participants: 20, belowMin: 4)),
                      result(1, 2022, .ege, 11, "math_prof", ResultCounts(participants: 10, belowMin: 5)),
                      result(1, 2022, .oge, 9, "math", marks(6, 10, 4, 0))]
        let now = [result(1, 2023, .ege, 11, "rus", ResultCounts(participants: 20, belowMin: 2)),
                   result(1, 2023, .ege, 11, "math_base", ResultCounts(participants: 10, belowMin: 0)),
                   result(1, 2023, .oge, 9, "math", marks(5, 11, 4, 0))]
        let comparison = PositiveDynamics.compare(school: 1, now: now, before: before)
        XCTAssertEqual(comparison.russian?.before, Share(count: 16, base: 20))
        XCTAssertEqual(comparison.russian?.now, Share(count: 18, base: 20))
        XCTAssertEqual(comparison.mathematics?.before, Share(count: 14, base: 20), "ОГЭ mathematics only: base ≠ profile")
        XCTAssertEqual(comparison.mathematics?.now, Share(count: 15, base: 20))
        XCTAssertTrue(comparison.improved)
    }

    // MARK: mentoring

    func testOnlyPairsInForceGiveAMentor() {
        let table: [(MentorPairStatus, ClosedRange<Int>, Int, Bool)] = [
            (.active, 2023...2024, 2024, true),
            (.suspended, 2023...2024, 2024, false),
            (.completed, 2023...2024, 2024, false),
            (.active, 2023...2023, 2024, false),
        ]
        for (status, period, year, expected) in table {
            let pair = MentorPair(supported: "1", mentor: "2", period: period, status: status)
            XCTAssertEqual(pair.mentors(in: year), expected, "\(status) \(period)")
        }
        let pairs = [MentorPair(supported: "A", mentor: "M", period: 2024...2024),
                     MentorPair(supported: "B", mentor: "M", period: 2024...2024, status: .suspended),
                     MentorPair(supported: "C", mentor: "M", period: 2023...2025, status: .completed)]
        XCTAssertEqual(MentorChecks.withoutMentor(listed: ["A", "B", "C"], pairs: pairs, year: 2024), ["B", "C"])
        XCTAssertEqual(MentorChecks.mentored(pairs, year: 2024), ["A"])
    }

    // MARK: entered against computed

    /// Mentors: 100 % entered, Opora computes 1 of 2 = 50 %: the value carries a note with both.
    func testAnEnteredValueOporaContradictsCarriesANoteWithBothValues() throws {
        let line = ScoreLine(code: "5", name: "наставники", value: 100, target: 100, points: nil, total: nil, metTarget: true,
                             computed: Share(count: 1, base: 2), entered: true)
        let note = try XCTUnwrap(line.disagreement)
        XCTAssertTrue(note.contains("внесено 100 %"), note)
        XCTAssertTrue(note.contains("по данным Опоры 50 % (1 из 2)"), note)
        // The same figure as printed (to 0,1): no note; Opora's value standing in for a missing entry: no note.
        XCTAssertNil(IndicatorAgreement.note(entered: 66.7, computed: Share(count: 2, base: 3)))
        XCTAssertNotNil(IndicatorAgreement.note(entered: 66.6, computed: Share(count: 2, base: 3)))
        XCTAssertNil(IndicatorAgreement.note(entered: 40, computed: nil))
        XCTAssertNil(ScoreLine(code: "5", name: "", value: 50, target: nil, points: nil, total: nil, metTarget: nil,
                               computed: Share(count: 1, base: 2), entered: false).disagreement)
    }

    // MARK: one rounding

    /// Rates are kept as computed and rounded once where printed. 1 «2» of 22 is 4,545…: rounded once, 4,5; the old
    /// table rounded the JSON's 4,55 again to 4,6. Seed 000: 5 of 14 failed → 35,7, 9 of 14 passed → 64,3. 2 of 3 → 66,7.
    func testStatsRoundOnceFromTheCounts() throws {
        let cases: [(ResultCounts, String, String, Double)] = [
            (marks(1, 21, 0, 0), "4,5", "4.5", 4.55),
            (marks(5, 7, 2, 0), "35,7", "35.7", 35.71),
            (marks(1, 2, 0, 0), "33,3", "33.3", 33.33),
        ]
        let header = StatsLine.csvHeader
        for (counts, printed, csv, json) in cases {
            let work = WorkKey(year: 2023, procedure: .vpr, grade: 5, subject: "math")
            let metrics = Metrics.compute(counts, procedure: .vpr, subject: "math")
            let line = StatsLine(school: "S", schoolName: "Школа", work: work, metrics: metrics)
            XCTAssertEqual(RussianFormat.optionalNumber(line.belowMinRate), printed)
            XCTAssertEqual(line.csvCells[header.firstIndex(of: "below_min_rate")!], csv)
            XCTAssertTrue(StatsLine.jsonArray([line]).contains("\"below_min_rate\":\(json)"), StatsLine.jsonArray([line]))
            // The report prints the same figure from the same counts.
            let pool = ResultPool([counts], procedure: .vpr, subject: "math")
            XCTAssertEqual(ReportCell.percent(pool.belowMin?.rate).text, printed)
        }
        let seed000 = StatsLine(school: "71001", schoolName: "", work: WorkKey(year: 2022, procedure: .vpr, grade: 5, subject: "math"),
                                metrics: Metrics.compute(marks(5, 7, 2, 0), procedure: .vpr, subject: "math"))
        XCTAssertEqual(seed000.csvCells[header.firstIndex(of: "success_rate")!], "64.3")
        XCTAssertEqual(seed000.csvCells[header.firstIndex(of: "mean_mark")!], "2.79")
        let twoOfThree = Metrics.compute(marks(1, 2, 0, 0), procedure: .vpr, subject: "math")
        XCTAssertEqual(RussianFormat.optionalNumber(twoOfThree.successRate), "66,7")
    }

    /// The identification sentence prints a reason's rate from its count, rounded once: 13 of 27 is 48,148…, stored
    /// as 48,15 in the JSON; printed again from that it read 48,2, where the reports print 48,1.
    func testIdentificationSentencesRoundOnce() {
        let result = Identifier.identify(school: "S", year: 2023, results: [
            (WorkKey(year: 2023, procedure: .vpr, grade: 6, subject: "math"), ResultCounts(participants: 27, belowMin: 13)),
            (WorkKey(year: 2023, procedure: .oge, grade: 9, subject: "math"), ResultCounts(participants: 29, belowMin: 9)),
        ], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertEqual(result.reasons.first { $0.procedure == "VPR" }?.value, 48.15, "the JSON keeps two decimals")
        let text = Identifier.explanation(result, subjects: [:])
        XCTAssertTrue(text.contains("48,1 % (13 из 27)"), text)
        XCTAssertFalse(text.contains("48,2"), text)
    }

    // MARK: «нет данных»

    func testASchoolWithoutResultsHasNoDataRatherThanFailingTheCriteria() throws {
        let nothing = Identifier.identify(school: "S", year: 2023, results: [], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertEqual(nothing.status, .none, "CONTRACT: the JSON status stays none")
        XCTAssertFalse(nothing.hasData)
        XCTAssertEqual(nothing.statusName, "нет данных")
        let sentence = Identifier.sentence(schoolName: "Школа", nothing, subjects: [:])
        XCTAssertTrue(sentence.hasPrefix("Школа: нет данных"), sentence)
        XCTAssertFalse(sentence.contains("не соответствует"), sentence)
        let json = String(decoding: try JSONEncoder().encode(nothing), as: UTF8.self)
        XCTAssertTrue(json.contains("\"status\":\"none\""), json)

        // Term marks only: the rule looks at none of them — still no data, not «не соответствует».
        let termOnly = Identifier.identify(school: "S", year: 2023, results: [
            (WorkKey(year: 2023, procedure: .term, grade: 5, subject: "math"), ResultCounts(participants: 30, m2: 1, m3: 29)),
        ], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertFalse(termOnly.hasData)

        // A school the rule judged and cleared does not meet the criteria — that sentence stays.
        let judged = Identifier.identify(school: "S", year: 2023, results: [
            (WorkKey(year: 2023, procedure: .vpr, grade: 5, subject: "math"), ResultCounts(participants: 30, belowMin: 1)),
        ], isbsGroup: nil, criteria: .pervouralsk)
        XCTAssertTrue(judged.hasData)
        XCTAssertEqual(judged.statusName, IdentificationStatus.none.russianName)
        XCTAssertEqual(Identifier.explanation(judged, subjects: [:]), "критериям отбора не соответствует.")
    }
}
