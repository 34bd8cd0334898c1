import Foundation
import OporaData
import OporaDomain
import OporaLiveSupport
import OporaTestSupport
import XCTest

/// Every spreadsheet and document Opora writes, opened by a real office suite (LibreOffice, headless): what an official
/// opens in Excel must open, with the same cells. Skipped locally without LibreOffice; `.ci/run` installs it
/// and sets OPORA_REQUIRE_OFFICE=1.
final class OfficeTests: XCTestCase {
    static var soffice: String? {
        ["/usr/bin/soffice", "/usr/bin/libreoffice",
            "/usr/lib/libreoffice/program/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    override func setUp() async throws {
        guard Self.soffice != nil else {
            if ProcessInfo.processInfo.environment["OPORA_REQUIRE_OFFICE"] == "1" { XCTFail("OPORA_REQUIRE_OFFICE=1 but LibreOffice is "
                + "not installed") }
            throw XCTSkip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui libreoffice-writer-nogui)")
        }
        print("Office test ran: \(name)")
    }

    /// Converts spreadsheets to CSV (UTF-8, `;`) with LibreOffice: file name → rows.
    func openInOffice(_ files: [URL]) throws -> [String: [[String]]] {
        try StrictReader.open(files)
        let out = files[0].deletingLastPathComponent().appendingPathComponent("converted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.soffice!)
        process.arguments = ["--headless", "--norestore", "-env:UserInstallation=file://\(out.path)/profile",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76", "--outdir", out.path] + files.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var result: [String: [[String]]] = [:]
        for file in files {
            let csv = out.appendingPathComponent(file.deletingPathExtension().lastPathComponent + ".csv")
            guard let data = FileManager.default.contents(atPath: csv.path) else {
                XCTFail("LibreOffice did not open \(file.lastPathComponent): \(log)")
                continue
            }
            result[file.lastPathComponent] = try DelimitedTextReaderProxy.rows(data)
        }
        return result
    }

    func testTheWriterMakesFilesAnOfficeSuiteOpens() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-office-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows: [[SheetCell]] = [
            [.text("Школа"), .text("Успеваемость, %"), .text("Примечание")],
            [.text("МКОУ «Липицкая СОШ»"), .number(64.29), .text("<&> \"кавычки\"")],
            [.text("=1+2 не формула"), .number(100), .empty],
            [.text("Строка\nс переносом"), .number(-3.5), .text("ёЁ № 1")],
        ]
        let file = folder.appendingPathComponent("writer.xlsx")
        try XLSX.write(sheetName: "Очень длинное название листа, больше тридцати одного знака", rows: rows).write(to: file)
        let opened = try openInOffice([file])["writer.xlsx"]
        XCTAssertEqual(opened?[0], ["Школа", "Успеваемость, %", "Примечание"])
        XCTAssertEqual(opened?[1], ["МКОУ «Липицкая СОШ»", "64.29", "<&> \"кавычки\""])
        XCTAssertEqual(opened?[2].prefix(2).map { $0 }, ["=1+2 не формула", "100"], "text stays text, numbers stay numbers")
        XCTAssertEqual(opened?[3], ["Строка\nс переносом", "-3.5", "ёЁ № 1"])
    }

    /// A programme written as DOCX opens in a word processor with its title, tables and Russian text.
    func testTheProgrammeDocumentOpensInAWordProcessor() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-word-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let programme = SchoolProgrammeModel()
        programme.kind = "anti_risk"
        programme.factor = 7
        programme.title = "Инклюзия без барьеров"
        programme.startYear = 2024
        programme.endYear = 2025
        programme.status = "draft"
        let content = ProgrammeContent(goal: "Обеспечить условия для обучающихся с ОВЗ", tasks: ["Обучить педагогов"],
                                       measures: [ProgrammeMeasure(text: "Курсы повышения квалификации «Инклюзия & ОВЗ»",
                                           deadline: "до 25 марта",
                                                                   responsible: "директор", result: "удостоверения")],
                                       indicators: [ProgrammeIndicator(name: "Доля обученных педагогов", unit: "%", baseline: "10",
                                           target: "60")])
        let file = folder.appendingPathComponent("programme.docx")
        try ProgrammeDocument.word(programme, content: content, schoolName: "МКОУ «Липицкая СОШ»", municipality: "Чернский район",
                                   factorName: "Высокая доля обучающихся с ОВЗ", approvedBy: nil).data().write(to: file)
        let text = try wordText(file)
        for expected in ["АНТИРИСКОВАЯ ПРОГРАММА", "«Инклюзия без барьеров»", "Высокая доля обучающихся с ОВЗ",
            "Курсы повышения квалификации «Инклюзия & ОВЗ»",
                         "до 25 марта", "Доля обученных педагогов", "Целевое значение"] {
            XCTAssertTrue(text.contains(expected), "\(expected) not in: \(text)")
        }
    }

