import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Mail over an encrypted line (issue 24, «E-mail»): STARTTLS when offered, SMTPS from the first byte, the server's
/// certificate checked, and a password never given to a server that will not encrypt.
final class SMTPTLSTests: XCTestCase {
    let message = MailMessage(from: "opora@example.ru", to: "director-a1@example.ru", subject: "Программа возвращена",
                              body: "Проверьте замечания куратора.")

    func settings(_ sink: SMTPTLSSink, user: String? = "opora", security: SMTPSecurity = .starttls,
                  trusted: Bool = true) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: sink.port, user: user, password: user == nil ? nil : "секрет-42",
                     from: "opora@example.ru", timeout: 10, security: security,
                     trustedCertificates: trusted ? sink.certificate : nil)
    }

    func testStartTLSEncryptsBeforeThePasswordAndTheText() async throws {
        let sink = try SMTPTLSSink(.starttls)
        defer { sink.stop() }
        try await SMTPClient(settings: settings(sink)).send(message, messageID: "<1@opora>")
        let received = try sink.received()
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received.first?["tls_at_auth"] as? Bool, true)
        XCTAssertEqual(received.first?["tls_at_data"] as? Bool, true)
        XCTAssertEqual(received.first?["auth"] as? [String], ["opora", "секрет-42"])
        XCTAssertEqual(received.first?["to"] as? [String], ["director-a1@example.ru"])
    }

    func testSMTPSIsEncryptedFromTheFirstByte() async throws {
        let sink = try SMTPTLSSink(.implicit)
        defer { sink.stop() }
        try await SMTPClient(settings: settings(sink, security: .tls)).send(message, messageID: "<2@opora>")
        let received = try sink.received()
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received.first?["tls_at_auth"] as? Bool, true)
        XCTAssertEqual(received.first?["tls_at_data"] as? Bool, true)
    }

    func testAServerThatWillNotEncryptIsNeverGivenThePassword() async throws {
        let sink = try SMTPTLSSink(.plain)
        defer { sink.stop() }
        do {
            try await SMTPClient(settings: settings(sink)).send(message, messageID: "<3@opora>")
            XCTFail("a password must not go over an unencrypted line")
        } catch let error as SMTPError {
            XCTAssertTrue(error.description.contains("не предлагает STARTTLS"), error.description)
        }
        XCTAssertEqual(try sink.received().count, 0)
        // Without a login (a relay inside the network) the message goes on unencrypted.
        try await SMTPClient(settings: settings(sink, user: nil)).send(message, messageID: "<4@opora>")
        let received = try sink.received()
        XCTAssertEqual(received.count, 1)
        XCTAssertEqual(received.first?["tls_at_data"] as? Bool, false)
        XCTAssertTrue(received.first?["auth"] is NSNull, "\(String(describing: received.first?["auth"]))")
    }

    func testACertificateNobodyVouchesForFailsTheMessage() async throws {
        let sink = try SMTPTLSSink(.starttls)
        defer { sink.stop() }
        do {
            try await SMTPClient(settings: settings(sink, trusted: false)).send(message, messageID: "<5@opora>")
            XCTFail("a self-signed certificate outside the trusted authorities must not be accepted")
        } catch {}
        XCTAssertEqual(try sink.received().count, 0)
    }

    func testTheSettingsAreReadFromTheEnvironment() {
        let read = SMTPSettings.fromEnvironment(["OPORA_SMTP_HOST": "mail.obr.example", "OPORA_SMTP_PORT": "465",
                                                 "OPORA_SMTP_SECURITY": "tls", "OPORA_SMTP_CA_FILE": "/etc/opora/ca.pem"])
        XCTAssertEqual(read?.security, .tls)
        XCTAssertEqual(read?.trustedCertificates, "/etc/opora/ca.pem")
        XCTAssertEqual(SMTPSettings.fromEnvironment(["OPORA_SMTP_HOST": "relay"])?.security, .starttls)
    }
}
