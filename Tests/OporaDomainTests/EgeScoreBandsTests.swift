import OporaDomain
import XCTest

final class EgeScoreBandsTests: XCTestCase {
    func testBandsAreSeed003s() {
        XCTAssertEqual(EgeScoreBands.ege.map(\.label), ["0–23", "24–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–99", "100"])
    }

    func testWhichBandAScoreFallsIn() {
        let cases: [(Double?, Int?)] = [
            (0, 0), (23, 0), (23.5, 0), (24, 1), (39, 1), (40, 2), (49, 2), (50, 3), (69, 4), (70, 5),
            (89, 6), (90, 7), (99, 7), (99.5, 7), (100, 8),
            (nil, nil), (-1, nil), (101, nil), (.nan, nil),
        ]
        for (score, band) in cases {
            XCTAssertEqual(EgeScoreBands.index(of: score), band, "\(String(describing: score))")
        }
    }

    func testCountsBySchoolAndTotal() {
        // Seed 003's «МБОУ "Барановская СОШ"»: 3 pupils, one each in 50–59, 60–69, 70–79, mean 62,3 — counted by hand.
        let baranovo = BandCounts.count([55, 62, 70].map { StudentResult(score: $0) })
        XCTAssertEqual(baranovo.bands, [0, 0, 0, 1, 1, 1, 0, 0, 0])
        XCTAssertEqual(baranovo.scored, 3)
        XCTAssertEqual(baranovo.meanScore!, 62.33, accuracy: 0.01)
        // A pupil at exactly 24, one at 100, one without a score: the missing one is in no band and not in the mean.
        let edges = BandCounts.count([StudentResult(score: 24), StudentResult(score: 100), StudentResult(mark: 3)])
        XCTAssertEqual(edges.bands, [0, 1, 0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(edges.withoutScore, 1)
        XCTAssertEqual(edges.scored, 2)
        XCTAssertEqual(edges.meanScore, 62)
        let total = BandCounts.total([baranovo, edges])
        XCTAssertEqual(total.bands, [0, 1, 0, 1, 1, 1, 0, 0, 1])
        XCTAssertEqual(total.scored, 5)
        XCTAssertEqual(total.withoutScore, 1)
        // The municipality's mean is over its pupils (311 / 5), not the mean of the schools' means.
        XCTAssertEqual(total.meanScore!, 62.2, accuracy: 1e-9)
        XCTAssertNil(BandCounts.count([StudentResult(mark: 4)]).meanScore)
    }

    func testMarkCounts() {
        // Seed 003's ГВЭ table: «ИТОГО 8 — 0, 3, 5, 0 — 3,625».
        let first = MarkCounts(ResultCounts(participants: 2, m2: 0, m3: 2, m4: 0, m5: 0, belowMin: 0))!
        let second = MarkCounts(ResultCounts(participants: 6, m2: 0, m3: 1, m4: 5, m5: 0, belowMin: 0))!
        let total = MarkCounts.total([first, second])
        XCTAssertEqual(total.participants, 8)
        XCTAssertEqual(total.marks, [0, 3, 5, 0])
        XCTAssertEqual(total.meanMark!, 3.625, accuracy: 1e-9)
        XCTAssertEqual(total.belowMin, 0)
        XCTAssertEqual(first.meanMark, 3)
        // Counts without marks read «нет данных», not zeros; a school that does not say who is below the minimum
        // leaves the total's count unknown too.
        XCTAssertNil(MarkCounts(ResultCounts(participants: 5, meanScore: 60)))
        let silent = MarkCounts(ResultCounts(participants: 1, m5: 1))!
        XCTAssertNil(silent.belowMin)
        XCTAssertNil(MarkCounts.total([first, silent]).belowMin)
        XCTAssertEqual(MarkCounts.total([first, silent]).marks, [0, 2, 0, 1])
    }
}

final class CollectionTableTests: XCTestCase {
    func testRowsAsSeed004sTable13() {
        let cases: [(String?, [Int], String, String)] = [
            (nil, [5, 9], "Два раза в год", "Май, сентябрь"),
            (nil, [2], "Один раз в год", "Февраль"),
            ("Ежеквартально", [1, 4, 7, 10], "Ежеквартально", "Январь, апрель, июль, октябрь"),
            ("  ", [], "не указана", "не указан"),
            (nil, Array(1...12), "Ежемесячно",
             "Январь, февраль, март, апрель, май, июнь, июль, август, сентябрь, октябрь, ноябрь, декабрь"),
        ]
        for (written, months, periodicity, period) in cases {
            let row = CollectionTableRow(code: "1", indicator: "Предметные результаты", periodicity: written, months: months,
                                         source: nil, responsible: "УО")
            XCTAssertEqual(row.periodicity, periodicity, "\(months)")
            XCTAssertEqual(row.period, period, "\(months)")
            XCTAssertEqual(row.source, "")
        }
    }
}
