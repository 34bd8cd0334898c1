import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Survey campaigns (issue 22): links per school × group kept as hashes, one-time form tokens, answers stored with the
/// link and the day only, response rates, free-text review, scope. Both engines.
final class SurveyCampaignTests: XCTestCase {
    struct Places { let tula: Int; let chern: Int; let belev: Int; let ids: [String: Int] }

    static func prepare(_ store: OporaStore) async throws -> Places {
        let schools = """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            """
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        let regions = Dictionary(uniqueKeysWithValues: try await RegionModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let municipalities = Dictionary(
            uniqueKeysWithValues: try await MunicipalityModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let ids = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: store.db).all().map { ($0.code, $0.id!) })
        return Places(tula: regions["Тульская область"]!, chern: municipalities["Чернский район"]!,
                      belev: municipalities["Белёвский район"]!, ids: ids)
    }

    static let actor = Actor(userID: nil, login: "analyst")
    static let september = CalendarDay(year: 2026, month: 9, day: 1)

    static func draft(_ places: Places, schools: [String] = ["A1", "A2", "B1"]) -> SurveyCampaignRepository.Draft {
        .init(questionnaireID: 1, questionnaireCode: "risk-teachers", title: "Риски школ, сентябрь 2026",
              starts: september, ends: september.adding(days: 29), schoolIDs: schools.map { places.ids[$0]! },
              expected: [("teacher", 10), ("parent", 20)])
    }

