import Foundation
import OporaDomain
import XCTest

final class IdentificationTests: XCTestCase {
    /// Seed 004, Table 7: school numbers placed by ИСБШ group (row) × quality group (column).
    static let table7: [(school: Int, isbs: Int, quality: Int)] = [
        (40, 2, 5),
        (3, 3, 4), (22, 3, 5), (26, 3, 5), (36, 3, 5), (11, 3, 6), (29, 3, 6),
        (10, 4, 5), (28, 4, 5), (2, 4, 6), (5, 4, 7), (9, 4, 7),
        (1, 5, 5), (4, 5, 7), (7, 5, 7),
        (20, 6, 3), (16, 6, 4), (12, 6, 5),
        (15, 7, 4), (6, 7, 6), (32, 7, 7), (21, 7, 8),
    ]

    func testSeed004Table7GivesTheFiveTypes() {
        XCTAssertEqual(Self.table7.count, 22)
        let types = Self.table7.map { TypologyRule.pervouralsk.type(isbsGroup: $0.isbs, qualityGroup: $0.quality) }
        let counts = Dictionary(grouping: types, by: { $0 }).mapValues(\.count)
        XCTAssertEqual(counts[.unfavourable], 7)
        XCTAssertEqual(counts[.resilient], 5)
        XCTAssertEqual(counts[.failing], 5)
        XCTAssertEqual(counts[.conditionallyFavourable], 5)
        XCTAssertNil(counts[.favourable])
        // The seed names the failing ones: № 12, 15, 16, 20 (and № 1).
        let failing = Self.table7.filter { TypologyRule.pervouralsk.type(isbsGroup: $0.isbs, qualityGroup: $0.quality) == .failing }.map(
            \.school
        ).sorted()
        XCTAssertEqual(failing, [1, 12, 15, 16, 20])
        XCTAssertEqual(TypologyRule.pervouralsk.type(isbsGroup: 8, qualityGroup: 7), .favourable)
        XCTAssertEqual(TypologyRule.pervouralsk.type(isbsGroup: 8, qualityGroup: 6), .conditionallyFavourable)
    }

    func work(
        _ year: Int, _ procedure: ProcedureCode, _ grade: Int, _ subject: String, n: Int, below: Int
    ) -> (work: WorkKey, counts: ResultCounts) {
        (WorkKey(year: year, procedure: procedure, grade: grade, subject: subject), ResultCounts(participants: n, belowMin: below))
    }

    func identify(
        _ results: [(work: WorkKey, counts: ResultCounts)], isbs: Int? = nil, criteria: CriteriaSet = .pervouralsk
    ) -> IdentificationResult {
        Identifier.identify(school: "S", year: 2023, results: results, isbsGroup: isbs, criteria: criteria)
    }

    func testTwoProceduresInOneYear() {
        let result = identify([work(2023, .vpr, 6, "math", n: 38, below: 13), work(2023, .oge, 9, "math", n: 29, below: 9)])
        XCTAssertEqual(result.status, .lowResults)
        XCTAssertEqual(result.reasons.map(\.rule), ["low_results.procedures_in_year", "low_results.procedures_in_year"])
        XCTAssertEqual(result.reasons[0].procedure, "OGE")
        XCTAssertEqual(result.reasons[1].value, 34.21)
        XCTAssertEqual(
            Identifier.sentence(schoolName: "МАОУ СОШ № 16", result, subjects: ["math": "Математика"]),
            "МАОУ СОШ № 16 — низкие образовательные результаты: ОГЭ-2023 математика, 9 класс: 31 % (9 из 29) не преодолели порог ≥ 30 %; " +
            "ВПР-2023 математика, 6 класс: 34,2 % (13 из 38) не преодолели порог ≥ 30 %."
        )
    }

