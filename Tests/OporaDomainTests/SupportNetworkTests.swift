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
        XCTAssertEqual(MentorChecks.check(MentorPair(supported: "3", mentor: "3", period: 2024...2024), listedByYear: [:]).first?.isError, true)
        XCTAssertEqual(MentorChecks.withoutMentor(listed: ["26", "40", "3"], pairs: [supported2023, mentorLater], year: 2024), ["26", "3"])
        XCTAssertEqual(MentorChecks.withoutMentor(listed: ["26", "40", "3"], pairs: [supported2023, mentorLater], year: 2023), ["40", "3"])
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
        XCTAssertFalse(TrainingSummary.compute(rows, rule: TrainingRule(minimumPeople: 7, minimumHours: 32), within: day("01.01.2024")...day("31.12.2024"))[0].teamMeetsRule)
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
            for expected in ["e.csv:3: start:", "e.csv:4: hours: пустое значение", "e.csv:5: role: «повар»", "e.csv:6: count: укажите либо", "e.csv:8: person: участник «P7» уже записан"] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
            XCTAssertFalse(text.contains("e.csv:2:"))
        }
        XCTAssertEqual(ParticipantRole.code("Педагог-психолог"), "psychologist")
        XCTAssertEqual(ParticipantRole.code("учитель математики"), "teacher")
        XCTAssertEqual(ParticipantRole.code("Заместитель директора по УВР"), "deputy")
        XCTAssertEqual(EventKind(parsing: "КПК"), .course)
    }
}
