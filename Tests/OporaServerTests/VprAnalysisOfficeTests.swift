import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// «Анализ результатов ВПР» (issue 20) as Word and Excel files, for a school and for a municipality: opened by the strict
/// readers (python-docx, openpyxl) and by LibreOffice, printed to PDF; the figures of `TasksFixture`.
extension OfficeTests {
    func testTheVprAnalysisOpensInAnOfficeSuite() async throws {
        let (target, url) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let store = try await OporaStore.open(target)
        try await TasksFixture.load(store.db, withSchools: true)
        let school = try await TasksFixture.schoolID("A1", store.db)
        let municipality = try await XCTUnwrapAsync(try await SchoolModel.find(school, on: store.db)).$municipality.id
        let repository = VprAnalysisRepository(db: store.db)
        let schoolDocument = ReportBuilder.vprAnalysis(
            try await repository.analysis(place: .school(school), title: "МКОУ «Липицкая СОШ»", year: 2023), place: .school(school))
        let municipalDocument = ReportBuilder.vprAnalysis(
            try await repository.analysis(place: .municipality(municipality), title: "Чернский район", year: 2023),
            place: .municipality(municipality))
        await store.close()

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-vpr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, document) in [("school", schoolDocument), ("municipality", municipalDocument)] {
            for format in [ReportFormat.docx, .xlsx] {
                try format.write(document).write(to: folder.appendingPathComponent("vpr-\(name).\(format.rawValue)"))
            }
        }
        for format in ["docx", "xlsx"] {
            let files = ["school", "municipality"].map { folder.appendingPathComponent("vpr-\($0).\(format)") }
            let pdfs = try convertToPDF(files, into: folder.appendingPathComponent("pdf-\(format)"))
            XCTAssertEqual(Set(pdfs), ["vpr-school.pdf", "vpr-municipality.pdf"])
        }
        let text = try wordText(folder.appendingPathComponent("vpr-school.docx"))
        for expected in ["Анализ результатов ВПР: МКОУ «Липицкая СОШ»", "Достижение планируемых результатов", "71,4", "14,3",
                         "58,3", "68,5", "Распределение первичных баллов", "«4» — от 2 баллов", "Пик на границе отметки",
                         "Дефициты по проверяемым требованиям", "Текстовые задачи", "Выводы", "дефициты в заданиях № 2, № К3"] {
            XCTAssertTrue(text.contains(expected), "«\(expected)» in\n\(text)")
        }
        let municipal = try wordText(folder.appendingPathComponent("vpr-municipality.docx"))
        XCTAssertTrue(municipal.contains("МКОУ «Липицкая СОШ»: пик на границе отметки"), municipal)
        let sheets = try openInOffice([folder.appendingPathComponent("vpr-school.xlsx")])
        let rows = sheets["vpr-school.xlsx"] ?? []
        // Percentages stay numbers in Excel: task 2 of A1 is 6 of 14 points.
        let task2 = try XCTUnwrap(rows.first { $0.first == "2" && $0.count > 3 }, "\(rows)")
        XCTAssertTrue(task2[3].hasPrefix("42"), "\(task2)")
    }
}
