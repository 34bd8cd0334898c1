import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// A sound database stays sound for `opora check` after the imports at scale, which audit a file per territory.
final class DatabaseCheckAfterImportsTests: XCTestCase {
    func testAFileOfSeveralProgrammesOfOneTerritoryLeavesASoundDatabase() async throws {
        try await TestEngines.withEachStore { store in
            let importer = Importer(db: store.db, actor: .commandLine)
            let schools = "code,name,municipality,region\nA1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область\n"
            _ = try await importer.importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
            let programmes = """
                code,name,start,end,level,territory
                M1,Программа поддержки школ,01.01.2024,31.12.2025,municipality,Чернский район
                M2,Программа развития кадров,01.01.2024,31.12.2026,municipality,Чернский район
                R1,Региональная программа,01.01.2024,31.12.2026,region,Тульская область
                """
            _ = try await importer.importFile(.programmes, bytes: Array(programmes.utf8), fileName: "p.csv")
            let report = await DatabaseChecker(db: store.db).run()
            XCTAssertTrue(report.ok, report.text)
        }
    }
}
