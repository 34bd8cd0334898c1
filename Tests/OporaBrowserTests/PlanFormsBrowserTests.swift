import Foundation
import OporaLiveSupport
import XCTest

/// Every form of programmes in Chromium (issue 24, «Forms»): each filled with a bad value and submitted comes back
/// with what was typed and the problem beside its field, then is corrected and saved — at 1366 px, and the new
/// programme and a measure's report at 390 px, where the message must be visible without sideways scrolling.
final class PlanFormsBrowserTests: ChromiumTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func value(_ selector: String) async throws -> String {
        (try await browser.execute("return document.querySelector(\"\(selector)\").value;") as? String) ?? ""
    }

    func assertValue(_ selector: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let typed = try await value(selector)
        XCTAssertEqual(typed, expected, "\(selector) kept as typed", file: file, line: line)
    }

    /// The message under the input, and (on a phone) that it lies within the window.
    func assertBeside(_ input: String, _ message: String, width: Int, file: StaticString = #filePath, line: UInt = #line) async throws {
        let note = try await browser.text("#\(input)-note")
        XCTAssertTrue(note.contains(message), "«\(message)» beside \(input), found «\(note)»", file: file, line: line)
        let fits = try await browser.execute("""
            const r = document.getElementById('\(input)-note').getBoundingClientRect();
            return r.left >= -1 && r.right <= window.innerWidth + 1;
            """) as? Bool
        XCTAssertEqual(fits, true, "the message beside \(input) is within \(width) px", file: file, line: line)
    }

    func upload(_ kind: String, _ name: String) async throws {
        try await browser.open(server.baseURL + "/imports")
        try await browser.click("select[name=kind] option[value=\(kind)]")
        try await browser.choose("input[type=file][name=file]", file: Self.fixtures.appendingPathComponent(name).path)
        try await browser.click("form[action='/imports/preview'] button[type=submit]")
        try await browser.waitFor("Файл прошёл проверку")
        try await browser.click("#commit")
        try await browser.waitFor("загружен")
    }

    func shot(_ name: String) async throws {
        guard let folder = ProcessInfo.processInfo.environment["OPORA_SHOTS"] else { return }
        try await browser.screenshot(to: folder + "/" + name + ".png")
    }

    func testEveryProgrammeFormRefusedKeepsWhatWasTypedAndSavesOnceCorrected() async throws {
        try await browser.resize(width: 1366, height: 900)
        try await signIn("coord-a")

        // A new programme: an impossible order date.
        try await browser.open(server.baseURL + "/plans")
        try await browser.type("form[action='/plans'] input[name=code]", "P04")
        try await browser.type("form[action='/plans'] input[name=name]", "Муниципальная программа поддержки ШНОР")
        try await browser.type("form[action='/plans'] input[name=start]", "2023")
        try await browser.type("form[action='/plans'] input[name=end]", "2025")
        try await browser.type("form[action='/plans'] input[name=order_number]", "14")
        try await browser.type("form[action='/plans'] input[name=order_date]", "31.02.2024")
        try await browser.click("form[action='/plans'] button[type=submit]")
        try await browser.waitFor("Не сохранено")
        try await assertBeside("order_date", "такой даты нет: в феврале 2024 года 29 дней", width: 1366)
        try await assertValue("[name=name]", "Муниципальная программа поддержки ШНОР")
        try await assertValue("[name=order_number]", "14")
        try await browser.type("form[action='/plans'] input[name=order_date]", "11.01.2025")
        try await browser.click("form[action='/plans'] button[type=submit]")
        try await browser.waitFor("Программа заведена")
        let planPath = String(try await browser.url.dropFirst(server.baseURL.count))

        // Its passport amended: the end before the start; the texts stay as typed.
        try await browser.type("form[action$='/amend'] input[name=end]", "31.12.2020")
        try await browser.type("form[action$='/amend'] textarea[name=goal]", "Снизить долю ШНОР вдвое")
        try await browser.type("form[action$='/amend'] input[name=order_number]", "15")
        try await browser.click("form[action$='/amend'] button[type=submit]")
        try await browser.waitFor("Не сохранено")
        try await assertBeside("end", "Окончание раньше начала", width: 1366)
        try await assertValue("textarea[name=goal]", "Снизить долю ШНОР вдвое")
        try await browser.type("form[action$='/amend'] input[name=end]", "31.12.2026")
        try await browser.click("form[action$='/amend'] button[type=submit]")
        try await browser.waitFor("Изменения сохранены новой редакцией")

        // Its levels of effectiveness: a medium level above the high one.
        try await browser.open(server.baseURL + planPath)
        try await browser.type("form[action$='/bands'] input[name=high]", "20")
        try await browser.type("form[action$='/bands'] input[name=medium]", "25")
        try await browser.type("form[action$='/bands'] input[name=satisfactory]", "10")
        try await browser.click("form[action$='/bands'] button[type=submit]")
        try await browser.waitFor("Не сохранено")
        try await assertBeside("medium", "Должен быть ниже высокого (20)", width: 1366)
        try await browser.type("form[action$='/bands'] input[name=medium]", "15")
        try await browser.click("form[action$='/bands'] button[type=submit]")
        try await browser.waitFor("Уровни эффективности сохранены")

        // An indicator's value: a word where a number belongs.
        try await upload("indicators", "pervouralsk-indicators.csv")
        try await browser.open(server.baseURL + planPath + "/indicators")
        try await browser.click("select[name=indicator] option[value='1']")
        try await browser.type("form[action$='/values'] input[name=year]", "2024")
        try await browser.type("form[action$='/values'] input[name=value]", "сто")
        try await browser.type("form[action$='/values'] input[name=comment]", "по данным УО")
        try await browser.click("form[action$='/values'] button[type=submit]")
        try await browser.waitFor("Не сохранено")
        try await assertBeside("value", "Введите число", width: 1366)
        try await assertValue("[name=value]", "сто")
        try await assertValue("[name=comment]", "по данным УО")
        try await browser.type("form[action$='/values'] input[name=value]", "12,5")
        try await browser.click("form[action$='/values'] button[type=submit]")
        try await browser.waitFor("Значение сохранено")

        // A measure reported done on a day still to come, at 1366 and at 390 px.
        try await upload("roadmap", "pervouralsk-roadmap-2024.csv")
        for width in [1366, 390] {
            try await browser.resize(width: width, height: 900)
            if width < 760 { try await browser.emulatePhone(width: width) }
            try await browser.open(server.baseURL + planPath + "/roadmap?show=overdue")
            try await browser.click("#measures td a")
            try await browser.waitFor("Прочитан как")
            try await browser.click("select[name=status] option[value=done]")
            try await browser.type("input[name=done_on]", "12.03.2030")
            try await browser.type("textarea[name=evidence]", "Приказ № 512")
            try await browser.click("form[action*='/measures/'] button[type=submit]")
            try await browser.waitFor("Не сохранено")
            try await assertBeside("done_on", "ещё не наступило", width: width)
            try await assertValue("textarea[name=evidence]", "Приказ № 512")
            try await shot("measure-refused-\(width)")
            try await browser.type("input[name=done_on]", "05.09.2025")
            try await browser.click("form[action*='/measures/'] button[type=submit]")
            // Back on the roadmap («Не сохранено» also holds «сохранено»).
            try await browser.waitFor("Состояние на")
        }

        // A new programme on a phone: a year out of range.
        try await browser.open(server.baseURL + "/plans")
        try await browser.type("form[action='/plans'] input[name=code]", "P05")
        try await browser.type("form[action='/plans'] input[name=name]", "Вторая программа")
        try await browser.type("form[action='/plans'] input[name=start]", "1999")
        try await browser.click("form[action='/plans'] button[type=submit]")
        try await browser.waitFor("Не сохранено")
        try await assertBeside("start", "Год — от 2000 до 2100", width: 390)
        try await assertValue("[name=code]", "P05")
        try await shot("plan-refused-390")
        try await browser.type("form[action='/plans'] input[name=start]", "2024")
        try await browser.click("form[action='/plans'] button[type=submit]")
        try await browser.waitFor("Программа заведена")
    }

    func testASchoolsNewProgrammeRefusedKeepsWhatWasTypedAndSavesOnceCorrected() async throws {
        try await browser.resize(width: 1366, height: 900)
        try await signIn("director-a")
        try await browser.open(server.baseURL + "/programmes")
        try await browser.click("select[name=factor] option[value='6']")
        try await browser.type("input[name=title]", "Каждый ученик успешен")
        try await browser.type("input[name=start_year]", "2024")
        try await browser.type("input[name=end_year]", "2019")
        try await browser.click("form[action='/programmes'] button[type=submit]")
        try await browser.waitFor("Не сохранено")
        try await assertBeside("end_year", "Раньше года начала (2024)", width: 1366)
        try await assertValue("[name=title]", "Каждый ученик успешен")
        try await assertValue("[name=factor]", "6")
        try await browser.type("input[name=end_year]", "2025")
        try await browser.click("form[action='/programmes'] button[type=submit]")
        try await browser.waitFor("Документ создан")
    }
}
