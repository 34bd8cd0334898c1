import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

/// The pages ask the identification engine and the criteria in force for the user's own territory, compare
/// with the user's own approved list, and speak the user's language.
final class IdentificationPagesTests: XCTestCase {
    let results = """
    year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
    2023,VPR,6,math,A1,38,13,13,15,8,2
    2023,OGE,9,math,A1,29,9,9,12,6,2
    2023,VPR,6,math,A2,60,6,6,30,20,4
    2023,OGE,9,math,A2,50,10,10,25,10,5
    2023,VPR,6,math,B1,38,20,20,10,6,2
    2023,OGE,9,math,B1,29,20,20,5,3,1
    """

    func load(_ fixture: WebFixture) async throws {
        let importer = Importer(db: fixture.app.db, actor: .commandLine)
        _ = try await importer.importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
        let context =
            "year,school,indicator,value\n2023,A1,isbs_group,3\n2023,A1,quality_group,4\n2023,A2,isbs_group,8\n2023,A2,quality_group,6\n"
        _ = try await importer.importFile(.context, bytes: Array(context.utf8), fileName: "c.csv")
    }

    func testTheWhatIfComparesWithTheListOfTheUsersOwnTerritory() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/identification?year=2023")
            let municipal = try await coordinator.post("/identification/approve", [
                ("year", "2023"), ("criteria", "stored"), ("order_number", "12-о"), ("order_date", "01.03.2023"),
                ("confirm_order_date", "01.03.2023"),
            ])
            XCTAssertEqual(municipal.status, .seeOther)
            // Later, the region approves its own list (which includes B1 of the other municipality).
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/identification?year=2023")
            try await analyst.post("/identification/approve", [
                ("year", "2023"), ("criteria", "stored"), ("order_number", "77"), ("order_date", "02.03.2023"),
                ("confirm_order_date", "02.03.2023"),
            ])
            let page = try await coordinator.get("/identification?year=2023&threshold=10").body.string
            // CONTRACT.md, «the list in force»: the newest order of the municipality or of its region — here the region's —
            // but only with the municipality's own schools.
            XCTAssertTrue(page.contains("приказ № 77"), "the region's newer order is in force for the municipality")
            XCTAssertFalse(page.contains("приказ № 12-о от"))
            XCTAssertFalse(page.contains("Белёвская"))
            let regional = try await analyst.get("/identification?year=2023&threshold=10").body.string
            XCTAssertTrue(regional.contains("приказ № 77"))
        }
    }

    func testTheTypologyFollowsTheCriteriaInForce() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            // The programme's rule: A2 (ИСБШ 8, quality 6) is «условно благополучные».
            try await assertTrueAsync(
                try await coordinator.get("/typology?year=2023").body.string.contains("title=\"условно благополучные\""))
            // A set whose typology calls quality 6 favourable already.
            try await coordinator.get("/criteria?year=2023")
            let text =
                "name: \"Своя типология\"\nlow_results:\n  threshold: 30\ntypology:\n  low_social_max: 4\n  low_quality_max: 5\n  " +
                "favourable_social_min: 8\n  favourable_quality_min: 6\n"
            try await assertEqualAsync(try await coordinator.post("/criteria?year=2023", [("text", text)]).status, .seeOther)
            let page = try await coordinator.get("/typology?year=2023").body.string
            XCTAssertTrue(page.contains("«Своя типология»"), page)
            let favourable = try XCTUnwrap(page.range(of: "<div class=\"value\">").map { _ in page })
            XCTAssertTrue(favourable.contains("благополучные"))
            let counts = try await IdentificationRepository(db: fixture.app.db).identify(
                year: 2023, criteria: try CriteriaFile.decode(text), scope: .municipality(fixture.municipalityA))
            XCTAssertEqual(counts.first { $0.school.code == "A2" }?.type, .favourable)
        }
    }

    func testPagesSpeakTheUsersLanguage() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            for path in ["/identification?year=2023", "/typology?year=2023", "/criteria?year=2023", "/", "/results", "/imports"] {
                let page = try await analyst.get(path).body.string
                for word in ["seed", "docs/", "CRITERIA.md", ".swift"] {
                    XCTAssertFalse(page.contains(word), "\(path) shows «\(word)»")
                }
            }
            // The criteria page shows the set in Cyrillic, not as \u escapes.
            let criteria = try await analyst.get("/criteria?year=2023").body.string
            // A Tula analyst's default rule is not named after Pervouralsk (issue 24, point 6).
            XCTAssertTrue(criteria.contains("Правило по умолчанию: 30 %"), criteria)
            XCTAssertFalse(criteria.contains("\\u04"))
        }
    }

    func testTheHomePageAsksTheIdentificationEngine() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            // Under the programme's rule A1 is flagged; a stricter set of the municipality flags nobody.
            try await assertTrueAsync(try await coordinator.get("/overview").body.string
                .contains("2023: низкие результаты и неблагоприятные социальные условия"))
            try await coordinator.get("/criteria?year=2023")
            try await coordinator.post(
                "/criteria?year=2023", [("text", "name: Строже\nlow_results:\n  threshold: 50\n  risk_lower_bound: 45\n")])
            let home = try await coordinator.get("/overview").body.string
            XCTAssertFalse(
                home.contains("низкие результаты и неблагоприятные"), "the home page follows the criteria in force, not a rule of its own")
        }
    }

    func testTheMunicipalityRowIsTheWholeMunicipalityForEveryone() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let page = try await director.get("/results?work=2023%7CVPR%7C6%7Cmath").body.string
            // A1 (38 pupils, 13 «2») and A2 (60 pupils, 6 «2»): the district is 98 pupils, 80,6 % success — not A1 alone.
            XCTAssertTrue(page.contains("все школы муниципалитета (2)"), page)
            XCTAssertTrue(page.contains("<td class=\"num\">98</td>"), page)
            XCTAssertTrue(page.contains("80,6"), page)
            XCTAssertFalse(page.contains("Чернская СОШ № 1"), "the other school's own row stays hidden")
        }
    }
}
