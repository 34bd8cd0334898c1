import Foundation
import OporaLiveSupport
import XCTest

/// The school card in Chromium (issue 24): a director and a curator read what is going on at their school — the list,
/// who supports it (the curator by name), the programme with its status and link — on a laptop (1366 px) and a phone
/// (390 px), with every part inside the window and no audit internals.
final class SchoolCardBrowserTests: ChromiumTestCase {
    func testTheDirectorAndTheCuratorReadTheCardAtBothWidths() async throws {
        let programme = try await server.submittedProgramme()
        let session = HTTPSession(server)
        try await session.login("director-a")
        let schools = try await session.get("/schools").body
        await session.close()
        guard let link = schools.range(of: #"href="/schools/[0-9]+""#, options: .regularExpression) else {
            return XCTFail("no school on the list: \(schools)")
        }
        let school = schools[link].dropFirst("href=\"/schools/".count).dropLast()
        for login in ["director-a", "curator-a"] {
            for width in [1366, 390] {
                try await browser.resize(width: width, height: 900)
                try await signIn(login)
                try await browser.open(server.baseURL + "/schools/\(school)")
                try await browser.waitFor("Кто сопровождает")
                let source = try await browser.source
                XCTAssertTrue(source.contains("Пользователь curator-a"), "\(login) at \(width): the curator by name")
                XCTAssertTrue(source.contains("href=\"/programmes/\(programme)\""), "\(login) at \(width): the programme's link")
                XCTAssertTrue(source.contains("на проверке"), "\(login) at \(width): the programme's status")
                XCTAssertTrue(source.contains("Перечень ШНОР"))
                XCTAssertFalse(source.contains("schools.csv"), "no audit internals")
                let fits = try await browser.execute("""
                    const w = window.innerWidth;
                    return Array.from(document.querySelectorAll('.school-card-part, #card-late'))
                      .every(e => e.getBoundingClientRect().right <= w + 1 && e.getBoundingClientRect().left >= -1)
                      && document.documentElement.scrollWidth <= w + 1;
                    """) as? Bool
                XCTAssertEqual(fits, true, "\(login): the card fits \(width) px")
                try await browser.click("#card-programmes a[href='/programmes/\(programme)']")
                try await browser.waitFor("Программа развития Липицкой СОШ")
                try await browser.open(server.baseURL + "/")
                try await signOut()
            }
        }
    }
}
