import OporaDomain
import XCTest

final class MetricsTests: XCTestCase {
    func testContractExample() {
        // Seed 000, grade 5 mathematics, МКОУ «Липицкая СОШ»: 5 of 14 failed.
        let m = Metrics.compute(ResultCounts(participants: 14, m2: 5, m3: 7, m4: 2, m5: 0), procedure: .vpr, subject: "math")
        XCTAssertEqual(m.successRate!, 64.29, accuracy: 0.005)
        XCTAssertEqual(RussianFormat.number(m.successRate!), "64,3")
        XCTAssertEqual(m.qualityRate!, 14.29, accuracy: 0.005)
        XCTAssertEqual(m.meanMark!, 2.79, accuracy: 0.005)
        XCTAssertEqual(m.sou!, 32.86, accuracy: 0.005)
        XCTAssertEqual(m.belowMinRate!, 35.71, accuracy: 0.005)
        XCTAssertNil(m.meanScore)
        XCTAssertNil(m.highRate)
        XCTAssertNil(m.confirmedRate)
    }

    func testFormulasTable() {
        typealias Case = (ResultCounts, ProcedureCode, success: Double?, quality: Double?, mean: Double?, sou: Double?, below: Double?)
        let cases: [Case] = [
            (ResultCounts(participants: 10, m2: 0, m3: 0, m4: 0, m5: 10), .vpr, 100, 100, 5, 100, 0),
            (ResultCounts(participants: 10, m2: 10, m3: 0, m4: 0, m5: 0), .vpr, 0, 0, 2, 16, 100),
            (ResultCounts(participants: 4, m2: 1, m3: 1, m4: 1, m5: 1), .oge, 75, 50, 3.5, 54, 25),
            // Below minimum from the explicit column wins over mark 2.
            (ResultCounts(participants: 20, m2: 2, m3: 8, m4: 6, m5: 4, belowMin: 3), .oge, 90, 50, 3.6, 55.2, 15),
            // ЕГЭ without marks: only the score-based metrics.
            (ResultCounts(participants: 8, belowMin: 1, high: 2, meanScore: 71.5), .ege, nil, nil, nil, nil, 12.5),
            (ResultCounts(participants: 0), .vpr, nil, nil, nil, nil, nil),
        ]
        for (counts, procedure, success, quality, mean, sou, below) in cases {
            let m = Metrics.compute(counts, procedure: procedure, subject: "math")
            for (name, value, expected) in [
                ("success", m.successRate, success), ("quality", m.qualityRate, quality), ("mean", m.meanMark, mean),
                ("sou", m.sou, sou), ("below", m.belowMinRate, below),
            ] {
                if let expected {
                    XCTAssertEqual(value ?? .nan, expected, accuracy: 1e-9, "\(name) of \(counts)")
                } else {
                    XCTAssertNil(value, "\(name) of \(counts)")
                }
            }
        }
    }

    func testObjectivityAndHighScorers() {
        let m = Metrics.compute(
            ResultCounts(participants: 20, high: 5, lowered: 4, confirmed: 14, raised: 2), procedure: .ege, subject: "math")
        XCTAssertEqual(m.highRate, 25)
        XCTAssertEqual(m.loweredRate, 20)
        XCTAssertEqual(m.confirmedRate, 70)
        XCTAssertEqual(m.raisedRate, 10)
    }

