import OporaDomain
import XCTest

/// The support network's rules: mentor pairs, follow-ups, and training against seed 002's team rule.
final class SupportNetworkTests: XCTestCase {
    func day(_ text: String) -> CalendarDay { CalendarDay(parsing: text)! }

    func testMentorPairChecks() {
        // Seed 004: a school supported in 2023 becomes a mentor in 2024–2025.
        let supported2023 = MentorPair(supported: "26", mentor: "2", period: 2023...2023)
        let mentorLater = MentorPair(supported: "40", mentor: "26", period: 2024...2025)
        XCTAssertTrue(MentorChecks.check(supported2023, listedByYear: [2023: ["26"]]).isEmpty)
        XCTAssertTrue(MentorChecks.check(mentorLater, listedByYear: [2023: ["26"], 2024: [], 2025: []]).isEmpty, "off the list by then")
        let stillListed = MentorChecks.check(mentorLater, listedByYear: [2024: ["26"]])
        XCTAssertEqual(stillListed.map(\.isError), [false])
        XCTAssertTrue(stillListed[0].message.contains("2024"))
        XCTAssertEqual(
            MentorChecks.check(MentorPair(supported: "3", mentor: "3", period: 2024...2024), listedByYear: [:]).first?.isError, true)
        XCTAssertEqual(
            MentorChecks.withoutMentor(listed: ["26", "40", "3"], pairs: [supported2023, mentorLater], year: 2024), ["26", "3"])
        XCTAssertEqual(
            MentorChecks.withoutMentor(listed: ["26", "40", "3"], pairs: [supported2023, mentorLater], year: 2023), ["40", "3"])
    }

    func testFollowUps() {
        let today = day("20.11.2024")
        XCTAssertTrue(FollowUp.isOverdue(due: day("01.11.2024"), done: false, today: today))
        XCTAssertFalse(FollowUp.isOverdue(due: day("01.11.2024"), done: true, today: today))
        XCTAssertFalse(FollowUp.isOverdue(due: day("20.11.2024"), done: false, today: today))
        XCTAssertFalse(FollowUp.isOverdue(due: nil, done: false, today: today))
    }

    /// Seed 002's plan-schedule: «10 команд (60 человек)» trained on a 32-hour course.
    func testSeed002TenTeamsOfSixFromAnEventsLog() throws {
        var lines = ["event;title;kind;start;hours;school;role;count;person"]
        for school in 1...10 {
            lines.append("KPK-1;Школьная команда: управление качеством;курсы;15.02.2024;32;S\(school);учитель;5;")
            lines.append("KPK-1;Школьная команда: управление качеством;курсы;15.02.2024;32;S\(school);заместитель директора;1;")
        }
        // A seminar does not make a team, and a school of 5 trained is short of one.
        lines.append("SEM-2;Семинар;семинар;10.03.2024;4;S11;учитель;12;")
        lines.append("KPK-1;Школьная команда: управление качеством;курсы;15.02.2024;32;S12;учитель;5;")
        let table = try DelimitedTextReader.read(Array(lines.joined(separator: "\n").utf8))
        let (records, _) = try EventsFile.parse(table, file: "events.csv")
        let summaries = TrainingSummary.compute(records.map(\.participation), rule: .seed002, within: day("01.01.2024")...day("31.12.2024"))
        let teams = TrainingSummary.teams(summaries)
        XCTAssertEqual(teams.teams, 10)
        XCTAssertEqual(teams.people, 60)
        XCTAssertEqual(summaries.first { $0.school == "S11" }?.people, 12)
        XCTAssertEqual(summaries.first { $0.school == "S11" }?.teamMeetsRule, false)
        XCTAssertEqual(summaries.first { $0.school == "S1" }?.personHours, 192)
        XCTAssertEqual(TrainingRule.seed002.russianName, "не менее 6 человек от школы, не менее 32 часов каждый")
    }

