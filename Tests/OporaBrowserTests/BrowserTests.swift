import Foundation
import OporaLiveSupport
import XCTest

/// The pages in a real browser (headless Chromium through WebDriver) against the built server: what a
/// coordinator does in a working day, and what a viewer cannot do. Without Chromium the suite is skipped
/// locally; `.ci/run` installs it, sets OPORA_REQUIRE_BROWSER=1 and fails when no browser test ran.
final class BrowserTests: XCTestCase {
    var server: LiveServer!
    var browser: WebDriver!

    override func setUp() async throws {
        guard WebDriver.available else {
            if ProcessInfo.processInfo.environment["OPORA_REQUIRE_BROWSER"] == "1" {
                XCTFail("OPORA_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed")
            }
            throw XCTSkip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
        }
        server = try await LiveServer.start(Self.self)
        browser = try await WebDriver.start()
        print("Browser test ran: \(name)")
    }

    override func tearDown() async throws {
        await browser?.quit()
        server?.stop()
    }

    func signIn(_ login: String) async throws {
        try await browser.open(server.baseURL + "/login")
        try await browser.type("input[name=login]", login)
        try await browser.type("input[name=password]", LiveServer.password)
        try await browser.click("form[action='/login'] button[type=submit]")
        try await browser.waitFor("Пользователь \(login)")
    }

    func testACoordinatorUploadsReviewsApprovesAndLeaves() async throws {
        try await signIn("coord-a")

        // Upload: choose the kind and the file, see the preview, commit.
        let file = server.folder.appendingPathComponent("результаты-2023.csv")
        try Data("""
        year;procedure;grade;subject;school;participants;below_min;m2;m3;m4;m5
        2023;ВПР;6;Математика;A1;38;13;13;15;8;2
        2023;ОГЭ;9;Математика;A1;29;9;9;12;6;2
        2023;ВПР;6;Математика;A2;60;6;6;30;20;4
        """.utf8).write(to: file)
        try await browser.open(server.baseURL + "/imports")
        try await browser.click("select[name=kind] option[value=results]")
        try await browser.choose("input[type=file][name=file]", file: file.path)
        try await browser.click("form[action='/imports/preview'] button[type=submit]")
        try await browser.waitFor("Файл прошёл проверку")
        try await checkTrue(await browser.source.contains("Будет: добавлено: 3"))
        try await browser.click("#commit")
        try await browser.waitFor("«результаты-2023.csv» загружен: добавлено: 3")
        try await checkTrue(await browser.url.hasSuffix("/results"))
        try await checkTrue(await browser.source.contains("Липицкая"))

        // Identification: the flagged school with its sentence, then the list approved by an order.
        try await browser.open(server.baseURL + "/identification?year=2023")
        try await browser.waitFor("Выявленные школы: 1 из 2")
        try await checkTrue(await browser.source.contains("ВПР-2023 математика, 6 класс: 34,2 % (13 из 38) не преодолели порог ≥ 30 %"))
        try await browser.type("input[name=order_number]", "15-о")
        try await browser.type("input[name=order_date]", "01.03.2023")
        try await browser.click("#approve")
        // A 2023 order typed years later is asked about once (issue 24): the official confirms the date.
        try await browser.waitFor("field-warning")
        try await browser.click("input[name=confirm_order_date]")
        try await browser.click("#approve")
        try await browser.waitFor("Список утверждён")
        try await checkTrue(await browser.source.contains("приказ № 15-о от 01.03.2023"))

        // Log out: back to the login form, and the pages are closed again.
        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")
        try await browser.open(server.baseURL + "/results")
        try await browser.waitFor("name=\"password\"")
        try await checkFalse(await browser.source.contains("Липицкая"))
    }

