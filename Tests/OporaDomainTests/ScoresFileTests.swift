import Foundation
import OporaDomain
import XCTest

/// The `scores` reader has a byte-level fast path and the general RFC 4180 path; a file with any quote
/// takes the general path for every line. Each case is read both ways (once as written, once with one
/// harmless quoted cell added) and must give the same groups, or the same errors, either way.
final class ScoresFileTests: XCTestCase {
    let header = "year,procedure,grade,subject,school,student,class,variant,primary_score,score,mark,term_mark\n"

    enum Outcome: Equatable {
        case parsed([ScoreGroup], rows: Int, warnings: [String])
        case rejected([String])
    }

    func read(_ text: String, file: String = "s.csv", parallelAbove: Int = .max) -> Outcome {
        do {
            let parsed = try ResultFiles().parseScoreGroups(Array(text.utf8), file: file, parallelAbove: parallelAbove)
            return .parsed(parsed.groups, rows: parsed.rows, warnings: parsed.warnings.map(\.description))
        } catch let rejected as ImportRejected {
            return .rejected(rejected.errors.map(\.description))
        } catch {
            return .rejected(["\(error)"])
        }
    }

    /// The same file forced through the general path: the first header cell quoted changes nothing else.
    func readGeneral(_ text: String) -> Outcome {
        read("\"" + text.prefix { $0 != "," && $0 != ";" } + "\"" + text.drop { $0 != "," && $0 != ";" })
    }

    func assertBothWays(_ text: String, _ expected: Outcome? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let fast = read(text), general = readGeneral(text)
        XCTAssertEqual(fast, general, "fast and general paths disagree", file: file, line: line)
        XCTAssertEqual(read(text, parallelAbove: 0), general, "reading in two halves differs", file: file, line: line)
        if let expected { XCTAssertEqual(fast, expected, file: file, line: line) }
    }

    func work(_ grade: Int = 5, _ subject: String = "math") -> WorkKey {
        WorkKey(year: 2022, procedure: .vpr, grade: grade, subject: subject)
    }

    func row(
        _ student: String, _ className: String? = nil, _ variant: String? = nil, mark: Int? = nil, term: Int? = nil,
        score: Double? = nil, primary: Double? = nil
    ) -> StudentRow {
        StudentRow(
            student: student, className: className, variant: variant,
            result: StudentResult(mark: mark, termMark: term, score: score, primaryScore: primary))
    }

    func testOrdinaryRowsGroupBySchoolAndWork() {
        let text = header + """
        2022,VPR,5,math,L1,S1,5А,1,12,,3,4
        2022,VPR,5,math,L1,S2,5Б,2,7.5,,2,3
        2022,VPR,5,math,L2,S1,5А,1,15,,4,4
        2022,VPR,6,rus,L1,S1,6А,,20,,5,5
        2022,VPR,5,math,L1,S3,5А,1,9,,3,3
        """
        assertBothWays(text, .parsed([
            ScoreGroup(work: work(), school: "L1", firstLine: 2, rows: [row("S1", "5А", "1", mark: 3, term: 4, primary: 12),
                                                                         row("S2", "5Б", "2", mark: 2, term: 3, primary: 7.5),
                                                                         row("S3", "5А", "1", mark: 3, term: 3, primary: 9)]),
            ScoreGroup(work: work(), school: "L2", firstLine: 4, rows: [row("S1", "5А", "1", mark: 4, term: 4, primary: 15)]),
            ScoreGroup(work: work(6, "rus"), school: "L1", firstLine: 5, rows: [row("S1", "6А", mark: 5, term: 5, primary: 20)]),
        ], rows: 5, warnings: []))
    }

    func testWindows1251SemicolonsDecimalCommasAndRussianHeadersReadLikeTheUTF8Twin() throws {
        let russian = "Год;Процедура;Класс;Предмет;Код ОО;Код участника;Литера;Вариант;Первичный балл;Балл;Отметка;Отметка по журналу\r\n" +
            "2022;ВПР;5;Математика;L1;S1;5А;1;12,5;;3;4\r\n2022;ВПР;5;Математика;L1;S2; — ;2;7;;2;3\r\n"
        let utf8 = header + "2022,VPR,5,math,L1,S1,5А,1,12.5,,3,4\n2022,VPR,5,math,L1,S2,,2,7,,2,3\n"
        let fromWindows = try ResultFiles().parseScoreGroups(TextEncoding.utf8ToWindows1251(russian), file: "w.csv")
        let fromUTF8 = try ResultFiles().parseScoreGroups(Array(utf8.utf8), file: "u.csv")
        XCTAssertEqual(fromWindows.groups, fromUTF8.groups)
        XCTAssertEqual(fromWindows.groups.first?.rows.first?.result.primaryScore, 12.5)
        assertBothWays(russian)
    }

