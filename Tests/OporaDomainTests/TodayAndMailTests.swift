import Foundation
import OporaDomain
import XCTest

/// «Сегодня» (issue 24): who has what to do, and the e-mail's wire format and texts.
final class TodayAndMailTests: XCTestCase {
    let today = CalendarDay(year: 2026, month: 12, day: 6)
    var now: Date { Date(timeIntervalSince1970: 1_796_500_000) }

    var facts: TodayFacts {
        TodayFacts(
            programmes: [
                .init(id: 1, title: "Программа развития", school: "СОШ № 2", status: .submitted,
                      submittedAt: now.addingTimeInterval(-20 * 86_400)),
                .init(id: 2, title: "Антирисковая программа", school: "СОШ № 7", status: .returned, submittedAt: nil, openRemarks: 3),
                .init(id: 3, title: "Черновик", school: "СОШ № 9", status: .draft, submittedAt: nil),
            ],
            plans: [
                .init(id: 10, name: "Муниципальная программа", progress: [.overdue, .overdue, .done], missingIndicators: ["П1"],
                      canChange: true),
                .init(id: 11, name: "Региональная программа", progress: [.overdue], missingIndicators: ["Р1"], canChange: false),
            ],
            decisions: [
                .init(id: 20, title: "Провести педсовет", school: "СОШ № 2", status: .open, due: today.adding(days: -1), canClose: true),
                .init(id: 21, title: "Через месяц", school: nil, status: .open, due: today.adding(days: 30), canClose: true),
                .init(id: 22, title: "Через три дня", school: nil, status: .open, due: today.adding(days: 3), canClose: true),
                .init(id: 23, title: "Исполнено", school: nil, status: .done, due: today.adding(days: -5), canClose: true),
                .init(id: 24, title: "Чужое", school: nil, status: .open, due: today.adding(days: -5), canClose: false),
            ],
            visits: [
                .init(schoolID: 5, school: "СОШ № 2", followUp: "Отчёт о педсовете", due: today.adding(days: -2), done: false),
                .init(schoolID: 5, school: "СОШ № 2", followUp: "Сделано", due: today.adding(days: -2), done: true),
                .init(schoolID: 5, school: "СОШ № 2", followUp: "Ещё рано", due: today.adding(days: 2), done: false),
            ],
            yearsWithoutList: [2025])
    }

    func tasks(_ role: Role, _ scope: AccessScope) -> [TodayTask] {
        TodayList.items(role: role, scope: scope, facts: facts, today: today, now: now).map(\.task)
    }

    func testEachRoleSeesWhatIsItsToDo() {
        let cases: [(Role, AccessScope, [TodayTask: Int])] = [
            // The curator reviews, follows up its visits, and closes decisions it may close; it changes no plan.
            (.curator, .schools([5]),
             [.reviewProgramme: 1, .overdueMeasures: 1, .collectIndicators: 1, .overdueFollowUps: 1, .decisionsDue: 2]),
            // The director answers the returned programme; a submitted one is not its to review.
            (.schoolAdmin, .schools([5]), [.answerRemarks: 1, .overdueMeasures: 1, .collectIndicators: 1, .decisionsDue: 2]),
            (.municipalCoordinator, .municipality(1),
             [.reviewProgramme: 1, .overdueMeasures: 1, .collectIndicators: 1, .overdueFollowUps: 1, .decisionsDue: 2, .approveList: 1]),
            (.regionalAnalyst, .region(1),
             [.reviewProgramme: 1, .overdueMeasures: 1, .collectIndicators: 1, .overdueFollowUps: 1, .decisionsDue: 2, .approveList: 1]),
            (.viewer, .region(1), [:]),
        ]
        for (role, scope, expected) in cases {
            let counts = Dictionary(grouping: tasks(role, scope), by: { $0 }).mapValues(\.count)
            XCTAssertEqual(counts, expected, "\(role)")
        }
    }

    func testLateItemsComeFirstAndLinkWhereTheWorkIsDone() {
        let items = TodayList.items(role: .curator, scope: .schools([5]), facts: facts, today: today, now: now)
        XCTAssertEqual(items.prefix(4).map(\.late), [true, true, true, true])
        XCTAssertEqual(items.first?.path, "/programmes/1")
        XCTAssertTrue(items[0].detail.contains("дольше 14 дней"), items[0].detail)
        XCTAssertEqual(items.first { $0.task == .overdueFollowUps }?.path, "/support/mine")
        XCTAssertEqual(items.first { $0.task == .overdueMeasures }?.path, "/plans/10/roadmap")
        XCTAssertEqual(items.first { $0.task == .decisionsDue && $0.late }?.detail, "просрочено, срок 05.12.2026")
        let director = TodayList.items(role: .schoolAdmin, scope: .schools([5]), facts: facts, today: today, now: now)
        XCTAssertEqual(director.first { $0.task == .answerRemarks }?.detail, "возвращена на доработку; открытых замечаний: 3")
    }

