import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The forms of programmes (issue 24, «Forms»): a refused form comes back with what was typed and each problem
/// in Russian beside its field; the defaults are the user's own; the list of programmes comes a page at a time.
final class PlanFormsTests: XCTestCase {
    /// Internal names that must never reach a person (the columns of the `programmes` and `indicator_values` files).
    static let internalNames = ["end:", "order_date:", "territory:", "value:", "start:", "code:"]

    static func assertBeside(_ page: String, _ input: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(page.contains("id=\"\(input)-note\">\(message)"), "«\(message)» beside \(input)", file: file, line: line)
    }

    static func assertNoInternalNames(_ page: String, file: StaticString = #filePath, line: UInt = #line) {
        for name in internalNames { XCTAssertFalse(page.contains(name), "no «\(name)» in the page", file: file, line: line) }
    }

    func testANewProgrammeRefusedKeepsWhatWasTypedAndSavesOnceCorrected() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            // The form opens on the coordinator's own municipality, not the region, and on this year onwards.
            let form = try await coordinator.get("/plans").body.string
            XCTAssertTrue(form.contains("<option value=\"\(fixture.municipalityA)\" selected"), "the coordinator's own municipality")
            XCTAssertFalse(form.contains("региональная программа"), "a coordinator is not offered the region")
            let year = fixture.app.today().year
            XCTAssertTrue(form.contains("name=\"start\" value=\"\(year)\""))

