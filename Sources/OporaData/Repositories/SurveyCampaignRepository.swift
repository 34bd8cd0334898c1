import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Survey campaigns, their links, the public form's tokens and the answers (V042, V043; docs/SURVEYS.md «Кампании»).
/// The public side (`publicLink`, `issueFormToken`, `submit`) is a few indexed statements per request, no audit row and
/// nothing about the respondent: 1,000 respondents a minute must not be slowed by it.
public struct SurveyCampaignRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public struct Campaign: Sendable, Decodable {
        public let id: Int
        public let questionnaireID: Int
        public let questionnaireCode: String
        public let title: String
        public let regionID: Int?
        public let municipalityID: Int?
        public let startsOn: String
        public let endsOn: String
        public let createdBy: String
        public let createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, title
            case questionnaireID = "questionnaire_id", questionnaireCode = "questionnaire_code", regionID = "region_id"
            case municipalityID = "municipality_id", startsOn = "starts_on", endsOn = "ends_on", createdBy = "created_by"
            case createdAt = "created_at"
        }

        public var starts: CalendarDay { CalendarDay(parsing: startsOn) ?? CalendarDay(year: 2000, month: 1, day: 1) }
        public var ends: CalendarDay { CalendarDay(parsing: endsOn) ?? CalendarDay(year: 2000, month: 1, day: 1) }
    }

    /// What a new campaign asks: the groups with the respondents expected per school.
    public struct Draft: Sendable {
        public var questionnaireID: Int
        public var questionnaireCode: String
        public var title: String
        public var starts: CalendarDay
        public var ends: CalendarDay
        public var schoolIDs: [Int]
        /// Respondent group code → expected respondents per school.
        public var expected: [(group: String, count: Int)]

        public init(questionnaireID: Int, questionnaireCode: String, title: String, starts: CalendarDay, ends: CalendarDay,
                    schoolIDs: [Int], expected: [(group: String, count: Int)]) {
            self.questionnaireID = questionnaireID
            self.questionnaireCode = questionnaireCode
            self.title = title
            self.starts = starts
            self.ends = ends
            self.schoolIDs = schoolIDs
            self.expected = expected
        }
    }

    /// A link as handed out: the token exists only here, once, when the link is made or made anew.
    public struct IssuedLink: Sendable {
        public let linkID: Int
        public let schoolID: Int
        public let group: String
        public let token: String
    }

    struct ID: Decodable { let id: Int }

    // MARK: creating

    /// Creates the campaign with a link per school × group; schools outside `scope` are refused as absent. The
    /// owner is the creator's territory (a region or a municipality). One audit row, at the owner's place.
    public func create(_ draft: Draft, scope: AccessScope, actor: Actor) async throws -> (campaignID: Int, links: [IssuedLink]) {
        let owner = TerritoryChain.owner(scope)
        if case .schools = scope {
            throw RepositoryError.invalid(field: "Кампания", message: "анкетирование проводит орган власти (регион или муниципалитет)")
        }
        try RepositoryError.check(draft.title, field: "Название", limit: 300)
        let title = draft.title.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw RepositoryError.invalid(field: "Название", message: "не заполнено") }
        if case .failure(let error) = CampaignRules.period(starts: draft.starts, ends: draft.ends) {
            throw RepositoryError.invalid(field: "Период", message: error.description.replacingOccurrences(of: "Период: ", with: ""))
        }
        let schools = Array(Set(draft.schoolIDs)).sorted()
        guard !schools.isEmpty else { throw RepositoryError.invalid(field: "Школы", message: "не выбрано ни одной школы") }
        guard !draft.expected.isEmpty else { throw RepositoryError.invalid(field: "Группы", message: "не выбрано ни одной группы") }
        for item in draft.expected where !CampaignRules.expectedRange.contains(item.count) {
            throw RepositoryError.invalid(
                field: "Ожидается ответов",
                message: "от \(CampaignRules.expectedRange.lowerBound) до \(CampaignRules.expectedRange.upperBound)")
        }
        let reachable = Set(try await ScopeQueries.schools(scope, on: db).filter(\.$id ~~ schools).all(\.$id))
        guard reachable.count == schools.count else { throw RepositoryError.invalid(field: "Школы", message: Absent.schoolRecord) }
        return try await db.transaction { tx in
            let campaignID = try await tx.sql.raw("""
                INSERT INTO survey_campaigns (questionnaire_id, questionnaire_code, title, region_id, municipality_id, starts_on,
                  ends_on, version, created_by, created_at)
                VALUES (\(bind: draft.questionnaireID), \(bind: draft.questionnaireCode), \(bind: title), \(bind: owner.region),
                  \(bind: owner.municipality), \(bind: draft.starts.iso), \(bind: draft.ends.iso), 1, \(bind: actor.login),
                  \(bind: Date()))
                RETURNING id
                """).first(decoding: ID.self)!.id
            var links: [IssuedLink] = []
            for school in schools {
                for item in draft.expected {
                    let token = SurveyToken.new()
                    let id = try await tx.sql.raw("""
                        INSERT INTO survey_links (campaign_id, school_id, respondent_group, expected, token_hash)
                        VALUES (\(bind: campaignID), \(bind: school), \(bind: item.group), \(bind: item.count),
                          \(bind: SurveyToken.hash(token)))
                        RETURNING id
                        """).first(decoding: ID.self)!.id
                    links.append(IssuedLink(linkID: id, schoolID: school, group: item.group, token: token))
                }
            }
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "survey_campaign", entityID: campaignID,
                summary: "Создана кампания анкетирования «\(title)»: школ \(schools.count), ссылок \(links.count)",
                changes: [FieldChange(field: "Период", old: nil, new: "\(draft.starts.russian) – \(draft.ends.russian)"),
                          FieldChange(field: "Анкета", old: nil, new: draft.questionnaireCode)],
                place: AuditPlace(regionID: owner.region, municipalityID: owner.municipality))
            return (campaignID, links)
        }
    }

    /// Makes new tokens for the campaign's links in `scope` (all of them, or the one `linkID`): the old links stop
    /// working. Audited at the campaign's place.
    public func reissue(campaignID: Int, linkID: Int?, scope: AccessScope, actor: Actor) async throws -> [IssuedLink] {
        guard let campaign = try await campaign(campaignID, scope: scope) else {
            throw RepositoryError.notFound(entity: "кампания анкетирования")
        }
        if case .schools = scope {
            throw RepositoryError.invalid(field: "Ссылки", message: "ссылки выпускает орган власти, проводящий анкетирование")
        }
        let rows = try await links(campaignID: campaignID, scope: scope).filter { linkID == nil || $0.linkID == linkID }
        guard !rows.isEmpty else { throw RepositoryError.notFound(entity: "ссылка анкетирования") }
        return try await db.transaction { tx in
            var issued: [IssuedLink] = []
            for row in rows {
                let token = SurveyToken.new()
                try await tx.sql.raw("""
                    UPDATE survey_links SET token_hash = \(bind: SurveyToken.hash(token)) WHERE id = \(bind: row.linkID)
                    """).run()
                issued.append(IssuedLink(linkID: row.linkID, schoolID: row.schoolID, group: row.group, token: token))
            }
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "survey_campaign", entityID: campaignID,
                summary: "Выпущены новые ссылки кампании «\(campaign.title)»: \(issued.count)",
                place: AuditPlace(regionID: campaign.regionID, municipalityID: campaign.municipalityID,
                                  schoolID: issued.count == 1 ? issued[0].schoolID : nil))
            return issued
        }
    }

    // MARK: reading, scoped

    /// The SQL condition «school `column` is in `scope`» (schools `s` joined; municipalities `m` joined).
    static func scopeCondition(_ scope: AccessScope, school column: String) -> SQLQueryString {
        switch scope {
        case .everything: return "1 = 1"
        case .region(let id): return "m.region_id = \(bind: id)"
        case .municipality(let id): return "s.municipality_id = \(bind: id)"
        case .schools(let ids):
            guard !ids.isEmpty else { return "1 = 0" }
            return "\(unsafeRaw: column) IN (\(unsafeRaw: ids.sorted().map(String.init).joined(separator: ",")))"
        }
    }

    /// Campaigns with a school in `scope`, newest first.
    public func campaigns(scope: AccessScope) async throws -> [Campaign] {
        try await db.sql.raw("""
            SELECT c.* FROM survey_campaigns c WHERE EXISTS (
              SELECT 1 FROM survey_links l JOIN schools s ON s.id = l.school_id JOIN municipalities m ON m.id = s.municipality_id
              WHERE l.campaign_id = c.id AND \(Self.scopeCondition(scope, school: "l.school_id")))
            ORDER BY c.starts_on DESC, c.id DESC
            """).all(decoding: Campaign.self)
    }

    /// The campaign if one of its schools is in `scope`; nil otherwise (a page answers 404).
    public func campaign(_ id: Int, scope: AccessScope) async throws -> Campaign? {
        try await db.sql.raw("""
            SELECT c.* FROM survey_campaigns c WHERE c.id = \(bind: id) AND EXISTS (
              SELECT 1 FROM survey_links l JOIN schools s ON s.id = l.school_id JOIN municipalities m ON m.id = s.municipality_id
              WHERE l.campaign_id = c.id AND \(Self.scopeCondition(scope, school: "l.school_id")))
            """).first(decoding: Campaign.self)
    }

    /// One link with its school, place and answers so far.
    public struct LinkRow: Sendable, Decodable {
        public let linkID: Int
        public let schoolID: Int
        public let schoolName: String
        public let municipalityID: Int
        public let municipality: String
        public let regionID: Int
        public let group: String
        public let expected: Int
        public let answered: Int

        enum CodingKeys: String, CodingKey {
            case linkID = "link_id", schoolID = "school_id", schoolName = "school_name", municipalityID = "municipality_id"
            case municipality, regionID = "region_id", group = "respondent_group", expected, answered
        }

        public var rate: ResponseRate { ResponseRate(expected: expected, answered: answered) }
    }

    /// The campaign's links in `scope` with their answer counts (one query).
    public func links(campaignID: Int, scope: AccessScope) async throws -> [LinkRow] {
        try await db.sql.raw("""
            SELECT l.id AS link_id, l.school_id, COALESCE(s.short_name, s.name) AS school_name, s.municipality_id,
              m.name AS municipality, m.region_id, l.respondent_group, l.expected,
              (SELECT COUNT(*) FROM survey_responses r WHERE r.link_id = l.id) AS answered
            FROM survey_links l JOIN schools s ON s.id = l.school_id JOIN municipalities m ON m.id = s.municipality_id
            WHERE l.campaign_id = \(bind: campaignID) AND \(Self.scopeCondition(scope, school: "l.school_id"))
            ORDER BY m.name, school_name, l.respondent_group
            """).all(decoding: LinkRow.self)
    }

    // MARK: the public form

    /// What the public form needs of a link, read by its token's hash in one query.
    public struct PublicLink: Sendable, Decodable {
        public let linkID: Int
        public let campaignID: Int
        public let questionnaireID: Int
        public let title: String
        public let schoolName: String
        public let group: String
        public let expected: Int
        public let startsOn: String
        public let endsOn: String

        enum CodingKeys: String, CodingKey {
            case linkID = "link_id", campaignID = "campaign_id", questionnaireID = "questionnaire_id", title
            case schoolName = "school_name", group = "respondent_group", expected, startsOn = "starts_on", endsOn = "ends_on"
        }

        public var starts: CalendarDay { CalendarDay(parsing: startsOn) ?? CalendarDay(year: 2000, month: 1, day: 1) }
        public var ends: CalendarDay { CalendarDay(parsing: endsOn) ?? CalendarDay(year: 2000, month: 1, day: 1) }
    }

    public func publicLink(token: String) async throws -> PublicLink? {
        guard SurveyToken.isWellFormed(token) else { return nil }
        return try await db.sql.raw("""
            SELECT l.id AS link_id, l.campaign_id, c.questionnaire_id, c.title, COALESCE(s.short_name, s.name) AS school_name,
              l.respondent_group, l.expected, c.starts_on, c.ends_on
            FROM survey_links l JOIN survey_campaigns c ON c.id = l.campaign_id JOIN schools s ON s.id = l.school_id
            WHERE l.token_hash = \(bind: SurveyToken.hash(token))
            """).first(decoding: PublicLink.self)
    }

    public func answeredCount(linkID: Int) async throws -> Int {
        struct Count: Decodable { let n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM survey_responses WHERE link_id = \(bind: linkID)")
            .first(decoding: Count.self)?.n ?? 0
    }

    /// A new one-time form token for a page load of the link; returned once, kept as its hash.
    public func issueFormToken(linkID: Int, now: Date = Date()) async throws -> String {
        let token = SurveyToken.new()
        try await db.sql.raw("""
            INSERT INTO survey_form_tokens (link_id, token_hash, issued_at) VALUES (\(bind: linkID), \(bind: SurveyToken.hash(token)),
              \(bind: now))
            """).run()
        return token
    }

    /// One answer as the form gave it, checked by the domain before it comes here.
    public struct Answer: Sendable {
        public let questionKey: String
        public let value: String
        /// A free text: kept for review before it is shown beyond the school.
        public let isText: Bool

        public init(questionKey: String, value: String, isText: Bool) {
            self.questionKey = questionKey
            self.value = value
            self.isText = isText
        }
    }

    public enum Submission: Sendable, Equatable {
        case saved(responseID: Int)
        /// The token was issued for this link and has been used: a second press or a resubmitted page.
        case alreadyUsed
        /// No such token for this link, or too old.
        case unknownToken
    }

    /// Uses the form token and stores the response with its day, in one short transaction: the token is claimed by an
    /// UPDATE that only one request can win, so a double submit stores one response.
    public func submit(linkID: Int, formToken: String, answers: [Answer], day: CalendarDay, now: Date = Date()) async throws
        -> Submission {
        guard SurveyToken.isWellFormed(formToken) else { return .unknownToken }
        let hash = SurveyToken.hash(formToken)
        let oldest = now.addingTimeInterval(-CampaignRules.formTokenLifetime)
        return try await db.transaction { tx in
            let claimed = try await tx.sql.raw("""
                UPDATE survey_form_tokens SET used_at = \(bind: now)
                WHERE token_hash = \(bind: hash) AND link_id = \(bind: linkID) AND used_at IS NULL AND issued_at >= \(bind: oldest)
                RETURNING id
                """).first(decoding: ID.self)
            guard claimed != nil else {
                struct Used: Decodable { let id: Int }
                let used = try await tx.sql.raw("""
                    SELECT id FROM survey_form_tokens
                    WHERE token_hash = \(bind: hash) AND link_id = \(bind: linkID) AND used_at IS NOT NULL
                    """).first(decoding: Used.self)
                return used == nil ? .unknownToken : .alreadyUsed
            }
            let responseID = try await tx.sql.raw("""
                INSERT INTO survey_responses (link_id, answered_on) VALUES (\(bind: linkID), \(bind: day.iso)) RETURNING id
                """).first(decoding: ID.self)!.id
            if !answers.isEmpty {
                var insert = tx.sql.insert(into: "survey_answers").columns("response_id", "question_key", "value", "review")
                for answer in answers {
                    insert = insert.values(SQLBind(responseID), SQLBind(answer.questionKey), SQLBind(answer.value),
                                           SQLBind(answer.isText ? TextReview.pending.rawValue : nil))
                }
                try await insert.run()
            }
            // An answer from the public form has no user and no audit row, but changes what the survey pages show.
            try await DataVersion.bump(on: tx)
            return .saved(responseID: responseID)
        }
    }

    /// Forgets form tokens older than their lifetime (used or not): they can no longer be submitted.
    public func pruneFormTokens(now: Date = Date()) async throws {
        let oldest = now.addingTimeInterval(-CampaignRules.formTokenLifetime)
        try await db.sql.raw("DELETE FROM survey_form_tokens WHERE issued_at < \(bind: oldest)").run()
    }

    // MARK: results

    /// Counts per school × group × question × stored value (a multiple choice's joined options as one value).
    public struct ValueCount: Sendable, Decodable {
        public let schoolID: Int
        public let municipalityID: Int
        public let regionID: Int
        public let group: String
        public let questionKey: String
        public let value: String
        public let count: Int

        enum CodingKeys: String, CodingKey {
            case schoolID = "school_id", municipalityID = "municipality_id", regionID = "region_id", group = "respondent_group"
            case questionKey = "question_key", value, count = "n"
        }
    }

    /// The campaign's closed answers counted in SQL, every school (the comparison with the municipality and the region
    /// needs them all; only counts leave the database). Free texts are not counted here.
    public func valueCounts(campaignID: Int) async throws -> [ValueCount] {
        try await db.sql.raw("""
            SELECT l.school_id, s.municipality_id, m.region_id, l.respondent_group, a.question_key, a.value, COUNT(*) AS n
            FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id JOIN survey_links l ON l.id = r.link_id
              JOIN schools s ON s.id = l.school_id JOIN municipalities m ON m.id = s.municipality_id
            WHERE l.campaign_id = \(bind: campaignID) AND a.review IS NULL
            GROUP BY l.school_id, s.municipality_id, m.region_id, l.respondent_group, a.question_key, a.value
            """).all(decoding: ValueCount.self)
    }

    /// A free-text answer with where it stands.
    public struct TextAnswer: Sendable, Decodable {
        public let answerID: Int
        public let schoolID: Int
        public let schoolName: String
        public let group: String
        public let questionKey: String
        public let value: String
        public let review: String
        public let answeredOn: String

        enum CodingKeys: String, CodingKey {
            case answerID = "answer_id", schoolID = "school_id", schoolName = "school_name", group = "respondent_group"
            case questionKey = "question_key", value, review, answeredOn = "answered_on"
        }

        public var state: TextReview { TextReview(rawValue: review) ?? .pending }
    }

    /// The campaign's free-text answers of schools in `scope`, `states` only, oldest first.
    public func texts(campaignID: Int, scope: AccessScope, states: [TextReview], schoolID: Int? = nil) async throws -> [TextAnswer] {
        let list = states.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let school: SQLQueryString = schoolID.map { "AND l.school_id = \(bind: $0)" } ?? ""
        return try await db.sql.raw("""
            SELECT a.id AS answer_id, l.school_id, COALESCE(s.short_name, s.name) AS school_name, l.respondent_group,
              a.question_key, a.value, a.review, r.answered_on
            FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id JOIN survey_links l ON l.id = r.link_id
              JOIN schools s ON s.id = l.school_id JOIN municipalities m ON m.id = s.municipality_id
            WHERE l.campaign_id = \(bind: campaignID) AND a.review IN (\(unsafeRaw: list))
              AND \(Self.scopeCondition(scope, school: "l.school_id")) \(school)
            ORDER BY a.id
            """).all(decoding: TextAnswer.self)
    }

    /// A person's decision on a free-text answer; the text itself is not copied into the log (it may hold a name).
    public func review(answerID: Int, campaignID: Int, decision: TextReview, scope: AccessScope, actor: Actor) async throws {
        guard decision != .pending else { throw RepositoryError.invalid(field: "Решение", message: "показать или скрыть") }
        guard let text = try await texts(campaignID: campaignID, scope: scope, states: TextReview.allCases)
            .first(where: { $0.answerID == answerID }) else { throw RepositoryError.notFound(entity: "ответ") }
        try await db.transaction { tx in
            try await tx.sql.raw("""
                UPDATE survey_answers SET review = \(bind: decision.rawValue), reviewed_by = \(bind: actor.login),
                  reviewed_at = \(bind: Date())
                WHERE id = \(bind: answerID)
                """).run()
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "survey_answer", entityID: answerID,
                summary: "Свободный ответ анкеты (школа «\(text.schoolName)»): \(decision.russianName)",
                changes: [FieldChange(field: "Проверка", old: text.state.russianName, new: decision.russianName)],
                place: AuditPlace(schoolID: text.schoolID))
        }
    }
}
