import FluentKit
import Foundation
import OporaDomain
import SQLKit

public final class MentorPairModel: Model, @unchecked Sendable {
    public static let schema = "mentor_pairs"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "supported_id") public var supported: SchoolModel
    @Parent(key: "mentor_id") public var mentor: SchoolModel
    @Field(key: "start_year") public var startYear: Int
    @Field(key: "end_year") public var endYear: Int
    @OptionalField(key: "agreement_number") public var agreementNumber: String?
    @OptionalField(key: "agreement_date") public var agreementDate: String?
    @OptionalField(key: "subject") public var subject: String?
    @OptionalField(key: "link") public var link: String?
    @Field(key: "status") public var status: String
    @OptionalField(key: "activities") public var activities: String?
    @Field(key: "version") public var version: Int
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var period: ClosedRange<Int> { startYear...max(startYear, endYear) }
    public var pairStatus: MentorPairStatus? { MentorPairStatus(rawValue: status) }

    /// The domain's rule: the pair is in force («действует») and covers the year.
    public func mentors(in year: Int) -> Bool { MentorPair.mentors(status: pairStatus, period: period, in: year) }
}

public final class VisitModel: Model, @unchecked Sendable {
    public static let schema = "support_visits"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "school_id") public var school: SchoolModel
    @Field(key: "visited_on") public var visitedOn: String
    @Field(key: "visitor") public var visitor: String
    @Field(key: "format") public var format: String
    @Field(key: "topic") public var topic: String
    @OptionalField(key: "findings") public var findings: String?
    @OptionalField(key: "recommendations") public var recommendations: String?
    @OptionalField(key: "follow_up") public var followUp: String?
    @OptionalField(key: "follow_up_due") public var followUpDue: String?
    @Field(key: "follow_up_done") public var followUpDone: Bool
    @Field(key: "version") public var version: Int
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var day: CalendarDay? { CalendarDay(parsing: visitedOn) }
    public var due: CalendarDay? { followUpDue.flatMap(CalendarDay.init(parsing:)) }
    public var visitFormat: VisitFormat { VisitFormat(rawValue: format) ?? .onSite }
}

