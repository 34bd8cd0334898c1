import Foundation
import XCTest

/// `opora import events` as a user runs it: an event belongs to the territory of the file's schools, and one
/// file may not give one event two lengths (issue 25, point 4).
extension CLITests {
    func testTheSameCodeInTwoMunicipalitiesIsTwoEvents() throws {
        let schools = try write("schools.csv", """
        code,name,municipality,region
        71001,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
        71002,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
        71101,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
        """)
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let chern = try write("chern.csv", """
        event;title;kind;start;hours;school;role;count
        КПК-1;Школьная команда: управление качеством;курсы;15.02.2024;32;71001;учитель;6
        КПК-1;Школьная команда: управление качеством;курсы;15.02.2024;32;71002;учитель;6
        """)
        let belev = try write("belev.csv", """
        event;title;kind;start;hours;school;role;count
        КПК-1;Вводный семинар;семинар;01.03.2024;4;71101;учитель;6
        """)
        let first = try opora(["import", "events", chern])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("добавлено: 1"), first.stdout)
        let second = try opora(["import", "events", belev])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("добавлено: 1, изменено: 0"), "Белёвский район's «КПК-1» is its own event: \(second.stdout)")
        let again = try opora(["import", "events", chern])
        XCTAssertTrue(again.stdout.contains("добавлено: 0, изменено: 1"), "Чернский район's upload finds its own event: \(again.stdout)")
    }

    func testOneFileGivingAnEventTwoLengthsIsRefusedNamingBothLines() throws {
        let schools = try write("schools.csv", """
        code,name,municipality
        71001,МКОУ «Липицкая СОШ»,Чернский район
        71002,МБОУ «Чернская СОШ № 1»,Чернский район
        """)
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let events = try write("events.csv", """
        event,start,hours,school,count
        КПК-1,15.02.2024,32,71001,6
        КПК-1,15.02.2024,4,71002,6
        """)
        let run = try opora(["import", "events", events])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("events.csv:3: hours:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("events.csv:2"), run.stderr)
        XCTAssertTrue(run.stderr.contains("Ничего не изменено"), run.stderr)
        let fixed = try write("fixed.csv", "event,start,hours,school,count\nКПК-1,15.02.2024,32,71001,6\nКПК-1,15.02.2024,32,71002,6\n")
        XCTAssertEqual(try opora(["import", "events", fixed]).status, 0)
    }
}
