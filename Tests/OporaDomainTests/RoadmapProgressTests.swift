import XCTest
@testable import OporaDomain

/// What a roadmap as a whole counts as done, late, coming up and undated: one rule for the page, the list of
/// programmes, the start page and the DOCX report.
final class RoadmapProgressTests: XCTestCase {
    let period = CalendarDay(year: 2023, month: 1, day: 1)...CalendarDay(year: 2025, month: 12, day: 31)
    let today = CalendarDay(year: 2024, month: 9, day: 11)

    struct Line {
        let section: String
        let deadline: String
        let status: MeasureStatus
        let responsible: String?
        var doneOn: CalendarDay? = nil
    }

    func rows(_ lines: [Line]) -> [RoadmapRow] {
        RoadmapRow.read(lines.enumerated().map { index, line in
            RoadmapRow.Stored(id: index + 1, version: 1,
                              measure: RoadmapMeasure(section: line.section, number: "\(index + 1)", measure: "Мера \(index + 1)",
                                                      deadline: line.deadline, responsible: line.responsible, status: line.status,
                                                      doneOn: line.doneOn),
                              result: nil, comment: nil, evidence: nil)
        }, period: period, today: today)
    }

    func testSectionsAndTotalCountEachState() {
        let progress = RoadmapProgress(rows([
            Line(section: "1. Кадры", deadline: "до 10.09.2024", status: .planned, responsible: "УО"),
            Line(section: "1. Кадры", deadline: "до 10.09.2024", status: .done, responsible: "УО"),
            Line(section: "2. Среда", deadline: "до 01.12.2024", status: .inProgress, responsible: nil),
            Line(section: "1. Кадры", deadline: "до 01.12.2024", status: .cancelled, responsible: nil),
            Line(section: "2. Среда", deadline: "по согласованию", status: .planned, responsible: " "),
        ]))
        XCTAssertEqual(progress.sections.map(\.section), ["1. Кадры", "2. Среда"], "sections in the plan's order")
        let table: [(MeasureProgress, kadry: Int, sreda: Int, total: Int)] = [
            (.done, 1, 0, 1), (.overdue, 1, 0, 1), (.inProgress, 0, 1, 1), (.notStarted, 0, 1, 1), (.cancelled, 1, 0, 1),
        ]
        for (state, kadry, sreda, total) in table {
            XCTAssertEqual(progress.sections[0].tally[state], kadry, "\(state) in «Кадры»")
            XCTAssertEqual(progress.sections[1].tally[state], sreda, "\(state) in «Среда»")
            XCTAssertEqual(progress.total[state], total, "\(state) in total")
        }
        XCTAssertEqual(progress.total.doneRate, 25, "done among the four not cancelled")
        XCTAssertEqual(progress.overdue, 1)
        XCTAssertEqual(progress.undated, 1, "«по согласованию» waits for a date")
    }

    func testLateMeasuresAreGroupedByResponsibleAndAnUnnamedOneIsSaidSo() {
        let progress = RoadmapProgress(rows([
            Line(section: "", deadline: "до 10.09.2024", status: .planned, responsible: "Школа"),
            Line(section: "", deadline: "до 01.09.2024", status: .inProgress, responsible: nil),
            Line(section: "", deadline: "до 01.03.2024", status: .planned, responsible: "Администрация"),
            Line(section: "", deadline: "до 01.03.2024", status: .planned, responsible: "Школа"),
            Line(section: "", deadline: "до 01.03.2025", status: .planned, responsible: "Школа"),
        ]))
        XCTAssertEqual(progress.overdueByResponsible.map(\.responsible), ["Администрация", "Школа", RoadmapProgress.noResponsible])
        XCTAssertEqual(progress.overdueByResponsible[1].rows.map(\.id), [1, 4], "the plan's order inside a group")
    }

    func testDueSoonCountsOpenMeasuresWithADeadlineInTheNextTwoWeeks() {
        let cases: [(deadline: String, status: MeasureStatus, soon: Bool)] = [
            ("до 11.09.2024", .planned, true),      // today
            ("до 25.09.2024", .inProgress, true),   // the fourteenth day
            ("до 26.09.2024", .planned, false),     // the fifteenth
            ("до 10.09.2024", .planned, false),     // already late, not «coming up»
            ("до 20.09.2024", .done, false),
            ("до 20.09.2024", .cancelled, false),
            ("постоянно", .planned, false),
        ]
        for item in cases {
            let count = RoadmapProgress.dueSoon(rows([Line(section: "", deadline: item.deadline, status: item.status, responsible: nil)]),
                                                today: today)
            XCTAssertEqual(count, item.soon ? 1 : 0, "\(item.deadline), \(item.status)")
        }
    }

    func testStateTextAndFilters() {
        let list = rows([
            Line(section: "", deadline: "до 01.03.2024", status: .done, responsible: nil, doneOn: CalendarDay(year: 2024, month: 2,
                day: 28)),
            Line(section: "", deadline: "по согласованию", status: .planned, responsible: nil),
            Line(section: "", deadline: "до 01.03.2024", status: .planned, responsible: nil),
        ])
        XCTAssertEqual(list.map(RoadmapProgress.stateText),
                       ["выполнено 28.02.2024", "не начато; срок не распознан — нужна дата", "просрочено"])
        let table: [(RoadmapFilter, [Int])] = [(.all, [1, 2, 3]), (.done, [1]), (.undated, [2]), (.overdue, [3]),
                                               (.notStarted, [2]), (.inProgress, [])]
        for (filter, ids) in table {
            XCTAssertEqual(list.filter(filter.matches).map(\.id), ids, filter.rawValue)
        }
        XCTAssertEqual(RoadmapFilter.allCases.map(\.rawValue), ["all", "overdue", "in_progress", "not_started", "done", "undated"],
                       "the links' values stay as they were")
    }
}
