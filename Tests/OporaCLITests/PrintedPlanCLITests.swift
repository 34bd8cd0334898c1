import Foundation
import XCTest

/// `opora import roadmap FILE --programme CODE` with the seeds' plan tables as pasted from Word, and
/// `opora roadmap --format json` reading their deadlines within each programme's own dates (CONTRACT.md).
extension CLITests {
    /// Three territories and a programme each, with the periods the seeds print: Рязань 2020–2022, Чернский район
    /// «на 2023-2024 учебный год» (01.09.2023–31.08.2024), Урванский район 2021.
    func loadPrintedPlanProgrammes() throws {
        let schools = try write("schools.csv", Array("""
        code;name;municipality;region
        RZN01;МБОУ «Школа № 1»;город Рязань;Рязанская область
        CHR01;МКОУ «Липицкая СОШ»;Чернский район;Тульская область
        URV01;МКОУ «СОШ № 4» г.п. Нарткала;Урванский муниципальный район;Кабардино-Балкарская Республика
        """.utf8))
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let programmes = try write("programmes.csv", Array("""
        code;name;start;end;level;territory
        RZN;Региональный проект поддержки ШНОР и ШФНСУ;2020;2022;region;Рязанская область
        CHR;Программа повышения качества образования на 2023-2024 учебный год;01.09.2023;31.08.2024;municipality;Чернский район
        URV;Дорожная карта по работе с ОО с низкими результатами на 2021 год;2021;2021;municipality;Урванский муниципальный район
        """.utf8))
        let loaded = try opora(["import", "programmes", programmes])
        XCTAssertEqual(loaded.status, 0, loaded.stderr)
    }

