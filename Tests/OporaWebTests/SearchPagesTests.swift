import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The search across schools, programmes, measures and decisions finds only what the user may open (issue 24).
final class SearchPagesTests: XCTestCase {
    func testSearchFindsWithinTheScopeOnly() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinatorB = Browser(fixture.app)
            try await coordinatorB.login("coord-b")
            try await coordinatorB.get("/decisions")
            let recorded = try await coordinatorB.post("/decisions", [("finding", "Низкая доля успеваемости по математике"),
                                                                     ("decision", "Организовать стажировку учителей математики"),
                                                                     ("responsible", "Отдел образования")])
            XCTAssertEqual(recorded.status, .seeOther)

            let coordinatorA = Browser(fixture.app)
            try await coordinatorA.login("coord-a")
            let lipitsy = try await coordinatorA.get("/search?q=%D0%BB%D0%B8%D0%BF%D0%B8%D1%86%D0%BA").body.string  // «липицк»
            XCTAssertTrue(lipitsy.contains("Липицкая СОШ"), lipitsy)
            XCTAssertTrue(lipitsy.contains("href=\"/schools/\(fixture.schoolA)\""), lipitsy)
            // «СОШ» is in every school's name; coord-a sees the two of Чернский район and never Белёвская.
            let all = try await coordinatorA.get("/search?q=%D0%A1%D0%9E%D0%A8").body.string
            XCTAssertTrue(all.contains("Чернская СОШ"), all)
            XCTAssertFalse(all.contains("Белёвская"), all)
            // The other municipality's decision is not found; its own coordinator finds it, «е» for «ё» or not.
            let query = "/search?q=" + "стажировку математики".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let other = try await coordinatorA.get(query).body.string
            XCTAssertFalse(other.contains("Организовать стажировку"), other)
            let own = try await coordinatorB.get(query).body.string
            XCTAssertTrue(own.contains("Организовать стажировку учителей математики"), own)
            XCTAssertTrue(own.contains("/decisions#d"), own)
            let belev = "/search?q=" + "белевская".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let found = try await coordinatorB.get(belev).body.string
            XCTAssertTrue(found.contains("Белёвская СОШ № 2"), found)

            let short = try await coordinatorA.get("/search?q=%D0%B0").body.string
            XCTAssertTrue(short.contains("Введите хотя бы два символа"), short)
            let nothing = try await coordinatorA.get("/search?q=zzzz").body.string
            XCTAssertTrue(nothing.contains("Ничего не найдено"), nothing)
        }
    }
}