    /// A coordinator starts the municipal programme, loads its roadmap from a file, reports an overdue measure done
    /// and records a decision on another — the roadmap's path through a real browser.
    func testACoordinatorRunsTheRoadmap() async throws {
        try await signIn("coord-a")
        try await browser.open(server.baseURL + "/plans")
        try await browser.type("form[action='/plans'] input[name=code]", "P04")
        try await browser.type("form[action='/plans'] input[name=name]", "Муниципальная программа поддержки ШНОР")
        // The coordinator's own municipality is chosen already (issue 24: the user's level and territory).
        try await browser.type("form[action='/plans'] input[name=start]", "2023")
        try await browser.type("form[action='/plans'] input[name=end]", "2025")
        try await browser.type("form[action='/plans'] input[name=order_number]", "14")
        try await browser.click("form[action='/plans'] button[type=submit]")
        try await browser.waitFor("Программа заведена")

        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pervouralsk-roadmap-2024.csv")
        try await browser.open(server.baseURL + "/imports")
        try await browser.click("select[name=kind] option[value=roadmap]")
        try await browser.choose("input[type=file][name=file]", file: file.path)
        try await browser.click("form[action='/imports/preview'] button[type=submit]")
        try await browser.waitFor("Файл прошёл проверку")
        try await browser.click("#commit")
        try await browser.waitFor("загружен: добавлено: 53")
        try await checkTrue(await browser.url.hasSuffix("/plans"))

        try await browser.click("#plans td a[href$='/roadmap?show=overdue']")
        try await browser.waitFor("Просрочено — по ответственным")
        try await browser.click("#overdue td a")
        try await browser.waitFor("Прочитан как")
        try await browser.click("select[name=status] option[value=done]")
        try await browser.type("input[name=done_on]", "05.09.2024")
        try await browser.type("textarea[name=evidence]", "Приказ № 512")
        try await browser.click("form[action*='/measures/'] button[type=submit]")
        // A day over two years back is asked about once (issue 24): the coordinator confirms it.
        try await browser.waitFor("Дата верна")
        try await browser.click("input[name=confirm_done_on]")
        try await browser.click("form[action*='/measures/'] button[type=submit]")
        try await browser.waitFor("сохранено")
        try await checkTrue(await browser.source.contains("05.09.2024"), "the report shows on the roadmap")

        try await browser.open(server.baseURL + "/plans")
        try await browser.click("#plans td a[href$='/roadmap?show=overdue']")
        try await browser.click("#overdue td a")
        try await browser.click("a[href^='/decisions?kind=measure']")
        try await browser.waitFor("Новое решение")
        try await browser.type("textarea[name=decision]", "Провести мониторинг до конца месяца")
        try await browser.click("form[action^='/decisions#'] button[type=submit]")
        try await browser.waitFor("Решение записано")
        try await checkTrue(await browser.source.contains("просроченное мероприятие"))

        // «Отчёты»: the school's card opened in the browser, ready to print.
        try await browser.open(server.baseURL + "/reports")
        try await browser.click("#school-card select[name=format] option[value=html]")
        try await browser.click("#school-card button[type=submit]")
        try await browser.waitFor("Общие сведения")
        try await checkTrue(await browser.source.contains("Паспорт школы: "))
    }

    /// The support network built on its pages: a consultation centre with a school, a mentor pair, the diagram.
    func testACoordinatorBuildsTheSupportNetwork() async throws {
        try await signIn("coord-a")
        try await browser.open(server.baseURL + "/support/network")
        try await browser.click("form[action^='/support/organisations#'] select[name=kind] option[value=centre]")
        try await browser.type("form[action^='/support/organisations#'] input[name=name]", "Консультационный центр")
        try await browser.click("form[action^='/support/organisations#'] button[type=submit]")
        try await browser.waitFor("Организация добавлена")
        // The first school, after «— выберите школу —» (none is pre-chosen).
        try await browser.click("form[action$='/schools'] select[name=school] option:nth-child(2)")
        try await browser.click("form[action$='/schools'] button[type=submit]")
        try await browser.waitFor("Школа включена")
        try await checkTrue(await browser.source.contains("<svg"), "the network is drawn")

        try await browser.open(server.baseURL + "/support")
        try await browser.click("form[action^='/support/pairs#'] select[name=supported] option:nth-child(2)")
        try await browser.click("form[action^='/support/pairs#'] select[name=mentor] option:nth-child(3)")
        try await browser.click("form[action^='/support/pairs#'] button[type=submit]")
        try await browser.waitFor("Наставник закреплён")
        try await browser.open(server.baseURL + "/support/network")
        try await checkTrue(await browser.source.contains("marker-end"), "the pair is drawn as an arrow")
    }

