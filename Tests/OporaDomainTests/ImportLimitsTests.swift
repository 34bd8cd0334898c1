import OporaDomain
import XCTest

/// Every limit of `ImportLimits` refuses a file with a Russian message naming the limit, at the right line,
/// in the CSV reader and in the fast `scores` reader alike — and a file within the limits reads as before.
final class ImportLimitsTests: XCTestCase {
    let small = ImportLimits(fileBytes: 4_000, decompressedBytes: 4_000, rows: 3, columns: 5, cellCharacters: 12)

    func rejection(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            XCTFail("must be refused")
            return []
        } catch let rejected as ImportRejected {
            return rejected.errors.map(\.description)
        } catch {
            XCTFail("unexpected \(error)")
            return []
        }
    }

    func testCSVLimitsNameTheLimitAndTheLine() {
        let cases: [(text: String, expected: String)] = [
            ("a,b,c,d,e,f\n1,2,3,4,5,6\n", "f.csv:1: —: столбцов больше предела 5; оставьте в файле только нужные столбцы"),
            ("a,b\n1,2\n1,2,3,4,5,6\n", "f.csv:3: —: столбцов больше предела 5; оставьте в файле только нужные столбцы"),
            ("a,b\n1,2\n1,абвгдеёжзийкл\n", "f.csv:3: № 2: ячейка длиннее предела 12 символов"),
            ("a,b\n1,2\n3,4\n5,6\n7,8\n", "f.csv:5: —: строк данных больше предела 3; разбейте файл на части"),
            (String(repeating: "x", count: 5_000), "f.csv:1: —: файл 4,9 КБ больше предела 3,9 КБ; разбейте его на части"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(
                rejection { _ = try DelimitedTextReader.read(Array(text.utf8), file: "f.csv", limits: small) }, [expected],
                text.prefix(40).description)
        }
        // Exactly at the limits: read.
        let fits = "a,b,c,d,e\n1,2,3,4,абвгдеёжзийк\n\n3,4\n5,6\n"
        XCTAssertEqual(try DelimitedTextReader.read(Array(fits.utf8), file: "f.csv", limits: small).rows.count, 3)
        // A quoted cell counts its characters, not its bytes, and its quotes.
        XCTAssertNoThrow(try DelimitedTextReader.read(Array("a\n\"ёёёёёёёёёёёё\"\n".utf8), file: "f.csv", limits: small))
    }

    /// Found by the fuzzer: a NUL inside a school code was stored, read back cut short, and the new school
    /// could not be found again. Control characters are damage on every reading path, named by line and cell.
    func testControlCharactersInACellAreDamageOnEveryPath() {
        let message = "в ячейке управляющий символ (код 0), которого не бывает в данных: файл повреждён или сохранён не как таблица"
        for cell in ["B\u{0}X", "\"B\u{0}X\""] {
            XCTAssertEqual(
                rejection { _ = try DelimitedTextReader.read(Array("a,b\n1,\(cell)\n".utf8), file: "f.csv") }, ["f.csv:2: № 2: " + message])
        }
        XCTAssertEqual(rejection { _ = try DelimitedTextReader.read(Array("a,b\n1,\u{7F}\n".utf8), file: "f.csv") },
                       ["f.csv:2: № 2: " + message.replacingOccurrences(of: "код 0", with: "код 127")])
        // Tabs, line feeds and carriage returns inside a quoted cell are text, not damage.
        XCTAssertEqual(
            try DelimitedTextReader.read(Array("a,b\n1,\"x\ty\r\nz\"\n".utf8), file: "f.csv").rows.first?.cells, ["1", "x\ty\r\nz"])
        let header = "year,procedure,grade,subject,school,student\n"
        for quote in ["", "\""] {
            let file = header + "2025,VPR,5,math,S1,p1\n2025,VPR,5,math,S1,\(quote)p\u{1}2\(quote)\n"
            XCTAssertEqual(rejection { _ = try ResultFiles().parseScoreGroups(Array(file.utf8), file: "s.csv", parallelAbove: .max) },
                           ["s.csv:3: № 6: " + message.replacingOccurrences(of: "код 0", with: "код 1")], quote)
        }
    }

    func testAMillionColumnHeaderIsRefusedQuickly() {
        let header = String(repeating: "x,", count: 1_000_000) + "x\n1\n"
        let started = Date()
        XCTAssertEqual(rejection { _ = try DelimitedTextReader.read(Array(header.utf8), file: "wide.csv") },
                       ["wide.csv:1: —: столбцов больше предела 256; оставьте в файле только нужные столбцы"])
        XCTAssertEqual(rejection { _ = try ResultFiles().parseScoreGroups(Array(header.utf8), file: "wide.csv") },
                       ["wide.csv:1: —: столбцов больше предела 256; оставьте в файле только нужные столбцы"])
        // Not a timing test: a guard against the quadratic header matching that once took minutes.
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    func testScoresReaderHonoursTheSameLimitsOnBothPaths() {
        let header = "year,procedure,grade,subject,school,student\n"
        let row = "2025,VPR,5,math,S1,"
        let files = ResultFiles()
        // Unquoted (the fast reader) and quoted (the RFC 4180 reader) give the same answers.
        for quote in ["", "\""] {
            func body(_ lines: [String]) -> [UInt8] { Array((header + lines.joined(separator: "\n") + "\n").utf8) }
            let wide = body([row + "\(quote)a\(quote)", row + "b,1,2,3,4,5,6"])
            XCTAssertEqual(
                rejection { _ = try files.parseScoreGroups(wide, file: "s.csv", parallelAbove: .max, limits: ImportLimits(columns: 8)) },
                ["s.csv:3: —: столбцов больше предела 8; оставьте в файле только нужные столбцы"], quote)
            let long = body([row + "\(quote)a\(quote)", row + String(repeating: "я", count: 13)])
            XCTAssertEqual(
                rejection { _ = try files.parseScoreGroups(long, file: "s.csv", parallelAbove: .max, limits: small.with(columns: 10)) },
                ["s.csv:3: № 6: ячейка длиннее предела 12 символов"], quote)
            let many = body((1...5).map { row + "\(quote)p\($0)\(quote)" })
            XCTAssertEqual(
                rejection { _ = try files.parseScoreGroups(many, file: "s.csv", parallelAbove: .max, limits: small.with(columns: 10)) },
                ["s.csv:5: —: строк данных больше предела 3; разбейте файл на части"], quote)
            let fits = body((1...3).map { row + "\(quote)p\($0)\(quote)" })
            XCTAssertEqual(
                try files.parseScoreGroups(fits, file: "s.csv", parallelAbove: .max, limits: small.with(columns: 10)).rows, 3, quote)
        }
    }
}

final class FormulaGuardTests: XCTestCase {
    func testProtectsFormulasAndLeavesNumbersAlone() {
        let cases: [(String, String)] = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+7 912", "+7 912"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-5,3", "-5,3"),
            ("+3.2", "+3.2"),
            ("Школа № 1", "Школа № 1"),
            ("'=1", "''=1"),
            ("'обычный текст", "'обычный текст"),
            ("", ""),
        ]
        for (plain, written) in cases {
            XCTAssertEqual(FormulaGuard.protect(plain), written, plain)
            XCTAssertEqual(FormulaGuard.unprotect(written), plain, written)
        }
    }

    func testRoundTripIsExactForAnyText() {
        let alphabet: [Character] = ["'", "=", "+", "-", "@", "\t", "\r", "1", ",", "а", " ", "x"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            XCTAssertEqual(FormulaGuard.unprotect(FormulaGuard.protect(text)), text, text.debugDescription)
            let protected = FormulaGuard.protect(text)
            if let first = protected.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                XCTAssertNotNil(
                    NumberParsing.decimal(protected),
                    "a written cell starting a formula must be a plain number: \(protected.debugDescription)")
            }
        }
    }

    func testTheCSVReaderUnprotectsWhatTheWritersProtect() throws {
        let names = ["=1+2", "-Школа", "@кто", "'=x", "-5", "обычная"]
        // Every CSV Opora writes protects its cells; every CSV it reads unprotects them.
        XCTAssertEqual(CSVText.cell("=1+2"), "'=1+2")
        let text = "name\n" + names.map { CSVText.cell($0) }.joined(separator: "\n") + "\n"
        XCTAssertEqual(try DelimitedTextReader.read(Array(text.utf8)).rows.map { $0.cells[0] }, names)
        let table = DelimitedTable(header: ["name"], rows: names.enumerated().map { .init(line: $0.offset + 2, cells: [$0.element]) },
                                   delimiter: 0, encoding: .utf8)
        XCTAssertEqual(try DelimitedTextReader.read(table.csvBytes()).rows.map { $0.cells[0] }, names)
    }
}