    func testSameProcedureTwoYearsRunning() {
        let result = identify([work(2022, .vpr, 5, "rus", n: 20, below: 7), work(2023, .vpr, 6, "rus", n: 20, below: 6)])
        XCTAssertEqual(result.status, .lowResults)
        XCTAssertEqual(result.reasons.map(\.rule), ["low_results.consecutive_years", "low_results.consecutive_years"])
        XCTAssertEqual(result.reasons.map(\.year), [2022, 2023])
    }

    func testBoundaryExactlyThirtyPercentCounts() {
        let result = identify([work(2023, .vpr, 7, "math", n: 20, below: 6), work(2023, .ege, 11, "rus", n: 10, below: 3)])
        XCTAssertEqual(result.status, .lowResults)
        XCTAssertEqual(result.reasons.map(\.value), [30, 30])
    }

    func testSchoolThatMustNotBeFlagged() {
        // 30 % in a single procedure once; other subjects and grade 4 ignored; a tiny group not judged.
        let result = identify([
            work(2023, .vpr, 6, "math", n: 30, below: 9),
            work(2022, .oge, 9, "math", n: 30, below: 12),     // a different procedure in the previous year
            work(2023, .vpr, 4, "rus", n: 30, below: 20),      // grade 4 is outside ВПР 5–8
            work(2023, .oge, 9, "bio", n: 30, below: 20),      // not Russian or mathematics
            work(2023, .ege, 11, "rus", n: 3, below: 3),       // below the minimum group of 5
        ])
        XCTAssertEqual(result.status, .none, "one procedure in 2023, another in 2022: neither branch holds")
        XCTAssertTrue(result.reasons.isEmpty)
        let clean = identify([work(2023, .vpr, 6, "math", n: 30, below: 9), work(2023, .oge, 9, "rus", n: 30, below: 2)])
        XCTAssertEqual(clean.status, .none)
        XCTAssertTrue(clean.reasons.isEmpty)
        // 26,7 % and 100 %: only one procedure crosses 30 %, and the risk band is [15, 30) as the programme words
        // it («менее 30 %»): not flagged — but the 100 % is named, not hidden.
        let alarming = identify([work(2023, .vpr, 6, "math", n: 30, below: 8), work(2023, .oge, 9, "math", n: 30, below: 30)])
        XCTAssertEqual(alarming.status, .none)
        XCTAssertEqual(alarming.nearMisses.map(\.value), [100])
        XCTAssertEqual(
            Identifier.sentence(schoolName: "Школа № 7", alarming, subjects: ["math": "Математика"]),
            "Школа № 7: критериям в целом не соответствует, но ОГЭ-2023 математика, 9 класс: 100 % (30 из 30) не преодолели порог — не " +
            "меньше 30 % (условие отбора выполнено не полностью)."
        )
        // A set may count shares above the threshold towards the risk pattern too.
        var wide = CriteriaSet.pervouralsk
        wide.lowResults.riskUpperBoundSetting = 100
        XCTAssertEqual(
            identify([work(2023, .vpr, 6, "math", n: 30, below: 8), work(2023, .oge, 9, "math", n: 30, below: 30)], criteria: wide).status,
            .riskOfDecline)
    }

    func testRiskCountsOnlyTheBandBelowTheThreshold() {
        // Table: (VPR share, OGE share) → status under the programme's rule.
        let cases: [(Int, Int, IdentificationStatus)] = [
            (20, 20, .riskOfDecline), (15, 29, .riskOfDecline), (14, 29, .none), (30, 30, .lowResults), (29, 30, .none), (30, 29, .none),
            (0, 0, .none),
        ]
        for (vpr, oge, expected) in cases {
            let result = identify([work(2023, .vpr, 6, "math", n: 100, below: vpr), work(2023, .oge, 9, "math", n: 100, below: oge)])
            XCTAssertEqual(result.status, expected, "\(vpr) % and \(oge) %")
        }
    }

