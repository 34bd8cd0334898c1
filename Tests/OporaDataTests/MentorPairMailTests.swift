import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Issue 24, «messages when something needs a person (… assigned …)»: a mentor pair assigned tells both schools'
/// directors and the supported school's curator, nobody of another school, through the outbox to a real SMTP server.
extension MailOutboxTests {
    func testAMentorPairAssignedTellsBothSchoolsPeopleOnly() async throws {
        try await TestEngines.withEachStore { store in
            let world = try await self.prepare(store)
            let before = try await MailOutboxModel.query(on: store.db).count()
            _ = try await SupportRepository(db: store.db).addPair(
                .init(supportedID: world.schools["A1"]!, mentorID: world.schools["A2"]!, period: 2026...2027),
                scope: .everything, actor: world.actor("coord-chern"))
            try await assertEqualAsync(try await self.outbox(store, .mentorPairAssigned),
                                       ["director-a1@example.ru", "curator-a1@example.ru", "director-a2@example.ru"])
            let queued = try await MailOutboxModel.query(on: store.db).count()
            XCTAssertEqual(queued - before, 3)

            // A refused pair (a school with itself) tells nobody.
            do {
                _ = try await SupportRepository(db: store.db).addPair(
                    .init(supportedID: world.schools["A1"]!, mentorID: world.schools["A1"]!, period: 2026...2027),
                    scope: .everything, actor: world.actor("coord-chern"))
                XCTFail("a school is not its own mentor")
            } catch {}
            let after = try await MailOutboxModel.query(on: store.db).count()
            XCTAssertEqual(after, queued, "a refused pair writes no message")

            let sink = try SMTPSink()
            defer { sink.stop() }
            let settings = SMTPSettings(host: "127.0.0.1", port: sink.port, from: "opora@example.ru", timeout: 10)
            _ = try await MailSender(db: store.db, client: SMTPClient(settings: settings)).sendDue(now: Date())
            let mails = try sink.received().filter { $0.subject.hasPrefix("Назначена школа-наставник") }
            XCTAssertEqual(Set(mails.flatMap(\.to)), ["director-a1@example.ru", "curator-a1@example.ru", "director-a2@example.ru"])
            let mail = try XCTUnwrap(mails.first)
            XCTAssertEqual(mail.subject, "Назначена школа-наставник: МКОУ «Липицкая СОШ»")
            XCTAssertTrue(mail.body.contains("Школа «МБОУ «Чернская СОШ № 1»» назначена наставником школы «МКОУ «Липицкая СОШ»» "
                                             + "на 2026–2027 годы."), mail.body)
            XCTAssertTrue(mail.body.contains("/schools/\(world.schools["A1"]!)/support"), mail.body)
            XCTAssertTrue(mail.body.contains("/unsubscribe/"), "a one-click unsubscribe")
        }
    }
}
