import Foundation
import OporaDomain
import XCTest

/// A school programme carried out: each measure's progress against its deadline, each indicator's latest phase
/// against its target, and the totals (docs/EXITS.md).
final class SchoolProgrammeExecutionTests: XCTestCase {
    let content = ProgrammeContent(
        goal: "Повысить качество обучения", tasks: ["Задача"],
        measures: [
            ProgrammeMeasure(id: "1", text: "Педсовет по результатам ВПР", deadline: "до 01.03.2025"),
            ProgrammeMeasure(id: "2", text: "Курсы для учителей математики", deadline: "до 01.10.2025"),
            ProgrammeMeasure(id: "3", text: "Консультации для родителей", deadline: "в течение года"),
            ProgrammeMeasure(id: "4", text: "Диагностика читательской грамотности", deadline: "до 01.04.2025"),
        ],
        indicators: [
            ProgrammeIndicator(id: "1", name: "Доля «2» по математике, %", unit: "%", baseline: "32", target: "не более 15"),
            ProgrammeIndicator(id: "2", name: "Успеваемость, %", unit: "%", baseline: "81,5", target: "не менее 95"),
            ProgrammeIndicator(id: "3", name: "Доля педагогов с курсами, %", baseline: "40", target: "100"),
            ProgrammeIndicator(id: "4", name: "Удовлетворённость родителей", baseline: "", target: "высокая"),
        ])

    func testMeasuresIndicatorsAndTotals() {
        let summary = SchoolProgrammeExecution.summary(
            content: content, period: 2025...2025,
            executions: [
                "1": MeasureExecution(status: .done, doneOn: CalendarDay(year: 2025, month: 2, day: 20), evidence: "протокол № 4"),
                "2": MeasureExecution(status: .inProgress),
                "4": MeasureExecution(status: .inProgress, comment: "перенесено"),
            ],
            values: ["1": [.entry: 32, .intermediate: 14], "2": [.entry: 81.5, .intermediate: 97, .final: 93.2], "3": [.entry: 40]],
            today: CalendarDay(year: 2025, month: 5, day: 15))
        XCTAssertEqual(summary.measures.map(\.progress), [.done, .inProgress, .notStarted, .overdue])
        XCTAssertEqual(summary.overdue.map(\.measure.id), ["4"])
        XCTAssertEqual(summary.tally[.done], 1)
        XCTAssertEqual(summary.tally.doneRate, 25)
        // «не более 15»: 14 at the intermediate phase meets it; the final 93,2 misses «не менее 95» though 97 met it
        // midway; 40 at entry misses 100; «высокая» is no number.
        XCTAssertEqual(summary.indicators.map(\.met), [true, false, false, nil])
        XCTAssertEqual(summary.indicators[1].latest?.phase, .final)
        XCTAssertEqual(summary.offTarget.map(\.indicator.id), ["2", "3"])
        XCTAssertEqual(summary.metCount, 1)
        XCTAssertEqual(summary.unjudged.map(\.indicator.id), ["4"])
        XCTAssertEqual(summary.indicatorChecks.map(\.met), [true, false, false, nil])
    }

    func testTargetsAsProgrammesWriteThem() {
        let table: [(target: String, baseline: String, value: Double?, direction: IndicatorDirection?)] = [
            ("не менее 80 %", "", 80, .up),
            ("94,5", "90", 94.5, .up),
            ("не более 15", "32", 15, .down),
            ("10", "25", 10, .down),
            ("≤ 5", "", 5, .down),
            ("снижение до 12,5 %", "", 12.5, .down),
            ("высокая", "низкая", nil, nil),
            ("−3", "0", -3, .down),
        ]
        for row in table {
            let target = IndicatorTarget.read(target: row.target, baseline: row.baseline)
            XCTAssertEqual(target?.value, row.value, row.target)
            XCTAssertEqual(target?.direction, row.direction, row.target)
        }
    }

    func testWhatMayBeSaved() {
        let period = DatePeriod.calendarYears(2025...2026)
        XCTAssertEqual(MeasureExecution(status: .done).problems(period: period), ["Дата выполнения: укажите, когда мероприятие выполнено"])
        XCTAssertEqual(
            MeasureExecution(status: .done, doneOn: CalendarDay(year: 2027, month: 1, day: 10)).problems(period: period),
            ["Дата выполнения: 10.01.2027 вне срока программы (01.01.2025–31.12.2026)"])
        let plannedWithDate = MeasureExecution(status: .planned, doneOn: CalendarDay(year: 2025, month: 1, day: 10))
        XCTAssertEqual(plannedWithDate.problems(period: period).count, 1)
        XCTAssertEqual(MeasureExecution(status: .done, doneOn: CalendarDay(year: 2025, month: 1, day: 10)).problems(period: period), [])
    }
}