    func testACampaignMakesALinkPerSchoolAndGroupKeptOnlyAsItsHash() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            let repository = SurveyCampaignRepository(db: store.db)
            let (id, links) = try await repository.create(Self.draft(places), scope: .region(places.tula), actor: Self.actor)
            XCTAssertEqual(links.count, 6)
            XCTAssertEqual(Set(links.map(\.token)).count, 6)
            struct Row: Decodable { let token_hash: String }
            let stored = try await store.sql.raw("SELECT token_hash FROM survey_links").all(decoding: Row.self).map(\.token_hash)
            XCTAssertEqual(Set(stored), Set(links.map { SurveyToken.hash($0.token) }))
            XCTAssertTrue(Set(stored).isDisjoint(with: links.map(\.token)), "the token itself is never stored")
            let found = try await repository.publicLink(token: links[0].token)
            XCTAssertEqual(found?.linkID, links[0].linkID)
            XCTAssertEqual(found?.campaignID, id)
            let forged = try await repository.publicLink(token: SurveyToken.new())
            XCTAssertNil(forged)
            // One audit row at the region.
            struct Audit: Decodable { let region_id: Int?; let summary: String }
            let audit = try await store.sql.raw("SELECT region_id, summary FROM audit_log WHERE entity = 'survey_campaign'")
                .all(decoding: Audit.self)
            XCTAssertEqual(audit.map(\.region_id), [places.tula])
            XCTAssertEqual(audit.first?.summary, "Создана кампания анкетирования «Риски школ, сентябрь 2026»: школ 3, ссылок 6")
        }
    }

    func testACampaignTakesOnlySchoolsOfTheCreatorsScope() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            let repository = SurveyCampaignRepository(db: store.db)
            do {
                _ = try await repository.create(Self.draft(places), scope: .municipality(places.chern), actor: Self.actor)
                XCTFail("B1 is another municipality's")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .invalid(field: "Школы", message: Absent.schoolRecord))
            }
            do {
                _ = try await repository.create(Self.draft(places, schools: ["A1"]), scope: .schools([places.ids["A1"]!]),
                                                actor: Self.actor)
                XCTFail("a director runs no campaign")
            } catch is RepositoryError {}
            var backwards = Self.draft(places, schools: ["A1"])
            backwards.ends = Self.september.adding(days: -1)
            do {
                _ = try await repository.create(backwards, scope: .region(places.tula), actor: Self.actor)
                XCTFail("ends before it starts")
            } catch let error as RepositoryError {
                XCTAssertEqual(error.description, "Период: дата окончания раньше даты начала")
            }
            let count: Int? = try await store.sql.raw("SELECT COUNT(*) AS n FROM survey_campaigns").first()?.decode(column: "n")
            XCTAssertEqual(count, 0, "nothing written")
        }
    }

    func testAFormTokenIsUsedOnceAndTheAnswerKeepsOnlyTheLinkAndTheDay() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            let repository = SurveyCampaignRepository(db: store.db)
            let (_, links) = try await repository.create(Self.draft(places, schools: ["A1"]), scope: .region(places.tula),
                                                         actor: Self.actor)
            let teachers = links.first { $0.group == "teacher" }!
            let parents = links.first { $0.group == "parent" }!
            let form = try await repository.issueFormToken(linkID: teachers.linkID)
            let answers = [SurveyCampaignRepository.Answer(questionKey: "q1", value: "2", isText: false),
                           .init(questionKey: "q9", value: "Мало времени", isText: true)]
            let day = CalendarDay(year: 2026, month: 9, day: 3)
            // A token of another link is no token here.
            let elsewhere = try await repository.submit(linkID: parents.linkID, formToken: form, answers: answers, day: day)
            XCTAssertEqual(elsewhere, .unknownToken)
            guard case .saved = try await repository.submit(linkID: teachers.linkID, formToken: form, answers: answers, day: day) else {
                return XCTFail("the first submit is saved")
            }
            let again = try await repository.submit(linkID: teachers.linkID, formToken: form, answers: answers, day: day)
            XCTAssertEqual(again, .alreadyUsed)
            let forged = try await repository.submit(linkID: teachers.linkID, formToken: SurveyToken.new(), answers: answers, day: day)
            XCTAssertEqual(forged, .unknownToken)
            let stale = try await repository.issueFormToken(linkID: teachers.linkID, now: Date().addingTimeInterval(-2 * 86_400))
            let late = try await repository.submit(linkID: teachers.linkID, formToken: stale, answers: answers, day: day)
            XCTAssertEqual(late, .unknownToken)
            try await assertEqualAsync(try await repository.answeredCount(linkID: teachers.linkID), 1)
            // What a response row holds: its link and its day, nothing else.
            let columns = try await store.sql.raw("SELECT * FROM survey_responses").all()
            XCTAssertEqual(columns.count, 1)
            XCTAssertEqual(Set(columns[0].allColumns), ["id", "link_id", "answered_on"])
            XCTAssertEqual(try columns[0].decode(column: "answered_on", as: String.self), "2026-09-03")
            let texts = try await repository.texts(campaignID: 1, scope: .everything, states: [.pending])
            XCTAssertEqual(texts.map(\.value), ["Мало времени"])
        }
    }

    func testRatesAndTextsFollowTheScopeAndAReviewIsAudited() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            let repository = SurveyCampaignRepository(db: store.db)
            let (campaign, links) = try await repository.create(Self.draft(places), scope: .region(places.tula), actor: Self.actor)
            let day = CalendarDay(year: 2026, month: 9, day: 3)
            for link in links where link.group == "teacher" && link.schoolID == places.ids["A1"]! {
                for number in 0..<3 {
                    let form = try await repository.issueFormToken(linkID: link.linkID)
                    _ = try await repository.submit(linkID: link.linkID, formToken: form, answers: [
                        .init(questionKey: "q1", value: String(number), isText: false),
                        .init(questionKey: "q9", value: "ответ \(number)", isText: true)], day: day)
                }
            }
            let region = try await repository.links(campaignID: campaign, scope: .region(places.tula))
            XCTAssertEqual(region.count, 6)
            XCTAssertEqual(region.first { $0.group == "teacher" && $0.schoolID == places.ids["A1"]! }?.answered, 3)
            let belev = try await repository.links(campaignID: campaign, scope: .municipality(places.belev))
            XCTAssertEqual(Set(belev.map(\.schoolID)), [places.ids["B1"]!])
            // A campaign without a school in the scope is not there at all.
            let (other, _) = try await repository.create(Self.draft(places, schools: ["A2"]), scope: .region(places.tula),
                                                         actor: Self.actor)
            try await assertTrueAsync(try await repository.campaign(other, scope: .municipality(places.belev)) == nil)
            try await assertEqualAsync(try await repository.campaigns(scope: .schools([places.ids["B1"]!])).map(\.id), [campaign])
            try await assertEqualAsync(try await repository.campaigns(scope: .region(places.tula)).count, 2)

            let pending = try await repository.texts(campaignID: campaign, scope: .region(places.tula), states: [.pending])
            XCTAssertEqual(pending.count, 3)
            try await assertEqualAsync(try await repository.texts(campaignID: campaign, scope: .municipality(places.belev), states: [.pending]).count, 0)
            do {
                try await repository.review(answerID: pending[0].answerID, campaignID: campaign, decision: .approved,
                                            scope: .municipality(places.belev), actor: Self.actor)
                XCTFail("another municipality's answer")
            } catch let error as RepositoryError { XCTAssertEqual(error, .notFound(entity: "ответ")) }
            try await repository.review(answerID: pending[0].answerID, campaignID: campaign, decision: .approved,
                                        scope: .municipality(places.chern), actor: Self.actor)
            try await repository.review(answerID: pending[1].answerID, campaignID: campaign, decision: .hidden,
                                        scope: .municipality(places.chern), actor: Self.actor)
            try await assertEqualAsync(try await repository.texts(campaignID: campaign, scope: .everything, states: [.approved]).map(\.value),
                           ["ответ 0"])
            struct Audit: Decodable { let school_id: Int?; let summary: String }
            let audit = try await store.sql.raw("SELECT school_id, summary FROM audit_log WHERE entity = 'survey_answer' ORDER BY id")
                .all(decoding: Audit.self)
            XCTAssertEqual(audit.map(\.school_id), [places.ids["A1"]!, places.ids["A1"]!])
            XCTAssertFalse(audit.contains { $0.summary.contains("ответ 0") }, "the text itself stays out of the log")
            // Closed answers are counted in SQL, texts are not.
            let counts = try await repository.valueCounts(campaignID: campaign)
            XCTAssertEqual(counts.map(\.count).reduce(0, +), 3)
            XCTAssertEqual(Set(counts.map(\.questionKey)), ["q1"])
            // A new link makes the old one stop working.
            let teacherA1 = links.first { $0.group == "teacher" && $0.schoolID == places.ids["A1"]! }!
            let issued = try await repository.reissue(campaignID: campaign, linkID: teacherA1.linkID, scope: .region(places.tula),
                                                      actor: Self.actor)
            try await assertTrueAsync(try await repository.publicLink(token: teacherA1.token) == nil)
            try await assertEqualAsync(try await repository.publicLink(token: issued[0].token)?.linkID, teacherA1.linkID)
        }
    }
}
