import Foundation
import OporaDomain
import XCTest

/// Roadmaps, indicators and their files (CONTRACT.md `programmes`, `roadmap`, `indicators`, `indicator_values`).
final class RoadmapTests: XCTestCase {
    func day(_ text: String) -> CalendarDay { CalendarDay(parsing: text)! }

    func table(_ text: String) throws -> DelimitedTable { try DelimitedTextReader.read(Array(text.utf8)) }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Fixtures/\(name)")
        return Array(try Data(contentsOf: url))
    }

    func testMeasureStatusAcceptsContractAndRussianWords() {
        let cases: [(String, MeasureStatus?)] = [
            ("planned", .planned), ("in_progress", .inProgress), ("done", .done), ("cancelled", .cancelled),
            ("Запланировано", .planned), ("выполняется", .inProgress), ("ВЫПОЛНЕНО", .done), ("отменено", .cancelled),
            ("Отменён", .cancelled),
            ("в работе", .inProgress), ("почти", nil), ("", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(MeasureStatus(parsing: text), expected, text) }
    }

    func testProgressReadsStatusAgainstDueDates() {
        let today = day("2024-11-20")
        let cases: [(MeasureStatus, [String], MeasureProgress, String)] = [
            (.done, ["2024-01-31"], .done, "done stays done"),
            (.cancelled, ["2024-01-31"], .cancelled, "cancelled is not overdue"),
            (.planned, ["2024-10-15"], .overdue, "one date passed"),
            (.inProgress, ["2024-10-15"], .overdue, "under way but past its only date"),
            (.planned, ["2024-12-20"], .notStarted, "not yet due"),
            (.inProgress, ["2024-12-20"], .inProgress, "under way, not yet due"),
            (.planned, ["2024-03-31", "2024-06-30", "2024-12-31"], .overdue, "recurring, never started though due"),
            (.inProgress, ["2024-03-31", "2024-06-30", "2024-12-31"], .inProgress, "recurring, under way"),
            (.planned, [], .notStarted, "no date: never overdue by itself"),
            (.planned, ["2024-11-20"], .notStarted, "due today is not late yet"),
        ]
        for (status, due, expected, label) in cases {
            XCTAssertEqual(MeasureProgress.of(status: status, due: due.map(day), today: today), expected, label)
        }
    }

    func testExecutionTallyBySectionKeepsOrderAndLeavesCancelledOutOfTheRate() {
        let (sections, total) = ExecutionTally.bySection([
            ("1. Аналитика", .done), ("1. Аналитика", .overdue), ("2. Кадры", .done), ("1. Аналитика", .cancelled),
            ("2. Кадры", .notStarted),
        ])
        XCTAssertEqual(sections.map(\.0), ["1. Аналитика", "2. Кадры"])
        XCTAssertEqual(sections[0].1[.done], 1)
        XCTAssertEqual(sections[0].1.total, 3)
        XCTAssertEqual(sections[0].1.doneRate, 50, "one of two that count")
        XCTAssertEqual(total.total, 5)
        XCTAssertEqual(total.doneRate, 50)
        XCTAssertNil(ExecutionTally().doneRate)
    }

    func testAPersonsDateCompletesAnUnreadDeadline() {
        var measure = RoadmapMeasure(number: "3.11.", measure: "Поддержка молодых педагогов", deadline: "https://eduprv.ru/…")
        XCTAssertTrue(measure.needsDate(period: .calendarYears(2024...2025)))
        XCTAssertEqual(measure.reading(period: .calendarYears(2024...2025)).kind, .unparsed)
        measure.datedOn = day("15.05.2025")
        XCTAssertFalse(measure.needsDate(period: .calendarYears(2024...2025)))
        XCTAssertEqual(measure.reading(period: .calendarYears(2024...2025)).due, [day("15.05.2025")])
        XCTAssertEqual(measure.reading(period: .calendarYears(2024...2025)).kind, .date)
    }

    // MARK: files

    func testSeed004RoadmapFilesReadEveryRowWithItsSection() throws {
        let (records, _) = try ProgrammeFiles.parseRoadmap(
            try table(String(decoding: try Self.fixture("pervouralsk-roadmap-2024.csv"), as: UTF8.self)),
            file: "roadmap.csv")
        XCTAssertEqual(records.count, 53)
        let measure = try XCTUnwrap(records.first { $0.number == "1.4." })
        XCTAssertEqual(measure.deadline, "до 15.10.2024")
        XCTAssertEqual(measure.section, "1. Информационно – аналитическое обеспечение реализации программы")
        XCTAssertEqual(DeadlineReader.read(measure.deadline, period: .calendarYears(2023...2025)).due, [day("15.10.2024")])
    }

    func testSectionHeadingsAsTheSeedsPrintThem() throws {
        let (records, _) = try ProgrammeFiles.parseRoadmap(try table("""
        Программа;№ п/п;Мероприятия;Сроки;Ответственные
        P04;1.;Информационно-аналитическое обеспечение;;
        P04;1.1.;Анализ результатов ВПР;Октябрь Май;УО
        P04;2.;Кадровое обеспечение;;
        P04;2.1.;Курсы;до 10.09.2024;ИМЦ
        """), file: "r.csv")
        XCTAssertEqual(records.map(\.section), ["1. Информационно-аналитическое обеспечение", "2. Кадровое обеспечение"])
        XCTAssertEqual(records.map(\.number), ["1.1.", "2.1."])
    }

    func testBadRoadmapRowsAreRefusedWithTheirLines() throws {
        let bad = """
        programme,section,number,measure,deadline,status,done_on
        P04,1,1.1.,Анализ,Октябрь,done,31.10.2024
        P04,1,1.2.,,Ноябрь,planned,
        P04,1,1.3.,Мониторинг,Декабрь,почти готово,
        P04,1,1.4.,Отчёт,Январь,done,31.02.2024
        """
        XCTAssertThrowsError(try ProgrammeFiles.parseRoadmap(try table(bad), file: "r.csv")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("r.csv:3: measure: нет текста мероприятия"), text)
            XCTAssertTrue(text.contains("r.csv:4: status: «почти готово»"), text)
            XCTAssertTrue(text.contains("r.csv:5: done_on:"), text)
            XCTAssertFalse(text.contains("r.csv:2:"), text)
        }
    }

    func testTheSameMeasureTwiceKeepsTheLaterRowWithAWarning() throws {
        let (records, warnings) = try ProgrammeFiles.parseRoadmap(try table("""
        programme,section,number,measure,deadline
        P04,1,1.1.,Анализ,Октябрь
        P04,1,1.1.,Анализ ВПР,Май
        """), file: "r.csv")
        XCTAssertEqual(records.map(\.measure), ["Анализ ВПР"])
        XCTAssertTrue(warnings.contains { $0.line == 3 && $0.message.contains("строке r.csv:2") }, "\(warnings)")
    }

    /// Counts the walks over its rows (issue 18: a million-row roadmap was walked twice).
    final class CountedWalks: DelimitedRows {
        let table: DelimitedTable
        var walks = 0
        init(_ table: DelimitedTable) { self.table = table }
        var header: [String] { table.header }
        func forEachRow(_ body: (DelimitedTable.Row) throws -> Void) throws {
            walks += 1
            try table.forEachRow(body)
        }
    }

    /// A file with a section and a number on every row is read in one walk; one whose row has no number is read
    /// again in two, so the number it gets still avoids the numbers printed below it.
    func testARoadmapWithSectionsAndNumbersIsReadInOneWalk() throws {
        let complete = CountedWalks(try table("""
        programme,section,number,measure,deadline
        P04,1,1.1.,Анализ,Октябрь
        P04,1,1.2.,Семинар,Май
        P04,2,2.1.,Анализ ВПР,Май
        """))
        let (records, _) = try ProgrammeFiles.parseRoadmap(complete, file: "r.csv")
        XCTAssertEqual(records.map(\.number), ["1.1.", "1.2.", "2.1."])
        XCTAssertEqual(complete.walks, 1)

        let unnumbered = CountedWalks(try table("""
        programme,section,number,measure,deadline
        P04,1,1,Анализ,Октябрь
        P04,1,,Семинар,Май
        P04,1,2,Совещание,Май
        """))
        let (again, warnings) = try ProgrammeFiles.parseRoadmap(unnumbered, file: "r.csv")
        XCTAssertEqual(again.map(\.measure), ["Анализ", "Семинар", "Совещание"])
        XCTAssertEqual(again[2].number, "2")
        XCTAssertFalse(["1", "2"].contains(again[1].number), "the number given avoids the one printed below: \(again[1].number)")
        XCTAssertTrue(warnings.contains { $0.line == 3 && $0.message.contains("номер не указан") }, "\(warnings)")
        XCTAssertEqual(unnumbered.walks, 3, "one walk stopped at the unnumbered row, then the two of a full reading")
        let empty = CountedWalks(try table("programme,section,number,measure,deadline\n"))
        XCTAssertThrowsError(try ProgrammeFiles.parseRoadmap(empty, file: "r.csv")) { error in
            XCTAssertTrue("\(error)".contains("нет ни одной строки"), "\(error)")
        }
    }

    func testProgrammesFileTakesYearsOrDatesAndRefusesBadPeriods() throws {
        let (records, _) = try ProgrammeFiles.parseProgrammes(
            try table(String(decoding: try Self.fixture("pervouralsk-programme-2023.csv"), as: UTF8.self)),
            file: "p.csv")
        XCTAssertEqual(records.first?.period.years, 2023...2025)
        XCTAssertEqual(records.first?.orderDate, day("11.01.2023"))
        XCTAssertEqual(records.first?.level, .municipality)
        XCTAssertThrowsError(try ProgrammeFiles.parseProgrammes(try table("""
        code,name,start,end,level
        A,Программа,2025,2023,
        B,Программа,весна,2025,
        C,Школьная,2024,2025,school
        D,Не та,2024,2025,районная
        """), file: "p.csv")) { error in
            let text = String(describing: error)
            for expected in [
                "p.csv:2: end: окончание 31.12.2023 раньше начала 01.01.2025", "p.csv:3: start:", "p.csv:4: school:", "p.csv:5: level:",
            ] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
        }
    }

    func testScoresOutsideTheRubricAreRefused() throws {
        XCTAssertThrowsError(try ProgrammeFiles.parseValues(try table("""
        programme,indicator,year,value,presence,dynamics,documentation,points
        P04,1,2023,33,2,2,2,
        P04,2,2023,18,3,1,1,
        P04,3,2023,100,2,4,2,
        P04,4,2023,100,2,,,
        P04,5,2023,18,1,1,1,5
        P04,6,2023,36,,,,8
        """), file: "v.csv")) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("v.csv:3: presence: 3 вне допустимого диапазона 0–2"), text)
            XCTAssertTrue(text.contains("v.csv:4: dynamics: 4 вне допустимого диапазона 0–3"), text)
            XCTAssertTrue(text.contains("v.csv:5: dynamics: оценка по рубрике неполная"), text)
            XCTAssertTrue(text.contains("v.csv:6: points: 5 не равно сумме оценок 1 + 1 + 1 = 3"), text)
            XCTAssertTrue(text.contains("v.csv:7: points: 8 вне допустимого диапазона 0–7"), text)
            XCTAssertFalse(text.contains("v.csv:2:"), text)
        }
    }

    func testSeed004Table12ValuesScore36And42() throws {
        let (records, _) = try ProgrammeFiles.parseValues(
            try table(String(decoding: try Self.fixture("pervouralsk-indicator-values.csv"), as: UTF8.self)),
            file: "v.csv")
        for (year, total) in [(2022, 36), (2023, 42)] {
            let lines = records.filter { $0.year == year }.map {
                ScoreLine(code: $0.indicator, name: "", value: $0.value, target: nil, points: nil, total: $0.totalPoints, metTarget: nil)
            }
            let score = ProgrammeScore.compute(lines, bands: .pervouralsk)
            XCTAssertEqual(score.total, total)
            XCTAssertEqual(score.maximum, 63, "nine indicators scored")
            XCTAssertEqual(score.level, .satisfactory)
            XCTAssertFalse(score.unreachable.isEmpty, "the seed's 95–135 cannot be reached with 63 points")
        }
    }

    // MARK: indicators

    func testTable13CollectionMonths() {
        let cases: [(String, [Int]?)] = [
            ("Май, Сентябрь", [5, 9]), ("Февраль", [2]), ("Октябрь Февраль", [2, 10]), ("Июнь, Декабрь", [6, 12]),
            ("Август Апрель", [4, 8]),
            ("5, 9", [5, 9]), ("13", nil), ("весной", nil), ("", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(CollectionMonths.parse(text), expected, text) }
        let indicators = [MonitoredIndicator(code: "1", name: "", months: [5, 9]), MonitoredIndicator(code: "2", name: "", months: [2]),
                          MonitoredIndicator(code: "3", name: "", months: [5])]
        XCTAssertEqual(CollectionSchedule.due(indicators, month: 5).map(\.code), ["1", "3"])
        XCTAssertEqual(CollectionSchedule.missing(indicators, month: 5, withValues: ["3"]).map(\.code), ["1"])
        XCTAssertEqual(CollectionMonths.inMonth(3), "в марте")
        XCTAssertEqual(CollectionMonths.inMonth(5), "в мае")
    }

    func testFormulasComputeFromResultsAndTheList() {
        func counts(
            _ m2: Int, _ m3: Int, _ m4: Int, _ m5: Int, belowMin: Int? = nil, confirmed: Int? = nil, lowered: Int? = nil
        ) -> ResultCounts {
            ResultCounts(
                participants: m2 + m3 + m4 + m5, m2: m2, m3: m3, m4: m4, m5: m5, belowMin: belowMin, lowered: lowered,
                confirmed: confirmed, raised: confirmed.map { _ in 0 })
        }
        let rus = WorkKey(year: 2024, procedure: .vpr, grade: 5, subject: "rus"),
            math = WorkKey(year: 2024, procedure: .vpr, grade: 5, subject: "math")
        let rusBefore = WorkKey(year: 2023, procedure: .vpr, grade: 5, subject: "rus"),
            mathBefore = WorkKey(year: 2023, procedure: .vpr, grade: 5, subject: "math")
        let oge = WorkKey(year: 2024, procedure: .oge, grade: 9, subject: "math")
        let inputs = FormulaInputs(schools: [1, 2, 3, 4], listed: [1, 2], results: [
            FormulaResult(school: 1, work: rus, counts: counts(2, 5, 2, 1, confirmed: 6, lowered: 4)),
            FormulaResult(school: 1, work: math, counts: counts(1, 5, 3, 1)),
            FormulaResult(school: 2, work: rus, counts: counts(5, 5, 0, 0)),
            FormulaResult(school: 2, work: math, counts: counts(1, 5, 3, 1)),
            FormulaResult(school: 3, work: oge, counts: counts(1, 10, 6, 3)),
            FormulaResult(school: 9, work: oge, counts: counts(20, 0, 0, 0)),
        ], previous: [
            FormulaResult(school: 1, work: rusBefore, counts: counts(4, 4, 1, 1)),
            FormulaResult(school: 1, work: mathBefore, counts: counts(3, 5, 1, 1)),
            FormulaResult(school: 2, work: rusBefore, counts: counts(2, 6, 1, 1)),
            FormulaResult(school: 2, work: mathBefore, counts: counts(3, 5, 1, 1)),
        ])
        XCTAssertEqual(IndicatorFormula.shareListed.compute(inputs), Share(count: 2, base: 4))
        XCTAssertEqual(IndicatorFormula.giaPassMinimum.compute(inputs), Share(count: 19, base: 20), "school 9 is outside the territory")
        XCTAssertEqual(IndicatorFormula.vprConfirmed.compute(inputs), Share(count: 6, base: 10))
        XCTAssertEqual(
            IndicatorFormula.positiveDynamics.compute(inputs), Share(count: 1, base: 2), "school 1 rose in both, school 2 fell in Russian")
        XCTAssertNil(
            IndicatorFormula.shareListed.compute(FormulaInputs(schools: [1], listed: nil, results: [], previous: [])), "no list: no figure")
        XCTAssertEqual(IndicatorFormula.listedWithMentor.compute(inputs), Share(count: 0, base: 2))
        var mentored = inputs
        mentored.mentored = [1, 3]
        XCTAssertEqual(IndicatorFormula.listedWithMentor.compute(mentored), Share(count: 1, base: 2), "school 3 is not on the list")
        XCTAssertNil(IndicatorFormula.teachersTrained.compute(inputs), "no staff records: no figure")
        var staffed = inputs
        staffed.staffTrained = [1: Share(count: 30, base: 40), 2: Share(count: 5, base: 10), 3: Share(count: 10, base: 10)]
        XCTAssertEqual(IndicatorFormula.teachersTrained.compute(staffed), Share(count: 35, base: 50), "the listed schools 1 and 2 only")
    }

    func testIndicatorDirection() {
        XCTAssertTrue(IndicatorDirection.up.meets(100, target: 100))
        XCTAssertFalse(IndicatorDirection.up.meets(94.6, target: 97))
        XCTAssertTrue(IndicatorDirection.down.meets(18.2, target: 20))
        XCTAssertEqual(IndicatorDirection(parsing: "Снижение"), .down)
        XCTAssertNil(IndicatorDirection(parsing: "вбок"))
    }

    // MARK: passport

    func testAmendmentDiffNamesWhatChanged() {
        let old = ProgrammePassport(name: "Программа", start: day("01.01.2023"), end: day("31.12.2025"), goal: "Цель",
                                    tasks: ["Выявление", "Поддержка"], basis: ["273-ФЗ"])
        var new = old
        new.tasks = ["Выявление", "Адресная поддержка", "Профилактика"]
        new.basis = ["273-ФЗ", "Приказ № 486-Д"]
        let changes = ProgrammePassport.compare(old, new, roadmaps: (["2.8. Группа — До 10.09.2024"], ["2.8. Группа — До 10.09.2025"]))
        XCTAssertEqual(changes.map(\.part), [.basis, .tasks, .tasks, .roadmap])
        XCTAssertEqual(changes[0].change.kind, .added)
        XCTAssertEqual(changes[1].change.old, "Поддержка")
        XCTAssertEqual(changes[1].change.new, "Адресная поддержка")
        XCTAssertEqual(changes[2].change.kind, .added)
        XCTAssertEqual(changes[3].change.kind, .changed)
        XCTAssertTrue(ProgrammePassport.compare(old, old).isEmpty)
    }

    func testAPassportStoredBeforeALaterFieldStillReads() throws {
        let json = #"{"name":"П","start":{"year":2023,"month":1,"day":1},"end":{"year":2025,"month":12,"day":31}}"#
        let passport = try JSONDecoder().decode(ProgrammePassport.self, from: Data(json.utf8))
        XCTAssertEqual(passport.period.years, 2023...2025)
        XCTAssertEqual(passport.basis, [])
    }

    // MARK: access

    func testWhoReadsAndWhoChangesAProgramme() {
        let municipal = ProgrammePlace(regionID: 1, municipalityID: 10)
        let regional = ProgrammePlace(regionID: 1)
        let school = ProgrammePlace(regionID: 1, municipalityID: 10, schoolID: 100)
        let ours = [SchoolPlace(schoolID: 100, municipalityID: 10, regionID: 1)]
        let elsewhere = [SchoolPlace(schoolID: 200, municipalityID: 20, regionID: 1)]
        XCTAssertTrue(
            ProgrammeAccess.canRead(municipal, scope: .schools([100]), schoolPlaces: ours),
            "a curator reads its schools' municipal programme")
        XCTAssertFalse(ProgrammeAccess.canRead(municipal, scope: .schools([200]), schoolPlaces: elsewhere))
        XCTAssertTrue(
            ProgrammeAccess.canRead(
                regional, scope: .municipality(10), schoolPlaces: [SchoolPlace(schoolID: 0, municipalityID: 10, regionID: 1)]))
        XCTAssertFalse(ProgrammeAccess.canRead(municipal, scope: .municipality(20), schoolPlaces: []))
        XCTAssertFalse(ProgrammeAccess.canRead(municipal, scope: .region(2), schoolPlaces: []))
        XCTAssertTrue(ProgrammeAccess.canChange(municipal, role: .municipalCoordinator, scope: .municipality(10)))
        XCTAssertFalse(
            ProgrammeAccess.canChange(regional, role: .municipalCoordinator, scope: .municipality(10)),
            "a municipality does not change the region's")
        XCTAssertFalse(ProgrammeAccess.canChange(municipal, role: .curator, scope: .schools([100])))
        XCTAssertFalse(ProgrammeAccess.canChange(municipal, role: .viewer, scope: .municipality(10)))
        XCTAssertTrue(ProgrammeAccess.canChange(school, role: .schoolAdmin, scope: .schools([100])))
        XCTAssertFalse(ProgrammeAccess.canChange(municipal, role: .schoolAdmin, scope: .schools([100])))
    }

    func testRussianPluralOfDeadlines() {
        XCTAssertEqual([1, 2, 5, 11, 12, 21, 24, 36].map { "\($0) " + RussianFormat.plural($0, "срок", "срока", "сроков") },
                       ["1 срок", "2 срока", "5 сроков", "11 сроков", "12 сроков", "21 срок", "24 срока", "36 сроков"])
    }

    func testDemoRoadmapIsOverdueWhereItShouldBe() {
        let today = day("2026-11-23")
        let records = DemoPlan.roadmap(start: 2025, today: today)
        let threeYears = DatePeriod.calendarYears(2025...2027)
        let progress = Dictionary(uniqueKeysWithValues: records.map { record in
            (record.number, MeasureProgress.of(status: record.status, due: DeadlineReader.read(record.deadline, period: threeYears).due,
                                               today: today))
        })
        XCTAssertEqual(progress.filter { $0.value == .overdue }.keys.sorted(), ["1.2.", "2.5.", "3.1."])
        XCTAssertEqual(progress["2.1."], .done)
        XCTAssertEqual(
            Set(records.map { DeadlineReader.read($0.deadline, period: .calendarYears(2025...2027)).kind }),
            [.date, .recurring, .continuous, .schedule, .event, .onDemand], "the demo shows every kind of deadline but an unread one")
    }
}
