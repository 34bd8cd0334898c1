import Foundation
import XCTest

/// One range for every date a file gives (README: years 2000–2100): a year 99999 in an order's date, a roadmap's
/// `done_on` or an event's `start` is refused by line, and nothing is written.
extension CLITests {
    func testDatesOutsideTheYearsOporaKnowsAreRefusedByLine() throws {
        let schools = try write("schools.csv", Array("code;name;municipality;region\nD1;Школа 1;Город;Область\n".utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let programmes = try write("programmes.csv", Array("""
        code;name;start;end;level;territory;order_number;order_date
        P1;Программа;2023;2025;municipality;Город;5;31.12.99999
        """.utf8))
        let refused = try opora(["import", "programmes", programmes])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("programmes.csv:2: order_date: «31.12.99999»: ожидается дата"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("с 2000 по 2100 год"), refused.stderr)

        let good = try write("programmes-good.csv", Array("""
        code;name;start;end;level;territory;order_number;order_date
        P1;Программа;2023;2025;municipality;Город;5;31.12.2022
        """.utf8))
        XCTAssertEqual(try opora(["import", "programmes", good]).status, 0)
        let roadmap = try write("roadmap.csv", Array("""
        programme;number;measure;deadline;status;done_on
        P1;1;Семинар;До 10.09.2024;done;10.09.99999
        P1;2;Курсы;До 10.10.2024;done;1999-12-31
        """.utf8))
        let measures = try opora(["import", "roadmap", roadmap])
        XCTAssertEqual(measures.status, 1)
        XCTAssertTrue(measures.stderr.contains("roadmap.csv:2: done_on:"), measures.stderr)
        XCTAssertTrue(measures.stderr.contains("roadmap.csv:3: done_on:"), measures.stderr)
        let stored = try opora(["roadmap", "--programme", "P1", "--format", "json"]).stdout
        XCTAssertEqual(stored.trimmingCharacters(in: .whitespacesAndNewlines), "[]", "nothing written")

        let events = try write("events.csv", Array("event;start;hours;school;count\nКПК-1;01.09.99999;32;D1;4\n".utf8))
        let course = try opora(["import", "events", events])
        XCTAssertEqual(course.status, 1)
        XCTAssertTrue(course.stderr.contains("events.csv:2: start:"), course.stderr)
    }
}