    func testStudentsAndAggregatesGiveTheSameAnswer() {
        // A grade-9 ОГЭ class: marks, term marks, scores, with a threshold of 15 and high of 30.
        let students: [StudentResult] = [
            .init(mark: 2, termMark: 3, score: 10), .init(mark: 3, termMark: 3, score: 16), .init(mark: 3, termMark: 4, score: 18),
            .init(mark: 4, termMark: 4, score: 25), .init(mark: 5, termMark: 4, score: 31), .init(mark: 4, termMark: nil, score: 27),
            .init(mark: 3, termMark: 3, score: 14), .init(mark: nil, termMark: nil, score: nil),
        ]
        let threshold = ScoreThreshold(minScore: 15, highScore: 30)
        let counts = StudentAccumulator.aggregate(students, procedure: .oge, subject: "math", threshold: threshold)
        XCTAssertEqual(counts, ResultCounts(participants: 8, m2: 1, m3: 3, m4: 2, m5: 1, belowMin: 2, high: 1, meanScore: 141.0 / 7,
                                            lowered: 2, confirmed: 3, raised: 1))
        // The mark 3 with score 14 is below the minimum by score although its mark is 3.
        let fromStudents = Metrics.compute(counts, procedure: .oge, subject: "math")
        let fromAggregate = Metrics.compute(
            ResultCounts(
                participants: 8, m2: 1, m3: 3, m4: 2, m5: 1, belowMin: 2, high: 1, meanScore: 141.0 / 7,
                lowered: 2, confirmed: 3, raised: 1), procedure: .oge, subject: "math")
        XCTAssertEqual(fromStudents, fromAggregate)
        XCTAssertEqual(fromStudents.confirmedRate!, 50, accuracy: 1e-9)
    }

    func testWilsonIntervalIsWideForSmallGroups() {
        let small = Metrics.wilsonInterval(successes: 2, of: 6)!
        let large = Metrics.wilsonInterval(successes: 200, of: 600)!
        XCTAssertEqual(small.lower, 9.68, accuracy: 0.01)
        XCTAssertEqual(small.upper, 70.0, accuracy: 0.01)
        XCTAssertLessThan(large.upper - large.lower, 8)
        XCTAssertNil(Metrics.wilsonInterval(successes: 7, of: 6))
        XCTAssertTrue(ResultMetrics(participants: 6).isSmallGroup())
        XCTAssertFalse(ResultMetrics(participants: 10).isSmallGroup())
    }

    func testPlausibilityOfCounts() {
        XCTAssertEqual(Plausibility.problems(in: ResultCounts(participants: 10, m2: 5, m3: 5, m4: 1)).map(\.column), ["m2"])
        XCTAssertEqual(
            Plausibility.problems(in: ResultCounts(participants: 10, belowMin: 11, high: 12)).map(\.column), ["below_min", "high"])
        XCTAssertEqual(Plausibility.problems(in: ResultCounts(participants: 10, lowered: 5, confirmed: 6)).map(\.column), ["confirmed"])
        XCTAssertTrue(Plausibility.problems(in: ResultCounts(participants: 10, m2: 1, m3: 2, m4: 3, m5: 4, belowMin: 1)).isEmpty)
    }
}

extension MetricsTests {
    /// The printed-rate check does constant work for any N and finds exactly what trying every count finds.
    func testRateCheckAgreesWithTryingEveryCount() {
        func bruteForce(_ rate: Double, _ n: Int) -> Int? {
            let scale = rate == rate.rounded() ? 1.0 : 10.0
            for k in 0...n {
                let share = Double(k) / Double(n) * 100
                let candidates = [(share * scale).rounded() / scale, (share * scale).rounded(.down) / scale, share.rounded()]
                if candidates.contains(where: { abs($0 - rate) < 1e-6 }) { return k }
            }
            return nil
        }
        for n in [1, 2, 3, 6, 7, 14, 17, 29, 38, 99, 100, 101, 257] {
            for tenth in stride(from: 0, through: 1000, by: 7) {
                let rate = Double(tenth) / 10
                XCTAssertEqual(Plausibility.count(forRate: rate, of: n), bruteForce(rate, n), "\(rate) % of \(n)")
            }
        }
        // Ten million participants: answered at once.
        XCTAssertNotNil(Plausibility.count(forRate: 84.5, of: 10_000_000))
        XCTAssertNil(Plausibility.count(forRate: .infinity, of: 10))
    }
}
