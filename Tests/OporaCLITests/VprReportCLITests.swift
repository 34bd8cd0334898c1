import Foundation
import XCTest

/// `opora report vpr` (issue 20): «Анализ результатов ВПР» of a school or a municipality, written as the file's extension
/// says; the files of `Tests/Fixtures/vpr-tasks-*.csv` (figures computed by hand in `TasksFixture`).
extension CLITests {
    func loadVprTasks() throws {
        for (kind, file) in [("schools", "vpr-tasks-schools.csv"), ("tasks", "vpr-tasks-spec.csv"),
                             ("mark_scales", "vpr-tasks-mark-scales.csv"), ("task_benchmarks", "vpr-tasks-benchmarks.csv"),
                             ("task_scores", "vpr-tasks-scores.csv")] {
            let run = try opora(["import", kind, fixture(file)])
            XCTAssertEqual(run.status, 0, "\(kind): \(run.stderr)")
        }
    }

    func testReportVprWritesASchoolsAndAMunicipalitysAnalysis() throws {
        try loadVprTasks()
        let school = directory.appendingPathComponent("vpr-a1.docx").path
        let run = try opora(["report", "vpr", "--year", "2023", "--school", "A1", "--out", school])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try wordText(school)
        for expected in ["Анализ результатов ВПР: МКОУ «Липицкая СОШ»", "Достижение планируемых результатов", "71,4", "58,3",
                         "Пик на границе отметки", "Текстовые задачи"] {
            XCTAssertTrue(text.contains(expected), "«\(expected)» in\n\(text)")
        }
        let municipal = directory.appendingPathComponent("vpr-chern.xlsx").path
        let written = try opora(["report", "vpr", "--year", "2023", "--municipality", "Чернский район", "--out", municipal])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: municipal))
        // Usage errors: an HTML file, both places, an unknown school.
        XCTAssertEqual(try opora(["report", "vpr", "--year", "2023", "--school", "A1", "--out", "x.html"]).status, 2)
        XCTAssertEqual(try opora(["report", "vpr", "--year", "2023", "--school", "A1", "--municipality", "Чернский район",
                                  "--out", "x.docx"]).status, 2)
        let unknown = try opora(["report", "vpr", "--year", "2023", "--school", "ZZ", "--out", "x.docx"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("Школа с кодом «ZZ» не найдена"), unknown.stderr)
    }
}
