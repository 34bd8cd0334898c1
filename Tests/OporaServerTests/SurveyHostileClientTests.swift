import Foundation
import NIOCore
import OporaLiveSupport
import OporaTestSupport
import XCTest

/// The public survey form against a hostile client over real HTTP on the built server (issue 22): thousands of posts
/// from one address, forged and reused tokens, huge fields, wrong content types. Nothing of theirs is stored, the
/// rate limit answers 429, nothing crashes, and respondents from other addresses meanwhile answer quickly.
/// On SQLite always, on PostgreSQL when OPORA_TEST_POSTGRES_URL is set.
final class SurveyHostileClientTests: XCTestCase {
    static let attacker = "203.0.113.7"

    func testAHostileClientStoresNothingAndSlowsNobodyOnSQLite() async throws {
        try await attack(database: nil)
    }

    func testAHostileClientStoresNothingAndSlowsNobodyOnPostgreSQL() async throws {
        guard let target = TestEngines.postgres, case .postgres(let url) = target else {
            throw XCTSkip("needs PostgreSQL: set \(TestEngines.postgresVariable)")
        }
        try await TestEngines.reset(target)
        try await attack(database: url.absoluteString)
        PostgresRunCounter.record(target)
    }

    /// 3,000 posts with forged form tokens from one address, 16 at a time: how many got each status.
    static func flood(_ server: LiveServer, action: String, answers: [(String, String)], hiddenNames: [String]) async throws
        -> [Int: Int] {
        try await withThrowingTaskGroup(of: [Int: Int].self) { group in
            for _ in 0..<16 {
                group.addTask {
                    let client = HTTPSession(server)
                    client.extraHeaders = [("X-Real-IP", attacker)]
                    var statuses: [Int: Int] = [:]
                    for _ in 0..<(3_000 / 16) {
                        let page = try await client.post(action, answers + hiddenNames.map { ($0, forgedToken()) }, withCSRF: false)
                        statuses[page.status, default: 0] += 1
                    }
                    await client.close()
                    return statuses
                }
            }
            var total: [Int: Int] = [:]
            for try await part in group { total.merge(part, uniquingKeysWith: +) }
            return total
        }
    }