    func testTooSmallToJudgeSaysSoAndByWhichGroups() {
        let tiny = identify([work(2023, .vpr, 6, "math", n: 3, below: 3), work(2023, .oge, 9, "rus", n: 4, below: 4)])
        XCTAssertEqual(tiny.status, .none)
        XCTAssertEqual(tiny.notJudged.map(\.participants), [4, 3])
        XCTAssertEqual(
            Identifier.sentence(schoolName: "Малокомплектная", tiny, subjects: ["math": "Математика", "rus": "Русский язык"]),
            "Малокомплектная: недостаточно данных для вывода — все группы меньше 5 участников: ОГЭ-2023 русский язык, 9 класс (4 уч.); " +
            "ВПР-2023 математика, 6 класс (3 уч.)."
        )
        let partly = identify([work(2023, .vpr, 6, "math", n: 30, below: 1), work(2023, .oge, 9, "rus", n: 4, below: 4)])
        XCTAssertEqual(
            Identifier.sentence(schoolName: "Школа", partly, subjects: ["rus": "Русский язык"]),
            "Школа: критериям отбора не соответствует; не оценены из-за малого числа участников (меньше 5): ОГЭ-2023 русский язык, 9 " +
            "класс (4 уч.).",
            "a judged group without a hit, and one too small: not flagged, and the small one named")
        XCTAssertEqual(partly.notJudged.count, 1)
    }

    func testBaseMathematicsOfTheEGEIsJudgedByItsMarks() {
        // ЕГЭ базовая математика has marks only: «2» is below the minimum.
        let base = (
            WorkKey(year: 2023, procedure: .ege, grade: 11, subject: "math_base"),
            ResultCounts(participants: 20, m2: 7, m3: 8, m4: 3, m5: 2)
        )
        let oge = work(2023, .oge, 9, "math", n: 20, below: 8)
        let result = identify([base, oge])
        XCTAssertEqual(result.status, .lowResults)
        XCTAssertEqual(result.reasons.first { $0.procedure == "EGE" }?.value, 35)
        // Profile mathematics without a threshold has no minimum to judge by.
        let profile = (
            WorkKey(year: 2023, procedure: .ege, grade: 11, subject: "math_prof"),
            ResultCounts(participants: 20, m2: 7, m3: 8, m4: 3, m5: 2)
        )
        XCTAssertNil(Metrics.compute(profile.1, procedure: .ege, subject: "math_prof").belowMinRate)
    }

    func testPooledGroupsDoNotDiluteRatesWithGroupsThatLackTheCounts() {
        // Grades pooled: grade 5 reports below_min, grade 6 only participants. The share is 12 of 30, not 12 of 60.
        var pooled = CriteriaSet.pervouralsk
        pooled.lowResults.pooledGrades = true
        pooled.lowResults.minProceduresInYear = 1
        let result = identify(
            [
                work(2023, .vpr, 5, "math", n: 30, below: 12),
                (WorkKey(year: 2023, procedure: .vpr, grade: 6, subject: "math"), ResultCounts(participants: 30)),
            ], criteria: pooled)
        XCTAssertEqual(result.status, .lowResults)
        XCTAssertEqual(result.reasons.first?.value, 40)
        XCTAssertEqual(result.reasons.first?.participants, 30)
    }

    func testSocialConditionsAndRiskOfDecline() {
        let low = [work(2023, .vpr, 6, "math", n: 38, below: 13), work(2023, .oge, 9, "math", n: 29, below: 9)]
        XCTAssertEqual(identify(low, isbs: 3).status, .lowResultsSocial)
        XCTAssertEqual(identify(low, isbs: 3).reasons.last?.rule, "social.isbs_group")
        XCTAssertEqual(identify(low, isbs: 6).status, .lowResults)
        let risk = identify([work(2023, .vpr, 6, "math", n: 40, below: 8), work(2023, .oge, 9, "rus", n: 40, below: 7)])
        XCTAssertEqual(risk.status, .riskOfDecline)
        XCTAssertEqual(risk.reasons.first?.threshold, 15)
    }

