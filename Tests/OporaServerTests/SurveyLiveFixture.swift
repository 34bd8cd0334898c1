import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaLiveSupport
import SQLKit

/// A campaign on a running server's database, made through the repositories (a link's token exists only when it is
/// issued, so the tests make the links themselves): a questionnaire for parents and teachers sent to the region's
/// three schools, a parents' and a teachers' link each, open from yesterday for a month.
struct SurveyLiveFixture {
    struct Link {
        let school: String
        let group: String
        let token: String
        var path: String { "/s/" + token }
    }

    let campaignID: Int
    let links: [Link]

    /// Imports the questionnaire with the command line, then makes the campaign through the repository.
    static func make(on server: LiveServer, anchor: AnyClass, expected: Int = 20) async throws -> SurveyLiveFixture {
        let file = server.folder.appendingPathComponent("климат.yaml")
        try Data(SurveyFixtures.climateQuestionnaire.utf8).write(to: file)
        try server.opora(["questionnaire", "import", file.path], anchor: anchor)
        let store = try await OporaStore.open(try DatabaseTarget(parsing: server.database), migrations: [])
        do {
            let fixture = try await make(store.db, expected: expected)
            await store.close()
            return fixture
        } catch {
            await store.close()
            throw error
        }
    }

    static func make(_ db: any Database, expected: Int) async throws -> SurveyLiveFixture {
        struct School: Decodable { let id: Int; let code: String; let region_id: Int }
        struct Stored: Decodable { let id: Int }
        let schools = try await db.sql.raw("""
            SELECT s.id, s.code, m.region_id FROM schools s JOIN municipalities m ON m.id = s.municipality_id ORDER BY s.code
            """).all(decoding: School.self)
        guard let stored = try await db.sql.raw("""
            SELECT id FROM questionnaires WHERE code = 'school_climate' ORDER BY version DESC
            """).first(decoding: Stored.self) else { throw LiveServerError.setup("the questionnaire was not imported") }
        let actor = Actor(userID: nil, login: "тест-анкетирование")
        let today = CalendarDay.today()
        let draft = SurveyCampaignRepository.Draft(
            questionnaireID: stored.id, questionnaireCode: "school_climate", title: "Климат в школе",
            starts: today.adding(days: -1), ends: today.adding(days: 30), schoolIDs: schools.map(\.id),
            expected: [(group: "parent", count: expected), (group: "teacher", count: expected)])
        let (campaignID, issued) = try await SurveyCampaignRepository(db: db)
            .create(draft, scope: .region(schools[0].region_id), actor: actor)
        let codes = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.code) })
        return SurveyLiveFixture(campaignID: campaignID, links: issued.map {
            Link(school: codes[$0.schoolID] ?? "?", group: $0.group, token: $0.token)
        }.sorted { ($0.school, $0.group) < ($1.school, $1.group) })
    }

    func link(_ school: String, _ group: String) -> Link { links.first { $0.school == school && $0.group == group }! }

    /// Responses and answers stored so far.
    static func stored(on server: LiveServer) async throws -> (responses: Int, answers: Int, longestValue: Int) {
        struct Count: Decodable { let n: Int }
        let store = try await OporaStore.open(try DatabaseTarget(parsing: server.database), migrations: [])
        do {
            let responses = try await store.sql.raw("SELECT COUNT(*) AS n FROM survey_responses").first(decoding: Count.self)?.n ?? 0
            let answers = try await store.sql.raw("SELECT COUNT(*) AS n FROM survey_answers").first(decoding: Count.self)?.n ?? 0
            let longest = try await store.sql.raw("SELECT COALESCE(MAX(LENGTH(value)), 0) AS n FROM survey_answers")
                .first(decoding: Count.self)?.n ?? 0
            await store.close()
            return (responses, answers, longest)
        } catch {
            await store.close()
            throw error
        }
    }
}