    func roadmapJSON(_ arguments: [String]) throws -> [[String: Any]] {
        let run = try opora(["roadmap"] + arguments + ["--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    }

    func testSeed002PlanWithYearHeadingsThroughTheBinary() throws {
        try loadPrintedPlanProgrammes()
        let run = try opora(["import", "roadmap", fixture("ryazan-plan-2020-2022.csv"), "--programme", "RZN"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("добавлено: 84"), run.stdout)
        let rows = try roadmapJSON(["--programme", "RZN"])
        XCTAssertEqual(rows.count, 84, "28 measures for each of 2020, 2021 and 2022")
        let april2021 = try XCTUnwrap(rows.first { $0["number"] as? String == "20" && $0["section"] as? String == "2021" })
        XCTAssertEqual(april2021["deadline"] as? String, "апрель 2021 года")
        XCTAssertEqual(april2021["kind"] as? String, "date")
        XCTAssertEqual(april2021["due"] as? [String], ["2021-04-30"])
        let monitoring2022 = try XCTUnwrap(rows.first { $0["number"] as? String == "13" && $0["section"] as? String == "2022 год" })
        XCTAssertEqual(monitoring2022["due"] as? [String], ["2022-03-31", "2022-10-31", "2022-11-30"],
                       "«март, октябрь, ноябрь» in the heading's year")
        let quarterly2020 = try XCTUnwrap(rows.first { $0["number"] as? String == "16" && $0["section"] as? String == "2020 год" })
        XCTAssertEqual(quarterly2020["kind"] as? String, "recurring")
        XCTAssertEqual(quarterly2020["due"] as? [String], ["2020-03-31", "2020-06-30", "2020-09-30", "2020-12-31"])
        // The same file again changes nothing.
        let again = try opora(["import", "roadmap", fixture("ryazan-plan-2020-2022.csv"), "--programme", "RZN"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try roadmapJSON(["--programme", "RZN"]).count, 84)
        // A window picks the measures due in it, with those dates only.
        let november2021 = try roadmapJSON(["--programme", "RZN", "--due-from", "2021-11-01", "--due-to", "2021-11-30"])
        XCTAssertEqual(Set(november2021.compactMap { $0["section"] as? String }), ["2021"])
        XCTAssertTrue(november2021.allSatisfy { ($0["due"] as? [String]) == ["2021-11-30"] }, "\(november2021)")
        XCTAssertEqual(november2021.count, 6, "13, 15, 17, 19, 23 and 25 of 2021")
    }

    func testAcademicYearPlanWarnsOfDatesOutsideItsPeriod() throws {
        try loadPrintedPlanProgrammes()
        let run = try opora(["import", "roadmap", fixture("chern-plan-2023-2024.csv"), "--programme", "CHR"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let outside = "chern-plan-2023-2024.csv:4: deadline: предупреждение: срок «Февраль- март 2023»: 31.03.2023 вне срока программы"
        XCTAssertTrue(run.stderr.contains(outside), run.stderr)
        XCTAssertTrue(run.stderr.contains("chern-plan-2023-2024.csv:114: deadline:"), run.stderr)
        XCTAssertFalse(run.stderr.contains("chern-plan-2023-2024.csv:8:"), "«сентябрь-октябрь» lies inside the period")
        let rows = try roadmapJSON(["--programme", "CHR"])
        XCTAssertEqual(rows.count, 55)
        let spring = try XCTUnwrap(rows.first { $0["number"] as? String == "1.1." })
        XCTAssertEqual(spring["kind"] as? String, "date")
        XCTAssertEqual(spring["due"] as? [String], [])
        XCTAssertEqual(rows.first { $0["number"] as? String == "3.10" }?["due"] as? [String], ["2023-11-30", "2024-03-31", "2024-08-31"])
        XCTAssertEqual(rows.first { $0["number"] as? String == "1.4." }?["due"] as? [String], ["2023-10-31"])
        XCTAssertEqual(rows.first { $0["number"] as? String == "1.7." }?["kind"] as? String, "continuous")
        let march = try roadmapJSON(["--programme", "CHR", "--due-from", "01.03.2024", "--due-to", "31.03.2024"])
        XCTAssertEqual(Set(march.compactMap { $0["number"] as? String }), ["3.10", "3.18", "3.22", "3.23", "4.6"])
    }

    func testRowsWithoutANumberOrADeadlineAreKeptThroughTheBinary() throws {
        try loadPrintedPlanProgrammes()
        let run = try opora(["import", "roadmap", fixture("urvan-plan-2021.csv"), "--programme", "URV"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let numberGiven = "urvan-plan-2021.csv:4: number: предупреждение: номер не указан: мероприятию дан № 1.1-1"
        XCTAssertTrue(run.stderr.contains(numberGiven), run.stderr)
        XCTAssertTrue(run.stderr.contains("urvan-plan-2021.csv:27: deadline: предупреждение: срок не указан"), run.stderr)
        let rows = try roadmapJSON(["--programme", "URV"])
        XCTAssertEqual(rows.count, 48)
        let undated = try XCTUnwrap(rows.first { $0["number"] as? String == "3.8." })
        XCTAssertEqual(undated["kind"] as? String, "unparsed")
        XCTAssertEqual(undated["deadline"] as? String, "")
        XCTAssertEqual(rows.first { $0["number"] as? String == "1.1-1" }?["due"] as? [String], ["2021-01-31"])
        let table = try opora(["roadmap", "--programme", "URV"])
        XCTAssertTrue(table.stdout.contains("нужна дата"), table.stdout)
    }

    func testBadPrintedPlansAreRefusedAndChangeNothing() throws {
        try loadPrintedPlanProgrammes()
        XCTAssertEqual(try opora(["import", "roadmap", fixture("urvan-plan-2021.csv"), "--programme", "URV"]).status, 0)
        let before = try opora(["roadmap", "--programme", "URV", "--format", "csv"]).stdout
        let bad = try write("plan.csv", Array("""
        № п/п;Наименование мероприятия;Сроки реализации;Статус
        1;Новое мероприятие;май;
        2;;до 10.09.2021;
        3;Ещё одно;июнь;сделаем
        """.utf8))
        let refused = try opora(["import", "roadmap", bad, "--programme", "URV"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("plan.csv:3: measure: нет текста мероприятия"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("plan.csv:4: status: «сделаем»"), refused.stderr)
        XCTAssertEqual(try opora(["roadmap", "--programme", "URV", "--format", "csv"]).stdout, before, "nothing written")
        let unknown = try opora(["import", "roadmap", fixture("urvan-plan-2021.csv"), "--programme", "NOPE"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("urvan-plan-2021.csv:3: programme: программы с кодом «NOPE» нет"), unknown.stderr)
        XCTAssertEqual(try opora(["import", "schools", bad, "--programme", "URV"]).status, 2, "--programme is for roadmaps only")
    }
}