    /// Lines the fast path hands over to the general one; the answers must not depend on the path.
    func testOddLinesReadTheSameBothWays() {
        let cases: [(String, String)] = [
            ("spaces and tabs around cells", "2022, VPR ,5,math,L1,\tS1 ,5А,1, 12 ,,3,4\n2022,VPR,5,math,L1, S2,5А,1,12,,3,4\n"),
            ("dash means no value", "2022,VPR,5,math,L1,S1,—,–,-,—,3,-\n2022,VPR,5,math,L1,S2,-,1,12,,—,4\n"),
            ("thousands separator and percent", "2022,VPR,5,math,L1,S1,,,1 500,,3,4\n2022,VPR,5,math,L1,S2,,,12%,,3,4\n"),
            ("exotic numbers", "2022,VPR,5,math,L1,S1,,,12.,,3,4\n2022,VPR,5,math,L1,S2,,,.5,,3,4\n2022,VPR,5,math,L1,S3,,,1e2,,3,4\n"),
            ("marks with signs or zeros", "2022,VPR,5,math,L1,S1,,,12,,+3,04\n2022,VPR,5,math,L1,S2,,,12,,03,4\n"),
            ("marks and scores out of range", "2022,VPR,5,math,L1,S1,,,12,101,6,4\n2022,VPR,5,math,L1,S2,,,1001,,3,1\n"),
            ("bad numbers", "2022,VPR,5,math,L1,S1,,,twelve,,3,4\n2022,VPR,5,math,L1,S2,,,12,,three,4\n"),
            ("short and long lines", "2022,VPR,5,math,L1,S1,5А\n2022,VPR,5,math,L1,S2,5А,1,12,,3,4,extra,cells\n2022,VPR,5,math\n"),
            ("blank lines", "\n2022,VPR,5,math,L1,S1,,,12,,3,4\n,,,,,,,,,,,\n\n2022,VPR,5,math,L1,S2,,,12,,3,4\n"),
            ("CRLF and a stray carriage return", "2022,VPR,5,math,L1,S1,,,12,,3,4\r\n2022,VPR,5,math,L1,S\r2,,,12,,3,4\r\n"),
            ("a duplicate next to its twin", "2022,VPR,5,math,L1,S1,,,12,,3,4\n2022,VPR,5,math,L1,S1,,,13,,3,4\n"),
            (
                "a duplicate after another group",
                "2022,VPR,5,math,L1,S1,,,12,,3,4\n2022,VPR,5,math,L2,S1,,,12,,3,4\n2022,VPR,5,math,L1,S1,,,13,,3,4\n"
            ),
            (
                "a group that comes back",
                "2022,VPR,5,math,L1,S1,,,12,,3,4\n2022,VPR,6,math,L1,S1,,,12,,3,4\n2022,VPR,5,math,L1,S2,,,13,,3,4\n"
            ),
            (
                "bad work cells",
                "2022,XYZ,5,math,L1,S1,,,12,,3,4\n1999,VPR,5,math,L1,S2,,,12,,3,4\n2022,VPR,12,geo,L1,S3,,,12,,3,4\n" +
                "2022,VPR,5,math,,S4,,,1,,3,4\n"
            ),
            ("missing student", "2022,VPR,5,math,L1,,,,12,,3,4\n2022,VPR,5,math,L1,—,,,12,,3,4\n"),
            ("no final newline", "2022,VPR,5,math,L1,S1,,,12,,3,4\n2022,VPR,5,math,L1,S2,,,12,,3,4"),
            ("long decimals", "2022,VPR,5,math,L1,S1,,,0.1,33.333333333333333,3,4\n2022,VPR,5,math,L1,S2,,,12.0625,99.99,3,4\n"),
        ]
        for (name, body) in cases {
            let fast = read(header + body), general = readGeneral(header + body)
            XCTAssertEqual(fast, general, "\(name): fast and general paths disagree")
            XCTAssertEqual(read(header + body, parallelAbove: 0), general, "\(name): reading in two halves differs")
        }
    }

