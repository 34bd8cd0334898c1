import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

/// «Результативность поддержки» and «Итоги программы» on the pages (issue 21): scoped to a municipality or a region,
/// 404 for a school's user; figures of `EffectFixture`; on both engines.
final class EffectPagesTests: XCTestCase {
    func load(_ fixture: WebFixture, lists: [(year: Int, text: String)] = EffectFixture.lists) async throws {
        let importer = Importer(db: fixture.app.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array(EffectFixture.schools.utf8), fileName: "s.csv")
        _ = try await importer.importFile(.results, bytes: Array(EffectFixture.results.utf8), fileName: "r.csv")
        for (year, list) in lists {
            _ = try await importer.importFile(.approvedList, bytes: Array(list.utf8), fileName: "list-\(year).csv")
        }
    }

    func testTheMunicipalitySeesItsSupportedAndComparableSchools() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let home = try await coordinator.get("/").body.string
            XCTAssertTrue(home.contains("href=\"/effect\""), "the menu links the page")
            let response = try await coordinator.get("/effect?from=2022&to=2023&procedure=VPR&metric=below_min_rate")
            XCTAssertEqual(response.status, .ok)
            let page = response.body.string
            for expected in [
                "Результативность поддержки", "Эффект поддержки: −8,5 п. п.", "14,5", "Школа S1", "Школа C5", "<svg",
                "По процедурам и показателям", "Чувствительность", "регрессией к среднему", "id=\"sensitivity\"",
            ] {
                XCTAssertTrue(page.contains(expected), "«\(expected)»")
            }
            XCTAssertFalse(page.contains("Школа Y1"), "another municipality's school is outside the scope")
            XCTAssertFalse(page.contains("Школа X1"), "out of the supported schools' range")
            // Another municipality named in the query: 404, as for any record outside the scope.
            let foreign = try await coordinator.get("/effect?from=2022&to=2023&municipality=\(fixture.municipalityB)")
            XCTAssertEqual(foreign.status, .notFound)
            let bad = try await coordinator.get("/effect?from=2023&to=2022")
            XCTAssertEqual(bad.status, .badRequest)
        }
    }

    func testTheWindowOpensOnTheFirstYearWithAnOrder() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            // A year of results before any order: the default window skips it rather than answer «no order».
            let earlier = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n2021,VPR,5,math,S1,20,6,9,5,0\n"
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(
                .results, bytes: Array(earlier.utf8), fileName: "r2021.csv")
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let page = try await coordinator.get("/effect?procedure=VPR").body.string
            XCTAssertTrue(page.contains("2022 → 2023"), "the window opens on 2022, the first year with an order")
            XCTAssertFalse(page.contains("нет приказа об утверждении перечня"))
        }
    }

    func testTheRegionComparesWithItsOtherMunicipalityAndASchoolSeesNothing() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            let region = try await analyst.get("/effect?from=2022&to=2023&procedure=VPR").body.string
            XCTAssertTrue(region.contains("Школа Y1"), "the region's other municipality supplies a comparable school")
            let narrowed = try await analyst.get("/effect?from=2022&to=2023&procedure=VPR&municipality=\(fixture.municipalityA)")
            XCTAssertEqual(narrowed.status, .ok)
            XCTAssertFalse(narrowed.body.string.contains("Школа Y1"))
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let answer1 = try await director.get("/effect").status
            XCTAssertEqual(answer1, .notFound)
            let answer2 = try await director.get("/").body.string.contains("href=\"/effect\"")
            XCTAssertFalse(answer2)
        }
    }

    func testTooFewSchoolsAndNoOrderAreSaid() async throws {
        try await WebFixture.onEachEngine { fixture in
            let one = "year,school,order_number,order_date,territory\n2022,S1,7,15.03.2022,Чернский район\n"
            try await load(fixture, lists: [(2022, one)])
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let few = try await coordinator.get("/effect?from=2022&to=2023&procedure=VPR").body.string
            XCTAssertTrue(few.contains("Недостаточно школ, чтобы судить."), few)
            XCTAssertFalse(few.contains("Эффект поддержки:"), "no verdict on one school")
            let none = try await coordinator.get("/effect?from=2021&to=2023").body.string
            XCTAssertTrue(none.contains("нет приказа об утверждении перечня"))
        }
    }

    func testProgrammeResultsOnTheReportsPage() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let programme = "code,name,start,end,level,territory\n"
                + "P21,Программа поддержки школ,2022-01-01,2023-12-31,municipality,Чернский район\n"
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(
                .programmes, bytes: Array(programme.utf8), fileName: "p.csv")
            let plan = try await PlanRepository(db: fixture.app.db).programme(code: "P21")!
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let answer3 = try await coordinator.get("/reports").body.string.contains("id=\"programme-results\"")
            XCTAssertTrue(answer3)
            let path = "/reports/programme-results?programme=\(plan.id!)&from=2022&to=2023&format=html"
            let document = try await coordinator.get(path)
            XCTAssertEqual(document.status, .ok)
            for expected in ["Итоги программы", "Поддержанные школы", "Школа S1", "Эффект поддержки: −8,5 п. п."] {
                XCTAssertTrue(document.body.string.contains(expected), "«\(expected)»")
            }
            let answer4 = try await coordinator.get(path.replacingOccurrences(of: "format=html", with: "format=docx")).status
            XCTAssertEqual(answer4, .ok)
            let other = Browser(fixture.app)
            try await other.login("coord-b")
            let answer5 = try await other.get(path).status
            XCTAssertEqual(answer5, .notFound, "another municipality's programme")
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let answer6 = try await director.get(path).status
            XCTAssertEqual(answer6, .notFound)
        }
    }
}