            let typed = [("code", "P77"), ("name", "Программа поддержки школ Первоуральска"),
                         ("municipality", String(fixture.municipalityA)), ("start", "2025"), ("end", "2024"),
                         ("order_number", "14-о"), ("order_date", "31.02.2024")]
            let refused = try await coordinator.post("/plans", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let page = refused.body.string
            for (_, value) in typed { XCTAssertTrue(page.contains("value=\"\(value)\""), "«\(value)» kept") }
            Self.assertBeside(page, "order_date", "«31.02.2024» — такой даты нет: в феврале 2024 года 29 дней")
            Self.assertBeside(page, "end", "Окончание раньше начала (01.01.2025)")
            XCTAssertTrue(page.contains("Не сохранено: исправьте отмеченные поля (2)"))
            Self.assertNoInternalNames(page)
            try await assertEqualAsync(try await PlanModel.query(on: fixture.app.db).count(), 0, "nothing saved")

            let outOfRange = try await coordinator.post("/plans", [("code", "P77"), ("name", "x"), ("municipality", ""),
                                                                    ("start", "1999"), ("end", "2026")])
            XCTAssertEqual(outOfRange.status, .unprocessableEntity)
            Self.assertBeside(outOfRange.body.string, "start", "Год — от 2000 до 2100")
            Self.assertBeside(outOfRange.body.string, "municipality",
                              "Выберите муниципалитет: региональную программу заводит региональный координатор")

            var corrected = typed
            corrected[4] = ("end", "2027")
            corrected[6] = ("order_date", "29.02.2024")
            let saved = try await coordinator.post("/plans", corrected)
            XCTAssertEqual(saved.status, .seeOther)
            let plan = try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).programme(code: "P77"))
            XCTAssertEqual(plan.municipalityID, fixture.municipalityA)
            XCTAssertEqual(plan.orderDate, "2024-02-29")

            // The same code again: said beside the code, the rest kept.
            let again = try await coordinator.post("/plans", corrected)
            XCTAssertEqual(again.status, .unprocessableEntity)
            Self.assertBeside(again.body.string, "code", ProgrammeCode.taken("P77"))
            XCTAssertTrue(again.body.string.contains("value=\"Программа поддержки школ Первоуральска\""))
        }
    }

    func testTheListComesAPageAtATimeWithItsCountAndKeepsItsFilter() async throws {
        try await WebFixture.onEachEngine { fixture in
            let municipality = try await XCTUnwrapAsync(try await MunicipalityModel.find(fixture.municipalityA, on: fixture.app.db))
            var csv = "code,name,start,end,level,territory\n"
            for number in 1...130 {
                csv += "M\(String(format: "%03d", number)),Программа школы \(number),2024,2026,municipality,\(municipality.name)\n"
            }
            _ = try await Importer(db: fixture.app.db, actor: .commandLine, scope: .municipality(fixture.municipalityA))
                .importFile(.programmes, bytes: Array(csv.utf8), fileName: "programmes.csv")
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let first = try await coordinator.get("/plans").body.string
            XCTAssertTrue(first.contains("Программ: 130; показаны 1–100"), "N of M")
            XCTAssertTrue(first.contains("M100"))
            XCTAssertFalse(first.contains("M101"), "the second page is not drawn")
            let second = try await coordinator.get("/plans?page=2").body.string
            XCTAssertTrue(second.contains("Программ: 130; показаны 101–130"))
            XCTAssertTrue(second.contains("M130"))
            let found = try await coordinator.get("/plans?q=%D1%88%D0%BA%D0%BE%D0%BB%D1%8B%2012&level=municipality").body.string
            XCTAssertTrue(found.contains("Найдено 11 из 130"), "«школы 12» and «школы 120–129»")
            XCTAssertFalse(found.contains("M013"))
        }
    }

    /// A programme of municipality A with its indicators and roadmap from the seed files, as the coordinator made it.
    static func planWithRoadmap(_ fixture: WebFixture, _ coordinator: Browser) async throws -> Int {
        try await coordinator.get("/plans")
        _ = try await coordinator.post("/plans", [("code", "P04"), ("name", "Муниципальная программа поддержки ШНОР"),
                                                   ("municipality", String(fixture.municipalityA)), ("start", "2023"), ("end", "2025")])
        let importer = Importer(db: fixture.app.db, actor: Actor(userID: nil, login: "coord-a"),
            scope: .municipality(fixture.municipalityA))
        for (kind, file) in [(ImportKind.roadmap, "pervouralsk-roadmap-2024.csv"), (.indicators, "pervouralsk-indicators.csv")] {
            _ = try await importer.importFile(kind, bytes: try PlanPagesTests.fixture(file), fileName: file)
        }
        return try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).programme(code: "P04")).id!
    }

    func testTheEditorsOfAProgrammeKeepWhatWasTypedBesideEachProblem() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let id = try await Self.planWithRoadmap(fixture, coordinator)
            func version() async throws -> Int { try await PlanModel.find(id, on: fixture.app.db)!.version }

            // The passport: the end before the start, no order; the participant chosen by name stays chosen.
            let form = try await coordinator.get("/plans/\(id)").body.string
            XCTAssertTrue(form.contains("name=\"participant_A1\""), "schools are chosen by name, not typed as codes")
            let amend = try await coordinator.post("/plans/\(id)/amend", [
                ("version", String(try await version())), ("name", "Программа"), ("start", "01.01.2023"), ("end", "31.12.2020"),
                ("goal", "Снизить долю ШНОР вдвое"), ("participant_A1", "1"), ("order_number", ""),
            ])
            XCTAssertEqual(amend.status, .unprocessableEntity)
            let amendPage = amend.body.string
            Self.assertBeside(amendPage, "end", "Окончание раньше начала (01.01.2023)")
            Self.assertBeside(amendPage, "order_number", "Заполните поле")
            XCTAssertTrue(amendPage.contains("Снизить долю ШНОР вдвое"))
            XCTAssertTrue(amendPage.contains("name=\"participant_A1\" value=\"1\" checked"), "the choice kept")
            Self.assertNoInternalNames(amendPage)
            try await assertEqualAsync(try await AmendmentModel.query(on: fixture.app.db).count(), 0,
                                       "nothing saved: the only version is still kept in the programme's row")
            let amended = try await coordinator.post("/plans/\(id)/amend", [
                ("version", String(try await version())), ("name", "Программа"), ("start", "01.01.2023"), ("end", "31.12.2026"),
                ("goal", "Снизить долю ШНОР вдвое"), ("participant_A1", "1"), ("order_number", "15"), ("order_date", "01.02.2024"),
            ])
            XCTAssertEqual(amended.status, .seeOther)
            try await assertEqualAsync(try await PlanModel.find(id, on: fixture.app.db)?.passport.participants, ["A1"])
            try await assertEqualAsync(try await AmendmentModel.query(on: fixture.app.db).sort(\.$number).all().map(\.number), [1, 2],
                                       "the first version left the programme's row before the second was added")
            try await assertEqualAsync(try await PlanModel.find(id, on: fixture.app.db)?.adoptedBy, nil)

            // The levels: a medium level above the high one.
            let bands = try await coordinator.post("/plans/\(id)/bands", [("version", String(try await version())), ("high", "20"),
                                                                           ("medium", "25"), ("satisfactory", "10")])
            XCTAssertEqual(bands.status, .unprocessableEntity)
            Self.assertBeside(bands.body.string, "medium", "Должен быть ниже высокого (20)")
            XCTAssertTrue(bands.body.string.contains("name=\"medium\" value=\"25\""))
            let bandsSaved = try await coordinator.post("/plans/\(id)/bands", [("version", String(try await version())), ("high", "20"),
                                                                                ("medium", "15"), ("satisfactory", "10")])
            XCTAssertEqual(bandsSaved.status, .seeOther)
            try await assertEqualAsync(try await PlanModel.find(id, on: fixture.app.db)?.bandMedium, 15)

            // An indicator's value: a word where a number belongs, and a score outside the rubric.
            let value = try await coordinator.post("/plans/\(id)/values", [("indicator", "1"), ("year", "2024"), ("phase", "final"),
                                                                            ("value", "сто"), ("presence", "5"), ("comment",
                                                                                "по данным УО")])
            XCTAssertEqual(value.status, .unprocessableEntity)
            let valuePage = value.body.string
            Self.assertBeside(valuePage, "value", "Введите число от")
            Self.assertBeside(valuePage, "presence", "Введите целое число от 0 до 2")
            XCTAssertTrue(valuePage.contains("value=\"сто\"") && valuePage.contains("value=\"по данным УО\""))
            Self.assertNoInternalNames(valuePage)
            try await assertEqualAsync(try await IndicatorValueModel.query(on: fixture.app.db).count(), 0)
            let saved = try await coordinator.post("/plans/\(id)/values", [("indicator", "1"), ("year", "2024"), ("phase", "final"),
                                                                            ("value", "12,5")])
            XCTAssertEqual(saved.status, .seeOther)
            try await assertEqualAsync(try await IndicatorValueModel.query(on: fixture.app.db).first()?.value, 12.5)

            // A measure reported done on a day still to come.
            let measure = try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).measures(id).first { $0.number == "2.8." })
            let report = try await coordinator.post("/plans/\(id)/measures/\(measure.id)", [
                ("version", String(measure.version)), ("status", "done"), ("done_on", "12.03.2030"), ("evidence", "Приказ № 512"),
            ])
            XCTAssertEqual(report.status, .unprocessableEntity)
            Self.assertBeside(report.body.string, "done_on", "12.03.2030 ещё не наступило")
            XCTAssertTrue(report.body.string.contains("Приказ № 512"))
            try await assertEqualAsync(try await MeasureModel.find(measure.id, on: fixture.app.db)?.status, "planned")
            let reported = try await coordinator.post("/plans/\(id)/measures/\(measure.id)", [
                ("version", String(measure.version)), ("status", "done"), ("done_on", "05.09.2025"), ("evidence", "Приказ № 512"),
            ])
            XCTAssertEqual(reported.status, .seeOther)
            try await assertEqualAsync(try await MeasureModel.find(measure.id, on: fixture.app.db)?.status, "done")
        }
    }

    func testASchoolsNewProgrammeIsChosenByNameAndRefusedAsTyped() async throws {
        try await WebFixture.onEachEngine { fixture in
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let board = try await director.get("/programmes").body.string
            XCTAssertTrue(board.contains("name=\"factor\""), "the factor is chosen by its name")
            let refused = try await director.post("/programmes", [("school", String(fixture.schoolA)), ("kind", "anti_risk"),
                ("factor", ""),
                                                                   ("title", "Каждый ученик успешен"), ("start_year", "2024"),
                                                                   ("end_year", "2019")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let page = refused.body.string
            Self.assertBeside(page, "factor", "Выберите фактор риска")
            Self.assertBeside(page, "end_year", "Раньше года начала (2024)")
            XCTAssertTrue(page.contains("value=\"Каждый ученик успешен\""))
            try await assertEqualAsync(try await SchoolProgrammeModel.query(on: fixture.app.db).count(), 0)
            let created = try await director.post("/programmes", [("school", String(fixture.schoolA)), ("kind", "anti_risk"),
                ("factor", "6"),
                                                                   ("title", "Каждый ученик успешен"), ("start_year", "2024"),
                                                                   ("end_year", "2025")])
            XCTAssertEqual(created.status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.query(on: fixture.app.db).count(), 1)
        }
    }

    func testASchoolsReportOnItsProgrammeKeepsWhatWasTypedBesideEachProblem() async throws {
        try await WebFixture.onEachEngine { fixture in
            let id = try await ExitPagesTests.prepare(fixture)
            let director = Browser(fixture.app)
            try await director.login("director-a")
            try await director.get("/programmes/\(id)/execution")
            let measure = try await director.post("/programmes/\(id)/execution/measures/1", [
                ("version", "0"), ("status", "done"), ("done_on", "12.03.2030"), ("evidence", "протокол № 4"),
            ])
            XCTAssertEqual(measure.status, .unprocessableEntity)
            Self.assertBeside(measure.body.string, "done_on", "12.03.2030 ещё не наступило")
            XCTAssertTrue(measure.body.string.contains("value=\"протокол № 4\""))
            let reported = try await director.post("/programmes/\(id)/execution/measures/1", [
                ("version", "0"), ("status", "done"), ("done_on", "27.02.2025"), ("evidence", "протокол № 4"),
            ])
            XCTAssertEqual(reported.status, .seeOther)
            let values = try await director.post("/programmes/\(id)/execution/indicators/1", [
                ("version_entry", "0"), ("value_entry", "тридцать"), ("version_intermediate", "0"), ("value_intermediate", "14,5"),
            ])
            XCTAssertEqual(values.status, .unprocessableEntity)
            Self.assertBeside(values.body.string, "value_entry", "Введите число от")
            XCTAssertTrue(values.body.string.contains("value=\"тридцать\"") && values.body.string.contains("value=\"14,5\""))
            Self.assertNoInternalNames(values.body.string)
            let saved = try await director.post("/programmes/\(id)/execution/indicators/1", [
                ("version_entry", "0"), ("value_entry", "30"), ("version_intermediate", "0"), ("value_intermediate", "14,5"),
            ])
            XCTAssertEqual(saved.status, .seeOther)
        }
    }
}