    func testADuplicateNamesBothLinesAndARejectedFileKeepsCheckingEveryLine() {
        let text = header + "2022,VPR,5,math,L1,S1,,,12,,3,4\n2022,VPR,5,math,L1,S2,,,12,,7,4\n2022,VPR,5,math,L1,S1,,,13,,3,4\n"
        assertBothWays(text, .rejected([
            "s.csv:3: mark: отметка 7 вне диапазона 2–5",
            "s.csv:4: student: ученик «S1» дважды в одной работе (см. строку 2)",
        ]))
    }

    /// Halves meet in the middle of a group, with duplicates across the cut and problems on both sides.
    func testTwoHalvesMergeLikeOnePass() {
        var lines: [String] = []
        for index in 1...40 { lines.append("2022,VPR,5,math,L1,S\(index),,,\(index % 20),,\(2 + index % 4),4") }
        lines.append("2022,VPR,5,math,L1,S3,,,1,,3,4")          // duplicate of an early line, in the second half
        lines.append("2022,VPR,5,math,L2,S1,,,1,,9,4")          // a bad mark in the second half
        lines.insert("2022,VPR,5,math,L1,S39,,,1,,3,4", at: 5)   // duplicate of a later line, in the first half
        lines.insert("2022,VPR,5,math,L1,S40,,,1,,7,4", at: 6)   // a bad mark in the first half
        let text = header + lines.joined(separator: "\n") + "\n"
        let expected = readGeneral(text)
        guard case .rejected(let errors) = expected else { return XCTFail("must be rejected") }
        XCTAssertEqual(errors, [
            "s.csv:8: mark: отметка 7 вне диапазона 2–5",
            "s.csv:42: student: ученик «S39» дважды в одной работе (см. строку 7)",
            "s.csv:43: student: ученик «S40» дважды в одной работе (см. строку 8)",
            "s.csv:44: student: ученик «S3» дважды в одной работе (см. строку 4)",
            "s.csv:45: mark: отметка 9 вне диапазона 2–5",
        ])
        XCTAssertEqual(read(text, parallelAbove: 0), expected)
        let clean =
            header + (1...41).map { "2022,VPR,\(4 + $0 % 2),math,L\($0 % 3),S\($0),,,\($0 % 20),,\(2 + $0 % 4),4" }.joined(separator: "\n")
        XCTAssertEqual(read(clean, parallelAbove: 0), readGeneral(clean))
        XCTAssertEqual(read(clean, parallelAbove: 0), read(clean))
    }

    func testHeaderProblemsAndEmptyFiles() {
        XCTAssertEqual(read(""), .rejected(["s.csv:1: —: файл пуст"]))
        assertBothWays(header, .rejected(["s.csv:2: —: в файле нет ни одной строки данных"]))
        assertBothWays(
            "year,procedure,grade,subject,school\n2022,VPR,5,math,L1\n",
            .rejected(["s.csv:1: student: нет обязательного столбца («ученик»)"]))
    }

    func testScoresUseTheSameDoubleAsTheGeneralReader() throws {
        for text in ["0.1", "0,3", "12.345", "99.99", "7", "100", "33.3333333333"] {
            let line = header.replacingOccurrences(of: ",", with: ";") + "2022;VPR;5;math;L1;S1;;;;\(text);3;4\n"
            let parsed = try ResultFiles().parseScoreGroups(Array(line.utf8), file: "s.csv")
            XCTAssertEqual(parsed.groups[0].rows[0].result.score, Double(text.replacingOccurrences(of: ",", with: ".")), text)
        }
    }

    // MARK: stored form

    func testStudentRowsSurviveTheStoredForm() throws {
        let long = String(repeating: "Ж", count: 200)
        let rows = [
            row("S1", "5А", "1", mark: 3, term: 4, score: 41.5, primary: 12), row("S2"),
            row(long, "", nil, mark: 5, score: 0, primary: 0.1),
            row("🙂", nil, "вариант 2", term: 2),
        ]
        XCTAssertEqual(try StudentRowsCodec.decode(StudentRowsCodec.encode(rows)), rows)
        XCTAssertEqual(try StudentRowsCodec.decode(StudentRowsCodec.encode([])), [])
        // Scores in hundredths take a few bytes; any other double is kept bit for bit.
        let odd = [0.1, 0.3, 12.345, 1.0 / 3, 99.99, 100, 0, 5e-7, 1234.5678]
        let scored = odd.map { row("S", score: $0, primary: $0 * 7) }
        XCTAssertEqual(try StudentRowsCodec.decode(StudentRowsCodec.encode(scored)).map { $0.result }, scored.map { $0.result })
        XCTAssertEqual(StudentRowsCodec.encode([row("S1", mark: 3, term: 4, score: 41.5, primary: 12)]).count, 1 + 3 + 2 + 1 + 2 + 2 + 2)
        XCTAssertEqual(try StudentRowsCodec.decode([UInt8]()), [])
    }

