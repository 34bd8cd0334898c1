import OporaDomain
import XCTest

/// Task-level figures counted by hand (issue 20): a small class, a «Х», a two-point task, the boundary marker.
final class TaskFiguresTests: XCTestCase {
    let work = WorkKey(year: 2023, procedure: .vpr, grade: 5, subject: "math")

    /// Four pupils; task 2 is worth two points, task 3 is advanced; pupils 2 and 4 left a task «Х».
    let smallClass = """
    Год;Процедура;Класс;Предмет;Код ОО;Код участника;Класс (буква);Вариант;1;2;К3;Отметка;Отметка за четверть
    ;;;;;Максимальный балл;;;1;2;1;;
    2023;ВПР;5;Математика;S1;P1;А;1;1;2;1;5;5
    2023;ВПР;5;Математика;S1;P2;А;2;1;1;Х;3;4
    2023;ВПР;5;Математика;S1;P3;Б;1;0;2;0;3;3
    2023;ВПР;5;Математика;S1;P4;Б;2;X;0;0;2;3

    """

    func parse(_ text: String, stored: [WorkKey: TaskSpecification] = [:]) throws -> ParsedTaskScores {
        try ResultFiles().parseTaskScores(Array(text.utf8), file: "t.csv", specifications: stored)
    }

    func testSmallClassByHand() throws {
        let parsed = try parse(smallClass)
        XCTAssertEqual(parsed.rows, 4)
        XCTAssertEqual(parsed.specifiedByFile, [work])
        let group = try XCTUnwrap(parsed.groups.first)
        XCTAssertEqual(group.tally.participants, 4)
        XCTAssertEqual(group.tally.points, [2, 5, 1])
        XCTAssertEqual(group.tally.notAttempted, [1, 0, 1])
        // Primary scores 4, 2, 2, 0; the maximum is 1 + 2 + 1 = 4.
        XCTAssertEqual(group.tally.histogram, [1, 0, 2, 0, 1])
        XCTAssertEqual(group.rows.map { $0.result.primaryScore }, [4, 2, 2, 0])
        XCTAssertEqual(group.rows.map { $0.result.mark }, [5, 3, 3, 2])
        XCTAssertEqual(group.rows.map { $0.result.termMark }, [5, 4, 3, 3])
        XCTAssertEqual(group.rows.map(\.className), ["А", "А", "Б", "Б"])

        var spec = try XCTUnwrap(parsed.specifications[work])
        spec.tasks[2].level = .advanced
        let benchmarks = [TaskBenchmark(work: work, task: "2", level: .region, percent: 75),
                          TaskBenchmark(work: work, task: "K3", level: .russia, percent: 40)]
        let report = TaskFigures.report(spec: spec, tally: group.tally, benchmarks: benchmarks)
        XCTAssertTrue(report.small)
        XCTAssertEqual(report.participants, 4)
        // 2 of 4 points = 50 % (basic, < 60: deficit); 5 of 8 = 62,5 % (12,5 below the region's 75: deficit);
        // 1 of 4 = 25 % (advanced, < 30: deficit).
        XCTAssertEqual(report.tasks.map(\.percent), [50, 62.5, 25])
        XCTAssertEqual(report.tasks.map(\.possible), [4, 8, 4])
        XCTAssertEqual(report.tasks.map(\.deficit), [true, true, true])
        XCTAssertEqual(report.tasks.map(\.region), [nil, 75, nil])
        XCTAssertEqual(report.tasks.map(\.russia), [nil, nil, 40], "«K3» with a Latin K is the task «К3»")
        XCTAssertEqual(report.histogram, [1, 0, 2, 0, 1])
    }

