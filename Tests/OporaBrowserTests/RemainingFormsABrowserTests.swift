import Foundation
import OporaLiveSupport
import XCTest

/// The remaining forms of programmes, school context and risks in Chromium (issue 24, «Forms»): each filled in the
/// real page with a bad value and sent; it comes back with the value kept and the reason beside its field;
/// corrected, it saves. At 1366 px, and the school's context also at 390 px, where the reason must show without
/// sideways scroll.
final class RemainingFormsABrowserTests: ChromiumTestCase {
    func value(_ selector: String) async throws -> String {
        (try await browser.execute("return document.querySelector(\"\(selector)\").value;") as? String) ?? ""
    }

    /// A school's page address from the list of schools.
    func schoolPath(_ name: String) async throws -> String {
        try await browser.open(server.baseURL + "/schools")
        try await browser.waitFor(name)
        return (try await browser.execute("""
            return Array.from(document.querySelectorAll("a[href^='/schools/']"))
              .find(a => a.textContent.includes('\(name)')).getAttribute('href');
            """) as? String) ?? ""
    }

    func testTheSchoolsContextRefusedAndCorrectedOnALaptopAndAPhone() async throws {
        for width in [1366, 390] {
            try await browser.resize(width: width, height: 900)
            try await signIn("coord-a")
            let school = try await schoolPath("Липицкая")
            try await browser.open(server.baseURL + school + "/context?year=2024")
            try await browser.waitFor("Контекстные данные")
            let form = "form[method=post][action^='\(school)/context']"
            try await browser.type("\(form) input[name=v_isbs_group]", "14")
            try await browser.type("\(form) input[name=v_cluster]", "сельская \(width)")
            try await browser.click("\(form) button[type=submit]")
            try await browser.waitFor("Группа от 1 до 11")
            try await browser.assertNote("v_isbs_group", "Группа от 1 до 11, а не «14»", width: width)
            let kept = try await value("\(form) input[name=v_cluster]")
            XCTAssertEqual(kept, "сельская \(width)", "the other value is kept")
            let bad = try await value("\(form) input[name=v_isbs_group]")
            XCTAssertEqual(bad, "14", "the refused value is kept to be corrected")
            if width == 390 { try await browser.screenshot(to: "/tmp/forms-a-context-390.png") }
            try await browser.type("\(form) input[name=v_isbs_group]", "3")
            try await browser.click("\(form) button[type=submit]")
            try await browser.waitFor("Сохранено")
            let saved = try await value("\(form) input[name=v_isbs_group]")
            XCTAssertEqual(saved, "3")
            try await signOut()
        }
    }

    func testTheRiskQuestionnaireRefusedKeepsItsTicks() async throws {
        try await browser.resize(width: 1366, height: 900)
        try await signIn("director-a")
        let school = try await schoolPath("Липицкая")
        try await browser.open(server.baseURL + school + "/risks/questionnaire?year=2025")
        try await browser.waitFor("Рассчитать и записать в профиль")
        try await browser.click("input[name=f1_equipment][value='3']")
        try await browser.click("#questionnaire button[type=submit]")
        try await browser.waitFor("ни по одному фактору не ответили на все вопросы")
        let ticked = try await browser.execute("return document.querySelector(\"input[name=f1_equipment][value='3']\").checked;") as? Bool
        XCTAssertEqual(ticked, true, "the answer stays ticked")
        let note = try await browser.text("#factor_1 .field-error")
        XCTAssertTrue(note.contains("Ответьте на все вопросы фактора"), note)
        try await browser.click("input[name=f1_internet][value='2']")
        try await browser.click("#questionnaire button[type=submit]")
        try await browser.waitFor("По анкете оценено факторов: 1 из 12")
    }

    func testARemarkTooLongKeptInItsBoxThenAdded() async throws {
        let id = try await server.submittedProgramme()
        try await browser.resize(width: 1366, height: 900)
        try await signIn("curator-a")
        try await browser.open(server.baseURL + "/programmes/\(id)")
        try await browser.waitFor("Замечания к документу в целом")
        try await browser.click("#item-goal details summary")
        let box = "#item-goal form[action='/programmes/\(id)/comments'] textarea[name=text]"
        // Four thousand characters and more, set at once (typing them key by key would take minutes).
        let long = String(repeating: "я", count: 4000) + " Уточните цель"
        _ = try await browser.execute("document.querySelector(\"\(box)\").value = '\(long)';")
        try await browser.click("#item-goal form[action='/programmes/\(id)/comments'] button[type=submit]")
        try await browser.waitFor("сократите текст")
        try await browser.assertNote("text", "не длиннее 4000 символов, а введено 4014; сократите текст", width: 1366)
        let kept = try await value(box)
        XCTAssertTrue(kept.hasSuffix(" Уточните цель") && kept.count == 4014, "the remark is kept in its box")
        try await browser.type(box, "Уточните цель")
        try await browser.click("#item-goal form[action='/programmes/\(id)/comments'] button[type=submit]")
        try await browser.waitFor("Замечание добавлено")
    }

    func testASendRefusedIsToldBesideTheButtons() async throws {
        try await browser.resize(width: 1366, height: 900)
        let director = HTTPSession(server)
        defer { Task { await director.close() } }
        let id = try await server.draftProgramme(title: "Программа развития", director: director)
        try await signIn("director-a")
        try await browser.open(server.baseURL + "/programmes/\(id)")
        try await browser.waitFor("Отправить на проверку")
        try await browser.click("#action-submit")
        try await browser.waitFor("Перед отправкой")
        let refusal = try await browser.text("#refusal")
        XCTAssertTrue(refusal.contains("Не выполнено: Перед отправкой: не указана цель"), refusal)
        try await checkTrue(try await browser.source.contains("id=\"action-submit\""), "the button is there to try again")
    }

    /// Over real HTTP, where a body's size counts (the in-process harness hands the route a body already read): thirty
    /// questions of long Cyrillic text make an editor's form of over 2 MB once URL-encoded; it is refused beside the
    /// fields, not with a bare «Payload Too Large» (found by the walk of every form).
    func testAQuestionnaireFormOverTwoMegabytesIsRefusedBesideItsFields() async throws {
        let analyst = HTTPSession(server)
        defer { Task { await analyst.close() } }
        _ = try await analyst.login("analyst")
        _ = try await analyst.get("/questionnaires/new")
        let long = String(repeating: "Длинный текст проверки формы. ", count: 170)
        var fields: [(String, String)] = [("action", "save"), ("expected", ""), ("count", "30"), ("code", "large_test"),
                                          ("title", "Большая анкета"), ("purpose", "risk"), ("description", "")]
        for number in 1...30 {
            fields += [("q\(number)_id", "q\(number)"), ("q\(number)_group", "teacher"), ("q\(number)_kind", "single"),
                       ("q\(number)_text", long), ("q\(number)_options", long), ("q\(number)_grades", long)]
        }
        let page = try await analyst.post("/questionnaires/save", fields)
        XCTAssertEqual(page.status, 422, String(page.body.prefix(300)))
        XCTAssertTrue(page.body.contains("field-error"))
    }
}
