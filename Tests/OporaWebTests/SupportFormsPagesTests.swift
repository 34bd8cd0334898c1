import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Every refused form of support, decisions, users, the account and the registry comes back with status 422,
/// every value as typed (never a password) and the problem in Russian beside its field — and nothing saved; the
/// corrected form then saves. Both engines.
final class SupportFormsPagesTests: XCTestCase {
    static let today = CalendarDay(year: 2026, month: 12, day: 6)

    /// The reason shown beside one input (`UI.field`'s note).
    func note(_ html: String, _ input: String) -> String? {
        guard let start = html.range(of: "id=\"\(input)-note\">") else { return nil }
        let rest = html[start.upperBound...]
        return rest.range(of: "</small>").map { String(rest[..<$0.lowerBound]) }
    }

    func testAVisitThatHasNotHappenedIsRefusedBesideItsFieldAndKeepsWhatWasTyped() async throws {
        try await WebFixture.onEachEngine { fixture in
            fixture.app.today = { Self.today }
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let board = try await coordinator.get("/support").body.string
            XCTAssertTrue(board.contains("<option value=\"\">— выберите школу —</option>"), "no school is pre-chosen")
            let typed = [("page", "board"), ("school", ""), ("date", "12.03.2030"), ("visitor", "Лебедева О. П."), ("format", "online"),
                         ("topic", "Анализ ВПР по математике"), ("follow_up", "План по математике"), ("follow_up_due", "31.02.2027")]
            let refused = try await coordinator.post("/support/visits", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertEqual(note(html, "school"), "Выберите школу")
            XCTAssertEqual(note(html, "date"), "12.03.2030 ещё не наступило (сегодня 06.12.2026)")
            XCTAssertEqual(note(html, "follow_up_due"), "«31.02.2027» — такой даты нет: в феврале 2027 года 28 дней")
            for value in ["12.03.2030", "Лебедева О. П.", "Анализ ВПР по математике", "План по математике", "31.02.2027"] {
                XCTAssertTrue(html.contains("value=\"\(value)\""), value)
            }
            XCTAssertTrue(html.contains("<option value=\"online\" selected"), "the format as chosen")
            XCTAssertTrue(html.contains("Не сохранено: исправьте отмеченные поля (3)"))
            XCTAssertFalse(html.contains("follow_up_due:") || html.contains("date:"), "no internal names")
            try await assertEqualAsync(try await VisitModel.query(on: fixture.app.db).count(), 0)

            // A school's own tab comes back as itself, its school kept.
            let fromTab = try await coordinator.post("/support/visits", [("page", "school"), ("school", String(fixture.schoolA)),
                                                                         ("date", "12.03.2030"), ("visitor", "x"), ("topic", "y")])
            XCTAssertEqual(fromTab.status, .unprocessableEntity)
            XCTAssertTrue(fromTab.body.string.contains("<h1>Сопровождение: "), "the school's tab, not the board")
            XCTAssertNotNil(note(fromTab.body.string, "date"))

            let saved = try await coordinator.post("/support/visits", [("page", "board"), ("school", String(fixture.schoolA)),
                                                                       ("date", "01.12.2026"), ("visitor", "Лебедева О. П."),
                                                                       ("format", "online"), ("topic", "Анализ ВПР по математике"),
                                                                       ("follow_up_due", "28.02.2027")])
            XCTAssertEqual(saved.status, .seeOther)
            let visit = try await VisitModel.query(on: fixture.app.db).first()
            XCTAssertEqual(visit?.day, CalendarDay(year: 2026, month: 12, day: 1))
            XCTAssertEqual(visit?.visitFormat, .online)
        }
    }

    func testAMentorPairNeverPairsASchoolWithItself() async throws {
        try await WebFixture.onEachEngine { fixture in
            fixture.app.today = { Self.today }
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/support")
            let refused = try await coordinator.post("/support/pairs",
                                                     [("supported", String(fixture.schoolA)), ("mentor", String(fixture.schoolA)),
                                                                        ("start_year", "2026"), ("end_year", "2025"),
                                                                            ("agreement_number", "7-н")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertEqual(note(html, "mentor"), "Школа не может быть наставником самой себе: выберите другую школу")
            XCTAssertEqual(note(html, "end_year"), "раньше начала (2026)")
            XCTAssertTrue(html.contains("value=\"7-н\""))
            XCTAssertTrue(html.contains("<option value=\"\(fixture.schoolA)\" selected"))
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 0)
            let saved = try await coordinator.post("/support/pairs",
                                                   [("supported", String(fixture.schoolA)), ("mentor", String(fixture.schoolA2)),
                                                                      ("start_year", "2026"), ("end_year", "2026")])
            XCTAssertEqual(saved.status, .seeOther)
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 1)
        }
    }

    func testADecisionDueInThePastIsAskedAboutAndAnImpossibleDayNamed() async throws {
        try await WebFixture.onEachEngine { fixture in
            fixture.app.today = { Self.today }
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/decisions")
            let fields = [("finding", "Доля «2» по математике выше 20 %"), ("decision", "Провести курсы для учителей математики"),
                          ("responsible", "Отдел образования")]
            let impossible = try await coordinator.post("/decisions", fields + [("due", "31.02.2024")])
            XCTAssertEqual(impossible.status, .unprocessableEntity)
            XCTAssertEqual(note(impossible.body.string, "due"), "«31.02.2024» — такой даты нет: в феврале 2024 года 29 дней")
            XCTAssertTrue(impossible.body.string.contains("Провести курсы для учителей математики</textarea>"))
            let doubtful = try await coordinator.post("/decisions", fields + [("due", "01.05.2020")])
            XCTAssertEqual(doubtful.status, .unprocessableEntity)
            XCTAssertEqual(note(doubtful.body.string, "due"), "срок 01.05.2020 уже прошёл (сегодня 06.12.2026)")
            XCTAssertTrue(doubtful.body.string.contains("name=\"confirm_due\" value=\"01.05.2020\""))
            try await assertEqualAsync(try await DecisionModel.query(on: fixture.app.db).count(), 0)
            let confirmed = try await coordinator.post("/decisions", fields + [("due", "01.05.2020"), ("confirm_due", "01.05.2020")])
            XCTAssertEqual(confirmed.status, .seeOther)
            let saved = try await DecisionModel.query(on: fixture.app.db).first()
            XCTAssertEqual(saved?.due, CalendarDay(year: 2020, month: 5, day: 1))
        }
    }

    func testANewUserAndAPasswordChangeKeepWhatWasTypedButNeverThePassword() async throws {
        try await WebFixture.onEachEngine { fixture in
            let admin = Browser(fixture.app)
            try await admin.login("admin")
            try await admin.get("/users")
            let secret = "Кот2026"
            let refused = try await admin.post("/users", [("login", "lebedeva"), ("full_name", "Лебедева Ольга Петровна"),
                                                          ("password", secret), ("role", "curator"),
                                                              ("school_ids[]", String(fixture.schoolA))])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            var html = refused.body.string
            XCTAssertEqual(note(html, "password"), "не короче 8 символов")
            XCTAssertTrue(html.contains("value=\"lebedeva\"") && html.contains("value=\"Лебедева Ольга Петровна\""))
            XCTAssertTrue(html.contains("<option value=\"curator\" selected"))
            XCTAssertTrue(html.contains("<option value=\"\(fixture.schoolA)\" selected"))
            XCTAssertFalse(html.contains(secret), "a password is never sent back")
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "lebedeva").count(), 0)
            let saved = try await admin.post("/users", [("login", "lebedeva"), ("full_name", "Лебедева Ольга Петровна"),
                                                        ("password", "Кот-2026-длинный"), ("role", "curator"),
                                                        ("school_ids[]", String(fixture.schoolA))])
            XCTAssertEqual(saved.status, .seeOther)
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "lebedeva").count(), 1)

            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/account")
            let wrong = try await coordinator.post("/account/password", [("current", "не-тот-пароль"), ("password", "новый-пароль-1"),
                                                                         ("repeat", "новый-пароль-1")])
            XCTAssertEqual(wrong.status, .unprocessableEntity)
            html = wrong.body.string
            XCTAssertEqual(note(html, "current"), "Текущий пароль неверен")
            XCTAssertFalse(html.contains("не-тот-пароль") || html.contains("новый-пароль-1"))
            let mismatch = try await coordinator.post("/account/password",
                                                      [("current", WebFixture.password), ("password", "новый-пароль-1"),
                                                                            ("repeat", "новый-пароль-2")])
            XCTAssertEqual(mismatch.status, .unprocessableEntity)
            XCTAssertEqual(note(mismatch.body.string, "repeat"), "Не совпадает с новым паролем: введите его ещё раз")
            let changed = try await coordinator.post("/account/password", [("current", WebFixture.password), ("password", "новый-пароль-1"),
                                                                           ("repeat", "новый-пароль-1")])
            XCTAssertEqual(changed.status, .seeOther)
            try await coordinator.get("/account")
            let phone = try await coordinator.post("/account/phone", [("phone", "звоните")])
            XCTAssertEqual(phone.status, .unprocessableEntity)
            XCTAssertTrue(phone.body.string.contains("value=\"звоните\""))
            XCTAssertNotNil(note(phone.body.string, "phone"))
        }
    }

    func testRegistryFormsKeepTheirValuesWithTheProblemBesideTheField() async throws {
        try await WebFixture.onEachEngine { fixture in
            let admin = Browser(fixture.app)
            try await admin.login("admin")
            try await admin.get("/years")
            let year = try await admin.post("/years", [("label", "тридцать первый")])
            XCTAssertEqual(year.status, .unprocessableEntity)
            XCTAssertTrue(year.body.string.contains("value=\"тридцать первый\""))
            XCTAssertEqual(note(year.body.string, "label"), "Ожидается запись вида 2025/26")
            try await assertEqualAsync(try await admin.post("/years", [("label", "2031/32")]).status, .seeOther)
            let again = try await admin.post("/years", [("label", "2031/32")])
            XCTAssertEqual(again.status, .unprocessableEntity)
            XCTAssertEqual(note(again.body.string, "label"), "«2031/32» уже занято")

            try await admin.get("/catalogues")
            let subject = try await admin.post("/catalogues/subjects",
                                               [("code", "Астро номия"), ("name", "Астрономия"), ("aliases", "астр")])
            XCTAssertEqual(subject.status, .unprocessableEntity)
            XCTAssertTrue(subject.body.string.contains("value=\"Астро номия\"") && subject.body.string.contains("value=\"астр\""))
            XCTAssertNotNil(note(subject.body.string, "code"))
        }
    }
}