    func testADamagedStoredFormIsAnErrorNotACrash() {
        let encoded = StudentRowsCodec.encode([row("S1", "5А", "1", mark: 3, term: 4, score: 41.5, primary: 12)])
        for cut in 2..<encoded.count {
            XCTAssertThrowsError(try StudentRowsCodec.decode(encoded.prefix(cut)), "cut at \(cut)")
        }
        XCTAssertThrowsError(try StudentRowsCodec.decode([9, 1, 65]), "unknown version")
    }

    func testMergeReplacesStudentsByCodeAndKeepsTheOthers() {
        let stored = [row("S1", mark: 2), row("S2", mark: 3), row("S3", mark: 4)]
        let merged = ScoreGroup.merge(stored: stored, incoming: [row("S2", mark: 5), row("S4", mark: 4), row("S3", mark: 4)])
        XCTAssertEqual(merged.rows, [row("S1", mark: 2), row("S2", mark: 5), row("S3", mark: 4), row("S4", mark: 4)])
        XCTAssertEqual(merged.replaced, 2)
        XCTAssertEqual(merged.unchanged, 1, "S3 comes again exactly as stored")
    }

    /// Seed 000, ВПР mathematics grade 5: 14 students, 5 of them with «2» → success rate 64,3 %.
    func testGroupCountsAreTheAccumulatorsCounts() {
        let marks = [2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4]
        let group = ScoreGroup(work: work(), school: "L1", rows: marks.enumerated().map { row("S\($0.offset)", mark: $0.element, term: 3) })
        let counts = group.counts(threshold: nil)
        XCTAssertEqual(counts, ResultCounts(participants: 14, m2: 5, m3: 7, m4: 2, m5: 0, belowMin: 5, lowered: 5, confirmed: 7, raised: 2))
        XCTAssertEqual(RussianFormat.number(Metrics.compute(counts, procedure: .vpr, subject: "math").successRate!), "64,3")
    }

    func testAGradesOwnThresholdWinsColumnByColumn() {
        let table = ThresholdTable([
            .init(year: 2024, procedure: .ege, subject: "math", grade: 0): ScoreThreshold(minScore: 27, highScore: 81),
            .init(year: 2024, procedure: .ege, subject: "math", grade: 11): ScoreThreshold(minScore: 30),
        ])
        XCTAssertEqual(
            table.threshold(for: WorkKey(year: 2024, procedure: .ege, grade: 11, subject: "math")),
            ScoreThreshold(minScore: 30, highScore: 81))
        XCTAssertEqual(
            table.threshold(for: WorkKey(year: 2024, procedure: .ege, grade: 10, subject: "math")),
            ScoreThreshold(minScore: 27, highScore: 81))
        XCTAssertNil(table.threshold(for: WorkKey(year: 2024, procedure: .ege, grade: 11, subject: "rus")))
    }
}

final class StatsJSONTests: XCTestCase {
    /// `opora stats --format json` writes its array directly; it must be exactly what JSONEncoder would write.
    func testTheDirectJSONIsWhatJSONEncoderWrites() throws {
        let names = ["МКОУ «Липицкая СОШ»", "Школа \"Квант\" / филиал", "back\\slash", "tab\tand\nline", "ctl\u{01}\u{1F}", "emoji 🙂"]
        let values: [Double?] = [nil, 0, 100, 64.29, 12.5, 33.33, 0.01, 1234567.89, 71.25, 5e-7, 1e21]
        var lines: [StatsLine] = []
        for (index, name) in names.enumerated() {
            var line = StatsLine(
                school: "S\(index)", schoolName: name, work: WorkKey(year: 2025, procedure: .vpr, grade: 4 + index % 5, subject: "rus"),
                metrics: Metrics.compute(ResultCounts(participants: 14, m2: 5, m3: 7, m4: 2, m5: 0), procedure: .vpr, subject: "math"))
            line.successRate = values[index % values.count]
            line.qualityRate = values[(index + 3) % values.count]
            line.meanScore = values[(index + 5) % values.count]
            line.sou = values[(index + 7) % values.count]
            line.smallGroup = index % 2 == 0
            lines.append(line)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        XCTAssertEqual(StatsLine.jsonArray(lines), String(decoding: try encoder.encode(lines), as: UTF8.self))
        XCTAssertEqual(StatsLine.jsonArray([]), "[]")
    }
}
