import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The figures on the pages, on both engines: the support board counts pairs in force only; the programme's
/// indicators page marks an entered value Opora's computation contradicts, with both values.
final class FiguresPagesTests: XCTestCase {
    func mentors(_ browser: Browser, year: Int) async throws -> [String: String] {
        let body = try await browser.get("/api/support?year=\(year)").body.string
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(json["schools"] as? [[String: Any]])
        var found: [String: String] = [:]
        for row in rows { if let code = row["code"] as? String, let mentor = row["mentor"] as? String { found[code] = mentor } }
        return found
    }

    func testTheSupportBoardCountsPairsInForceOnly() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let support = SupportRepository(db: fixture.app.db), scope = AccessScope.municipality(fixture.municipalityA)
            try await support.addPair(.init(supportedID: fixture.schoolA, mentorID: fixture.schoolA2, period: 2024...2025), scope: scope,
                                      actor: .commandLine)
            let withPair = try await self.mentors(coordinator, year: 2024)
            XCTAssertNotNil(withPair["A1"], "the pair in force gives A1 its mentor")
            let pair = try await XCTUnwrapAsync(try await MentorPairModel.query(on: fixture.app.db).first())
            try await support.updatePair(pair.id!, status: .suspended, activities: nil, expectedVersion: pair.version, scope: scope,
                                         actor: .commandLine)
            let suspended = try await self.mentors(coordinator, year: 2024)
            XCTAssertNil(suspended["A1"], "a suspended pair is not «с наставником»")
        }
    }

    func testTheIndicatorsPageMarksAnEnteredValueOporaContradicts() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let importer = Importer(db: fixture.app.db, actor: .commandLine)
            for (kind, text) in [
                (ImportKind.results, "year;procedure;grade;subject;school;participants;m2;m3;m4;m5\n2023;ОГЭ;9;math;A1;14;5;7;2;0\n"),
                (.programmes, "code;name;start;end;level;territory\nPF;Программа поддержки школ;2023;2025;municipality;Чернский район\n"),
                (.indicators, "programme,code,name,unit,direction,formula\nPF,1,доля участников ОГЭ выше порога,%,up,gia_pass_min\n"),
                (.indicatorValues, "programme,indicator,year,value\nPF,1,2023,100\n"),
            ] {
                _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv")
            }
            let plan = try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).programme(code: "PF"))
            let page = try await coordinator.get("/plans/\(plan.id!)/indicators").body.string
            XCTAssertTrue(page.contains("расходится с расчётом Опоры"), page)
            XCTAssertTrue(page.contains("внесено 100 %, по данным Опоры 64,3 % (9 из 14)"), page)
        }
    }
}

extension FiguresPagesTests {
    /// The results explorer marks an imported comparison row whose quality is above its success, as the reports do.
    func testTheExplorerMarksAnImportedRowWithQualityAboveSuccess() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let importer = Importer(db: fixture.app.db, actor: .commandLine)
            for (kind, text) in [
                (ImportKind.results, "year;procedure;grade;subject;school;participants;m2;m3;m4;m5\n2022;ВПР;5;math;A1;14;5;7;2;0\n"),
                (.benchmarks, "year;procedure;grade;subject;level;name;success_rate;quality_rate\n"
                    + "2022;ВПР;5;math;region;Тульская область;50;60\n"),
            ] {
                _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv")
            }
            let page = try await coordinator.get("/results?work=2022%7CVPR%7C5%7Cmath").body.string
            XCTAssertTrue(page.contains("качество &gt; успеваемости") || page.contains("качество > успеваемости"), page)
        }
    }
}