    func testDeficitRule() {
        let cases: [(Double?, TaskLevel, Double?, Bool)] = [
            (59.99, .basic, nil, true), (60, .basic, nil, false), (29.9, .advanced, nil, true), (30, .advanced, nil, false),
            (70, .basic, 80, true), (70.01, .basic, 80, false), (45, .advanced, 54, false), (45, .advanced, 55, true), (nil, .basic, 90,
                false),
        ]
        for (percent, level, region, deficit) in cases {
            XCTAssertEqual(TaskFigures.isDeficit(percent: percent, level: level, region: region), deficit,
                "\(String(describing: percent)) \(level)")
        }
        XCTAssertEqual(TaskFigures.rounded(200.0 / 3), 66.67)
    }

    func testHistogramKeepsZerosUpToTheMaximumAndTalliesAddUp() throws {
        let spec = TaskSpecification(work: work, tasks: [TaskSpec(task: "1", maxPoints: 2), TaskSpec(task: "2", maxPoints: 3)])
        var a = TaskTally(spec: spec), b = TaskTally(spec: spec)
        a.add(points: [1, 0], notAttempted: [false, true], mark: 2)
        b.add(points: [2, 3], notAttempted: [false, false], mark: 5)
        b.add(points: [1, 0], notAttempted: [false, false], mark: nil)
        let total = try XCTUnwrap(TaskTally.sum([a, b]))
        XCTAssertEqual(total.participants, 3)
        XCTAssertEqual(total.points, [4, 3])
        XCTAssertEqual(total.notAttempted, [0, 1])
        XCTAssertEqual(total.histogram, [0, 2, 0, 0, 0, 1])
        let report = TaskFigures.report(spec: spec, tally: a, municipality: total)
        XCTAssertEqual(report.histogram, [0, 1, 0, 0, 0, 0])
        // The municipality's task 1: 4 of 3 × 2 = 66,67 %.
        XCTAssertEqual(TaskFigures.rounded(report.tasks[0].municipality), 66.67)
        XCTAssertFalse(TaskFigures.report(spec: spec, tally: total).small == false, "three pupils are a small group")
    }

    func testBoundaryMarkerOnACraftedDistribution() {
        let scale = MarkScale(work: work, minimums: [3: 5, 4: 8, 5: 11])
        // 28 pupils, 9 at exactly 5 (the «3»'s lowest score) against 2, 2, 4, 3 at 3, 4, 6, 7: expected 2,75, excess 6,25.
        let histogram = [0, 0, 1, 2, 2, 9, 4, 3, 3, 2, 1, 1, 0]
        let markers = TaskObjectivity.boundaryExcess(histogram: histogram, scale: scale, work: work)
        XCTAssertEqual(markers.count, 1)
        XCTAssertEqual(markers[0].figures["boundary"], 5)
        XCTAssertEqual(markers[0].figures["expected"], 2.75)
        XCTAssertEqual(markers[0].figures["excess"], 6.25)
        XCTAssertTrue(markers[0].explanation.contains("«3»"), markers[0].explanation)
        // The same pupils spread evenly around the boundary: no marker.
        let even = [0, 0, 1, 2, 4, 5, 4, 3, 3, 2, 2, 1, 1]
        XCTAssertTrue(TaskObjectivity.boundaryExcess(histogram: even, scale: scale, work: work).isEmpty)
        // Two pupils at a boundary with none beside it are too few to say anything; so is one pupil's luck in a small
        // class (4 at the boundary against 1 beside it: excess 3, but under 5 % of 70 participants).
        XCTAssertTrue(TaskObjectivity.boundaryExcess(histogram: [5, 5, 5, 5, 5, 0, 0, 0, 2, 0, 5, 5, 5], scale: scale, work: work).isEmpty)
        let lucky = [9, 9, 9, 9, 1, 4, 1, 1, 1, 9, 9, 8, 0]
        XCTAssertTrue(TaskObjectivity.boundaryExcess(histogram: lucky, scale: scale, work: work).isEmpty)
    }