    static func forgedToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<43).map { _ in alphabet.randomElement()! })
    }

    // swiftlint:disable:next function_body_length
    func attack(database: String?) async throws {
        let server = try await LiveServer.start(Self.self, database: database)
        defer { server.stop() }
        let fixture = try await SurveyLiveFixture.make(on: server, anchor: Self.self)
        let target = fixture.link("A1", "parent")
        let hostile = HTTPSession(server)
        hostile.extraHeaders = [("X-Real-IP", Self.attacker)]
        defer { Task { await hostile.close() } }

        // One honest answer from the attacker's address, then the same form posted again: one response kept.
        let form = try await hostile.get(target.path)
        XCTAssertEqual(form.status, 200, form.body)
        let reader = SurveyFormReader(form.body)
        let action = try XCTUnwrap(reader.action, "the form has a POST action")
        XCTAssertFalse(reader.hidden.isEmpty, "the form carries its one-time token")
        XCTAssertFalse(reader.answers.isEmpty, "the form asks questions")
        let first = try await hostile.post(action, reader.fields, withCSRF: false)
        XCTAssertEqual(first.status, 200, String(first.body.prefix(500)))
        XCTAssertTrue(first.body.contains("survey-thanks"))
        let replay = try await hostile.post(action, reader.fields, withCSRF: false)
        XCTAssertEqual(replay.status, 409, "a form token is used once")
        XCTAssertTrue(replay.body.contains("Ответы уже отправлены"))
        var stored = try await SurveyLiveFixture.stored(on: server)
        XCTAssertEqual(stored.responses, 1, "a reused form token stores nothing (status \(replay.status))")

        // Forged links: unknown, malformed, huge or path-like tokens are not found, before any work.
        for token in [Self.forgedToken(), "abc", String(repeating: "A", count: 4_000), "..%2F..%2Fetc%2Fpasswd", "%00"] {
            let page = try await hostile.get("/s/" + token)
            XCTAssertTrue([404, 400].contains(page.status), "GET /s/\(token.prefix(20)): \(page.status)")
            let posted = try await hostile.post("/s/" + token, reader.answers + [("token", Self.forgedToken())], withCSRF: false)
            XCTAssertTrue([404, 400].contains(posted.status), "POST /s/\(token.prefix(20)): \(posted.status)")
        }

        // Each with a fresh, valid form token, so only the attack itself can be why nothing is stored.
        func freshForm() async throws -> SurveyFormReader {
            let visitor = HTTPSession(server)
            visitor.extraHeaders = [("X-Real-IP", "192.0.2.\(Int.random(in: 1...250))")]
            defer { Task { await visitor.close() } }
            return SurveyFormReader(try await visitor.get(target.path).body)
        }
        // A forged form token on the real link.
        let forged = try await freshForm()
        let forgedFields = forged.hidden.map { ($0.0, Self.forgedToken()) } + forged.answers
        let forgedPost = try await hostile.post(action, forgedFields, withCSRF: false)
        XCTAssertEqual(forgedPost.status, 400, "a forged form token is refused")
        XCTAssertTrue(forgedPost.body.contains("survey-refused"))
        // Huge fields: a 1.5 MB answer, 20,000 fields, a 3 MB body (the form takes 256 KB at most).
        let huge = try await freshForm()
        let longText = String(repeating: "Я", count: 750_000)
        let hugeFields = huge.hidden + huge.answers.map { ($0.0, longText) }
        let hugePost = try await hostile.post(action, hugeFields, withCSRF: false)
        XCTAssertEqual(hugePost.status, 413, "a 1.5 MB answer")
        let long = try await freshForm()
        let longFields = long.hidden + long.answers.map { ($0.0, String(repeating: "ы", count: 2_000)) }
        let longPost = try await hostile.post(action, longFields, withCSRF: false)
        XCTAssertTrue([400, 422].contains(longPost.status),
                      "answers of 2,000 letters, under the body limit, are refused by the questions' own limits (\(longPost.status))")
        let many = try await freshForm()
        let manyFields = many.hidden + (0..<20_000).map { ("q_\($0)", "1") }
        let started = Date()
        let manyPost = try await hostile.post(action, manyFields, withCSRF: false)
        XCTAssertLessThan(manyPost.status, 500)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "20,000 fields are refused without minutes of work")
        let tooBig = try await freshForm()
        let body = tooBig.fields.map { "\(HTTPSession.encode($0.0))=\(HTTPSession.encode($0.1))" }.joined(separator: "&")
            + "&q_x=" + String(repeating: "A", count: 3 << 20)
        let tooBigPost = try await hostile.send("POST", action, body: .bytes(ByteBuffer(string: body)),
                                                contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(tooBigPost.status, 413, "a 3 MB body")
        // Wrong content types carrying a valid token and answers: JSON, plain text, multipart, none.
        for contentType in ["application/json", "text/plain", "multipart/form-data; boundary=x", nil] {
            let fresh = try await freshForm()
            let payload: String
            switch contentType {
            case "application/json"?:
                let object = Dictionary(fresh.fields.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
                payload = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            case let type? where type.hasPrefix("multipart"):
                payload = fresh.fields.map { "--x\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }
                    .joined() + "--x--\r\n"
            default:
                payload = fresh.fields.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            }
            let page = try await hostile.send("POST", action, body: .bytes(ByteBuffer(string: payload)), contentType: contentType)
            XCTAssertEqual(page.status, 400, contentType ?? "no content type")
        }
        stored = try await SurveyLiveFixture.stored(on: server)
        XCTAssertEqual(stored.responses, 1, "nothing stored from forged tokens, huge fields or other content types")

        // The flood: 3,000 posts of forged tokens from one address, 16 at a time; meanwhile three respondents of
        // another school answer from their own addresses.
        let answers = reader.answers, hiddenNames = reader.hidden.map(\.0)
        async let flood = Self.flood(server, action: action, answers: answers, hiddenNames: hiddenNames)
        var slowest = 0.0
        try await Task.sleep(nanoseconds: 300_000_000)
        for respondent in 1...3 {
            let phone = HTTPSession(server)
            phone.extraHeaders = [("X-Real-IP", "198.51.100.\(respondent)")]
            let other = fixture.link("B1", "parent")
            let loadStarted = Date()
            let page = try await phone.get(other.path)
            let loaded = Date().timeIntervalSince(loadStarted)
            XCTAssertEqual(page.status, 200)
            let answer = SurveyFormReader(page.body)
            let postStarted = Date()
            let sent = try await phone.post(try XCTUnwrap(answer.action), answer.fields, withCSRF: false)
            let posted = Date().timeIntervalSince(postStarted)
            XCTAssertEqual(sent.status, 200, "respondent \(respondent) during the flood")
            slowest = max(slowest, loaded, posted)
            await phone.close()
        }
        let statuses = try await flood
        print("Hostile client: \(statuses.sorted { $0.key < $1.key }.map { "HTTP \($0.key) × \($0.value)" }.joined(separator: ", ")); "
              + "slowest request of a respondent meanwhile \(Int(slowest * 1000)) ms")
        XCTAssertGreaterThan(statuses[429] ?? 0, 0, "the rate limit answers 429 to a flood from one address")
        XCTAssertEqual(Set(statuses.keys), [400, 429], "forged posts are refused, then limited; none accepted, no error")
        XCTAssertLessThan(slowest, 2, "a respondent from another address answers quickly during the flood")

        stored = try await SurveyLiveFixture.stored(on: server)
        XCTAssertEqual(stored.responses, 4, "the honest answer and the three respondents', nothing else")
        XCTAssertLessThanOrEqual(stored.longestValue, 10_000)
        XCTAssertTrue(server.isRunning, server.output)
        if database == nil {
            // Addresses are never stored with answers (nor anywhere in the database).
            var bytes = try Data(contentsOf: URL(fileURLWithPath: server.database))
            bytes += (try? Data(contentsOf: URL(fileURLWithPath: server.database + "-wal"))) ?? Data()
            for address in [Self.attacker, "198.51.100.1", "198.51.100.2"] {
                XCTAssertNil(bytes.range(of: Data(address.utf8)), "\(address) is in the database file")
            }
        }
    }
}