    /// The PDFs LibreOffice made of `files` (each checked to be a PDF).
    func convertToPDF(_ files: [URL], into folder: URL) throws -> [String] {
        try StrictReader.open(files)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.soffice!)
        process.arguments = ["--headless", "--norestore", "-env:UserInstallation=file://\(folder.path)-profile", "--convert-to", "pdf",
            "--outdir", folder.path]
            + files.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let produced = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for file in produced {
            let head = try Data(contentsOf: folder.appendingPathComponent(file)).prefix(4)
            XCTAssertEqual(String(decoding: head, as: UTF8.self), "%PDF", "\(file): \(log)")
        }
        return produced
    }

    /// The text of a PDF as poppler's pdftotext reads it (what a printed page says, charts included).
    func pdfText(_ pdf: URL) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            XCTFail("pdftotext is needed (apt-get install poppler-utils)")
            return ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [pdf.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    /// The text LibreOffice Writer reads from a DOCX; fails the test if it cannot open it.
    func wordText(_ file: URL) throws -> String {
        try StrictReader.open([file])
        let folder = file.deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.soffice!)
        process.arguments = ["--headless", "--norestore", "-env:UserInstallation=file://\(folder.path)/profile",
                             "--convert-to", "txt:Text (encoded):UTF8", "--outdir", folder.path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let text = try? String(contentsOf: file.deletingPathExtension().appendingPathExtension("txt"), encoding: .utf8) else {
            XCTFail("LibreOffice did not open \(file.lastPathComponent): \(log)")
            return ""
        }
        return text.replacingOccurrences(of: "\u{00A0}", with: " ")   // non-breaking spaces read as spaces
    }

    /// A programme's roadmap uploaded through the page as a user does (a real file, over HTTP), then its execution
    /// report and table downloaded and opened in Writer and Calc.
    func testTheRoadmapReportsOpenInAnOfficeSuite() async throws {
        let server = try await LiveServer.start(Self.self)
        defer { server.stop() }
        let browser = HTTPSession(server)
        try await browser.login("coord-a")
        try await browser.get("/plans")
        let page = try await browser.get("/plans")
        let municipality = try XCTUnwrap(page.body.components(separatedBy: "<option value=\"").dropFirst()
            .map { String($0.prefix { $0.isNumber }) }.first { !$0.isEmpty })
        try await browser.post("/plans", [("code", "P04"), ("name", "Муниципальная программа на 2023-2025 годы"),
                                          ("municipality", municipality), ("start", "2023"), ("end", "2025"), ("order_number", "14"),
                                          ("order_date", "11.01.2023"), ("confirm_order_date", "11.01.2023")])
        let roadmap = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pervouralsk-roadmap-2024.csv"))
        try await browser.get("/imports")
        let preview = try await browser.upload("/imports/preview", fields: [("kind", "roadmap")],
            file: ("file", "roadmap.csv", Array(roadmap)))
        let token = try XCTUnwrap(preview.body.range(of: "name=\"token\" value=\"").map { range -> String in
            let rest = preview.body[range.upperBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        }, preview.body)
        let committed = try await browser.post("/imports/commit", [("token", token), ("kind", "roadmap"), ("file_name", "roadmap.csv")])
        XCTAssertTrue([200, 303].contains(committed.status), "\(committed.status)")
        let plans = try await browser.get("/plans")
        let id = try XCTUnwrap(plans.body.range(of: "href=\"/plans/").map { range -> String in
            let rest = plans.body[range.upperBound...]
            return String(rest.prefix { $0.isNumber })
        })
        let docx = try await browser.get("/plans/\(id)/roadmap/export.docx")
        XCTAssertEqual(docx.status, 200)
        let word = server.folder.appendingPathComponent("roadmap.docx")
        try Data(docx.bytes).write(to: word)
        let text = try wordText(word)
        for expected in ["Исполнение дорожной карты", "Исполнение по разделам", "Итого",
            "2. Организационно – управленческое обеспечение реализации программы",
                         "10.09.2024", "Просроченные мероприятия по ответственным"] {
            XCTAssertTrue(text.contains(expected), "\(expected) not in the report")
        }
        let xlsx = try await browser.get("/plans/\(id)/roadmap/export.xlsx")
        let sheet = server.folder.appendingPathComponent("roadmap.xlsx")
        try Data(xlsx.bytes).write(to: sheet)
        let opened = try XCTUnwrap(try openInOffice([sheet])["roadmap.xlsx"])
        XCTAssertEqual(opened.count, 54, "header and 53 measures")
        XCTAssertTrue(opened.contains { $0.count > 5 && $0[1] == "2.8." && $0[5] == "10.09.2024" }, "\(opened.prefix(3))")
        XCTAssertEqual(try convertToPDF([word], into: server.folder.appendingPathComponent("pdf-docx")), ["roadmap.pdf"])
        XCTAssertEqual(try convertToPDF([sheet], into: server.folder.appendingPathComponent("pdf-xlsx")), ["roadmap.pdf"])
        await browser.close()
    }

    /// Seed 000's school card and its district's note, as DOCX and XLSX, opened by Writer and Calc: the figures are
    /// the ones `opora stats` gives (64,3 % for 9 of 14), percentages numbers in the spreadsheet.
    func testTheReportsOpenInAnOfficeSuite() async throws {
        let (target, url) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let store = try await OporaStore.open(target)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let importer = Importer(db: store.db, actor: .commandLine)
        for (kind, file) in [(ImportKind.schools, "lipitskaya-schools.csv"), (.results, "lipitskaya-results-2022.csv"),
            (.benchmarks, "lipitskaya-benchmarks-2022.csv")] {
            _ = try await importer.importFile(kind, bytes: Array(try Data(contentsOf: fixtures.appendingPathComponent(file))),
                fileName: file)
        }
        let school = try await SchoolModel.query(on: store.db).first()!
        let builder = ReportBuilder(db: store.db)
        let card = try await builder.schoolCard(schoolID: school.id!, year: 2022)
        let note = try await builder.municipalNote(municipalityID: school.$municipality.id, year: 2022)
        let appendix = try await builder.identificationAppendix(year: 2022, scope: .everything, scopeLabel: "Тульская область")
        await store.close()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, document) in [("card", card), ("note", note), ("appendix", appendix)] {
            for format in [ReportFormat.docx, .xlsx] {
                try format.write(document).write(to: folder.appendingPathComponent("\(name).\(format.rawValue)"))
            }
        }
        // Each one prints: LibreOffice converts every document and every workbook to PDF.
        for format in ["docx", "xlsx"] {
            let files = ["card", "note", "appendix"].map { folder.appendingPathComponent("\($0).\(format)") }
            let pdfs = try convertToPDF(files, into: folder.appendingPathComponent("pdf-\(format)"))
            XCTAssertEqual(pdfs.sorted(), ["appendix.pdf", "card.pdf", "note.pdf"], format)
        }
        // The card's charts are native charts Writer draws with their words: the title (once in the chart, once over its
        // table), the legend and the values at the bars, with a decimal comma.
        let printed = try pdfText(folder.appendingPathComponent("pdf-docx/card.pdf"))
        XCTAssertEqual(printed.components(separatedBy: "Успеваемость, ВПР-2022, 5 класс").count - 1, 2, printed)
        XCTAssertTrue(printed.contains("Муниципалитет\n") && printed.contains("Россия\n"), "the legend: \(printed)")
        XCTAssertGreaterThanOrEqual(printed.components(separatedBy: "64,3").count - 1, 4, "values at the bars and in the table")
        // The workbook draws the same chart from its own cells, under the table, and prints on a few pages.
        let sheetPrinted = try pdfText(folder.appendingPathComponent("pdf-xlsx/card.pdf"))
        XCTAssertEqual(sheetPrinted.components(separatedBy: "Успеваемость, ВПР-2022, 5 класс").count - 1, 2, sheetPrinted)
        let cardText = try wordText(folder.appendingPathComponent("card.docx"))
        XCTAssertTrue(cardText.contains("Паспорт школы: МКОУ «Липицкая СОШ»"))
        XCTAssertTrue(cardText.contains("64,3") && cardText.contains("85,5"), "the school beside its district")
        let noteText = try wordText(folder.appendingPathComponent("note.docx"))
        XCTAssertTrue(noteText.contains("Основные выводы"))
        let sheets = try openInOffice([folder.appendingPathComponent("card.xlsx"), folder.appendingPathComponent("note.xlsx")])
        let mathematics = sheets["card.xlsx"]?.contains { row in
            row.first == "Математика" && row.contains { $0.hasPrefix("64.3") || $0.hasPrefix("64,3") || $0.hasPrefix("64.28") }
        }
        XCTAssertTrue(mathematics ?? false, "\(sheets["card.xlsx"]?.prefix(12) ?? [])")
        XCTAssertTrue(sheets["note.xlsx"]?.contains { $0.first == "Липицкая СОШ" } ?? false)
    }

    /// The exports the server offers, fetched over HTTP as a user downloads them.
    func testEveryExportOfTheServerOpens() async throws {
        let server = try await LiveServer.start(Self.self)
        defer { server.stop() }
        let browser = HTTPSession(server)
        try await browser.login("coord-a")
        try await browser.get("/imports")
        let results = """
        year;procedure;grade;subject;school;participants;below_min;m2;m3;m4;m5;lowered;confirmed;raised
        2023;ВПР;6;math;A1;38;13;13;15;8;2;10;20;8
        2023;ОГЭ;9;math;A1;29;9;9;12;6;2;;;
        2023;ВПР;6;math;A2;60;6;6;30;20;4;5;50;5
        """
        let preview = try await browser.upload("/imports/preview", fields: [("kind", "results")],
            file: ("file", "r.csv", Array(results.utf8)))
        let token = try XCTUnwrap(preview.body.range(of: "name=\"token\" value=\"").map { range -> String in
            let rest = preview.body[range.upperBound...]
            return String(rest[..<rest.firstIndex(of: "\"")!])
        })
        try await browser.post("/imports/commit", [("token", token), ("kind", "results"), ("file_name", "r.csv")])
        let exports = ["/schools/export.xlsx", "/results/export.xlsx?work=2023%7CVPR%7C6%7Cmath",
            "/results/objectivity/export.xlsx?year=2023",
                       "/identification/export.xlsx?year=2023", "/schools/1/results.xlsx", "/support/export.xlsx?year=2023"]
        var files: [URL] = []
        for (index, path) in exports.enumerated() {
            let page = try await browser.get(path)
            XCTAssertEqual(page.status, 200, path)
            let file = server.folder.appendingPathComponent("export\(index).xlsx")
            try Data(page.bytes).write(to: file)
            files.append(file)
        }
        let opened = try openInOffice(files)
        XCTAssertTrue(opened["export0.xlsx"]?.contains { $0.contains("МКОУ «Липицкая СОШ»") } ?? false, "\(opened["export0.xlsx"] ?? [])")
        XCTAssertTrue(opened["export1.xlsx"]?.contains { $0.first == "МКОУ «Липицкая СОШ»" && $0.contains("65.79") } ?? false,
            "\(opened["export1.xlsx"] ?? [])")
        XCTAssertTrue(opened["export2.xlsx"]?.contains { $0.first == "МКОУ «Липицкая СОШ»" } ?? false, "\(opened["export2.xlsx"] ?? [])")
        XCTAssertTrue(opened["export3.xlsx"]?.contains { $0.contains("низкие образовательные результаты") } ?? false,
            "\(opened["export3.xlsx"] ?? [])")
        XCTAssertTrue(opened["export4.xlsx"]?.contains { $0.contains("ВПР") } ?? false, "\(opened["export4.xlsx"] ?? [])")
        XCTAssertTrue(opened["export5.xlsx"]?.contains { $0.first == "A1" && $0.contains("МКОУ «Липицкая СОШ»") } ?? false,
            "\(opened["export5.xlsx"] ?? [])")
        await browser.close()
    }
}

/// CSV rows as LibreOffice wrote them (UTF-8, `;`, quotes), through Opora's own reader.
enum DelimitedTextReaderProxy {
    static func rows(_ data: Data) throws -> [[String]] {
        let table = try TabularInput.table([UInt8](data), fileName: "office.csv")
        return [table.header] + table.rows.map(\.cells)
    }
}
