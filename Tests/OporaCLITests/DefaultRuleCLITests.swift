import Foundation
import XCTest

/// Issue 24, point 6: without a stored set, the command line names the default rule in words that fit any
/// territory — «программа Первоуральска» only for Pervouralsk itself.
extension CLITests {
    func testTheDefaultRuleIsNamedForTheTerritory() throws {
        let schools = try write("schools.csv", """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            P1,МАОУ СОШ № 1,Первоуральск,Свердловская область
            """)
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let results = try write("results.csv", """
            year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
            2023,VPR,6,math,A1,38,13,13,15,8,2
            2023,VPR,6,math,P1,38,13,13,15,8,2
            """)
        XCTAssertEqual(try opora(["import", "results", results]).status, 0)
        let neighbour = try opora(["criteria", "show", "--year", "2023", "--municipality", "Чернский район"])
        XCTAssertEqual(neighbour.status, 0, neighbour.stderr)
        XCTAssertTrue(neighbour.stdout.contains("# Сохранённого набора нет: действует правило по умолчанию: 30 %"), neighbour.stdout)
        XCTAssertFalse(neighbour.stdout.contains("Первоуральск"), neighbour.stdout)
        XCTAssertFalse(neighbour.stdout.contains("3e+1"))
        let own = try opora(["criteria", "show", "--year", "2023", "--municipality", "Первоуральск"])
        XCTAssertTrue(own.stdout.contains("правило по умолчанию (программа Первоуральска 2023–2025)"), own.stdout)
        let table = try opora(["identify", "--year", "2023"])
        XCTAssertTrue(table.stdout.contains("Критерии: Правило по умолчанию: 30 % не преодолевших минимальный порог"), table.stdout)
        XCTAssertTrue(table.stdout.contains("Критерии: Правило по умолчанию (программа Первоуральска 2023–2025)"), table.stdout)
    }
}
