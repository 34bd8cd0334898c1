import OporaDomain
import XCTest

/// The seeds' own tables, re-created from counts.
final class SeedTablesTests: XCTestCase {
    /// Seed 000, ВПР-2022, МКОУ «Липицкая СОШ»: participants and failures from the text («5 человек из 14»),
    /// the count with «4»/«5» implied by the printed quality; printed success and quality per the tables.
    struct Row { let grade: Int; let subject: String; let n: Int; let failed: Int; let good: Int; let success: Double; let quality: Double }

    static let lipitskaya: [Row] = [
        Row(grade: 5, subject: "rus", n: 14, failed: 5, good: 5, success: 64.3, quality: 34.5),
        Row(grade: 5, subject: "math", n: 14, failed: 5, good: 2, success: 64.3, quality: 14),
        Row(grade: 5, subject: "hist", n: 13, failed: 2, good: 4, success: 85, quality: 31),
        Row(grade: 5, subject: "bio", n: 14, failed: 3, good: 1, success: 79, quality: 7),
        Row(grade: 6, subject: "rus", n: 17, failed: 6, good: 4, success: 47, quality: 23.5),
        Row(grade: 6, subject: "math", n: 18, failed: 4, good: 5, success: 78, quality: 28),
        Row(grade: 6, subject: "hist", n: 18, failed: 5, good: 6, success: 72, quality: 33),
        Row(grade: 6, subject: "bio", n: 19, failed: 5, good: 2, success: 74, quality: 10),
        Row(grade: 7, subject: "rus", n: 11, failed: 2, good: 4, success: 82, quality: 36),
        Row(grade: 7, subject: "math", n: 12, failed: 6, good: 1, success: 50, quality: 8),
        Row(grade: 7, subject: "hist", n: 9, failed: 1, good: 2, success: 89, quality: 22),
        Row(grade: 7, subject: "bio", n: 11, failed: 2, good: 2, success: 82, quality: 18),
        Row(grade: 7, subject: "geo", n: 10, failed: 1, good: 3, success: 90, quality: 30),
        Row(grade: 7, subject: "soc", n: 12, failed: 3, good: 4, success: 75, quality: 33),
        Row(grade: 7, subject: "phys", n: 10, failed: 5, good: 3, success: 50, quality: 30),
        Row(grade: 7, subject: "eng", n: 11, failed: 8, good: 1, success: 27, quality: 9),
        Row(grade: 8, subject: "rus", n: 9, failed: 2, good: 3, success: 78, quality: 33),
        Row(grade: 8, subject: "math", n: 7, failed: 2, good: 0, success: 71, quality: 0),
        Row(grade: 8, subject: "hist", n: 9, failed: 1, good: 4, success: 89, quality: 44),
    ]

    /// The rows whose printed figures no count can produce: Opora must flag them, not reproduce them.
    static let inconsistent: Set<String> = ["5 rus quality", "6 rus success"]

    func testSeed000VPRTablesFromCounts() {
        for row in Self.lipitskaya {
            let counts = ResultCounts(participants: row.n, m2: row.failed, m3: row.n - row.failed - row.good, m4: row.good, m5: 0)
            let metrics = Metrics.compute(counts, procedure: .vpr, subject: "math")
            for (name, computed, printed) in [
                ("success", metrics.successRate!, row.success), ("quality", metrics.qualityRate!, row.quality),
            ] {
                let key = "\(row.grade) \(row.subject) \(name)"
                // Printed to whole percent (or 0,1), rounded or truncated: the computed rate must give the print.
                let decimals = printed == printed.rounded() ? 0 : 1
                var scale = 1.0
                for _ in 0..<decimals { scale *= 10 }
                let reproduced = [(computed * scale).rounded() / scale, (computed * scale).rounded(.down) / scale]
                    .contains { abs($0 - printed) < 1e-9 }
                if Self.inconsistent.contains(key) {
                    XCTAssertFalse(reproduced, "\(key): the seed prints \(printed), which its own counts do not give")
                } else {
                    XCTAssertTrue(reproduced, "\(key): computed \(computed), printed \(printed)")
                }
            }
        }
        // The brief's example: 5 of 14 failed → 64,3 %.
        XCTAssertEqual(
            RussianFormat.number(
                Metrics.compute(ResultCounts(participants: 14, m2: 5, m3: 7, m4: 2, m5: 0), procedure: .vpr, subject: "math").successRate!),
            "64,3")
    }

    func testSeed000ImpossibleRowsAreFlagged() {
        // Grade 4 mathematics: «0» success and «100» quality — the seed's own misprint.
        let grade4 = Plausibility.problems(successRate: 0, qualityRate: 100, participants: 7)
        XCTAssertEqual(grade4.map(\.column), ["quality_rate"])
        XCTAssertTrue(grade4[0].message.contains("качество 100 % выше успеваемости 0 %"))
        // Grade 5 Russian: 34,5 % of 14 is 4,83 students.
        let grade5 = Plausibility.problems(successRate: 64.3, qualityRate: 34.5, participants: 14)
        XCTAssertEqual(grade5.map(\.column), ["quality_rate"])
        XCTAssertTrue(grade5[0].message.contains("не получается ни из какого целого числа учеников из 14"))
        // Grade 6 Russian: 6 of 17 failed gives 64,7 %, the table prints 47.
        XCTAssertEqual(
            RussianFormat.number(
                Metrics.compute(ResultCounts(participants: 17, m2: 6, m3: 7, m4: 4, m5: 0), procedure: .vpr, subject: "math").successRate!),
            "64,7")
        XCTAssertNotNil(
            Plausibility.count(forRate: 47, of: 17), "47 % is 8 of 17 — consistent with the table, not with the text's «6 из 17»")
    }

    /// Seed 003: ЕГЭ-2021 mean test scores, Russian and mathematics (profile), by school.
    static let ege2021: [(school: String, russian: Double, mathematics: Double)] = [
        ("Ясногорская", 83.5, 59), ("Ягуновская", 82.7, 45), ("Береговская", 76.8, 54), ("Новостроевская", 68.6, 54),
        ("Берёзовская", 64.6, 48), ("Арсентьевская", 64, 72), ("Барановская", 62.3, 45), ("Мазуровская", 60.1, 53),
        ("Звёзденская", 60, 48), ("Елыкаевская", 53.3, 46),
    ]

    func testSeed003MainSubjectsMean() {
        let means = Self.ege2021.map { ($0.school, Metrics.mainSubjectsMean(russian: $0.russian, mathematics: $0.mathematics)!) }
            .sorted { $0.1 > $1.1 }
        XCTAssertEqual(means.first?.0, "Ясногорская")
        XCTAssertEqual(RussianFormat.number(means.first!.1, digits: 2), "71,25")
        XCTAssertEqual(means.last?.0, "Елыкаевская")
        XCTAssertEqual(RussianFormat.number(means.last!.1, digits: 2), "49,65")
        XCTAssertNil(Metrics.mainSubjectsMean(russian: 70, mathematics: nil))
    }
}
