import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

final class XLSXTests: XCTestCase {
    let rows: [[SheetCell]] = [
        [
            .text("Год"), .text("Процедура"), .text("Класс"), .text("Предмет"), .text("Код ОО"), .text("Участников"), .text("«2»"),
            .text("«3»"), .text("«4»"), .text("«5»"),
        ],
        [
            .number(2022), .text("ВПР"), .number(5), .text("Математика"), .text("L1"), .number(14), .number(5), .number(7), .number(2),
            .number(0),
        ],
        [.empty],
        [
            .number(2022), .text("ВПР"), .number(5), .text("Русский язык"), .text("L1"), .number(14), .number(5), .number(4), .number(5),
            .empty,
        ],
    ]

    func testWrittenWorkbookReadsBackWithRowNumbers() throws {
        let data = try XLSX.write(sheetName: "Результаты", rows: rows)
        XCTAssertTrue(XLSX.isXLSX([UInt8](data)))
        let table = try XLSX.read([UInt8](data))
        XCTAssertEqual(table.header[6], "«2»")
        XCTAssertEqual(table.rows.map(\.line), [2, 4])
        XCTAssertEqual(table.rows[0].cells, ["2022", "ВПР", "5", "Математика", "L1", "14", "5", "7", "2", "0"])
        XCTAssertEqual(table.rows[1].cells.count, 9, "an empty trailing cell is simply absent")
        XCTAssertNoThrow(try XLSX.read([UInt8](data), sheet: "результаты"))
        XCTAssertThrowsError(try XLSX.read([UInt8](data), sheet: "Лист2")) { error in
            XCTAssertEqual("\(error)", "XLSX: нет листа «Лист2»; листы: Результаты")
        }
        XCTAssertThrowsError(try XLSX.read([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))
    }

    func testXLSXImportMatchesCSV() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await Importer(db: store.db, actor: .commandLine).importFile(
                .schools, bytes: Array("code,name,municipality\nL1,Липицкая,Чернский район\n".utf8), fileName: "s.csv")
            let importer = Importer(db: store.db, actor: .commandLine)
            let data = try XLSX.write(sheetName: "Лист1", rows: rows)
            let summary = try await importer.importFile(.results, bytes: [UInt8](data), fileName: "r.xlsx")
            XCTAssertEqual(summary.created, 2)
            let stats = try await ResultsRepository(db: store.db).results(
                ResultFilter(year: 2022, grade: 5, subject: "math"), scope: .everything)
            XCTAssertEqual(stats.first?.metrics().successRate ?? 0, 64.2857, accuracy: 0.0001)

            // A bad cell in a spreadsheet is reported with its spreadsheet row.
            var bad = rows
            bad[3][6] = .text("пять")
            do {
                _ = try await importer.importFile(
                    .results, bytes: [UInt8](try XLSX.write(sheetName: "Лист1", rows: bad)), fileName: "bad.xlsx")
                XCTFail("must be rejected")
            } catch let rejected as ImportRejected {
                XCTAssertEqual(rejected.errors.map(\.description), ["bad.xlsx:4: m2: «пять» — не целое число"])
            }
        }
    }
}
