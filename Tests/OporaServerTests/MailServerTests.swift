import Foundation
import OporaLiveSupport
import OporaTestSupport
import XCTest

/// `opora serve` with `OPORA_SMTP_*` (issue 24): a programme sent for review over HTTP reaches its curator's mailbox
/// on a real SMTP server from the server's background sender, with the link built on `OPORA_PUBLIC_URL`.
final class MailServerTests: XCTestCase {
    func testTheServerSendsTheCuratorTheSubmittedProgramme() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let server = try await LiveServer.start(Self.self, environment: [
            "OPORA_SMTP_HOST": "127.0.0.1", "OPORA_SMTP_PORT": String(sink.port), "OPORA_SMTP_FROM": "opora@region.example.ru",
            "OPORA_PUBLIC_URL": "https://opora.region.example.ru",
        ])
        defer { server.stop() }
        try server.opora(["user", "email", "curator-a", "Curator@Region.example.ru"], anchor: Self.self)
        try server.opora(["user", "email", "coord-a", "coord-a@region.example.ru"], anchor: Self.self)
        try server.opora(["user", "email", "analyst", "analyst@region.example.ru"], anchor: Self.self)
        let id = try await server.submittedProgramme()

        var mails: [SentMail] = []
        for _ in 0..<90 where mails.count < 2 {
            try await Task.sleep(nanoseconds: 1_000_000_000)
            mails = try sink.received()
        }
        let mail = try XCTUnwrap(mails.first, "nothing arrived within 90 s:\n\(server.output.suffix(2000))")
        XCTAssertEqual(Set(mails.flatMap(\.to)), ["curator@region.example.ru", "coord-a@region.example.ru"],
                       "the school's curator and its municipality's coordinator; not the analyst")
        XCTAssertEqual(mail.from, "opora@region.example.ru")
        XCTAssertEqual(mail.subject, "Программа на проверку: МКОУ «Липицкая СОШ»")
        XCTAssertTrue(mail.body.contains("https://opora.region.example.ru/programmes/\(id)"), mail.body)
        XCTAssertTrue(mail.body.contains("https://opora.region.example.ru/unsubscribe/"), mail.body)
    }
}
