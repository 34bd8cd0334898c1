import OporaDomain
import XCTest

/// «Did the support work?» (CONTRACT.md, `opora effect`), on figures computed by hand.
final class SupportEffectTests: XCTestCase {
    /// One ВПР mathematics group of `participants` pupils, `twos` of them with «2», the rest split «3» / «4».
    func work(_ participants: Int, twos: Int, fours: Int = 0, subject: String = "math")
        -> (counts: ResultCounts, procedure: ProcedureCode, subject: String)
    {
        (ResultCounts(participants: participants, m2: twos, m3: participants - twos - fours, m4: fours, m5: 0), .vpr, subject)
    }

    /// A school with `twos` of 20 pupils per year (year → «2»).
    func school(_ id: Int, _ twos: [Int: Int]) -> EffectSchool {
        EffectSchool(schoolID: id, years: twos.mapValues { ResultPool([work(20, twos: $0)]) })
    }

    func testAGroupsValueIsItsPupilsShareOverEveryGradeAndSubjectNotAMeanOfSchoolShares() throws {
        // School 1: Russian 5 «2» of 10, mathematics 3 of 30 → 8 of 40 = 20 % (the mean of its two shares would be 30 %).
        let firstGroups = [work(10, twos: 5, subject: "rus"), work(30, twos: 3)]
        let secondGroups = [work(10, twos: 10)]
        let first = EffectSchool(schoolID: 1, years: [2022: ResultPool(firstGroups)])
        // School 2: 10 «2» of 10 → 100 %. The group: 18 of 50 = 36 % (the mean of school shares would be 60 %).
        let second = EffectSchool(schoolID: 2, years: [2022: ResultPool(secondGroups)])
        let cases: [(name: String, schools: [EffectSchool], groups: [(counts: ResultCounts, procedure: ProcedureCode, subject: String)],
                     expected: Double)] = [
            ("one school, two subjects", [first], firstGroups, 20), ("two schools", [first, second], firstGroups + secondGroups, 36),
        ]
        for item in cases {
            let value = SupportEffect.pooled(item.schools.compactMap { $0.share(.belowMinRate, year: 2022) })
            XCTAssertEqual(try XCTUnwrap(value, item.name), item.expected, accuracy: 1e-9, item.name)
            // The same as one pool over every group of the schools.
            XCTAssertEqual(try XCTUnwrap(ResultPool(item.groups).belowMin?.rate), item.expected, accuracy: 1e-9, item.name)
        }
    }

    func testEachMetricIsReadFromThePool() throws {
        // 20 pupils: 4 «2», 10 «3», 6 «4». ЕГЭ profile mathematics judges the minimum by its own column.
        let vpr = ResultPool([work(20, twos: 4, fours: 6)])
        let ege = ResultPool([(ResultCounts(participants: 40, belowMin: 6), .ege, "math_prof")])
        let cases: [(EffectMetric, ResultPool, Double?)] = [
            (.belowMinRate, vpr, 20), (.successRate, vpr, 80), (.qualityRate, vpr, 30), (.belowMinRate, ege, 15),
            (.successRate, ege, nil),
        ]
        for (metric, pool, expected) in cases {
            XCTAssertEqual(metric.share(of: pool)?.rate, expected, "\(metric)")
        }
        XCTAssertEqual(EffectMetric(parsing: "success_rate"), .successRate)
        XCTAssertNil(EffectMetric(parsing: "mean_mark"))
    }

    /// Supported 1 (20 % → 10 %) and 2 (40 % → 30 %): pooled 30 % → 20 %, −10 points.
    /// Unlisted: 11 at 30 % (in range, → 25 %), 12 at 10 % (below the range), 13 at 50 % (above), 14 at 30 % but listed
    /// in 2023, 15 without results in 2023; 3 is listed but has no 2023 results.
    var window: (schools: [EffectSchool], listed: [Int: Set<Int>]) {
        let schools = [
            school(1, [2022: 4, 2023: 3, 2024: 2]), school(2, [2022: 8, 2023: 7, 2024: 6]), school(3, [2022: 8]),
            school(11, [2022: 6, 2023: 6, 2024: 5]), school(12, [2022: 2, 2024: 2]), school(13, [2022: 10, 2024: 10]),
            school(14, [2022: 6, 2024: 1]), school(15, [2022: 6, 2023: 6]),
        ]
        return (schools, [2022: [1, 2, 3], 2023: [1, 2, 14], 2024: [2]])
    }

    func testTheComparisonSetIsUnlistedSchoolsWithinTheSupportedRange() {
        let analysis = SupportEffect.analyse(from: 2022, to: 2024, metric: .belowMinRate, schools: window.schools, listed: window.listed)
        XCTAssertEqual(analysis.main.supported.schoolIDs, [1, 2], "listed for 2022 with results in both years")
        XCTAssertEqual(analysis.main.comparison.schoolIDs, [11], "in range; 12 and 13 out of range; 14 listed in 2023; 15 no 2024")
        XCTAssertEqual(analysis.sensitivity.comparison.schoolIDs, [11, 12, 13], "every unlisted school with both years")
        XCTAssertEqual(analysis.range.map { [$0.lowerBound, $0.upperBound] }?.map { ($0 * 1e6).rounded() / 1e6 }, [20, 40])
        XCTAssertEqual(analysis.lines.map(\.schoolID), [1, 2, 11])
        XCTAssertEqual(analysis.lines.map(\.group), [.supported, .supported, .comparison])
    }

