import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

/// Issue 24, point 4 (and the «правило Первоуральска» of point 6): criteria sets and directions as forms that keep
/// every value on a refusal, the what-if run that is shown and not approved, the approval form's refusals, and the
/// import preview that shows what changes.
final class CriteriaFormPagesTests: XCTestCase {
    let results = """
    year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
    2023,VPR,6,math,A1,38,13,13,15,8,2
    2023,OGE,9,math,A1,29,9,9,12,6,2
    2023,VPR,6,math,A2,60,6,6,30,20,4
    2023,OGE,9,math,A2,50,10,10,25,10,5
    """

    func load(_ fixture: WebFixture) async throws {
        _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
    }

    func formFields(_ set: CriteriaSet, year: String = "2023") -> [(String, String)] {
        [("year", year)] + CriteriaForm.fields(set).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func replacing(_ fields: [(String, String)], _ name: String, with value: String) -> [(String, String)] {
        fields.map { $0.0 == name ? ($0.0, value) : $0 }
    }

    func testTheCriteriaFormShowsNumbersAsWrittenAndKeepsEverythingOnARefusal() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let page = try await coordinator.get("/criteria?year=2023").body.string
            XCTAssertTrue(page.contains("name=\"threshold\" value=\"30\""), page)
            XCTAssertFalse(page.contains("3e+1"), "the YAML view writes 30, not 3e+1")
            XCTAssertTrue(page.contains("threshold: 30\n"), page)
            XCTAssertTrue(page.contains("Расширенный вид (YAML)"))
            // Point 6: Чернский район is not Pervouralsk — its default rule is not named after another town.
            XCTAssertFalse(page.contains("Первоуральск"), "a neighbouring territory reads «правило по умолчанию»")
            XCTAssertTrue(page.contains("Правило по умолчанию"))

            var typed = replacing(formFields(.pervouralsk), CriteriaForm.name, with: "Свой набор Чернского района")
            typed = replacing(typed, CriteriaForm.threshold, with: "тридцать")
            typed = replacing(typed, CriteriaForm.gradesField(.vpr), with: "5, 6, 14")
            let refused = try await coordinator.post("/criteria/form", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let body = refused.body.string
            XCTAssertTrue(body.contains("value=\"тридцать\""), "the refused value is kept as typed")
            XCTAssertTrue(body.contains("value=\"Свой набор Чернского района\""), "every other value is kept")
            XCTAssertTrue(body.contains("value=\"5, 6, 14\""))
            XCTAssertTrue(body.contains("id=\"threshold-note\">«тридцать» — не число"), body)
            XCTAssertTrue(body.contains("id=\"grades_VPR-note\">«14» — не класс"), body)
            XCTAssertFalse(body.contains("threshold:") && body.contains("field-error\">low_results"), "no internal names in the errors")
            let municipality = AccessScope.municipality(fixture.municipalityA)
            try await assertEqualAsync(try await CriteriaRepository(db: fixture.app.db).versions(year: 2023, scope: municipality).count, 0)

            // Resubmitted with a Russian decimal: saved, and shown back as written.
            typed = replacing(typed, CriteriaForm.threshold, with: "30,5")
            typed = replacing(typed, CriteriaForm.gradesField(.vpr), with: "5, 6")
            try await assertEqualAsync(try await coordinator.post("/criteria/form", typed).status, .seeOther)
            let stored = try await CriteriaRepository(db: fixture.app.db).effective(year: 2023, scope: .municipality(fixture.municipalityA))
            XCTAssertEqual(stored?.0.lowResults.threshold, 30.5)
            XCTAssertEqual(stored?.0.lowResults.grades["VPR"], [5, 6])
            XCTAssertEqual(stored?.0.name, "Свой набор Чернского района")
            let shown = try await coordinator.get("/criteria?year=2023").body.string
            XCTAssertTrue(shown.contains("name=\"threshold\" value=\"30,5\""))
            XCTAssertTrue(shown.contains("threshold: 30.5\n"), shown)
        }
    }

