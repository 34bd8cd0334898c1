import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// «Итоги программы» (issue 21) as Word and Excel files: opened by the strict readers and by LibreOffice, printed to PDF.
extension OfficeTests {
    func testProgrammeResultsOpenInAnOfficeSuite() async throws {
        let (target, url) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let store = try await OporaStore.open(target)
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array(EffectFixture.schools.utf8), fileName: "s.csv")
        _ = try await importer.importFile(.results, bytes: Array(EffectFixture.results.utf8), fileName: "r.csv")
        for (year, list) in EffectFixture.lists {
            _ = try await importer.importFile(.approvedList, bytes: Array(list.utf8), fileName: "list-\(year).csv")
        }
        let programme = "code,name,start,end,level,territory\n"
            + "P21,Программа поддержки школ,2022-01-01,2023-12-31,municipality,Чернский район\n"
        _ = try await importer.importFile(.programmes, bytes: Array(programme.utf8), fileName: "p.csv")
        let roadmap = "programme,number,measure,deadline,status\nP21,1,Семинар для директоров,До 01.03.2023,done\n"
            + "P21,2,Стажировка учителей математики,До 01.06.2023,planned\n"
        _ = try await importer.importFile(.roadmap, bytes: Array(roadmap.utf8), fileName: "roadmap.csv")
        let plan = try await XCTUnwrapAsync(try await PlanRepository(db: store.db).programme(code: "P21"))
        let builder = ReportBuilder(db: store.db, prepared: CalendarDay(year: 2023, month: 12, day: 20))
        var document = try await builder.programmeResults(plan, from: 2022, to: 2023)
        await store.close()
        document.signature?.executor = DocumentExecutor(name: "Иванова Мария Петровна", phone: "+7 (48756) 2-11-22")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-results-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in [ReportFormat.docx, .xlsx] {
            try format.write(document).write(to: folder.appendingPathComponent("results.\(format.rawValue)"))
        }
        for format in ["docx", "xlsx"] {
            let file = folder.appendingPathComponent("results.\(format)")
            let pdfs = try convertToPDF([file], into: folder.appendingPathComponent("pdf-\(format)"))
            XCTAssertEqual(pdfs, ["results.pdf"])
        }
        let text = try wordText(folder.appendingPathComponent("results.docx"))
        for expected in ["Итоги программы", "Поддержанные школы", "Сопоставимые школы", "Школа S1", "Исполнение дорожной карты",
                         "Дата подготовки: 20.12.2023", "регрессией к среднему"] {
            XCTAssertTrue(text.contains(expected), "«\(expected)» in\n\(text)")
        }
        XCTAssertTrue(text.contains("−8,5"), text)
        let sheets = try openInOffice([folder.appendingPathComponent("results.xlsx")])
        let rows = sheets["results.xlsx"] ?? []
        XCTAssertTrue(rows.contains { $0.first == "Поддержанные школы" }, "\(rows)")
    }
}
