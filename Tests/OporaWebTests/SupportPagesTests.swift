import FluentKit
import Foundation
import OporaData
import OporaDomain
@testable import OporaWeb
import OporaTestSupport
import XCTVapor
import XCTest

/// The support network over HTTP on both engines: pairs, visits with follow-ups, the events log — and a curator
/// who sees exactly its schools.
final class SupportPagesTests: XCTestCase {
    func testPairsVisitsEventsAndTheCuratorsView() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await AccountService.createUser(.init(login: "curator-a", fullName: "Куратор Лебедева", password: WebFixture.password,
                                                      role: .curator,
                                                      schoolIDs: [fixture.schoolA]), by: .commandLine, bcryptCost: 4, on: fixture.app.db)
            let coordinator = Browser(fixture.app), curator = Browser(fixture.app), other = Browser(fixture.app),
                viewer = Browser(fixture.app)
            try await coordinator.login("coord-a")
            try await curator.login("curator-a")
            try await other.login("coord-b")
            try await viewer.login("viewer-a")

            try await coordinator.get("/support")
            let own = try await coordinator.post("/support/pairs",
                                                 [("supported", String(fixture.schoolA)), ("mentor", String(fixture.schoolA)),
                                                                    ("start_year", "2024"), ("end_year", "2025")])
            XCTAssertEqual(own.status, .unprocessableEntity)
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 0, "a school is not its own mentor")
            try await assertEqualAsync(try await coordinator.post("/support/pairs",
                                                                  [("supported", String(fixture.schoolA)),
                                                                   ("mentor", String(fixture.schoolA2)),
                                                                                     ("start_year", "2024"), ("end_year", "2025"),
                                                                                         ("agreement_number", "7"),
                                                                                     ("agreement_date", "01.02.2024"),
                                                                                         ("link", "https://example.org/7.pdf")]).status,
                                                                                             .seeOther)
            try await assertEqualAsync(try await MentorPairModel.query(on: fixture.app.db).count(), 1)
            try await assertEqualAsync(try await curator.post("/support/pairs",
                                                              [("supported", String(fixture.schoolA)), ("mentor", String(fixture.schoolA2)),
                                                                                 ("start_year", "2024"), ("end_year", "2025")]).status,
                                                                                     .forbidden)

            // The curator logs a visit whose follow-up is already late; it shows on the coordinator's board.
            try await curator.get("/schools/\(fixture.schoolA)/support")
            try await assertEqualAsync(try await curator.post("/support/visits",
                                                              [("school", String(fixture.schoolA)), ("date", "01.10.2024"),
                                                               ("confirm_date", "01.10.2024"), ("visitor", "Лебедева О. П."),
                                                                                  ("format", "on_site"), ("topic", "Анализ ВПР"),
                                                                                      ("follow_up", "План по математике"),
                                                                                  ("follow_up_due", "01.11.2024"),
                                                                                      ("confirm_follow_up_due", "01.11.2024")]).status,
                                                                                          .seeOther)
            try await assertEqualAsync(try await curator.post("/support/visits",
                                                              [("school", String(fixture.schoolA2)), ("date", "01.10.2024"),
                                                               ("confirm_date", "01.10.2024"), ("visitor", "x"),
                                                                                  ("topic", "x")]).status, .notFound,
                                                                                      "not the curator's school")
            try await assertEqualAsync(try await viewer.post("/support/visits",
                                                             [("school", String(fixture.schoolA)), ("date", "01.10.2024"), ("visitor", "x"),
                                                                                 ("topic", "x")]).status, .forbidden)

            // The events log: Seed 002's team rule counted from it.
            _ = try await Importer(db: fixture.app.db, actor: .commandLine, scope: .municipality(fixture.municipalityA))
                    .importFile(.events, bytes: Array("""
            Мероприятие;Наименование;Вид;Дата;Часов;Школа;Должность;Участников
            KPK-1;Управление качеством;курсы;15.02.2024;32;A1;учитель;5
            KPK-1;Управление качеством;курсы;15.02.2024;32;A1;заместитель;1
            SEM-1;Семинар по ВПР;семинар;10.03.2024;4;A2;учитель;3
            """.utf8), fileName: "events.csv")
            do {
                _ = try await Importer(db: fixture.app.db, actor: .commandLine, scope: .municipality(fixture.municipalityA))
                        .importFile(.events, bytes: Array("""
                event,start,hours,school,count
                KPK-2,01.03.2024,32,B1,6
                """.utf8), fileName: "чужие.csv")
                XCTFail("another municipality's school")
            } catch let rejected as ImportRejected {
                XCTAssertTrue(rejected.description.contains("чужие.csv:2: school: " + Absent.school("B1")), rejected.description)
            }

            let board = try await coordinator.get("/support?year=2024").body.string
            XCTAssertTrue(board.contains("Куратор Лебедева"), "the curator of A1")
            XCTAssertTrue(board.contains("МБОУ «Чернская СОШ № 1»") || board.contains("Чернская СОШ"), "A1's mentor")
            XCTAssertTrue(board.contains("просрочено: 1"))
            try await assertTrueAsync(try await coordinator.get("/overview").body.string
                .contains("Рекомендации по визитам в школы</a>: просрочено 1"), "the start page reminds of it")
            try await assertTrueAsync(try await curator.get("/overview").body.string.contains("href=\"/support/mine\""),
                                      "a curator is sent to its work list")
            XCTAssertTrue(board.contains("1 (6 чел.)"), "one team of six on the 32-hour course")
            let curatorBoard = try await curator.get("/support?year=2024").body.string
            XCTAssertTrue(curatorBoard.contains("Липицкая"))
            XCTAssertFalse(curatorBoard.contains("/schools/\(fixture.schoolA2)/support"), "a curator sees exactly its schools")
            try await assertEqualAsync(try await curator.get("/schools/\(fixture.schoolA2)/support").status, .notFound)
            try await assertEqualAsync(try await other.get("/schools/\(fixture.schoolA)/support").status, .notFound)
            try await assertFalseAsync(try await other.get("/support?year=2024").body.string.contains("Липицкая"))

            let tab = try await curator.get("/schools/\(fixture.schoolA)/support?year=2024").body.string
            XCTAssertTrue(tab.contains("команда соответствует правилу"))
            XCTAssertTrue(tab.contains("https://example.org/7.pdf"))
            let visit = try await XCTUnwrapAsync(try await VisitModel.query(on: fixture.app.db).first())
            try await assertEqualAsync(try await other.post("/support/visits/\(visit.id!)/done", [("version", "1")]).status, .notFound)
            try await assertEqualAsync(try await curator.post("/support/visits/\(visit.id!)/done", [("version", "1")]).status, .seeOther)
            try await assertEqualAsync(try await VisitModel.find(visit.id!, on: fixture.app.db)?.followUpDone, true)
            try await assertEqualAsync(try await curator.post("/support/visits/\(visit.id!)/done", [("version", "1")]).status, .conflict,
                                       "a stale form is refused with a message")
            try await assertTrueAsync(try await AuditEntryModel.query(on: fixture.app.db).filter(\.$entity == "mentor_pair").count() == 1)
        }
    }
}