extension ImportLimits {
    func with(columns: Int) -> ImportLimits {
        var copy = self
        copy.columns = columns
        return copy
    }
}

/// Found by the fuzzer: a row repeated in a thresholds or benchmarks file was written twice in one statement
/// (an error PostgreSQL refuses mid-import); it is now a line error, like a repeated results row.
final class RepeatedRowsTests: XCTestCase {
    func testRepeatedThresholdAndBenchmarkRowsNameTheFirstLine() throws {
        let files = ResultFiles()
        let thresholds = "year,procedure,subject,min_score\n2023,ЕГЭ,rus,24\n2023,EGE,Русский язык,36\n"
        XCTAssertThrowsError(try files.parseThresholds(try DelimitedTextReader.read(Array(thresholds.utf8)), file: "t.csv")) { error in
            XCTAssertEqual((error as? ImportRejected)?.errors.map(\.description), ["t.csv:3: subject: этот порог уже был в строке 2"])
        }
        let benchmarks =
            "year;procedure;grade;subject;level;name\n2023;ВПР;5;math;region;Тульская область\n2023;ВПР;5;math;region;тульская  область\n"
        XCTAssertThrowsError(try files.parseBenchmarks(try DelimitedTextReader.read(Array(benchmarks.utf8)), file: "b.csv")) { error in
            XCTAssertEqual(
                (error as? ImportRejected)?.errors.map(\.description),
                ["b.csv:3: name: эти показатели («тульская  область») уже были в строке 2"])
        }
    }
}
