import Foundation
import OporaLiveSupport
import XCTest

/// The grouped menu and printed pages in Chromium (issue 24, «Everywhere»): at 1366 and 390 pixels every group
/// opens by keyboard and every entry the role may open is reachable; on a phone the first screen shows the page's
/// title, not the menu. A printed programme and a school's card carry the school's full name and no buttons.
final class MenuAndPrintBrowserTests: ChromiumTestCase {
    /// The analyst's menu, group by group (the entries an analyst of a region may open).
    static let analystMenu: [String: [String]] = [
        "Школы": ["/overview", "/schools", "/results", "/tasks"],
        "Отбор": ["/identification", "/risks"],
        "Программы": ["/programmes", "/plans", "/decisions"],
        "Поддержка": ["/support"],
        "Опросы": ["/questionnaires", "/campaigns"],
        "Отчёты": ["/reports", "/effect"],
        "Администрирование": ["/imports", "/municipalities", "/regions", "/years", "/catalogues", "/audit", "/users"],
    ]

    /// The links of the menu a user can see and click now, by href (a closed <details> still lays its content out in
    /// Chromium, hidden by `content-visibility`: `checkVisibility` tells).
    func visibleMenuLinks() async throws -> Set<String> {
        let hrefs = try await browser.execute("""
            return Array.from(document.querySelectorAll('#main-menu a'))
              .filter(a => a.checkVisibility({ visibilityProperty: true }))
              .map(a => a.getAttribute('href'));
            """) as? [String] ?? []
        return Set(hrefs)
    }

    func testEveryGroupOpensByKeyboardAndEveryEntryIsReachableOnALaptopAndAPhone() async throws {
        for width in [1366, 390] {
            try await browser.resize(width: width, height: 844)
            try await signIn("analyst")
            try await browser.open(server.baseURL + "/schools")
            try await browser.waitFor("<h1>Школы</h1>")
            let titles = try await browser.execute("""
                return Array.from(document.querySelectorAll('#main-menu details > summary')).map(s => s.firstChild.textContent.trim());
                """) as? [String] ?? []
            XCTAssertEqual(Set(titles), Set(Self.analystMenu.keys), "\(width) px: the groups")
            XCTAssertLessThanOrEqual(titles.count, 8, "a handful of groups instead of ~22 entries")
            // The current section: its group and its entry are marked.
            let current = try await browser.execute("""
                const group = document.querySelector('#main-menu details.current > summary');
                const link = document.querySelector('#main-menu a[aria-current=page]');
                return [group ? group.textContent : '', link ? link.getAttribute('href') : ''];
                """) as? [String] ?? []
            XCTAssertEqual(current.first?.hasPrefix("Школы"), true, "\(width) px: «Школы» is marked current: \(current)")
            XCTAssertEqual(current.last, "/schools")
            // The «Сегодня» link stays outside the groups.
            let todayLinks = try await browser.elements("#main-menu > a.today-link")
            XCTAssertEqual(todayLinks.count, 1)

            if width < 760 {
                // The first screen is the page, not the menu: the title lies within it and the menu is folded.
                let firstScreen = try await browser.execute("""
                    const h1 = document.querySelector('main h1').getBoundingClientRect();
                    const menu = document.getElementById('main-menu');
                    return [h1.top >= 0 && h1.bottom <= window.innerHeight, getComputedStyle(menu).display === 'none'];
                    """) as? [Bool]
                XCTAssertEqual(firstScreen, [true, true], "390 px: the title on the first screen, the menu folded")
                let folded = try await visibleMenuLinks()
                XCTAssertEqual(folded, [], "no menu entry shows before «Меню»")
                try await browser.click(".menu-toggle")
            } else {
                let closed = try await visibleMenuLinks()
                XCTAssertEqual(closed, ["/"], "1366 px: the groups are closed, only «Сегодня» shows")
            }

            var reached: Set<String> = []
            for (index, title) in titles.enumerated() {
                let summary = "#main-menu details:nth-of-type(\(index + 1)) > summary"
                try await browser.press(summary, WebDriver.enter)
                let open = try await browser.execute("""
                    return document.querySelectorAll('#main-menu details')[\(index)].open;
                    """) as? Bool
                XCTAssertEqual(open, true, "\(width) px: «\(title)» opens with Enter")
                let shown = try await visibleMenuLinks().subtracting(["/"])
                XCTAssertEqual(shown, Set(Self.analystMenu[title] ?? []), "\(width) px: «\(title)» shows its entries")
                reached.formUnion(shown)
                // Enter again closes it (the next group's Enter would close it anyway, through the script).
                try await browser.press(summary, WebDriver.enter)
            }
            XCTAssertEqual(reached, Set(Self.analystMenu.values.joined()), "\(width) px: every entry is reachable")

            // An entry followed the way a user does leads to its page, marked current there.
            try await browser.follow(menuLink: "/users")
            try await browser.waitFor("aria-current=\"page\">Пользователи")
            try await signOut()
        }
    }

