import Foundation
import OporaData
import OporaLiveSupport
import XCTest

/// The municipal note printed as a person prints it (LibreOffice → PDF), on a synthetic district of 40 schools and two
/// years: a page count a person accepts for the rows it holds, every page at a readable scale.
extension OfficeTests {
    func testTheNotePrintsOnAPageCountAPersonAccepts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func opora(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = LiveServer.binary(for: Self.self)
            process.arguments = ["--db", folder.appendingPathComponent("opora.sqlite").path] + arguments
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(arguments): \(message)")
        }
        let generated = folder.appendingPathComponent("gen").path
        try opora(["generate", "region", "--schools", "40", "--years", "2", "--aggregated", "--out", generated])
        for kind in ["schools", "results", "context", "risks"] {
            try opora(["import", kind, folder.appendingPathComponent("gen/\(kind).csv").path])
        }
        for format in ["xlsx", "docx"] {
            let out = folder.appendingPathComponent("note.\(format)").path
            try opora(["report", "note", "--year", "2025", "--municipality", "Район 2", "--out", out])
        }
        let sheetRows = try XLSX.read([UInt8](Data(contentsOf: folder.appendingPathComponent("note.xlsx")))).rows.count
        for format in ["xlsx", "docx"] {
            let pdf = try convertToPDF([folder.appendingPathComponent("note.\(format)")],
                                       into: folder.appendingPathComponent("pdf-\(format)"))
            XCTAssertEqual(pdf, ["note.pdf"])
            let text = try pdfText(folder.appendingPathComponent("pdf-\(format)/note.pdf"))
            let pages = text.filter { $0 == "\u{0C}" }.count
            print("The note as \(format): \(pages) pages for \(sheetRows) rows")
            // About 40 rows a page in the workbook (fitted to the width, not shrunk to a strip); Word adds a chart per
            // work, so it may take three times as many pages, never more.
            let limit = format == "xlsx" ? sheetRows / 40 + 2 : 3 * (sheetRows / 40) + 4
            XCTAssertLessThanOrEqual(pages, limit, "\(format): \(pages) pages for \(sheetRows) rows")
            XCTAssertGreaterThanOrEqual(pages, sheetRows / 80, "\(format): fewer pages than rows allow means print too small to read")
        }
    }
}