    func testCodedPersonsAddTheirHoursAcrossEvents() throws {
        let rows = (1...6).flatMap { person in
            [Participation(event: "A", school: "S1", hours: 16, start: day("01.02.2024"), person: "P\(person)"),
             Participation(event: "B", school: "S1", hours: 16, start: day("01.04.2024"), person: "P\(person)")]
        }
        let summary = TrainingSummary.compute(rows, rule: .seed002, within: day("01.01.2024")...day("31.12.2024"))[0]
        XCTAssertEqual(summary.people, 6, "each person counted once")
        XCTAssertEqual(summary.qualified, 6, "16 + 16 hours")
        XCTAssertTrue(summary.teamMeetsRule)
        XCTAssertFalse(
            TrainingSummary.compute(
                rows, rule: TrainingRule(minimumPeople: 7, minimumHours: 32), within: day("01.01.2024")...day("31.12.2024"))[0]
                .teamMeetsRule)
    }

    func testBadEventsFilesAreRefusedWithTheirLines() throws {
        let bad = """
        event,start,hours,school,role,count,person
        K1,15.02.2024,32,S1,учитель,6,
        K1,31.02.2024,32,S1,,6,
        K1,15.02.2024,,S2,,3,
        K1,15.02.2024,32,S3,повар,2,
        K1,15.02.2024,32,S4,,2,P1
        K1,15.02.2024,32,S5,,,P7
        K1,15.02.2024,32,S5,,,P7
        """
        XCTAssertThrowsError(try EventsFile.parse(try DelimitedTextReader.read(Array(bad.utf8)), file: "e.csv")) { error in
            let text = String(describing: error)
            for expected in [
                "e.csv:3: start:", "e.csv:4: hours: пустое значение", "e.csv:5: role: «повар»", "e.csv:6: count: укажите либо",
                "e.csv:8: person: участник «P7» уже записан",
            ] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
            XCTAssertFalse(text.contains("e.csv:2:"))
        }
        XCTAssertEqual(ParticipantRole.code("Педагог-психолог"), "psychologist")
        XCTAssertEqual(ParticipantRole.code("учитель математики"), "teacher")
        XCTAssertEqual(ParticipantRole.code("Заместитель директора по УВР"), "deputy")
        XCTAssertEqual(EventKind(parsing: "КПК"), .course)
    }

    // MARK: staff and development

    /// Seed 004's Table 23 cells as printed: «1», «1*» (a part-timer), «3; 6*», «1 *», «0».
    func testTable23Cells() {
        let cases: [(String, SpecialistCount?)] = [
            ("1", SpecialistCount(staff: 1, partTime: 0)), ("1*", SpecialistCount(staff: 0, partTime: 1)),
            ("3; 6*", SpecialistCount(staff: 3, partTime: 6)), ("1 *", SpecialistCount(staff: 0, partTime: 1)),
            ("1; 1*", SpecialistCount(staff: 1, partTime: 1)), ("0", SpecialistCount(staff: 0, partTime: 0)),
            ("", nil), ("два", nil), ("-1", nil), ("1**", nil), ("9999", nil),
        ]
        for (cell, expected) in cases { XCTAssertEqual(SpecialistCount(cell: cell), expected, cell) }
        XCTAssertEqual(SpecialistCount(staff: 3, partTime: 6).cell, "3; 6*")
        XCTAssertEqual(SpecialistCount(staff: 0, partTime: 1).cell, "1*")
        XCTAssertEqual(SpecialistCount(staff: 2, partTime: 0).cell, "2")
    }

    /// Table 23 of seed 004 read as printed, with a year: school 1 has «3; 6*» additional-education teachers and 2 vacancies.
    func testSeed004Table23Imports() throws {
        let text = """
            ОО;Год;Социальный педагог;Тьютор;Педагог-психолог;Учитель-логопед;Учитель-дефектолог;Педагог-организатор;Педагог доп. \
            образования;Вакансии
            1;2022;1;2;4;4;2;2;3; 6*;2
            """
        // The printed cell «3; 6*» holds the delimiter: a real file quotes it.
        let quoted = text.replacingOccurrences(of: "3; 6*", with: "\"3; 6*\"")
        let (records, _) = try StaffFiles.parseSpecialists(try DelimitedTextReader.read(Array(quoted.utf8)), file: "t23.csv")
        XCTAssertEqual(records.count, 1)
        let row = records[0].row
        XCTAssertEqual(row.counts[.additionalEducation], SpecialistCount(staff: 3, partTime: 6))
        XCTAssertEqual(row.counts[.psychologist], SpecialistCount(staff: 4, partTime: 0))
        XCTAssertEqual(row.vacancies, 2)
        XCTAssertEqual(row.missing, [])
        let school16 = SpecialistsRow(
            school: "16", year: 2022,
            counts: [
                .socialPedagogue: SpecialistCount(cell: "1 *")!, .psychologist: SpecialistCount(cell: "1*")!,
                .speechTherapist: SpecialistCount(cell: "0")!,
            ], vacancies: 2)
        XCTAssertEqual(school16.missing, [.speechTherapist, .defectologist], "no speech therapist, no defectologist column at all")
    }