    func testAUserSeesOnlyTheEntriesTheirRoleMayOpen() async throws {
        for login in ["director-a", "curator-a", "viewer-a", "coord-a"] {
            try await signIn(login)
            let hrefs = Set(try await browser.execute("""
                return Array.from(document.querySelectorAll('#main-menu a')).map(a => a.getAttribute('href'));
                """) as? [String] ?? [])
            if login == "director-a" {
                for forbidden in ["/imports", "/users", "/audit", "/regions", "/municipalities", "/effect"] {
                    XCTAssertFalse(hrefs.contains(forbidden), "a school's director is not offered \(forbidden)")
                }
            }
            XCTAssertTrue(hrefs.isSuperset(of: ["/", "/schools", "/programmes"]), "\(login): \(hrefs)")
            // Every entry offered opens for this user.
            let session = HTTPSession(server)
            try await session.login(login)
            for href in hrefs.sorted() {
                let page = try await session.get(href)
                XCTAssertEqual(page.status, 200, "\(login) is offered \(href), which answers \(page.status)")
            }
            await session.close()
            try await signOut()
        }
    }

    /// The text of the current page as printed (the PDF through `pdftotext`).
    func printedText() async throws -> String {
        let pdf = try await browser.printPDF()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.pdf")
        try pdf.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pdftotext", file.path, "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "pdftotext (poppler-utils) is needed for this test")
        // Lines wrapped on paper are one text here.
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The labels of the page's buttons and button-like links, those that are not also words of the page's content
    /// (a button «Сопровождение» beside a heading «Сопровождение»).
    func buttonLabels() async throws -> [String] {
        try await browser.execute("""
            const buttons = 'button, .button, input[type=submit], input[type=button]';
            const content = document.querySelector('main').cloneNode(true);
            content.querySelectorAll(buttons + ', form, .toolbar').forEach(b => b.remove());
            const text = content.textContent;
            return Array.from(document.querySelectorAll('main ' + buttons.split(', ').join(', main ') + ', header button'))
              .map(b => (b.textContent || b.value || '').trim()).filter(t => t.length > 3 && !text.includes(t));
            """) as? [String] ?? []
    }

    func testAPrintedProgrammeAndSchoolCardNameTheSchoolAndPrintNoButtons() async throws {
        // A short name for the school, so that only the printed header gives its full name on the programme's page.
        let schools = "code;name;short_name;municipality;region\nA1;МКОУ «Липицкая СОШ»;Липицкая школа;Чернский район;Тульская область\n"
        let file = server.folder.appendingPathComponent("short-names.csv")
        try Data(schools.utf8).write(to: file)
        try server.opora(["import", "schools", file.path], anchor: Self.self)
        let id = try await server.submittedProgramme()
        try await browser.resize(width: 1366, height: 900)
        try await signIn("curator-a")

        try await browser.open(server.baseURL + "/programmes/\(id)")
        try await browser.waitFor("Программа развития Липицкой СОШ")
        let labels = try await buttonLabels()
        XCTAssertFalse(labels.isEmpty, "the programme's page has buttons on the screen")
        let programme = try await printedText()
        XCTAssertTrue(programme.contains("МКОУ «Липицкая СОШ»"), "the printed programme names its school:\n\(programme)")
        XCTAssertTrue(programme.contains("Программа развития Липицкой СОШ"), "and its title")
        XCTAssertTrue(programme.contains("Педсовет по результатам ВПР"), "and its measures")
        for label in labels {
            XCTAssertFalse(programme.contains(label), "the button «\(label)» is not printed:\n\(programme)")
        }
        for frame in ["Администрирование", "Выйти", "Перейти к содержанию", "Пользователь curator-a"] {
            XCTAssertFalse(programme.contains(frame), "the page's frame («\(frame)») is not printed")
        }

        let schoolID = try await browser.execute("""
            return document.querySelector("main a[href^='/schools/']").getAttribute('href').split('/')[2];
            """) as? String ?? ""
        try await browser.open(server.baseURL + "/schools/\(schoolID)")
        try await browser.waitFor("Чернский район")
        let cardLabels = try await buttonLabels()
        let card = try await printedText()
        XCTAssertTrue(card.contains("МКОУ «Липицкая СОШ»"), "the printed card names its school:\n\(card)")
        for label in cardLabels {
            XCTAssertFalse(card.contains(label), "the button «\(label)» is not printed on the card:\n\(card)")
        }
        XCTAssertFalse(card.contains("Выйти"), "no menu or sign-out on paper")
    }

