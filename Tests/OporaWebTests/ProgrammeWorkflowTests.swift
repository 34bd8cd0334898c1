import FluentKit
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// A school programme from draft to approval over HTTP, with the roles of the review: the school writes and
/// submits, its curator remarks and returns, the school revises and resubmits, the curator approves.
final class ProgrammeWorkflowTests: XCTestCase {
    func testDraftSubmitReturnReviseApproveWithTheRolesOfTheReview() async throws {
        try await WebFixture.onEachEngine { fixture in
            for (login, ids) in [("curator-a", [fixture.schoolA]), ("curator-b", [fixture.schoolB])] {
                try await AccountService.createUser(
                    .init(
                        login: login, fullName: "Куратор \(login)", password: WebFixture.password, role: .curator,
                        schoolIDs: ids), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            }
            let director = Browser(fixture.app), curator = Browser(fixture.app), otherCurator = Browser(fixture.app),
                viewer = Browser(fixture.app)
            try await director.login("director-a")
            try await curator.login("curator-a")
            try await otherCurator.login("curator-b")
            try await viewer.login("viewer-a")

            // The school starts an anti-risk programme and writes it.
            try await director.get("/programmes")
            let created = try await director.post(
                "/programmes",
                [
                    ("school", String(fixture.schoolA)), ("kind", "anti_risk"), ("factor", "6"),
                    ("title", "Снижение учебной неуспешности"), ("start_year", "2024"), ("end_year", "2025"),
                ])
            XCTAssertEqual(created.status, .seeOther)
            let programme = try await SchoolProgrammeModel.query(on: fixture.app.db).first()!
            let id = programme.id!
            try await assertEqualAsync(
                try await curator.post(
                    "/programmes",
                    [
                        ("school", String(fixture.schoolA)), ("kind", "concept"),
                        ("title", "x"), ("start_year", "2024"), ("end_year", "2025"),
                    ]
                ).status, .forbidden)
            try await director.get("/programmes/\(id)/edit")
            let draft: [(String, String)] = [
                ("version", "1"), ("goal", "Снизить долю не преодолевших порог ВПР с 34,2 % до 25 %"),
                ("tasks", "Выявить группу риска\nИндивидуальные маршруты"),
                ("m_text_1", "Диагностика 5-х классов"), ("m_deadline_1", "До 10.09.2024"), ("m_responsible_1", "Зам. директора по УВР"),
                ("m_result_1", "Список"),
                ("m_text_2", "Консультации"), ("m_deadline_2", "ежеквартально"), ("m_responsible_2", "Руководители ШМО"),
                ("m_result_2", "Протоколы"),
                ("m_text_3", ""), ("m_deadline_3", ""),
                ("i_name_1", "Доля не преодолевших порог ВПР"), ("i_unit_1", "%"), ("i_baseline_1", "34,2"), ("i_target_1", "25"),
            ]
            try await assertEqualAsync(try await director.post("/programmes/\(id)", draft).status, .seeOther)
            let page = try await director.get("/programmes/\(id)").body.string
            XCTAssertTrue(page.contains("до 10.09.2024"), "the deadline is read and shown")
            XCTAssertTrue(page.contains("регулярно: 31.03.2024"))
            // A stale save keeps what was typed and says why (409).
            let stale = try await director.post("/programmes/\(id)", draft.map { $0.0 == "goal" ? ($0.0, "Моя новая цель") : $0 })
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.string.contains("Моя новая цель"))

            // Nobody but the school submits; the school cannot approve its own programme.
            try await assertEqualAsync(try await curator.post("/programmes/\(id)/submit", [("version", "2")]).status, .forbidden)
            try await assertEqualAsync(try await director.post("/programmes/\(id)/submit", [("version", "2")]).status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.status, "submitted")
            try await assertEqualAsync(try await director.post("/programmes/\(id)/approve", [("version", "3")]).status, .forbidden)
            try await assertEqualAsync(try await director.post("/programmes/\(id)", draft).status, .forbidden)

            // A curator of other schools does not see it; a viewer reads it but changes nothing.
            try await assertEqualAsync(try await otherCurator.get("/programmes/\(id)").status, .notFound)
            try await assertFalseAsync(try await otherCurator.get("/programmes").body.string.contains("Снижение учебной неуспешности"))
            try await assertEqualAsync(try await viewer.get("/programmes/\(id)").status, .ok)
            try await assertEqualAsync(
                try await viewer.post("/programmes/\(id)/comments", [("item_key", "goal"), ("text", "x")]).status, .forbidden)
            try await assertEqualAsync(try await viewer.post("/programmes/\(id)/approve", [("version", "3")]).status, .forbidden)

            // The curator remarks on a measure and returns the programme; the school answers and resolves.
            let board = try await curator.get("/programmes").body.string
            XCTAssertTrue(board.contains("на проверке"))
            try await curator.get("/programmes/\(id)")
            try await assertEqualAsync(
                try await curator.post(
                    "/programmes/\(id)/comments", [("item_key", "measure.2"), ("text", "Уточните, какие консультации и для кого")]
                ).status, .seeOther)
            try await assertEqualAsync(
                try await curator.post("/programmes/\(id)/comments", [("item_key", "measure.99"), ("text", "нет такого")]).status,
                .unprocessableEntity)
            try await assertEqualAsync(try await ProgrammeCommentModel.query(on: fixture.app.db).count(), 1)
            try await assertEqualAsync(try await curator.post("/programmes/\(id)/return", [("version", "3")]).status, .seeOther)
            try await assertEqualAsync(try await SchoolProgrammeModel.find(id, on: fixture.app.db)?.status, "returned")
            let remark = try await ProgrammeCommentModel.query(on: fixture.app.db).first()!
            try await director.get("/programmes/\(id)")
            try await assertEqualAsync(
                try await director.post(
                    "/programmes/\(id)/comments", [("item_key", "measure.2"), ("parent_id", String(remark.id!)), ("text", "Исправили")]
                ).status, .seeOther)
            var revised = draft.map { $0.0 == "version" ? ($0.0, "4") : $0 }
            revised = revised.map { $0.0 == "m_text_2" ? ($0.0, "Консультации учителей математики для группы риска") : $0 }
            try await assertEqualAsync(try await director.post("/programmes/\(id)", revised).status, .seeOther)
            // Resolving is the reviewer's word (issue 25): the school answered, the curator resolves.
            let resolve = "/programmes/\(id)/comments/\(remark.id!)/resolve"
            try await assertEqualAsync(try await director.post(resolve, [("resolved", "1")]).status, .forbidden)
            try await curator.get("/programmes/\(id)")
            try await assertEqualAsync(try await curator.post(resolve, [("resolved", "1")]).status, .seeOther)
            try await assertEqualAsync(try await director.post("/programmes/\(id)/submit", [("version", "5")]).status, .seeOther)

            // The two versions compare; the curator approves.
            let comparison = try await curator.get("/programmes/\(id)/compare?from=1&to=2").body.string
            XCTAssertTrue(comparison.contains("изменено: 1"), comparison)
            XCTAssertTrue(comparison.contains("Консультации учителей математики для группы риска"))
            try await curator.get("/programmes/\(id)")
            try await assertEqualAsync(try await curator.post("/programmes/\(id)/approve", [("version", "6")]).status, .seeOther)
            let approved = try await SchoolProgrammeModel.query(on: fixture.app.db).with(\.$revisions).first()!
            XCTAssertEqual(approved.status, "approved")
            XCTAssertEqual(approved.revisions.map(\.number).sorted(), [1, 2])
            XCTAssertEqual(Set(approved.revisions.compactMap(\.decision)), ["returned", "approved"])
            let resolved = try await ProgrammeCommentModel.query(on: fixture.app.db).filter(\.$parentID == nil).first()!.resolved
            XCTAssertTrue(resolved)

            // Every step is in the audit log, and the document downloads as DOCX with its measures.
            let steps = try await AuditEntryModel.query(on: fixture.app.db).filter(\.$entity == "programme").all().map(\.action)
            XCTAssertEqual(Set(steps), ["create", "update", "submit", "comment", "return", "approve"])
            let docx = try await viewer.get("/programmes/\(id)/export.docx")
            XCTAssertEqual(docx.status, .ok)
            let word = try WordContent(Data(buffer: docx.body))
            XCTAssertEqual(
                word.tables[1][2],
                ["2.", "Консультации учителей математики для группы риска", "ежеквартально", "Руководители ШМО", "Протоколы"])
            XCTAssertTrue(word.tables[0].contains { $0.first == "Статус" && $0[1].hasPrefix("утверждена") })
            // The approver by full name, never by login (issue 19): «утвердил Куратор curator-a», not «утвердил curator-a».
            XCTAssertTrue(word.tables[0].contains { $0.first == "Статус" && $0[1].contains("утвердил Куратор curator-a") },
                          "\(word.tables[0])")
        }
    }
}
