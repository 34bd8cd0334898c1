import OporaDomain
import XCTest

/// Issue 18 (memory bounded by the file): the `events`, `staff` and `specialists` parsers read a CSV as a stream of
/// rows (never the whole file as cells as well as records), and the texts a log repeats on every row are kept once.
final class StreamedRowsTests: XCTestCase {
    let events = """
        event;title;kind;start;hours;organiser;school;role;count;person
        E1;Семинар по функциональной грамотности;семинар;10.02.2025;4;Институт развития образования;A1;учитель;3;

        E1;Семинар по функциональной грамотности;семинар;10.02.2025;4;Институт развития образования;A2;учитель;;P7
        E2;"Курсы «Оценивание»; модуль 1";курсы;01.03.2025;36;Институт развития образования;A1;заместитель;1;
        """

    func testAStreamGivesTheRowsAndLinesTheWholeTableGives() throws {
        let bytes = Array(events.utf8)
        let stream = try DelimitedTextReader.stream(bytes, file: "events.csv")
        let table = try DelimitedTextReader.read(bytes, file: "events.csv")
        XCTAssertEqual(stream.header, table.header)
        var streamed: [DelimitedTable.Row] = []
        try stream.forEachRow { streamed.append($0) }
        XCTAssertEqual(streamed.map(\.line), [2, 4, 5], "the blank line 3 skipped, lines as in the file")
        XCTAssertEqual(streamed.map(\.cells), table.rows.map(\.cells))
        XCTAssertEqual(try EventsFile.parse(stream, file: "events.csv").records, try EventsFile.parse(table, file: "events.csv").records)
    }

    func testAStreamStopsAtALimitWithTheFileAndLine() throws {
        let limits = ImportLimits(rows: 1)
        let stream = try DelimitedTextReader.stream(Array(events.utf8), file: "events.csv", limits: limits)
        XCTAssertThrowsError(try EventsFile.parse(stream, file: "events.csv")) { error in
            let issues = (error as? ImportRejected)?.errors ?? []
            XCTAssertEqual(issues.map(\.file), ["events.csv"])
            XCTAssertEqual(issues.map(\.line), [4], "the second data row crosses a limit of one row")
        }
    }

    func testAnEmptyStreamIsRefusedAsAnEmptyTableIs() throws {
        for (kind, header) in [("events", "event;start;hours;school"), ("staff", "school;year"), ("specialists", "school;year;tutor")] {
            let stream = try DelimitedTextReader.stream(Array((header + "\n\n").utf8), file: "f.csv")
            let parse: () throws -> Void = {
                switch kind {
                case "events": _ = try EventsFile.parse(stream, file: "f.csv")
                case "staff": _ = try StaffFiles.parseStaff(stream, file: "f.csv")
                default: _ = try StaffFiles.parseSpecialists(stream, file: "f.csv")
                }
            }
            XCTAssertThrowsError(try parse(), kind) { error in
                XCTAssertEqual((error as? ImportRejected)?.errors.map(\.message), ["в файле нет ни одной строки данных"], kind)
            }
        }
    }

    /// A million rows naming one event's title, organiser and topic hold each text once, not a million times.
    func testRepeatedTextsOfEventsAndStaffShareOneStorage() throws {
        let (records, _) = try EventsFile.parse(try DelimitedTextReader.stream(Array(events.utf8), file: "events.csv"), file: "events.csv")
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(storage(records[0].title), storage(records[1].title), "one title, one storage")
        XCTAssertEqual(storage(records[0].organiser), storage(records[2].organiser))
        XCTAssertNotEqual(storage(records[0].title), storage(records[2].title))

        let staff = """
            school,year,position,count,person,course_topic,deficit
            A1,2024,учитель,,T1,Формирование функциональной грамотности,оценивание образовательных результатов
            A1,2024,учитель,,T2,Формирование функциональной грамотности,оценивание образовательных результатов
            """
        let (rows, _) = try StaffFiles.parseStaff(try DelimitedTextReader.stream(Array(staff.utf8), file: "staff.csv"), file: "staff.csv")
        XCTAssertEqual(storage(rows[0].group.courseTopic), storage(rows[1].group.courseTopic))
        XCTAssertEqual(storage(rows[0].group.deficit), storage(rows[1].group.deficit))
    }

    func storage(_ text: String?) -> UnsafeRawPointer? {
        guard var text else { return nil }
        return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }
}