    func testBadSpecialistsAndStaffFilesAreRefusedWithTheirLines() throws {
        let specialists = """
            school,year,psychologist,vacancies
            1,2022,1,2
            3,2022,много,1
            3,2022,1,-4
            1,2022,1,2
            """
        XCTAssertThrowsError(try StaffFiles.parseSpecialists(try DelimitedTextReader.read(Array(specialists.utf8)), file: "s.csv")) {
            error in
            let text = String(describing: error)
            for expected in [
                "s.csv:3: psychologist: «много»", "s.csv:4: vacancies:",
                "s.csv:5: school: школа «1» за 2022 год уже описана в строке s.csv:2",
            ] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
        }
        XCTAssertThrowsError(
            try StaffFiles.parseSpecialists(try DelimitedTextReader.read(Array("school,year,повар\n1,2022,1\n".utf8)), file: "n.csv")
        ) { error in
            XCTAssertTrue(String(describing: error).contains("нет ни одного столбца специалистов"))
        }
        let staff = """
        school,year,position,count,person,category,attested,course_hours,deficit,route
        1,2024,учитель,,T-1,высшая,12.03.2023,72,,
        1,2024,учитель,,T-1,первая,,,,
        1,2024,учитель,3,T-2,,,,,
        1,2024,повар,1,,,,,,
        1,2024,,1,,почётная,,,,
        1,2024,,1,,,,5000,,
        1,2024,,1,,,31.02.2024,,,
        1,2024,,1,,,,,формирующее оценивание,бегом
        1,1990,,1,,,,,,
        """
        XCTAssertThrowsError(try StaffFiles.parseStaff(try DelimitedTextReader.read(Array(staff.utf8)), file: "k.csv")) { error in
            let text = String(describing: error)
            for expected in [
                "k.csv:3: person: педагог «T-1» уже записан за 2024 год в строке k.csv:2", "k.csv:4: count: укажите либо",
                "k.csv:5: position: «повар»",
                "k.csv:6: category: «почётная»", "k.csv:7: course_hours:", "k.csv:8: attested:", "k.csv:9: route: «бегом»",
                "k.csv:10: year:",
            ] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
            XCTAssertFalse(text.contains("k.csv:2:"))
        }
    }

    /// Seed 004's Table 8 prints «74/82,4»: 74 teachers, 82,4 % with the first or highest category — a summary of the
    /// staff file gives the same figure, and the share who took a course feeds «доля педагогов, прошедших курсовую подготовку».
    func testStaffSummaryGivesTable8sFigures() throws {
        let text = """
        Код ОО;Год;Должность;Количество;Категория;Курсы, часов;Дефицит;ИОМ
        1;2022;учитель;40;высшая;36;;
        1;2022;учитель;21;первая;;;
        1;2022;учитель;10;соответствие занимаемой должности;72;формирующее оценивание;реализуется
        1;2022;учитель;3;без категории;;работа с группой риска;нет
        """
        let (records, _) = try StaffFiles.parseStaff(try DelimitedTextReader.read(Array(text.utf8)), file: "staff.csv")
        let summary = try XCTUnwrap(StaffSummary.compute(records.map(\.group)).first)
        XCTAssertEqual(summary.people, 74)
        XCTAssertEqual(RussianFormat.number(summary.categorised.rate!), "82,4")
        XCTAssertEqual(summary.trainedShare, Share(count: 50, base: 74))
        XCTAssertEqual(summary.courseHours, 40 * 36 + 10 * 72)
        XCTAssertEqual(summary.withDeficit, 13)
        XCTAssertEqual(summary.routesForDeficits, Share(count: 10, base: 13), "three deficits have no route yet")
        XCTAssertEqual(QualificationCategory(parsing: "ВКК"), .highest)
        XCTAssertEqual(QualificationCategory(parsing: "1КК"), .first)
        XCTAssertEqual(QualificationCategory(parsing: "СЗД"), .conforms)
        XCTAssertEqual(DevelopmentRoute(parsing: "Разработан"), .planned)
    }