    func testJointPooledAndIntervalOptions() {
        // Russian 8/20 = 40 %, mathematics 2/20 = 10 %: per subject one hit; jointly 25 %.
        let results = [work(2023, .vpr, 6, "rus", n: 20, below: 8), work(2023, .vpr, 6, "math", n: 20, below: 2),
                       work(2023, .oge, 9, "rus", n: 20, below: 8)]
        XCTAssertEqual(identify(results).status, .lowResults)
        var joint = CriteriaSet.pervouralsk
        joint.lowResults.jointSubjects = true
        // Jointly ВПР is 25 % (risk band) and ОГЭ 40 % (above it): one procedure in each band, neither pattern.
        XCTAssertEqual(identify(results, criteria: joint).status, .none)
        joint.lowResults.riskUpperBoundSetting = 100
        XCTAssertEqual(identify(results, criteria: joint).status, .riskOfDecline)

        // A small school: 2 of 5 below (40 %) crosses the point, but its interval (12–77 %) does not.
        var strict = CriteriaSet.pervouralsk
        strict.lowResults.requireInterval = true
        let small = [work(2023, .vpr, 6, "math", n: 5, below: 2), work(2023, .oge, 9, "math", n: 5, below: 2)]
        XCTAssertEqual(identify(small).status, .lowResults)
        XCTAssertEqual(identify(small, criteria: strict).status, .none)
        XCTAssertTrue(Identifier.sentence(schoolName: "Малая", identify(small), subjects: [:]).contains("40 % (2 из 5, интервал 12–77 %)"))
        let large = [work(2023, .vpr, 6, "math", n: 400, below: 160), work(2023, .oge, 9, "math", n: 300, below: 120)]
        XCTAssertEqual(identify(large, criteria: strict).status, .lowResults)
    }

    func testCriteriaFromJSONWithDefaultsAndValidation() throws {
        let json = #"{"name": "Проба", "low_results": {"threshold": 25, "consecutive_years": 0, "min_procedures_in_year": 1}}"#
        let criteria = try JSONDecoder().decode(CriteriaSet.self, from: Data(json.utf8))
        XCTAssertEqual(criteria.lowResults.threshold, 25)
        XCTAssertEqual(criteria.lowResults.procedures, [.vpr, .oge, .ege], "missing keys take seed 004's values")
        XCTAssertNoThrow(try criteria.validate())
        var bad = criteria
        bad.lowResults.threshold = 130
        bad.lowResults.procedures = []
        XCTAssertThrowsError(try bad.validate()) { error in
            XCTAssertEqual(
                "\(error)",
                "Набор критериев неверен:\n  - low_results.threshold: от 0 до 100\n  - low_results.procedures: укажите хотя бы одну " +
                "процедуру"
            )
        }
        XCTAssertNoThrow(try CriteriaSet.pervouralsk.validate())
        XCTAssertNoThrow(try CriteriaSet.giaOnly.validate())
    }
}

extension IdentificationTests {
    func testDocumentedExampleDecodes() throws {
        let json =
            #"{"name":"x","low_results":{},"social":{"isbs_groups":[1,2]},"typology":{"low_social_max":4,"low_quality_max":5,"#
            + #""favourable_social_min":8,"favourable_quality_min":7}}"#
        let criteria = try JSONDecoder().decode(CriteriaSet.self, from: Data(json.utf8))
        XCTAssertEqual(criteria.typology, .pervouralsk)
        XCTAssertEqual(criteria.social?.isbsGroups, [1, 2])
        XCTAssertEqual(criteria.lowResults, CriteriaSet.pervouralsk.lowResults)
    }
}

extension IdentificationTests {
    func testListChanges() {
        let changes = ListChanges.compare(previous: ["A": .lowResults, "B": .riskOfDecline, "C": .none, "D": .lowResultsSocial],
                                          current: ["A": .lowResults, "B": .none, "C": .lowResults, "E": .riskOfDecline])
        XCTAssertEqual(changes, ListChanges(entered: ["C", "E"], stayed: ["A"], left: ["B", "D"]))
    }
}