/// Mentor pairs, visits and the events log, within the actor's scope.
public struct SupportRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    func schoolIDs(_ scope: AccessScope) async throws -> [Int] { try await ScopeQueries.schoolIDs(scope, on: db) }

    // MARK: mentor pairs

    /// Pairs whose supported school is in the scope.
    public func pairs(_ scope: AccessScope) async throws -> [MentorPairModel] {
        try await MentorPairModel.query(on: db).filter(\.$supported.$id ~~ schoolIDs(scope)).with(\.$supported).with(\.$mentor)
            .sort(\.$startYear, .descending).all()
    }

    /// The pairs that give a school of the scope a mentor in `year` (in force and covering it: `MentorPair.mentors`).
    public func mentoringPairs(_ scope: AccessScope, year: Int) async throws -> [MentorPairModel] {
        try await pairs(scope).filter { $0.mentors(in: year) }
    }

    public struct NewPair: Sendable {
        public var supportedID: Int, mentorID: Int, period: ClosedRange<Int>
        public var agreementNumber: String?, agreementDate: CalendarDay?, subject: String?, link: String?, activities: String?

        public init(
            supportedID: Int, mentorID: Int, period: ClosedRange<Int>, agreementNumber: String? = nil, agreementDate: CalendarDay? = nil,
            subject: String? = nil, link: String? = nil, activities: String? = nil
        ) {
            self.supportedID = supportedID
            self.mentorID = mentorID
            self.period = period
            self.agreementNumber = agreementNumber
            self.agreementDate = agreementDate
            self.subject = subject
            self.link = link
            self.activities = activities
        }
    }

    /// Saves a pair after the domain's checks; errors refuse it, warnings come back to be shown.
    @discardableResult
    public func addPair(_ new: NewPair, scope: AccessScope, actor: Actor) async throws -> [String] {
        let schools = try await SchoolModel.query(on: db).filter(\.$id ~~ [new.supportedID, new.mentorID]).all()
        guard let supported = schools.first(where: { $0.id == new.supportedID }),
            let mentor = schools.first(where: { $0.id == new.mentorID }),
            try await schoolIDs(scope).contains(new.supportedID)
        else { throw RepositoryError.notFound(entity: "школа") }
        // A mentor is a school of the supported school's municipality; another one is answered exactly like an id
        // that does not exist, so that the answer tells nothing about other territories' schools.
        guard MentorChecks.sameTerritory(supported: supported.$municipality.id, mentor: mentor.$municipality.id) else {
            throw RepositoryError.notFound(entity: "школа")
        }
        var listed: [Int: Set<String>] = [:]
        for year in new.period {
            let status = try await IdentificationRepository(db: db).approvedStatuses(
                year: year, scope: .municipality(mentor.$municipality.id))?[mentor.id!]
            if status == .lowResults || status == .lowResultsSocial { listed[year] = [mentor.code] }
        }
        let findings = MentorChecks.check(
            MentorPair(supported: supported.code, mentor: mentor.code, period: new.period), listedByYear: listed)
        if let error = findings.first(where: \.isError) { throw RepositoryError.invalid(field: "Пара", message: error.message) }
        if let link = new.link, !(link.hasPrefix("http://") || link.hasPrefix("https://")) {
            throw RepositoryError.invalid(field: "Ссылка на соглашение", message: "ожидается адрес, начинающийся с http:// или https://")
        }
        try await db.transaction { tx in
            let pair = MentorPairModel()
            pair.$supported.id = new.supportedID
            pair.$mentor.id = new.mentorID
            pair.startYear = new.period.lowerBound
            pair.endYear = new.period.upperBound
            pair.agreementNumber = new.agreementNumber
            pair.agreementDate = new.agreementDate?.iso
            pair.subject = new.subject
            pair.link = new.link
            pair.status = "active"
            pair.activities = new.activities
            pair.version = 1
            pair.createdBy = actor.login
            pair.createdAt = Date()
            try await pair.create(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "mentor_pair", entityID: pair.id,
                summary:
                    "Наставничество: «\(mentor.displayName)» → «\(supported.displayName)», " +
                    "\(new.period.lowerBound)–\(new.period.upperBound)",
                place: AuditPlace(municipalityID: supported.$municipality.id, schoolID: new.supportedID))
            try await Notifications.mentorPairAssigned(mentor: mentor, supported: supported, years: new.period, on: tx)
        }
        return findings.filter { !$0.isError }.map(\.message)
    }

    // MARK: visits

    public func visits(_ scope: AccessScope) async throws -> [VisitModel] {
        try await VisitModel.query(on: db).filter(\.$school.$id ~~ schoolIDs(scope)).with(\.$school).sort(\.$visitedOn, .descending).all()
    }

    public struct NewVisit: Sendable {
        public var schoolID: Int, day: CalendarDay, visitor: String, format: VisitFormat, topic: String
        public var findings: String?, recommendations: String?, followUp: String?, followUpDue: CalendarDay?

        public init(schoolID: Int, day: CalendarDay, visitor: String, format: VisitFormat, topic: String, findings: String? = nil,
                    recommendations: String? = nil, followUp: String? = nil, followUpDue: CalendarDay? = nil) {
            self.schoolID = schoolID
            self.day = day
            self.visitor = visitor
            self.format = format
            self.topic = topic
            self.findings = findings
            self.recommendations = recommendations
            self.followUp = followUp
            self.followUpDue = followUpDue
        }
    }

    public func addVisit(_ new: NewVisit, scope: AccessScope, actor: Actor) async throws {
        guard try await schoolIDs(scope).contains(new.schoolID), let school = try await SchoolModel.find(new.schoolID, on: db) else {
            throw RepositoryError.notFound(entity: "школа")
        }
        for (field, text, limit) in [("Кто", new.visitor, 300), ("Тема", new.topic, 1000)] {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { throw RepositoryError.invalid(field: field, message: "обязательно") }
            try RepositoryError.check(text, field: field, limit: limit, multiline: field == "Тема")
        }
        if let due = new.followUpDue, due < new.day {
            throw RepositoryError.invalid(field: "Срок исполнения", message: "раньше даты визита")
        }
        try await db.transaction { tx in
            let visit = VisitModel()
            visit.$school.id = new.schoolID
            visit.visitedOn = new.day.iso
            visit.visitor = new.visitor
            visit.format = new.format.rawValue
            visit.topic = new.topic
            visit.findings = new.findings
            visit.recommendations = new.recommendations
            visit.followUp = new.followUp
            visit.followUpDue = new.followUpDue?.iso
            visit.followUpDone = false
            visit.version = 1
            visit.createdBy = actor.login
            visit.createdAt = Date()
            try await visit.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "visit", entityID: visit.id,
                                      summary: "Визит в «\(school.displayName)» \(new.day.russian): \(new.topic.prefix(120))",
                                      place: AuditPlace(municipalityID: school.$municipality.id, schoolID: new.schoolID))
        }
    }

    public func closeFollowUp(_ id: Int, expectedVersion: Int, scope: AccessScope, actor: Actor) async throws {
        guard let visit = try await VisitModel.query(on: db).filter(\.$id == id).filter(\.$school.$id ~~ schoolIDs(scope)).first() else {
            throw RepositoryError.notFound(entity: "визит")
        }
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: VisitModel.schema, id: id, expected: expectedVersion, on: tx)
            try await tx.sql.update(VisitModel.schema).set("follow_up_done", to: true).where("id", .equal, id).run()
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "visit", entityID: id,
                summary: "Рекомендации визита \(visit.day?.russian ?? "") исполнены",
                changes: [FieldChange(field: "исполнено", old: "нет", new: "да")], place: AuditPlace(schoolID: visit.$school.id))
        }
    }
}