    // MARK: organisations, curators, forecasts

    func testOrganisationHierarchy() {
        let cases: [(OrganisationKind, OrganisationKind?, Bool)] = [
            (.centre, nil, true), (.centre, .centre, false), (.branch, .centre, true), (.branch, nil, false), (.branch, .point, false),
            (.point, .centre, true), (.point, .branch, true), (.point, nil, true), (.point, .cluster, false),
            (.association, nil, true), (.association, .centre, false), (.cluster, nil, true), (.cluster, .branch, false),
        ]
        for (kind, parent, allowed) in cases {
            XCTAssertEqual(kind.problem(withParent: parent) == nil, allowed, "\(kind) in \(String(describing: parent))")
        }
    }

    func testCuratorAssignmentsKeepHistoryAndRefuseOverlaps() {
        let march = day("01.03.2024"), june = day("30.06.2024"), july = day("01.07.2024")
        let first = CuratorAssignment(curator: "lebedeva", school: "S1", from: march, until: june)
        XCTAssertTrue(first.isCurrent(on: day("15.04.2024")))
        XCTAssertFalse(first.isCurrent(on: july))
        XCTAssertTrue(CuratorAssignment(curator: "x", school: "S1", from: march).isCurrent(on: day("01.01.2030")), "open-ended")
        let cases: [(CuratorAssignment, String?)] = [
            (CuratorAssignment(curator: "lebedeva", school: "S1", from: july), nil),
            (
                CuratorAssignment(curator: "lebedeva", school: "S1", from: june),
                "куратор уже закреплён за школой с 01.03.2024 по 30.06.2024"
            ),
            (CuratorAssignment(curator: "petrova", school: "S1", from: march), nil),
            (CuratorAssignment(curator: "lebedeva", school: "S2", from: march), nil),
            (
                CuratorAssignment(curator: "lebedeva", school: "S1", from: july, until: march),
                "окончание 01.03.2024 раньше начала 01.07.2024"
            ),
        ]
        for (new, expected) in cases { XCTAssertEqual(CuratorAssignment.problem(with: new, existing: [first]), expected) }
        // Schools held: 1 linked by hand, 2 assigned until June, 3 assigned from July, 4 assigned now and not yet linked.
        let assignments: [(school: Int, from: CalendarDay, until: CalendarDay?)] = [(2, march, june), (3, july, nil), (4, march, nil)]
        XCTAssertEqual(CuratorAssignment.schoolsHeld(linked: [1, 2, 3], assignments: assignments, on: day("15.04.2024")), [1, 2, 4])
        XCTAssertEqual(CuratorAssignment.schoolsHeld(linked: [1, 2, 3], assignments: assignments, on: july), [1, 3, 4])
    }

    /// Seed 002's plan-schedule promises «10 команд (60 человек)» and 10 partner schools a year.
    func testForecastAgainstTheLog() {
        let lines = ForecastLine.compare(
            forecast: SupportFigures(teams: 10, people: 60, pairs: 10), actual: SupportFigures(teams: 7, people: 44, pairs: 12, points: 3))
        XCTAssertEqual(lines.map(\.planned), [10, 60, 10])
        XCTAssertEqual(lines.map(\.actual), [7, 44, 12])
        XCTAssertEqual(lines.map(\.isMet), [false, false, true])
        XCTAssertEqual(lines[0].reached.rate, 70)
        XCTAssertEqual(lines[2].reached.rate, 100, "beyond the forecast counts as reached, not 120 %")
        XCTAssertTrue(ForecastLine.compare(forecast: SupportFigures(), actual: SupportFigures(teams: 1)).isEmpty)
    }
}