    func testTheDifferenceInDifferences() throws {
        let analysis = SupportEffect.analyse(from: 2022, to: 2024, metric: .belowMinRate, schools: window.schools, listed: window.listed)
        let main = analysis.main
        XCTAssertEqual(try XCTUnwrap(main.supported.before), 30, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(main.supported.after), 20, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(main.comparison.before), 30, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(main.comparison.after), 25, accuracy: 1e-9)
        // (20 − 30) − (25 − 30) = −5 points.
        XCTAssertEqual(try XCTUnwrap(main.effect), -5, accuracy: 1e-9)
        // Each year of the window, pooled over the group's schools with results that year (2023: 10 of 40 = 25 %).
        XCTAssertEqual(try XCTUnwrap(main.supported.byYear[2023]), 25, accuracy: 1e-9)
        // Sensitivity: 11, 12, 13 pooled 18 of 60 = 30 % → 17 of 60 ≈ 28,33 %: (−10) − (−1,67) = −8,33.
        XCTAssertEqual(try XCTUnwrap(analysis.sensitivity.effect), -10 - (17.0 / 60 * 100 - 30), accuracy: 1e-9)
        XCTAssertFalse(main.enough, "two supported schools and one comparable school are too few to judge")
    }

    func testTheIntervalHoldsTheEstimateAndIsReproducible() throws {
        // Six supported schools falling unevenly, six comparison schools in the same range changing a little.
        let supported = [(6, 3), (8, 4), (5, 4), (7, 2), (9, 6), (6, 5)].enumerated().map {
            school($0.offset + 1, [2022: $0.element.0, 2023: $0.element.1])
        }
        let comparison = [(6, 6), (8, 7), (5, 5), (7, 6), (9, 9), (6, 5)].enumerated().map {
            school($0.offset + 101, [2022: $0.element.0, 2023: $0.element.1])
        }
        let analysis = SupportEffect.analyse(
            from: 2022, to: 2023, metric: .belowMinRate, schools: supported + comparison, listed: [2022: Set(1...6)])
        // Supported 41 → 24 of 120, comparison 41 → 38 of 120: (−17 + 3) / 120 × 100 = −11,67 points.
        let effect = try XCTUnwrap(analysis.main.effect)
        XCTAssertEqual(effect, -14.0 / 120 * 100, accuracy: 1e-9)
        let interval = try XCTUnwrap(analysis.main.interval)
        XCTAssertTrue(interval.contains(effect), "\(interval) holds \(effect)")
        XCTAssertLessThan(interval.upper, 0, "every resample shows the supported schools falling more")
        XCTAssertLessThan(interval.lower, interval.upper)
        XCTAssertTrue(analysis.main.enough)
        let again = SupportEffect.analyse(
            from: 2022, to: 2023, metric: .belowMinRate, schools: supported + comparison, listed: [2022: Set(1...6)])
        XCTAssertEqual(again.main.interval, interval, "a fixed seed: the same data give the same interval")
    }

    func testIdenticalSchoolsGiveAnIntervalOfTheEstimateAlone() throws {
        // Every supported school 4 → 2 of 20, every comparison school 4 → 4: −10 points in every resample.
        let schools = (1...5).map { school($0, [2022: 4, 2023: 2]) } + (11...15).map { school($0, [2022: 4, 2023: 4]) }
        let analysis = SupportEffect.analyse(from: 2022, to: 2023, metric: .belowMinRate, schools: schools, listed: [2022: Set(1...5)])
        XCTAssertEqual(try XCTUnwrap(analysis.main.effect), -10, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(analysis.main.interval?.lower), -10, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(analysis.main.interval?.upper), -10, accuracy: 1e-9)
    }

    func testTooFewSchoolsInAGroupAreRefused() {
        let cases: [(supported: Int, comparison: Int, enough: Bool)] = [(5, 5, true), (4, 5, false), (5, 4, false), (0, 7, false)]
        for item in cases {
            let schools = (0..<item.supported).map { school(1 + $0, [2022: 4, 2023: 3]) }
                + (0..<item.comparison).map { school(100 + $0, [2022: 4, 2023: 4]) }
            let analysis = SupportEffect.analyse(
                from: 2022, to: 2023, metric: .belowMinRate, schools: schools,
                listed: [2022: Set((0..<item.supported).map { 1 + $0 })])
            XCTAssertEqual(analysis.main.enough, item.enough, "\(item)")
            XCTAssertEqual(analysis.main.supported.schools, item.supported)
            XCTAssertEqual(analysis.main.comparison.schools, item.supported == 0 ? 0 : item.comparison, "no range without supported")
            if item.supported == 0 {
                XCTAssertNil(analysis.main.effect)
                XCTAssertNil(analysis.main.interval)
            }
        }
    }
}
