import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Issue 19's new documents — the order approving the list (with its appendix) and a programme's passport — each
/// signed, opened by the strict readers and by LibreOffice, printed to PDF.
extension OfficeTests {
    func testTheOrderAndThePassportOpenInAnOfficeSuite() async throws {
        let (target, url) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let store = try await OporaStore.open(target)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let importer = Importer(db: store.db, actor: .commandLine)
        let schools = try Data(contentsOf: fixtures.appendingPathComponent("lipitskaya-schools.csv"))
        _ = try await importer.importFile(.schools, bytes: Array(schools), fileName: "lipitskaya-schools.csv")
        let order = """
            year,school,order_number,order_date,status,reason,territory,issuer
            2023,71001,21,15.03.2023,low_results_social,ИСБШ 3 и ВПР-2022 по математике в 6 классе 34 %,Чернский район,\
            Управление образования администрации муниципального образования Чернский район
            """
        _ = try await importer.importFile(.approvedList, bytes: Array(order.utf8), fileName: "order.csv")
        let programme = """
            code,name,start,end,level,territory,order_number,order_date,goal
            P04,Муниципальная программа поддержки ШНОР на 2023-2025 годы,2023-01-01,2025-12-31,municipality,Чернский район,14,11.01.2023,\
            Повышение качества образования в школах с низкими результатами
            """
        _ = try await importer.importFile(.programmes, bytes: Array(programme.utf8), fileName: "programmes.csv")
        let builder = ReportBuilder(db: store.db, prepared: CalendarDay(year: 2023, month: 3, day: 16))
        let approver = DocumentApproval(position: "Начальник управления образования", name: "Петрова Анна Сергеевна")
        let municipality = try await MunicipalityModel.query(on: store.db).first()!.id!
        var orderDocument = try await XCTUnwrapAsync(try await builder.listOrder(year: 2023, scope: .municipality(municipality),
                                                                                 scopeLabel: "Чернский район", approval: approver))
        let plan = try await XCTUnwrapAsync(try await PlanRepository(db: store.db).programme(code: "P04"))
        var passport = try await builder.programmePassport(plan, approval: approver)
        await store.close()
        let executor = DocumentExecutor(name: "Иванова Мария Петровна", phone: "+7 (48756) 2-11-22")
        orderDocument.signature?.executor = executor
        passport.signature?.executor = executor

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-signed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, document) in [("order", orderDocument), ("passport", passport)] {
            for format in [ReportFormat.docx, .xlsx] {
                try format.write(document).write(to: folder.appendingPathComponent("\(name).\(format.rawValue)"))
            }
        }
        for format in ["docx", "xlsx"] {
            let files = ["order", "passport"].map { folder.appendingPathComponent("\($0).\(format)") }
            let pdfs = try convertToPDF(files, into: folder.appendingPathComponent("pdf-\(format)"))
            XCTAssertEqual(pdfs.sorted(), ["order.pdf", "passport.pdf"])
        }
        let orderText = try wordText(folder.appendingPathComponent("order.docx"))
        for expected in ["Управление образования администрации муниципального образования Чернский район", "ПРИКАЗ", "от 15.03.2023 № 21",
                         "ПРИКАЗЫВАЮ:", "Начальник управления образования ________________ Петрова Анна Сергеевна", "МКОУ «Липицкая СОШ»",
                         "Дата подготовки: 16.03.2023", "Исполнитель: Иванова Мария Петровна, тел. +7 (48756) 2-11-22"] {
            XCTAssertTrue(orderText.contains(expected), "«\(expected)» in\n\(orderText)")
        }
        let passportText = try wordText(folder.appendingPathComponent("passport.docx"))
        for expected in ["УТВЕРЖДАЮ", "________________ Петрова Анна Сергеевна", "приказ от 11.01.2023 № 14", "Паспорт программы",
                         "Повышение качества образования в школах с низкими результатами"] {
            XCTAssertTrue(passportText.contains(expected), "«\(expected)» in\n\(passportText)")
        }
        let sheets = try openInOffice([folder.appendingPathComponent("order.xlsx"), folder.appendingPathComponent("passport.xlsx")])
        let executorLine = "Исполнитель: Иванова Мария Петровна, тел. +7 (48756) 2-11-22"
        XCTAssertTrue(sheets["order.xlsx"]?.contains { $0.first == executorLine } ?? false)
        XCTAssertTrue(sheets["passport.xlsx"]?.contains { $0.first == "УТВЕРЖДАЮ" } ?? false, "\(sheets["passport.xlsx"] ?? [])")
    }
}

func XCTUnwrapAsync<T>(_ expression: @autoclosure () async throws -> T?, file: StaticString = #filePath,
                       line: UInt = #line) async throws -> T {
    let value = try await expression()
    return try XCTUnwrap(value, file: file, line: line)
}
