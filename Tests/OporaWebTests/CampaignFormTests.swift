import FluentKit
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import SQLKit
import XCTVapor
import XCTest

/// A new survey campaign refused keeps everything typed, the chosen schools included, and says beside each field
/// what is wrong (issue 24, «Forms»).
final class CampaignFormTests: XCTestCase {
    static func campaigns(_ db: any Database) async throws -> Int {
        struct Row: Decodable { let n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM survey_campaigns").first(decoding: Row.self)?.n ?? -1
    }

    func testARefusedCampaignKeepsWhatWasTypedAndIsCreatedOnceCorrected() async throws {
        try await WebFixture.onEachEngine { fixture in
            let questionnaire = try await SurveyCampaignPagesTests.questionnaireID(fixture.app)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            _ = try await coordinator.get("/campaigns/new")
            let typed: [(String, String)] = [
                ("questionnaire", String(questionnaire)), ("title", "Риски, сентябрь"), ("starts", "01.09.2026"),
                ("ends", "31.09.2026"), ("expected_teacher", "0"), ("expected_parent", "20"),
                ("school", String(fixture.schoolA2)),
            ]
            let refused = try await coordinator.post("/campaigns", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertTrue(html.contains("Не сохранено: исправьте отмеченные поля (2)"), html)
            XCTAssertTrue(html.contains(#"id="ends-note">«31.09.2026» — такой даты нет: в сентябре 2026 года 30 дней</small>"#),
                          html)
            XCTAssertTrue(html.contains(#"id="expected_teacher-note">Введите целое число от 1 до"#), html)
            XCTAssertTrue(html.contains(#"value="Риски, сентябрь""#), "the title is kept")
            XCTAssertTrue(html.contains(#"value="20""#), "the parents' count is kept")
            XCTAssertTrue(html.contains(#"value="\#(fixture.schoolA2)" checked"#), "the chosen school stays chosen: \(html)")
            XCTAssertFalse(html.contains(#"value="\#(fixture.schoolA)" checked"#), "a school not chosen stays unchosen")
            XCTAssertTrue(html.contains(#"<option value="\#(questionnaire)" selected"#), "the questionnaire stays chosen")
            XCTAssertFalse(html.contains("Период:") || html.contains("ends:"), "no internal names")
            try await assertEqualAsync(try await Self.campaigns(fixture.app.db), 0)

            var corrected = typed
            corrected[3] = ("ends", "30.09.2026")
            corrected[4] = ("expected_teacher", "10")
            let created = try await coordinator.post("/campaigns", corrected)
            XCTAssertEqual(created.status, .ok, created.body.string)
            try await assertEqualAsync(try await Self.campaigns(fixture.app.db), 1)
        }
    }
}