    /// Form → set → YAML → set: a set saved from the form is the set its YAML saves.
    func testTheFormAndTheYAMLStoreTheSameSet() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/criteria?year=2023")
            try await assertEqualAsync(try await coordinator.post("/criteria/form", formFields(.giaOnly)).status, .seeOther)
            let repository = CriteriaRepository(db: fixture.app.db)
            let scope = AccessScope.municipality(fixture.municipalityA)
            let effective = try await repository.effective(year: 2023, scope: scope)
            let fromForm = try XCTUnwrap(effective).0
            XCTAssertEqual(fromForm, .giaOnly)
            try await coordinator.get("/criteria?year=2023")
            let yaml = try CriteriaFile.yaml(fromForm)
            try await assertEqualAsync(try await coordinator.post("/criteria?year=2023", [("text", yaml)]).status, .seeOther)
            let versions = try await repository.versions(year: 2023, scope: scope)
            XCTAssertEqual(versions.count, 2)
            XCTAssertEqual(try CriteriaFile.decode(versions[0].body), try CriteriaFile.decode(versions[1].body))
            XCTAssertEqual(versions[0].body, versions[1].body)
        }
    }

    func testDirectionsAreAFormThatKeepsEverythingOnARefusal() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let page = try await coordinator.get("/risks/directions?year=2023").body.string
            XCTAssertTrue(page.contains("value=\"staff_shortage\""), page)
            XCTAssertTrue(page.contains("Расширенный вид (YAML)"))
            XCTAssertFalse(page.contains("Первоуральск"))
            var fields = [("year", "2023")]
                + DirectionsForm.fields(ManagementDirection.pervouralsk).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            fields = replacing(fields, DirectionsForm.codeField(1), with: "Компетентность")
            fields.append((DirectionsForm.codeField(8), "mentors"))
            fields.append((DirectionsForm.nameField(8), "Наставничество"))
            let refused = try await coordinator.post("/risks/directions/form", fields)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let body = refused.body.string
            XCTAssertTrue(body.contains("value=\"Компетентность\""))
            XCTAssertTrue(body.contains("value=\"Наставничество\""), "the new row is kept")
            XCTAssertTrue(body.contains("id=\"code_1-note\">«Компетентность» — код пишется латинскими"), body)
            XCTAssertTrue(body.contains("отметьте хотя бы один фактор риска"))
            fields = replacing(fields, DirectionsForm.codeField(1), with: "competence")
            fields.append((DirectionsForm.factorField(8, 3), "1"))
            try await assertEqualAsync(try await coordinator.post("/risks/directions/form", fields).status, .seeOther)
            let saved = try await DirectionsRepository(db: fixture.app.db).effective(year: 2023,
                                                                                     scope: .municipality(fixture.municipalityA))
            let added = ManagementDirection(code: "mentors", name: "Наставничество", factors: [3])
            XCTAssertEqual(saved.directions, ManagementDirection.pervouralsk + [added])
        }
    }

    /// Point 4: the heading, the table and the approval speak of the same threshold; a what-if run is not approved.
    func testAWhatIfRunIsNamedEverywhereAndNotApproved() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let page = try await coordinator.get("/identification?year=2023&threshold=25").body.string
            XCTAssertTrue(page.contains("Идентификация школ: что если порог 25 %"), page)
            XCTAssertTrue(page.contains("порог 25 % вместо 30 %"))
            XCTAssertFalse(page.contains("action=\"/identification/approve\""), "no approval form on a what-if run")
            XCTAssertTrue(page.contains("не утверждается: приказ утверждает перечень по действующему набору критериев (порог 30 %)"))
            // A post that carries the what-if threshold anyway is refused with the same words, nothing recorded.
            let forged = try await coordinator.post("/identification/approve", [
                ("year", "2023"), ("criteria", "stored"), ("threshold", "25"),
                                                                              ("order_number", "5"), ("order_date", "01.03.2023")])
            XCTAssertEqual(forged.status, .unprocessableEntity)
            XCTAssertTrue(forged.body.string.contains("(порог 25 %) не утверждается"), forged.body.string)
            try await assertEqualAsync(try await IdentificationListModel.query(on: fixture.app.db).count(), 0)
            // Without the what-if: the usual heading and the form.
            let plain = try await coordinator.get("/identification?year=2023").body.string
            XCTAssertTrue(plain.contains("action=\"/identification/approve\""))
            XCTAssertFalse(plain.contains("что если порог"))
        }
    }

    func testTheApprovalFormKeepsItsValuesAndNamesImpossibleDates() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await coordinator.get("/identification?year=2023")
            let base = [("year", "2023"), ("criteria", "stored"), ("order_number", "12-о"),
                        ("issuer", "Отдел образования Чернского района")]
            let cases: [(date: String, words: String)] = [
                ("31.02.2024", "«31.02.2024» — такой даты нет: в феврале 2024 года 29 дней"),
                ("01.03.2150", "год 2150 вне допустимого: с 2000 по 2100"),
                ("1 марта", "«1 марта» — не дата: введите ДД.ММ.ГГГГ"),
                ("01.03.2031", "01.03.2031 — далеко от сегодняшнего дня"),
            ]
            for item in cases {
                let refused = try await coordinator.post("/identification/approve", base + [("order_date", item.date)])
                XCTAssertEqual(refused.status, .unprocessableEntity, item.date)
                let body = refused.body.string
                XCTAssertTrue(body.contains("id=\"order_date-note\">\(HTMLNode.escape(item.words))"), "\(item.date): \(body)")
                XCTAssertTrue(body.contains("value=\"\(HTMLNode.escape(item.date))\""), "the date is kept as typed")
                XCTAssertTrue(body.contains("value=\"12-о\""), "the order number is kept")
                XCTAssertTrue(body.contains("value=\"Отдел образования Чернского района\""), "the issuer is kept")
                XCTAssertFalse(body.contains("ожидается ДД.ММ.ГГГГ"))
            }
            let noNumber = try await coordinator.post("/identification/approve",
                                                      [("year", "2023"), ("criteria", "stored"), ("order_date", "01.03.2023")])
            XCTAssertTrue(noNumber.body.string.contains("id=\"order_number-note\">Заполните поле"))
            try await assertEqualAsync(try await IdentificationListModel.query(on: fixture.app.db).count(), 0)
            // A far date is taken once the official confirms it.
            let confirmed = try await coordinator.post("/identification/approve",
                                                       base + [("order_date", "01.03.2031"), ("confirm_order_date", "01.03.2031")])
            XCTAssertEqual(confirmed.status, .seeOther)
        }
    }

    func upload(_ browser: Browser, kind: String, name: String, content: String) async throws -> XCTHTTPResponse {
        try await browser.upload(kind: kind, name: name, content: content)
    }

    /// Point 4 of the issue: the preview shows the rows that change, old → new, with Russian column names.
    func testTheImportPreviewShowsWhatChanges() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await load(fixture)
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            try await analyst.get("/imports")
            let file = """
            year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5,remark
            2023,VPR,6,math,A1,40,13,13,15,10,2,
            2023,OGE,9,math,A1,29,9,9,12,6,2,
            2023,VPR,7,math,A1,20,3,3,10,5,2,
            """
            let preview = try await upload(analyst, kind: "results", name: "r2.csv", content: file)
            XCTAssertEqual(preview.status, .ok)
            let page = preview.body.string
            XCTAssertTrue(page.contains("Добавятся: 1"), page)
            XCTAssertTrue(page.contains("Изменятся: 1"))
            XCTAssertTrue(page.contains("без изменений: 1"))
            XCTAssertTrue(page.contains("<strong>Участников</strong>: <del>38</del> → <ins>40</ins>"), page)
            XCTAssertTrue(page.contains("<strong>Отметка «4»</strong>: <del>8</del> → <ins>10</ins>"))
            XCTAssertTrue(page.contains("<th>Процедура</th>"))
            XCTAssertFalse(page.contains("<th>participants</th>"))
            // The warning about the unknown column reads for an official, not like a command line.
            XCTAssertTrue(page.contains("<td>Заголовок</td><td>remark</td>"), page)
            XCTAssertFalse(page.contains("r2.csv:1:"))
            // A file missing a required column names it in Russian.
            let missing = "year,procedure,grade,subject,school\n2023,VPR,6,math,A1\n"
            let rejected = try await upload(analyst, kind: "results", name: "r3.csv", content: missing)
            XCTAssertEqual(rejected.status, .unprocessableEntity)
            XCTAssertTrue(rejected.body.string.contains("<td>Участников</td>"), rejected.body.string)
            XCTAssertFalse(rejected.body.string.contains("<td>participants</td>"))
        }
    }
}
