import Foundation
import XCTest

/// Issue 18, point 3, from the command line: a name with a direction override or a Unicode line separator in a
/// file is refused as `FILE:LINE: column: message`, and nothing is written.
extension CLITests {
    func testImportRefusesDirectionMarksAndLineSeparatorsInNames() throws {
        for (character, code) in [("\u{202E}", "U+202E"), ("\u{2028}", "U+2028"), ("\u{2066}", "U+2066")] {
            let schools = try write(
                "schools-\(code).csv",
                "code,name,municipality,region\nA1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область\n"
                    + "A2,МБОУ «Чернская\(character)СОШ № 1»,Чернский район,Тульская область\n")
            let refused = try opora(["import", "schools", schools])
            XCTAssertEqual(refused.status, 1, code)
            XCTAssertTrue(refused.stderr.contains("schools-\(code).csv:3: № 2: в ячейке недопустимый символ \(code)"), refused.stderr)
        }
        // Nothing was written: the same file without the character creates both schools.
        let clean = try write("schools.csv", "code,name,municipality,region\nA1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область\n"
                                  + "A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область\n")
        let imported = try opora(["import", "schools", clean])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("добавлено: 2"), imported.stdout)
    }
}