    func testMarksThatDoNotFollowTheScale() throws {
        let scale = MarkScale(work: work, minimums: [3: 2, 4: 3, 5: 4])
        let parsed = try parse(smallClass)
        let tally = try XCTUnwrap(parsed.groups.first?.tally)
        // Scores 4, 2, 2, 0 with marks 5, 3, 3, 2: all as the scale says.
        XCTAssertNil(TaskObjectivity.marksOffScale(tally: tally, scale: scale))
        // With «3» from 3 points the two pupils at 2 points got a «3» the scale does not give.
        let stricter = MarkScale(work: work, minimums: [3: 3, 4: 4, 5: 5])
        let marker = try XCTUnwrap(TaskObjectivity.marksOffScale(tally: tally, scale: stricter))
        // Pupil 1 (4 points, «5» where the scale gives «4») and pupils 2–3: three raised of four.
        XCTAssertEqual(marker.figures["raised"], 3)
        XCTAssertEqual(marker.figures["lowered"], 0)
        XCTAssertEqual(marker.figures["share"], 75)
        XCTAssertEqual(stricter.mark(forPrimary: 2), 2)
        XCTAssertEqual(stricter.mark(forPrimary: 5), 5)
    }

    func testHardTasksFarAboveTheRegionWithOrdinaryEasyOnes() throws {
        func line(_ task: String, _ level: TaskLevel, points: Int, possible: Int, region: Double) -> TaskLine {
            TaskLine(task: task, maxPoints: 1, level: level, points: points, possible: possible,
                     percent: TaskFigures.percent(points: points, possible: possible), region: region, deficit: false)
        }
        // 20 pupils: basic 14 + 12 of 40 = 65 % against the region's 66 %; advanced 15 of 20 = 75 % against 30 %.
        var report = TaskReport(work: work, participants: 20, small: false, tasks: [
            line("1", .basic, points: 14, possible: 20, region: 70), line("2", .basic, points: 12, possible: 20, region: 62),
            line("3", .advanced, points: 15, possible: 20, region: 30),
        ], histogram: [])
        let marker = try XCTUnwrap(TaskObjectivity.hardAboveEasy(report))
        XCTAssertEqual(marker.figures["advanced"], 75)
        XCTAssertEqual(marker.figures["advanced_region"], 30)
        XCTAssertEqual(marker.figures["basic"], 65)
        XCTAssertEqual(marker.figures["basic_region"], 66)
        // Strong on basic tasks as well (80 % vs 66 %): an able class, not a marker.
        report.tasks[0].points = 18
        report.tasks[1].points = 14
        XCTAssertNil(TaskObjectivity.hardAboveEasy(report))
        report.small = true
        XCTAssertTrue(TaskObjectivity.markers(report: report, tally: nil, scale: nil).isEmpty)
    }

    func testDeficitsGroupedByRequirementAndBlock() {
        let spec = TaskSpecification(work: work, tasks: [
            TaskSpec(task: "1", maxPoints: 1, requirement: "Вычисления", block: "Числа"),
            TaskSpec(task: "2", maxPoints: 2, requirement: "Вычисления", block: "Числа"),
            TaskSpec(task: "3", maxPoints: 1, requirement: "Текстовые задачи", block: "Задачи"),
        ])
        var tally = TaskTally(spec: spec)
        for _ in 0..<5 { tally.add(points: [1, 0, 1], notAttempted: [false, false, false], mark: 3) }
        let report = TaskFigures.report(spec: spec, tally: tally)
        let byRequirement = TaskFigures.deficits([report], by: .requirement)
        // «Вычисления»: task 1 100 %, task 2 0 % (deficit); pooled 5 of 15 = 33,3 %.
        XCTAssertEqual(byRequirement.map(\.name), ["Вычисления"])
        XCTAssertEqual(byRequirement[0].tasks, ["ВПР-2023, 5 кл., Математика: 2"])
        XCTAssertEqual(byRequirement[0].deficitTasks, 1)
        XCTAssertEqual(byRequirement[0].allTasks, 2)
        XCTAssertEqual(byRequirement[0].percent!, 100.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(TaskFigures.deficits([report], by: .block).map(\.name), ["Числа"])
    }
}