    /// A school writes an anti-risk programme and submits it; its curator remarks on a measure and returns it;
    /// the school sees the remark. The risk profile the school rates shows on the coordinator's matrix.
    func testASchoolProgrammeGoesToItsCuratorAndComesBackWithARemark() async throws {
        try await signIn("director-a")
        try await browser.open(server.baseURL + "/schools")
        try await browser.open(server.baseURL + "/programmes")
        try await browser.click("select[name=factor] option[value='6']")
        try await browser.type("input[name=title]", "Каждый ученик успешен")
        try await browser.type("input[name=start_year]", "2024")
        try await browser.type("input[name=end_year]", "2025")
        try await browser.click("form[action='/programmes'] button[type=submit]")
        try await browser.waitFor("Документ создан")
        try await browser.type("textarea[name=goal]", "Снизить долю не преодолевших порог ВПР до 25 %")
        try await browser.type("textarea[name=tasks]", "Выявить группу риска")
        try await browser.type("textarea[name=m_text_1]", "Диагностика 5-х классов")
        try await browser.type("input[name=m_deadline_1]", "До 10.09.2024")
        try await browser.type("input[name=m_responsible_1]", "Зам. директора по УВР")
        try await browser.type("textarea[name=m_result_1]", "Список группы риска")
        try await browser.type("textarea[name=i_name_1]", "Доля не преодолевших порог ВПР, %")
        try await browser.type("input[name=i_baseline_1]", "34,2")
        try await browser.type("input[name=i_target_1]", "25")
        try await browser.click("#save")
        try await browser.waitFor("Черновик сохранён")
        try await checkTrue(await browser.source.contains("до 10.09.2024"), "the deadline as Opora read it")
        try await browser.click("#action-submit")
        try await browser.waitFor("Программа отправлена на проверку")
        try await checkFalse(await browser.source.contains("id=\"action-approve\""), "the school cannot approve its own programme")

        // The school rates a factor of its risk profile.
        let programmeURL = try await browser.url
        try await browser.open(server.baseURL + "/schools")
        try await browser.click("td a[href^='/schools/']")
        try await browser.click("#card-risks a[href$='/risks']")
        try await browser.click("select[name=level_6] option[value=high]")
        try await browser.click("form[action*='/risks?year='] button[type=submit]")
        try await browser.waitFor("Профиль сохранён")

        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")
        try await signIn("curator-a")
        try await browser.open(programmeURL)
        try await browser.waitFor("на проверке")
        try await browser.click("[id='item-measure.1'] summary")
        try await browser.type("[id='item-measure.1'] textarea[name=text]", "Уточните, кто проводит диагностику")
        try await browser.click("[id='item-measure.1'] details button[type=submit]")
        try await browser.waitFor("Замечание добавлено")
        try await browser.click("#action-return")
        try await browser.waitFor("Программа возвращена на доработку")

        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")
        try await signIn("director-a")
        try await browser.open(programmeURL)
        try await browser.waitFor("Уточните, кто проводит диагностику")
        try await checkTrue(await browser.source.contains("id=\"action-edit\""), "the school may revise it now")

        try await browser.click("form[action='/logout'] button")
        try await browser.waitFor("action=\"/login\"")
        try await signIn("coord-a")
        try await browser.open(server.baseURL + "/risks")
        try await browser.waitFor("Матрица рисков")
        try await checkTrue(await browser.source.contains("class=\"risk high\""))
        try await checkTrue(await browser.source.contains("Липицкая"))
    }

    func testAViewerSeesButCannotChange() async throws {
        try await signIn("viewer-a")
        let home = try await browser.source
        XCTAssertFalse(home.contains("href=\"/imports\""), "no upload in the menu")
        XCTAssertTrue(home.contains("Липицкая") || home.contains("Чернский район"))
        try await browser.open(server.baseURL + "/imports")
        try await browser.waitFor("Доступ запрещён")
        try await browser.open(server.baseURL + "/identification")
        try await checkFalse(await browser.source.contains("id=\"approve\""))
        try await browser.open(server.baseURL + "/schools")
        try await checkFalse(await browser.source.contains("Белёвская"), "another municipality's school is not shown")
    }
}

/// XCTest's assertions take autoclosures that cannot await: the page is read first, then checked.
func checkTrue(_ value: @autoclosure () async throws -> Bool, _ message: String = "", file: StaticString = #filePath,
    line: UInt = #line) async throws {
    let result = try await value()
    XCTAssertTrue(result, message, file: file, line: line)
}

func checkFalse(_ value: @autoclosure () async throws -> Bool, _ message: String = "", file: StaticString = #filePath,
    line: UInt = #line) async throws {
    let result = try await value()
    XCTAssertFalse(result, message, file: file, line: line)
}
