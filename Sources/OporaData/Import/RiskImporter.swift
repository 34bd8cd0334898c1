import FluentKit
import OporaDomain
import PostgresNIO
import SQLKit
import SQLiteNIO

/// The `risks` import at scale (issue 18): what the file needs is read once (schools, the stored ratings of its
/// schools and years, the lists in force of its years), the import is planned in memory by `RiskImportPlan.make`
/// and written in bulk. A preview runs the first two steps only.
extension ResultsImporter {
    /// What a `risks` file is checked and compared against.
    struct RiskState: Sendable {
        let directory: SchoolDirectory
        /// The stored rating of a school × year × factor, as the audit log shows it.
        let stored: [RiskImportPlan.Key: String]
        /// School ids on the list in force, for each year of the file that has one.
        let listed: [Int: Set<Int>]
    }

    func loadRiskState(_ records: [RiskRating], on db: any Database) async throws -> RiskState {
        let directory = try await Self.readDirectory(on: db, scope: scope)
        var schools = Set<Int>(), years = Set<Int>()
        for record in records {
            years.insert(record.year)
            if let id = directory.ids[record.school] { schools.insert(id) }
        }
        let stored = try await Self.storedRatings(schools: schools, years: years, on: db)
        // The lists in force of every year of the file: one read of the places and one of the orders.
        let identification = IdentificationRepository(db: db)
        let places = try await identification.places(scope: scope)
        let orders = try await identification.orders(years: years.sorted())
        var listed: [Int: Set<Int>] = [:]
        for year in years where ListInForce.hasOrder(year: year, places: places, orders: orders) {
            listed[year] = Set(ListInForce.schools(year: year, places: places, orders: orders).keys)
        }
        return RiskState(directory: directory, stored: stored, listed: listed)
    }

    /// The stored ratings of these schools and years, read as plain columns (a region's profiles over the years
    /// are a million rows: decoding them as `Decodable` rows would take longer than the import).
    static func storedRatings(schools: Set<Int>, years: Set<Int>, on db: any Database) async throws -> [RiskImportPlan.Key: String] {
        guard !schools.isEmpty, !years.isEmpty else { return [:] }
        let query = "SELECT school_id, year, factor, level, source, comment FROM risk_ratings WHERE school_id IN (\(idList(schools)))"
            + " AND year IN (\(idList(years)))"
        if let sqlite = db as? any SQLiteDatabase {
            let collected = RatingCollector()
            // On the connection itself, whose rows come on the database thread: the pooled database's `query` hands
            // every row to the event loop as a task of its own, and a million of them keep that loop's other
            // requests (`/health`, other users' pages) waiting behind them (issue 18).
            try await sqlite.withConnection { connection in
                try await connection.query(query, []) { row in
                    guard let school = row.column("school_id")?.integer, let year = row.column("year")?.integer,
                          let factor = row.column("factor")?.integer,
                          let level = row.column("level")?.string.flatMap(RiskLevel.init(rawValue:)) else { return }
                    collected.ratings[RiskImportPlan.Key(school: school, year: year, factor: factor)] =
                        RiskImportPlan.text(level: level, source: row.column("source")?.string, comment: row.column("comment")?.string)
                }
            }
            return collected.ratings
        }
        if let postgres = db as? any PostgresDatabase {
            let logger = db.logger
            return try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    var ratings: [RiskImportPlan.Key: String] = [:]
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: query), logger: logger)
                    let columns = rows.decode((Int, Int, Int, String, String?, String?).self)
                    for try await (school, year, factor, level, source, comment) in columns {
                        guard let level = RiskLevel(rawValue: level) else { continue }
                        ratings[RiskImportPlan.Key(school: school, year: year, factor: factor)] =
                            RiskImportPlan.text(level: level, source: source, comment: comment)
                    }
                    return ratings
                }
            }.get()
        }
        struct Row: Decodable {
            let school_id: Int, year: Int, factor: Int, level: String, source: String?, comment: String?
        }
        var ratings: [RiskImportPlan.Key: String] = [:]
        for row in try await db.sql.raw(SQLQueryString(query)).all(decoding: Row.self) {
            guard let level = RiskLevel(rawValue: row.level) else { continue }
            ratings[RiskImportPlan.Key(school: row.school_id, year: row.year, factor: row.factor)] =
                RiskImportPlan.text(level: level, source: row.source, comment: row.comment)
        }
        return ratings
    }

    /// Rows of SQLite's callback, gathered on the connection's thread one after another.
    final class RatingCollector: @unchecked Sendable {
        var ratings: [RiskImportPlan.Key: String] = [:]
    }

    /// Risk profile ratings: one per school × year × factor; a new level replaces the old one, in the audit log.
    public func writeRisks(_ records: [RiskRating], fileName: String) async throws -> ImportSummary {
        try await ImportWriteLock.transaction(on: db) { tx in
            let plan = try RiskImportPlan.make(records, state: try await loadRiskState(records, on: tx), fileName: fileName)
            let table = BulkTable(name: "risk_ratings", columns: ["school_id", "year", "factor", "level", "source", "comment"])
            func values(_ row: (index: Int, schoolID: Int)) -> [BulkValue] {
                let rating = records[row.index]
                return [.int(row.schoolID), .int(rating.year), .int(rating.factor), .text(rating.level.rawValue), .text(rating.source),
                        .text(rating.comment)]
            }
            // New ratings go straight in (no stored key can clash: the import write lock is held since they were
            // read); changed ones replace theirs.
            try await table.write(plan.added, on: tx, values: values)
            try await table.write(plan.changed, on: tx, updatingOnConflict: ["year", "school_id", "factor"], values: values)
            try await AuditLog.record(on: tx, actor: actor, plan.audit(fileName: fileName))
            return plan.summary
        }
    }

    /// What `writeRisks` would do, read without a transaction and planned in memory.
    func planRisks(_ records: [RiskRating], fileName: String) async throws -> ImportSummary {
        try RiskImportPlan.make(records, state: try await loadRiskState(records, on: db), fileName: fileName).summary
    }
}