    /// On a phone no page of the menu grows sideways: a select as wide as a programme's full name, a fixed-width chart
    /// or a table of forms once made /reports, /decisions and /imports several screens wide.
    /// What of the page at `path` lies beyond a phone's screen: the page itself, or a control of a card table (with
    /// `everyControl`, any control of the page, also one in a box that scrolls sideways).
    func beyondThePhone(_ path: String, everyControl: Bool = false) async throws -> [String] {
        var wide: [String] = []
        try await browser.open(server.baseURL + path)
        let width = try await browser.execute("""
            document.querySelectorAll('details').forEach(d => d.open = true);
            return [document.documentElement.scrollWidth, document.documentElement.clientWidth];
            """) as? [Int] ?? []
        XCTAssertEqual(width.count, 2, "\(path): the page's widths were read")
        if width.count == 2, width[0] > width[1] + 1 { wide.append("\(path): \(width[0]) px on a \(width[1]) px screen") }
        // A table shown as cards keeps every control of its rows inside the screen.
        let scope = everyControl ? "main" : "table.cards-narrow"
        let outside = try await browser.execute("""
            const screen = document.documentElement.clientWidth;
            return Array.from(document.querySelectorAll('\(scope) button, \(scope) select, '
                + '\(scope) input:not([type=hidden]), \(scope) textarea'))
              .filter(c => { const r = c.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > screen + 1); })
              .map(c => (c.name || c.textContent.trim()) + ' at ' + Math.round(c.getBoundingClientRect().right));
            """) as? [String] ?? ["the controls could not be read"]
        if !outside.isEmpty { wide.append("\(path): controls outside the screen: \(outside.prefix(3))") }
        return wide
    }

    func testNoPageOfTheMenuScrollsSidewaysOnAPhone() async throws {
        try await browser.resize(width: 1366, height: 900)
        try await signIn("analyst")
        try await browser.emulatePhone(width: 390)
        var wide: [String] = []
        for path in Self.analystMenu.values.flatMap({ $0 }).sorted() + ["/typology"] {
            wide += try await beyondThePhone(path)
        }
        try await browser.screenshot(to: "/tmp/menu-reports-390.png")
        // Printed (a page is narrower than 760 px too), a table of forms stays a table with its header.
        try await browser.cdp("Emulation.setEmulatedMedia", ["media": "print"])
        try await browser.open(server.baseURL + "/users")
        let printed = try await browser.execute("""
            return getComputedStyle(document.querySelector('table.cards-narrow thead')).display;
            """) as? String
        XCTAssertEqual(printed, "table-header-group", "the printed table keeps its header")
        try await browser.cdp("Emulation.setEmulatedMedia", ["media": ""])
        try await browser.cdp("Emulation.clearDeviceMetricsOverride", [:])
        XCTAssertEqual(wide, [], "pages wider than the phone")
    }

    /// The school programme's editor (its measures and indicators, a row of fields each) and the support network (an
    /// organisation's school form in its row) are cards on a phone: nothing to scroll sideways to.
    func testTheProgrammeEditorAndTheSupportNetworkFitAPhone() async throws {
        let director = HTTPSession(server), coordinator = HTTPSession(server)
        defer { Task { await director.close(); await coordinator.close() } }
        try await director.login("director-a")
        let form = try await director.get("/programmes")
        let school = try XCTUnwrap(form.body.range(of: "name=\"school\"").flatMap { marker in
            form.body[marker.upperBound...].range(of: "value=\"").map { value in
                String(form.body[value.upperBound...].prefix { $0 != "\"" })
            }
        }, "the «new programme» form offers the director's school")
        let created = try await director.post("/programmes", [
            ("school", school), ("kind", "medium_term"), ("title", "Программа развития"), ("start_year", "2024"), ("end_year", "2025"),
        ])
        let location = try XCTUnwrap(created.header("Location"))
        let id = try XCTUnwrap(location.split(separator: "/").dropFirst().first.flatMap { Int($0) })
        try await coordinator.login("coord-a")
        _ = try await coordinator.get("/support/network")
        let added = try await coordinator.post("/support/organisations", [("kind", "centre"), ("name", "Консультационный центр")])
        XCTAssertEqual(added.status, 303)

        try await browser.resize(width: 1366, height: 900)
        var wide: [String] = []
        try await signIn("director-a")
        try await browser.emulatePhone(width: 390)
        wide += try await beyondThePhone("/programmes/\(id)/edit", everyControl: true)
        let fields = try await browser.execute("""
            return document.querySelectorAll('table.editor textarea, table.editor input:not([type=hidden])').length;
            """) as? Int
        XCTAssertGreaterThan(fields ?? 0, 10, "the editor's fields were on the page")
        try await browser.screenshot(to: "/tmp/programme-editor-390.png")
        try await browser.cdp("Emulation.clearDeviceMetricsOverride", [:])
        try await signOut()
        try await signIn("coord-a")
        try await browser.emulatePhone(width: 390)
        wide += try await beyondThePhone("/support/network", everyControl: true)
        let membership = try await browser.execute("""
            return document.querySelectorAll('table.organisations select[name=school]').length;
            """) as? Int
        XCTAssertEqual(membership, 1, "the organisation's school form was on the page")
        try await browser.cdp("Emulation.clearDeviceMetricsOverride", [:])
        XCTAssertEqual(wide, [], "pages wider than the phone")
    }
}
