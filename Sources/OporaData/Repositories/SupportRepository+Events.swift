import FluentKit
import OporaDomain
import SQLKit

/// Events and their participations: the `events` import at scale (issue 18) and the reads the training rules use.
extension SupportRepository {
    // MARK: events

    /// Events belong to the uploader's territory (`OwningTerritory`): keyed by territory and code, so the same
    /// code in two territories is two events. An event's rows replace its participations for the schools of the
    /// file (its other schools' rows stay); one multi-row statement per chunk, so 100 000 participations load in
    /// seconds.
    public func writeEvents(_ records: [EventRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        try await ImportWriteLock.transaction(on: db) { tx in
            let directory = try await ResultsImporter.readDirectory(on: tx, scope: scope)
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
            for events in BulkRows.idLists(ids) where !schools.isEmpty {
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
        let directory = try await ResultsImporter.readDirectory(on: db, scope: scope)
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
              SELECT p.school_id AS school_id, CAST(e.hours AS DOUBLE PRECISION) AS hours,
                CAST(SUM(p.participants) AS BIGINT) AS participants, NULL AS person
              FROM support_events e CROSS JOIN event_participations p
              WHERE p.event_id = e.id AND p.person IS NULL AND +p.school_id IN (\(unsafeRaw: inScope))
                AND e.start_on >= \(bind: from.iso) AND e.start_on <= \(bind: to.iso)
              GROUP BY p.school_id, e.hours
              UNION ALL
              SELECT p.school_id AS school_id, CAST(SUM(e.hours) AS DOUBLE PRECISION) AS hours, CAST(1 AS BIGINT) AS participants,
                p.person AS person
              FROM support_events e CROSS JOIN event_participations p
              WHERE p.event_id = e.id AND p.person IS NOT NULL AND +p.school_id IN (\(unsafeRaw: inScope))
                AND e.start_on >= \(bind: from.iso) AND e.start_on <= \(bind: to.iso)
              GROUP BY p.school_id, p.person
            ) x JOIN schools s ON s.id = x.school_id
            """
        return try await db.sql.raw(counted).all(decoding: Row.self).map {
            Participation(event: "", school: $0.school, role: "", hours: $0.hours, start: from, count: $0.participants, person: $0.person)
        }
    }

    /// Participations of the scope's schools in events starting within `period`, with school codes.
    public func participations(_ scope: AccessScope, from: CalendarDay, to: CalendarDay) async throws -> [Participation] {
        struct Row: Decodable {
            let code: String, school: String, role: String, hours: Double, start_on: String, participants: Int, person: String?
        }
        let ids = try await schoolIDs(scope)
        guard !ids.isEmpty else { return [] }
        let rows = try await db.sql.select()
            .column(SQLColumn("code", table: "e")).column(SQLAlias(SQLColumn("code", table: "s"), as: SQLIdentifier("school")))
            .column(SQLColumn("role", table: "p")).column(SQLColumn("hours", table: "e")).column(SQLColumn("start_on", table: "e"))
            .column(SQLColumn("participants", table: "p")).column(SQLColumn("person", table: "p"))
            .from(SQLAlias(SQLIdentifier("event_participations"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("support_events"), as: SQLIdentifier("e")), on: SQLColumn("event_id", table: "p"), .equal,
                  SQLColumn("id", table: "e"))
            .join(SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), on: SQLColumn("school_id", table: "p"), .equal,
                  SQLColumn("id", table: "s"))
            .where(SQLColumn("school_id", table: "p"), .in, SQLBind.group(ids))
            .where(SQLColumn("start_on", table: "e"), .greaterThanOrEqual, SQLBind(from.iso))
            .where(SQLColumn("start_on", table: "e"), .lessThanOrEqual, SQLBind(to.iso))
            .all(decoding: Row.self)
        return rows.compactMap { row in
            CalendarDay(parsing: row.start_on).map {
                Participation(event: row.code, school: row.school, role: row.role, hours: row.hours, start: $0, count: row.participants,
                              person: row.person)
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