/// A `risks` file against what is stored, planned without the database: the rows to write (new or changed), the
/// counts, each school's changes for its audit entry, and a warning for a school off the year's list in force.
struct RiskImportPlan: Sendable {
    struct Key: Hashable, Sendable {
        let school: Int
        let year: Int
        let factor: Int
    }

    struct SchoolChanges: Sendable {
        var created = 0
        var updated = 0
        var fields: [FieldChange] = []
    }

    /// The records to write, new and changed, by their place in the file, with their school.
    var added: [(index: Int, schoolID: Int)] = []
    var changed: [(index: Int, schoolID: Int)] = []
    var summary = ImportSummary()
    var changes: [Int: SchoolChanges] = [:]
    let directory: ResultsImporter.SchoolDirectory

    /// A rating as the audit log shows it.
    static func text(level: RiskLevel, source: String?, comment: String?) -> String {
        var text = level.russianName
        if let source { text += "; " + source }
        if let comment { text += "; " + comment }
        return text
    }

    /// Every school must be known and in scope (else line errors, nothing written); a rating equal to the stored
    /// one is unchanged and not written.
    static func make(_ records: [RiskRating], state: ResultsImporter.RiskState, fileName: String) throws -> RiskImportPlan {
        var issues = IssueCollector(file: fileName)
        var plan = RiskImportPlan(directory: state.directory)
        var warned = Set<Key>()
        var unlisted: [(year: Int, issue: ImportIssue)] = []
        plan.added.reserveCapacity(records.count)
        // «2024: фактор 3»: a few dozen distinct labels for a million changes.
        var fieldNames: [Key: String] = [:]
        for (index, record) in records.enumerated() {
            guard let schoolID = state.directory.resolve(record.school, line: record.line, &issues) else { continue }
            let new = text(level: record.level, source: record.source, comment: record.comment)
            let old = state.stored[Key(school: schoolID, year: record.year, factor: record.factor)]
            // A profile is kept for a school off the year's list in force, with one warning per school and year.
            if let listed = state.listed[record.year], !listed.contains(schoolID),
               warned.insert(Key(school: schoolID, year: record.year, factor: 0)).inserted {
                unlisted.append((record.year, ImportIssue(
                    file: fileName, line: record.line, column: "school",
                    message: "школы «\(record.school)» нет в утверждённом списке на \(record.year) год: "
                        + "профиль сохранён и отмечен на матрице рисков",
                    severity: .warning)))
            }
            if old == new { plan.summary.unchanged += 1; continue }
            if old == nil {
                plan.summary.created += 1
                plan.changes[schoolID, default: .init()].created += 1
                plan.added.append((index, schoolID))
            } else {
                plan.summary.updated += 1
                plan.changes[schoolID, default: .init()].updated += 1
                plan.changed.append((index, schoolID))
            }
            let fieldKey = Key(school: 0, year: record.year, factor: record.factor)
            let field = fieldNames[fieldKey] ?? "\(record.year): фактор \(record.factor)"
            fieldNames[fieldKey] = field
            plan.changes[schoolID, default: .init()].fields.append(FieldChange(field: field, old: old, new: new))
        }
        try issues.throwIfFailed()
        // Warnings year by year, then by line, as the importer has always given them.
        plan.summary.warnings = unlisted.sorted { ($0.year, $0.issue.line) < ($1.year, $1.issue.line) }.map(\.issue)
        return plan
    }

    /// One entry per school that changed, with its changes old → new, at the school's place.
    func audit(fileName: String) -> [AuditLog.Entry] {
        changes.sorted { $0.key < $1.key }.map { schoolID, change in
            let place = directory.places[schoolID]
            return AuditLog.Entry(action: "import", entity: "risk_profile", entityID: schoolID,
                                  summary: "Загружены оценки факторов риска школы «\(directory.names[schoolID] ?? "")» (\(fileName)): "
                                      + "добавлено \(change.created), изменено \(change.updated)",
                                  changes: change.fields,
                                  place: AuditPlace(regionID: place?.regionID, municipalityID: place?.municipalityID, schoolID: schoolID))
        }
    }
}
