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

        public init(supportedID: Int, mentorID: Int, period: ClosedRange<Int>, agreementNumber: String? = nil, agreementDate: CalendarDay? = nil,
                    subject: String? = nil, link: String? = nil, activities: String? = nil) {
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
        guard let supported = schools.first(where: { $0.id == new.supportedID }), let mentor = schools.first(where: { $0.id == new.mentorID }),
              try await schoolIDs(scope).contains(new.supportedID) else { throw RepositoryError.notFound(entity: "школа") }
        // A mentor is a school of the supported school's municipality; another one is answered exactly like an id
        // that does not exist, so that the answer tells nothing about other territories' schools.
        guard MentorChecks.sameTerritory(supported: supported.$municipality.id, mentor: mentor.$municipality.id) else {
            throw RepositoryError.notFound(entity: "школа")
        }
        var listed: [Int: Set<String>] = [:]
        for year in new.period {
            let status = try await IdentificationRepository(db: db).approvedStatuses(year: year, scope: .municipality(mentor.$municipality.id))?[mentor.id!]
            if status == .lowResults || status == .lowResultsSocial { listed[year] = [mentor.code] }
        }
        let findings = MentorChecks.check(MentorPair(supported: supported.code, mentor: mentor.code, period: new.period), listedByYear: listed)
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
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "mentor_pair", entityID: pair.id,
                                      summary: "Наставничество: «\(mentor.displayName)» → «\(supported.displayName)», \(new.period.lowerBound)–\(new.period.upperBound)",
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
        if let due = new.followUpDue, due < new.day { throw RepositoryError.invalid(field: "Срок исполнения", message: "раньше даты визита") }
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
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "visit", entityID: id,
                                      summary: "Рекомендации визита \(visit.day?.russian ?? "") исполнены",
                                      changes: [FieldChange(field: "исполнено", old: "нет", new: "да")], place: AuditPlace(schoolID: visit.$school.id))
        }
    }

    // MARK: events

    /// Events belong to the uploader's territory (`OwningTerritory`): keyed by territory and code, so the same
    /// code in two territories is two events. An event's rows replace its participations for the schools of the
    /// file (its other schools' rows stay); one multi-row statement per chunk, so 100 000 participations load in
    /// seconds.
    public func writeEvents(_ records: [EventRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            let directory = try await ResultsImporter(db: tx, actor: actor, scope: scope).directory(on: tx)
            var plan = try EventsImportPlan(records, directory: directory, fileName: fileName)
            plan.count(stored: try await SupportRepository(db: tx).eventIDs(of: plan.territory))
            let owner = (region: plan.ownerRegion, municipality: plan.ownerMunicipality)
            try await BulkTable(name: "support_events", columns: ["owner_region_id", "owner_municipality_id", "code", "title", "kind",
                                                                   "start_on", "end_on", "hours", "organiser", "topic"])
                .write(plan.events, on: tx, updatingOnConflict: ["owner_region_id", "owner_municipality_id", "code"]) { event in
                    [.int(owner.region), .int(owner.municipality), .text(event.event), .text(event.title), .text(event.kind.rawValue),
                     .text(event.start.iso), .text(event.end?.iso), .double(event.hours), .text(event.organiser), .text(event.topic)]
                }
            let eventIDs = try await SupportRepository(db: tx).eventIDs(of: plan.territory)
            let ids = try plan.events.map { event -> Int in
                guard let id = eventIDs[event.event] else { throw RepositoryError.notFound(entity: "мероприятие «\(event.event)»") }
                return id
            }
            // An event's rows replace its participations for the file's schools; ids as literals, a few thousand
            // events at a time (SQLite's bound parameters would run out).
            let schools = Set(plan.schoolIDs).sorted().map(String.init).joined(separator: ",")
            for start in stride(from: 0, to: ids.count, by: 5_000) where !schools.isEmpty {
                let events = ids[start..<min(start + 5_000, ids.count)].map(String.init).joined(separator: ",")
                try await tx.sql.raw("""
                    DELETE FROM event_participations WHERE event_id IN (\(unsafeRaw: events)) AND school_id IN (\(unsafeRaw: schools))
                    """).run()
            }
            try await BulkTable(name: "event_participations", columns: ["event_id", "school_id", "role", "participants", "person"])
                .write(Array(records.indices), on: tx) { index in
                    let participation = records[index].participation
                    return [.int(eventIDs[participation.event] ?? 0), .int(plan.schoolIDs[index]), .text(participation.role),
                            .int(participation.count), .text(participation.person)]
                }
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "events", entityID: nil,
                                      summary: "Загружен журнал мероприятий (\(fileName)): мероприятий \(plan.events.count), "
                                          + "строк участия \(records.count)",
                                      place: AuditPlace(plan.territory))
            return plan.summary
        }
    }

    /// What `writeEvents` would do: the schools and the territory's event codes read once, the file planned in memory.
    func planEvents(_ records: [EventRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        let directory = try await ResultsImporter(db: db, actor: actor, scope: scope).directory(on: db)
        var plan = try EventsImportPlan(records, directory: directory, fileName: fileName)
        plan.count(stored: try await eventIDs(of: plan.territory))
        return plan.summary
    }

    /// The territory's events: code → id, in one query.
    func eventIDs(of territory: OwningTerritory) async throws -> [String: Int] {
        struct Row: Decodable { let id: Int; let code: String }
        let rows = try await db.sql.select().column("id").column("code").from("support_events")
            .where("owner_region_id", .equal, territory.regionID ?? 0)
            .where("owner_municipality_id", .equal, territory.municipalityID ?? 0)
            .all(decoding: Row.self)
        return Dictionary(rows.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// The same participations summed in the database for the training rule: counted rows by school and event
    /// hours, coded persons by school and person with all their hours (a region's log is 100 000 rows; the
    /// board needs a few thousand sums).
    public func trainingInputs(_ scope: AccessScope, from: CalendarDay, to: CalendarDay) async throws -> [Participation] {
        struct Row: Decodable { let school: String; let hours: Double; let participants: Int; let person: String? }
        let ids = try await schoolIDs(scope)
        guard !ids.isEmpty else { return [] }
        let inScope = ids.map(String.init).joined(separator: ",")
        // The events of the period drive the join (few rows, each with its participations together in the event
        // index); the scope filter is kept off the school index (`+`), which would visit 100 000 rows one by one.
        let counted: SQLQueryString = """
            SELECT s.code AS school, x.hours AS hours, x.participants AS participants, x.person AS person FROM (
              SELECT p.school_id AS school_id, CAST(e.hours AS DOUBLE PRECISION) AS hours, CAST(SUM(p.participants) AS BIGINT) AS participants, NULL AS person
              FROM support_events e CROSS JOIN event_participations p
              WHERE p.event_id = e.id AND p.person IS NULL AND +p.school_id IN (\(unsafeRaw: inScope)) AND e.start_on >= \(bind: from.iso) AND e.start_on <= \(bind: to.iso)
              GROUP BY p.school_id, e.hours
              UNION ALL
              SELECT p.school_id AS school_id, CAST(SUM(e.hours) AS DOUBLE PRECISION) AS hours, CAST(1 AS BIGINT) AS participants, p.person AS person
              FROM support_events e CROSS JOIN event_participations p
              WHERE p.event_id = e.id AND p.person IS NOT NULL AND +p.school_id IN (\(unsafeRaw: inScope)) AND e.start_on >= \(bind: from.iso) AND e.start_on <= \(bind: to.iso)
              GROUP BY p.school_id, p.person
            ) x JOIN schools s ON s.id = x.school_id
            """
        return try await db.sql.raw(counted).all(decoding: Row.self).map {
            Participation(event: "", school: $0.school, role: "", hours: $0.hours, start: from, count: $0.participants, person: $0.person)
        }
    }

    /// Participations of the scope's schools in events starting within `period`, with school codes.
    public func participations(_ scope: AccessScope, from: CalendarDay, to: CalendarDay) async throws -> [Participation] {
        struct Row: Decodable { let code: String; let school: String; let role: String; let hours: Double; let start_on: String; let participants: Int; let person: String? }
        let ids = try await schoolIDs(scope)
        guard !ids.isEmpty else { return [] }
        let rows = try await db.sql.select()
            .column(SQLColumn("code", table: "e")).column(SQLAlias(SQLColumn("code", table: "s"), as: SQLIdentifier("school")))
            .column(SQLColumn("role", table: "p")).column(SQLColumn("hours", table: "e")).column(SQLColumn("start_on", table: "e"))
            .column(SQLColumn("participants", table: "p")).column(SQLColumn("person", table: "p"))
            .from(SQLAlias(SQLIdentifier("event_participations"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("support_events"), as: SQLIdentifier("e")), on: SQLColumn("event_id", table: "p"), .equal, SQLColumn("id", table: "e"))
            .join(SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), on: SQLColumn("school_id", table: "p"), .equal, SQLColumn("id", table: "s"))
            .where(SQLColumn("school_id", table: "p"), .in, SQLBind.group(ids))
            .where(SQLColumn("start_on", table: "e"), .greaterThanOrEqual, SQLBind(from.iso))
            .where(SQLColumn("start_on", table: "e"), .lessThanOrEqual, SQLBind(to.iso))
            .all(decoding: Row.self)
        return rows.compactMap { row in
            CalendarDay(parsing: row.start_on).map {
                Participation(event: row.code, school: row.school, role: row.role, hours: row.hours, start: $0, count: row.participants, person: row.person)
            }
        }
    }
}

/// An `events` file planned in memory: every school known and in scope (else line errors, nothing written), the
/// territory that owns the file's events, each event as its first row describes it, and the participations.
/// An event already stored for the territory counts as updated, a new one as added (participations are not counted).
struct EventsImportPlan {
    /// The school of each record, in the file's order (a plan holds no copy of the records).
    var schoolIDs: [Int] = []
    /// One record per event code (its first row), by code.
    var events: [EventRecord] = []
    let territory: OwningTerritory
    var summary = ImportSummary()

    var ownerRegion: Int { territory.regionID ?? 0 }
    var ownerMunicipality: Int { territory.municipalityID ?? 0 }

    init(_ records: [EventRecord], directory: ResultsImporter.SchoolDirectory, fileName: String) throws {
        var issues = IssueCollector(file: fileName)
        schoolIDs.reserveCapacity(records.count)
        var firstOf: [String: EventRecord] = [:]
        for record in records {
            guard let id = directory.resolve(record.participation.school, line: record.line, &issues) else { continue }
            schoolIDs.append(id)
            if firstOf[record.event] == nil { firstOf[record.event] = record }
        }
        try issues.throwIfFailed()
        territory = directory.territory(of: schoolIDs)
        events = firstOf.values.sorted { $0.event < $1.event }
    }

    mutating func count(stored: [String: Int]) {
        summary.updated = events.filter { stored[$0.event] != nil }.count
        summary.created = events.count - summary.updated
    }
}