    func testNotificationsGoOnlyToTheAudienceWithinScope() {
        let place = SchoolPlace(schoolID: 5, municipalityID: 2, regionID: 1)
        let cases: [(NotificationEvent, Role, AccessScope, Bool)] = [
            (.programmeReturned, .schoolAdmin, .schools([5]), true),
            (.programmeReturned, .schoolAdmin, .schools([6]), false),
            (.programmeReturned, .curator, .schools([5]), false),
            (.programmeSubmitted, .curator, .schools([5]), true),
            (.programmeSubmitted, .curator, .schools([6]), false),
            (.programmeSubmitted, .municipalCoordinator, .municipality(2), true),
            (.programmeSubmitted, .municipalCoordinator, .municipality(3), false),
            (.programmeSubmitted, .schoolAdmin, .schools([5]), false),
            (.programmeApproved, .schoolAdmin, .schools([5]), true),
            (.curatorAssigned, .viewer, .everything, false),
        ]
        for (event, role, scope, expected) in cases {
            XCTAssertEqual(NotificationAudience.receives(event, role: role, scope: scope, place: place), expected,
                           "\(event) \(role) \(scope)")
        }
    }

    func testSubjectIsAnRFC2047WordSplitBetweenCharacters() throws {
        XCTAssertEqual(MailEncoding.encodedWord("Hello"), "Hello")
        let subject = "Программа возвращена на доработку: МАОУ «Средняя общеобразовательная школа № 2»"
        let encoded = MailEncoding.encodedWord(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        XCTAssertGreaterThan(words.count, 1)
        var decoded = ""
        for word in words {
            XCTAssertLessThanOrEqual(word.count, 75)
            XCTAssertTrue(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="), word)
            let payload = word.dropFirst(10).dropLast(2)
            decoded += try XCTUnwrap(String(data: try XCTUnwrap(Data(base64Encoded: String(payload))), encoding: .utf8))
        }
        XCTAssertEqual(decoded, subject)
    }

    func testBodyIsBase64AndDataIsDotStuffed() throws {
        let message = MailMessage(from: "opora@example.ru", to: "director@example.ru", subject: "Тема",
                                  body: "Строка\n.точка в начале\nконец")
        let text = MailEncoding.render(message, date: now, messageID: "1@opora", unsubscribe: "https://opora/u/x")
        XCTAssertTrue(text.contains("Content-Transfer-Encoding: base64\r\n"))
        XCTAssertTrue(text.contains("List-Unsubscribe: <https://opora/u/x>"))
        let body = try XCTUnwrap(text.components(separatedBy: "\r\n\r\n").last)
        let decoded = String(data: try XCTUnwrap(Data(base64Encoded: body, options: .ignoreUnknownCharacters)), encoding: .utf8)
        XCTAssertEqual(decoded, "Строка\r\n.точка в начале\r\nконец")
        XCTAssertEqual(MailEncoding.dotStuffed("a\r\n.b\r\n..c\r\n."), "a\r\n..b\r\n...c\r\n..")
        XCTAssertEqual(MailEncoding.authPlain(user: "u", password: "p"), "AHUAcA==")
    }

    func testAddressesThatCouldInjectACommandAreRefused() {
        let cases: [(String, Bool)] = [
            ("director@school.ru", true), ("a.b-c@mail.example.ru", true), ("", false), ("no-at.ru", false), ("a@b", false),
            ("a@b.ru>\r\nRCPT TO:<x@y.ru", false), ("a b@c.ru", false), ("a@b.ru,c@d.ru", false), ("дир@школа.рф", false),
        ]
        for (address, valid) in cases { XCTAssertEqual(MailAddress.isValid(address), valid, address) }
        XCTAssertEqual(MailAddress.normalized("  Director@School.RU ").address, "director@school.ru")
        XCTAssertNil(MailAddress.normalized("").problem)
        XCTAssertNotNil(MailAddress.normalized("нет").problem)
    }

    func testRetriesBackOffAndGiveUp() {
        XCTAssertEqual([1, 2, 3, 4, 10].map { MailRetry.delay(afterAttempt: $0) }, [60, 120, 240, 480, 3_600])
        XCTAssertFalse(MailRetry.givesUp(after: 7))
        XCTAssertTrue(MailRetry.givesUp(after: 8))
    }

    func testDigestListsEachItemWithItsLink() {
        let items = TodayList.items(role: .schoolAdmin, scope: .schools([5]), facts: facts, today: today, now: now)
        let digest = NotificationText.digest(items, day: today, baseURL: "https://opora.example")
        XCTAssertEqual(digest.subject, "Сегодня в «Опоре»: \(items.count) дел")
        XCTAssertTrue(digest.body.contains("Программы, возвращённые на доработку (1):"))
        XCTAssertTrue(digest.body.contains("https://opora.example/programmes/2"))
        XCTAssertTrue(digest.body.hasPrefix("На 06.12.2026 вас ждёт дел: \(items.count)."))
    }
}
