import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// Issue 19, «Signable» and «New documents» over HTTP on both engines: every document names its issuing body, date
/// of preparation and executor — the signed-in user's full name and phone, never the login —; the order and the
/// programme passport download in the user's scope only.
final class SignablePagesTests: XCTestCase {
    func testDocumentsNameTheUserAndTheirPhoneNeverTheLogin() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app), other = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await other.login("coord-b")

            // The phone is the user's own, typed on «Мой профиль»; a bad one is refused and nothing saved.
            let account = try await coordinator.get("/account").body.string
            XCTAssertTrue(account.contains("name=\"phone\""), "the profile asks for a phone")
            try await assertEqualAsync(try await coordinator.post("/account/phone", [("phone", "звоните")]).status, .unprocessableEntity)
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "coord-a").first()?.phone, nil)
            try await assertEqualAsync(try await coordinator.post("/account/phone", [("phone", "+7 (48756) 2-11-22")]).status, .seeOther)
            try await assertEqualAsync(try await UserModel.query(on: fixture.app.db).filter(\.$login == "coord-a").first()?.phone,
                                       "+7 (48756) 2-11-22")
            try await assertTrueAsync(try await coordinator.get("/account").body.string.contains("+7 (48756) 2-11-22"))

            let card = try await coordinator.get("/reports/school?school=\(fixture.schoolA)&year=2023&format=docx")
            XCTAssertEqual(card.status, .ok)
            let word = try WordContent(Data(buffer: card.body)).paragraphs.map { $0.replacingOccurrences(of: "\u{00A0}", with: " ") }
            XCTAssertTrue(word.contains("Исполнитель: Координатор А, тел. +7 (48756) 2-11-22"), "\(word)")
            XCTAssertTrue(word.contains { $0.hasPrefix("Дата подготовки: ") }, "\(word)")
            XCTAssertTrue(word.contains("Орган управления образованием: Чернский район"), "the issuing body: \(word.prefix(3))")
            XCTAssertFalse(word.contains { $0.contains("coord-a") }, "never the login")
            let html = try await coordinator.get("/reports/school?school=\(fixture.schoolA)&year=2023&format=html").body.string
            XCTAssertTrue(html.contains("Исполнитель: Координатор А, тел. +7 (48756) 2-11-22"))
            let sheet = try await coordinator.get("/reports/school?school=\(fixture.schoolA)&year=2023&format=xlsx")
            let cells = try XLSX.read([UInt8](buffer: sheet.body)).rows.compactMap(\.cells.first)
            XCTAssertTrue(cells.contains("Исполнитель: Координатор А, тел. +7 (48756) 2-11-22"))

            // The order in force for the coordinator's municipality, with its appendix; none for the other yet.
            try await assertTrueAsync(try await coordinator.get("/reports").body.string.contains("/reports/order.docx"))
            try await assertEqualAsync(try await coordinator.get("/reports/order.docx?year=2023").status, .notFound)
            let order = """
                year,school,order_number,order_date,status,reason,territory,issuer
                2023,A1,21,15.03.2023,low_results,ВПР-2022 по математике: доля «2» 41 %,Чернский район,\
                Управление образования Чернского района
                """
            _ = try await Importer(db: fixture.app.db, actor: .commandLine)
                .importFile(.approvedList, bytes: Array(order.utf8), fileName: "o.csv")
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(.results, bytes: Array("""
                year;procedure;grade;subject;school;participants;m2;m3;m4;m5
                2023;ВПР;5;math;A1;14;5;7;2;0
                """.utf8), fileName: "r.csv")
            let identification = try await coordinator.get("/identification?year=2023").body.string
            XCTAssertTrue(identification.contains("/reports/order.docx?year=2023"), "the order in force, from «Идентификация»")
            let orderFile = try await coordinator.get("/reports/order.docx?year=2023")
            XCTAssertEqual(orderFile.status, .ok)
            let orderWord = try WordContent(Data(buffer: orderFile.body))
            let text = orderWord.paragraphs.map { $0.replacingOccurrences(of: "\u{00A0}", with: " ") }
            XCTAssertEqual(text.first, "Управление образования Чернского района")
            XCTAssertTrue(text.contains("ПРИКАЗ") && text.contains("от 15.03.2023 № 21") && text.contains("ПРИКАЗЫВАЮ:"), "\(text)")
            XCTAssertTrue(text.contains("Исполнитель: Координатор А, тел. +7 (48756) 2-11-22"))
            XCTAssertTrue(orderWord.tables.flatMap { $0 }.contains { $0.contains("МКОУ «Липицкая СОШ»") }, "the appendix lists the school")
            try await assertEqualAsync(try await other.get("/reports/order.docx?year=2023").status, .notFound,
                                       "the neighbouring municipality has no order of its own")
        }
    }

    func testPassportDocumentIsApprovedByItsOrder() async throws {
        try await WebFixture.onEachEngine { fixture in
            let coordinator = Browser(fixture.app), other = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await other.login("coord-b")
            try await coordinator.get("/plans")
            let created = try await coordinator.post("/plans", [
                ("code", "P04"), ("name", "Муниципальная программа поддержки ШНОР на 2023-2025 годы"),
                ("municipality", String(fixture.municipalityA)), ("start", "2023"), ("end", "2025"),
                ("order_number", "14"), ("order_date", "11.01.2023"), ("confirm_order_date", "11.01.2023"),
            ])
            XCTAssertEqual(created.status, .seeOther)
            let id = try await XCTUnwrapAsync(try await PlanRepository(db: fixture.app.db).programme(code: "P04")).id!
            try await assertTrueAsync(try await coordinator.get("/plans/\(id)").body.string.contains("/plans/\(id)/passport.docx"))
            let file = try await coordinator.get("/plans/\(id)/passport.docx")
            XCTAssertEqual(file.status, .ok)
            let word = try WordContent(Data(buffer: file.body))
            let text = word.paragraphs.map { $0.replacingOccurrences(of: "\u{00A0}", with: " ") }
            XCTAssertEqual(Array(text.prefix(4)),
                           ["УТВЕРЖДАЮ", "Руководитель", "________________ ________________", "приказ от 11.01.2023 № 14"])
            XCTAssertTrue(text.contains("Паспорт программы"))
            XCTAssertTrue(text.contains("Исполнитель: Координатор А"), "no phone entered: the name alone")
            let rows = word.tables.flatMap { $0 }
            XCTAssertTrue(rows.contains(["Наименование", "Муниципальная программа поддержки ШНОР на 2023-2025 годы"]))
            try await assertEqualAsync(try await other.get("/plans/\(id)/passport.docx").status, .notFound)

            // The roadmap's execution report is signed too.
            let roadmap = try await coordinator.get("/plans/\(id)/roadmap/export.docx")
            XCTAssertEqual(roadmap.status, .ok)
            let roadmapText = try WordContent(Data(buffer: roadmap.body)).paragraphs
                .map { $0.replacingOccurrences(of: "\u{00A0}", with: " ") }
            XCTAssertEqual(roadmapText.first, "Орган управления образованием: Чернский район")
            XCTAssertTrue(roadmapText.contains("Исполнитель: Координатор А") && roadmapText.contains { $0.hasPrefix("Дата подготовки: ") })
        }
    }
}
