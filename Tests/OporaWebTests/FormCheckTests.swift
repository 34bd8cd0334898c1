import OporaData
import OporaDomain
@testable import OporaWeb
import XCTest

/// The shared reading of posted forms: every problem kept beside its field, every value kept as typed.
final class FormCheckTests: XCTestCase {
    let today = CalendarDay(year: 2026, month: 12, day: 6)

    func testEveryProblemIsCollectedBesideItsFieldAndNothingTypedIsLost() {
        let typed = ["title": "", "due": "31.02.2024", "visited": "12.03.2030", "share": "сто", "count": "12",
                     "note": String(repeating: "я", count: 30)]
        var check = FormCheck(typed, today: today)
        XCTAssertNil(check.name("title", limit: 300, required: true))
        XCTAssertNil(check.day("due", required: true, expect: .due))
        XCTAssertNil(check.day("visited", expect: .happened))
        XCTAssertNil(check.decimal("share", in: 0...100))
        XCTAssertEqual(check.integer("count", in: 1...100), 12)
        XCTAssertNil(check.text("note", limit: 20))
        XCTAssertFalse(check.passed)
        let echo = check.echo(action: "/x")
        XCTAssertEqual(echo.values, typed)
        XCTAssertEqual(echo.fieldErrors, [
            "title": "Заполните поле",
            "due": "«31.02.2024» — такой даты нет: в феврале 2024 года 29 дней",
            "visited": "12.03.2030 ещё не наступило (сегодня 06.12.2026)",
            "share": "Введите число от 0 до 100, например 94,5",
            "note": "не длиннее 20 символов, а введено 30; сократите текст",
        ])
        XCTAssertEqual(echo.message, "Не сохранено: исправьте отмеченные поля (5)")
    }

    func testADoubtfulDateIsAskedAboutUntilThatVeryDateIsConfirmed() {
        var first = FormCheck(["due": "01.05.2020"], today: today)
        XCTAssertEqual(first.day("due", expect: .due), CalendarDay(year: 2020, month: 5, day: 1))
        XCTAssertFalse(first.passed)
        XCTAssertEqual(first.echo(action: "/x").warnings["due"], "срок 01.05.2020 уже прошёл (сегодня 06.12.2026)")
        var confirmed = FormCheck(["due": "01.05.2020", "confirm_due": "01.05.2020"], today: today)
        _ = confirmed.day("due", expect: .due)
        XCTAssertTrue(confirmed.passed)
        var changed = FormCheck(["due": "02.05.2020", "confirm_due": "01.05.2020"], today: today)
        _ = changed.day("due", expect: .due)
        XCTAssertFalse(changed.passed, "a confirmation stands for the date it was given for")
    }

    func testARepositoryRefusalLandsBesideItsField() {
        var check = FormCheck(["code": "A1"], today: today)
        XCTAssertNil(check.absorb(.duplicate(field: "code", value: "A1"), inputs: ["code": "code"]))
        XCTAssertEqual(check.echo(action: "/x").fieldErrors["code"], "«A1» уже занято")
        XCTAssertEqual(check.absorb(.conflict(entity: "x"), inputs: [:]), RepositoryError.conflict(entity: "x").description)
    }

    func testTheFieldRendersItsReasonAndTheConfirmationBox() {
        let refused = UI.field("Срок", name: "due", value: "31.02.2024", error: "такой даты нет").rendered
        XCTAssertTrue(refused.contains("aria-invalid=\"true\""), refused)
        XCTAssertTrue(refused.contains("<small class=\"field-error\" id=\"due-note\">такой даты нет</small>"), refused)
        XCTAssertTrue(refused.contains("value=\"31.02.2024\""), refused)
        XCTAssertFalse(refused.contains("confirm_due"))
        XCTAssertFalse(refused.contains("autofocus"), "several refused fields would put several autofocus on one page")
        let doubtful = UI.field("Срок", name: "due", value: "01.05.2020", warning: "срок уже прошёл").rendered
        XCTAssertTrue(doubtful.contains("name=\"confirm_due\" value=\"01.05.2020\""), doubtful)
        XCTAssertTrue(doubtful.contains("Дата верна"))
        let plain = UI.field("Срок", name: "due", value: "01.05.2027").rendered
        XCTAssertFalse(plain.contains("aria-invalid") || plain.contains("field-error") || plain.contains("confirm_"), plain)
    }
}
