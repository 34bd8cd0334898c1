import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Issue 19, point 8: the ЕГЭ bands, the ОГЭ marks and Table 13 as DOCX and XLSX, opened by the strict readers and
/// LibreOffice, printed to PDF with their figures.
extension OfficeTests {
    func testTheSeedShapesOpenInAnOfficeSuite() async throws {
        let (target, url) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let store = try await OporaStore.open(target)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let importer = Importer(db: store.db, actor: .commandLine)
        let files: [(ImportKind, String)] = [
            (.schools, """
            code;name;municipality;region
            A1;МБОУ «Арсентьевская СОШ»;Первоуральск;Свердловская область
            B2;МБОУ «Барановская СОШ»;Первоуральск;Свердловская область
            """),
            (.scores, """
            year;procedure;grade;subject;school;student;score
            2023;ЕГЭ;11;rus;A1;s1;24
            2023;ЕГЭ;11;rus;A1;s2;100
            2023;ЕГЭ;11;rus;B2;s4;55
            2023;ЕГЭ;11;rus;B2;s5;62
            2023;ЕГЭ;11;rus;B2;s6;70
            """),
            (.results, """
            year;procedure;grade;subject;school;participants;m2;m3;m4;m5;below_min
            2023;ОГЭ;9;math;A1;2;0;2;0;0;0
            2023;ОГЭ;9;math;B2;6;0;1;5;0;0
            """),
        ]
        for (kind, text) in files { _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv") }
        for (kind, file) in [(ImportKind.programmes, "pervouralsk-programme-2023.csv"), (.indicators, "pervouralsk-indicators.csv")] {
            let bytes = Array(try Data(contentsOf: fixtures.appendingPathComponent(file)))
            _ = try await importer.importFile(kind, bytes: bytes, fileName: file)
        }
        let school = try await SchoolModel.query(on: store.db).first()!
        let builder = ReportBuilder(db: store.db)
        let plan = try await PlanRepository(db: store.db).programme(code: "P04")
        let documents = [
            ("bands", try await builder.egeBands(year: 2023, municipalityID: school.$municipality.id, subject: "rus")),
            ("marks", try await builder.ogeMarks(year: 2023, municipalityID: school.$municipality.id, subject: "math")),
            ("schedule", try await builder.collectionSchedule(try XCTUnwrap(plan))),
        ]
        await store.close()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-shapes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, document) in documents {
            for format in [ReportFormat.docx, .xlsx] {
                try format.write(document).write(to: folder.appendingPathComponent("\(name).\(format.rawValue)"))
            }
        }
        for format in ["docx", "xlsx"] {
            let files = ["bands", "marks", "schedule"].map { folder.appendingPathComponent("\($0).\(format)") }
            let pdfs = try convertToPDF(files, into: folder.appendingPathComponent("pdf-\(format)"))
            XCTAssertEqual(pdfs.sorted(), ["bands.pdf", "marks.pdf", "schedule.pdf"], format)
        }
        let bands = try pdfText(folder.appendingPathComponent("pdf-docx/bands.pdf"))
        XCTAssertTrue(bands.contains("90–99") && bands.contains("62,3"), bands)
        let schedule = try pdfText(folder.appendingPathComponent("pdf-docx/schedule.pdf"))
        XCTAssertTrue(schedule.contains("Май, сентябрь"), schedule)
        let sheets = try openInOffice(["bands", "marks", "schedule"].map { folder.appendingPathComponent("\($0).xlsx") })
        XCTAssertTrue(sheets["bands.xlsx"]?.contains { $0.contains("МБОУ «Барановская СОШ»") && $0.contains("3") } ?? false,
                      "\(sheets["bands.xlsx"] ?? [])")
        XCTAssertTrue(sheets["marks.xlsx"]?.contains { $0.contains("ИТОГО") && $0.contains("8") } ?? false,
                      "\(sheets["marks.xlsx"] ?? [])")
        XCTAssertEqual(sheets["schedule.xlsx"]?.filter { $0.contains("мониторинг УО") }.count, 9)
    }
}
