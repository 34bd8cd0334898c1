import FluentKit
import OporaDomain
import SQLKit

/// A school's staff and development per year and its specialists and vacancies (Table 23), within the scope.
public struct StaffRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// A file replaces the staff of every school and year it names; other schools and years stay. The schools are
    /// read once, the file planned in memory (`StaffImportPlan`), the old rows deleted per year and the new ones
    /// written in bulk.
    public func writeStaff(_ records: [StaffRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        try await ImportWriteLock.transaction(on: db) { tx in
            let directory = try await ResultsImporter.readDirectory(on: tx, scope: scope)
            let plan = try StaffImportPlan(records, directory: directory, fileName: fileName)
            for (year, schools) in plan.replaced.sorted(by: { $0.key < $1.key }) {
                try await tx.sql.delete(from: "staff_records").where("year", .equal, year).where("school_id", .in, schools.sorted())
                    .run()
            }
            try await BulkTable(name: "staff_records", columns: ["school_id", "year", "position", "participants", "person", "category",
                                                                  "attested_on", "course_hours", "course_topic", "course_provider",
                                                                  "deficit", "route"])
                .write(BulkRows.inKeyOrder(Array(records.indices)) { (plan.schoolIDs[$0], records[$0].group.year, 0) }, on: tx) { index in
                    let group = records[index].group
                    return [.int(plan.schoolIDs[index]), .int(group.year), .text(group.position), .int(group.count),
                            .text(group.person), .text(group.category?.rawValue), .text(group.attestedOn?.iso),
                            .double(group.courseHours),
                            .text(group.courseTopic), .text(group.courseProvider), .text(group.deficit), .text(group.route?.rawValue)]
                }
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "staff", entityID: nil,
                                      summary: "Загружены сведения о педагогических кадрах (\(fileName)): "
                                          + "школ и лет \(plan.schoolYears), строк \(records.count)",
                                      place: AuditPlace(directory.territory(of: plan.schoolIDs)))
            return plan.summary
        }
    }

    /// What `writeStaff` would do, planned from one read of the schools.
    func planStaff(_ records: [StaffRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        let directory = try await ResultsImporter.readDirectory(on: db, scope: scope)
        return try StaffImportPlan(records, directory: directory, fileName: fileName).summary
    }

    /// Table 23 rows replace the specialists and vacancies of their school and year.
    public func writeSpecialists(_ records: [SpecialistsRecord], fileName: String, actor: Actor,
                                 scope: AccessScope) async throws -> ImportSummary {
        try await ImportWriteLock.transaction(on: db) { tx in
            let directory = try await ResultsImporter.readDirectory(on: tx, scope: scope)
            let plan = try SpecialistsImportPlan(records, directory: directory, fileName: fileName)
            for (year, schools) in plan.replaced.sorted(by: { $0.key < $1.key }) {
                try await tx.sql.delete(from: SchoolStaffing.table).where("year", .equal, year).where("school_id", .in, schools.sorted())
                    .run()
            }
            try await BulkTable(name: SchoolStaffing.table, columns: SchoolStaffing.columns)
                .write(BulkRows.inKeyOrder(plan.stored) { ($0.schoolID, $0.year, 0) }, on: tx) { row in
                    SchoolStaffing.cells(schoolID: row.schoolID, records[row.index].row)
                }
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "specialists", entityID: nil,
                                      summary: "Загружены специалисты и вакансии (\(fileName)): школ \(plan.summary.created)",
                                      place: AuditPlace(directory.territory(of: plan.schoolIDs)))
            return plan.summary
        }
    }

    /// What `writeSpecialists` would do, planned from one read of the schools.
    func planSpecialists(_ records: [SpecialistsRecord], fileName: String, actor: Actor,
                         scope: AccessScope) async throws -> ImportSummary {
        let directory = try await ResultsImporter.readDirectory(on: db, scope: scope)
        return try SpecialistsImportPlan(records, directory: directory, fileName: fileName).summary
    }

    /// The staff groups of the scope's schools in `year`, with school codes.
    public func staff(_ scope: AccessScope, year: Int) async throws -> [StaffGroup] {
        struct Row: Decodable {
            let code: String, year: Int, position: String, participants: Int, person: String?, category: String?, attested_on: String?
            let course_hours: Double?, course_topic: String?, course_provider: String?, deficit: String?, route: String?
        }
        let ids = try await ScopeQueries.schoolIDs(scope, on: db)
        guard !ids.isEmpty else { return [] }
        let rows = try await db.sql.select().column(SQLColumn("code", table: "s"))
            .columns(["year", "position", "participants", "person", "category", "attested_on", "course_hours", "course_topic",
                      "course_provider", "deficit", "route"].map { SQLColumn($0, table: "r") })
            .from(SQLAlias(SQLIdentifier("staff_records"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), on: SQLColumn("school_id", table: "r"), .equal,
                  SQLColumn("id", table: "s"))
            .where(SQLColumn("school_id", table: "r"), .in, SQLBind.group(ids)).where(SQLColumn("year", table: "r"), .equal, SQLBind(year))
            .orderBy(SQLColumn("id", table: "r")).all(decoding: Row.self)
        return rows.map {
            StaffGroup(school: $0.code, year: $0.year, position: $0.position, count: $0.participants, person: $0.person,
                       category: $0.category.flatMap(QualificationCategory.init(rawValue:)),
                       attestedOn: $0.attested_on.flatMap(CalendarDay.init(parsing:)),
                       courseHours: $0.course_hours, courseTopic: $0.course_topic, courseProvider: $0.course_provider, deficit: $0.deficit,
                       route: $0.route.flatMap(DevelopmentRoute.init(rawValue:)))
        }
    }

    /// Per school of the scope: those who took a course in `year` of all its staff (the `teachers_trained` formula).
    public func trainedShares(_ scope: AccessScope, year: Int) async throws -> [Int: Share] {
        struct Row: Decodable { let school_id: Int; let people: Int; let trained: Int }
        let ids = try await ScopeQueries.schoolIDs(scope, on: db)
        guard !ids.isEmpty else { return [:] }
        let query: SQLQueryString = """
            SELECT school_id, CAST(SUM(participants) AS BIGINT) AS people,
                   CAST(SUM(CASE WHEN course_hours > 0 THEN participants ELSE 0 END) AS BIGINT) AS trained
            FROM staff_records WHERE year = \(bind: year) AND school_id IN (\(unsafeRaw: ids.map(String.init).joined(separator: ",")))
            GROUP BY school_id
            """
        return Dictionary(uniqueKeysWithValues: try await db.sql.raw(query).all(decoding: Row.self).map {
            ($0.school_id, Share(count: $0.trained, base: $0.people))
        })
    }

    /// Table 23 of the scope's schools for `year`, by school code.
    public func specialists(_ scope: AccessScope, year: Int) async throws -> [SpecialistsRow] {
        let ids = try await ScopeQueries.schoolIDs(scope, on: db)
        guard !ids.isEmpty else { return [] }
        let stored = try await db.sql.raw("""
            SELECT s.code AS code, \(unsafeRaw: SchoolStaffing.columns.dropFirst().map { "x.\($0)" }.joined(separator: ", "))
            FROM \(unsafeRaw: SchoolStaffing.table) x JOIN schools s ON s.id = x.school_id
            WHERE x.year = \(bind: year) AND x.school_id IN (\(unsafeRaw: ids.map(String.init).joined(separator: ",")))
            """).all(decoding: SchoolStaffing.Stored.self)
        return stored.map { SpecialistsRow(school: $0.code ?? "", year: $0.year, counts: $0.counts, vacancies: $0.vacancies) }
            .sorted { $0.school.localizedStandardCompare($1.school) == .orderedAscending }
    }
}

/// Table 23 as stored: a row per school and year, a pair of columns (staff, part-timers) per specialty, NULL where
/// the file left the specialty empty, and the vacancies.
enum SchoolStaffing {
    static let table = "school_staffing"
    static let columns = ["school_id", "year"] + Specialty.allCases.flatMap { [staffColumn($0), partTimeColumn($0)] } + ["vacancies"]

    static func staffColumn(_ specialty: Specialty) -> String { specialty.rawValue + "_staff" }
    static func partTimeColumn(_ specialty: Specialty) -> String { specialty.rawValue + "_part_time" }

    /// A row's cells in the order of `columns`.
    static func cells(schoolID: Int, _ row: SpecialistsRow) -> [BulkValue] {
        var cells: [BulkValue] = [.int(schoolID), .int(row.year)]
        cells.reserveCapacity(columns.count)
        for specialty in Specialty.allCases {
            let count = row.counts[specialty]
            cells.append(.int(count?.staff))
            cells.append(.int(count?.partTime))
        }
        cells.append(.int(row.vacancies))
        return cells
    }

    /// A stored row, read by column name (with the school's code where the query joins it).
    struct Stored: Decodable {
        let code: String?
        let schoolID: Int?
        let year: Int
        let counts: [Specialty: SpecialistCount]
        let vacancies: Int?

        struct Column: CodingKey {
            let stringValue: String
            init(_ name: String) { stringValue = name }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let row = try decoder.container(keyedBy: Column.self)
            code = try row.decodeIfPresent(String.self, forKey: Column("code"))
            schoolID = try row.decodeIfPresent(Int.self, forKey: Column("school_id"))
            year = try row.decode(Int.self, forKey: Column("year"))
            vacancies = try row.decodeIfPresent(Int.self, forKey: Column("vacancies"))
            var counts: [Specialty: SpecialistCount] = [:]
            for specialty in Specialty.allCases {
                if let staff = try row.decodeIfPresent(Int.self, forKey: Column(SchoolStaffing.staffColumn(specialty))) {
                    let partTime = try row.decodeIfPresent(Int.self, forKey: Column(SchoolStaffing.partTimeColumn(specialty)))
                    counts[specialty] = SpecialistCount(staff: staff, partTime: partTime ?? 0)
                }
            }
            self.counts = counts
        }
    }
}

/// A `staff` file planned in memory: every school known and in scope (else line errors, nothing written); the
/// school-years it replaces and the rows it writes (each row is counted as added: the file replaces them).
struct StaffImportPlan {
    /// The school of each record, in the file's order (a plan holds no copy of the records).
    var schoolIDs: [Int] = []
    /// Year → the schools whose staff of that year the file replaces.
    var replaced: [Int: Set<Int>] = [:]
    var summary = ImportSummary()

    var schoolYears: Int { replaced.values.reduce(0) { $0 + $1.count } }

    init(_ records: [StaffRecord], directory: ResultsImporter.SchoolDirectory, fileName: String) throws {
        var issues = IssueCollector(file: fileName)
        schoolIDs.reserveCapacity(records.count)
        for record in records {
            guard let id = directory.resolve(record.group.school, line: record.line, &issues) else { continue }
            replaced[record.group.year, default: []].insert(id)
            schoolIDs.append(id)
        }
        try issues.throwIfFailed()
        summary.created = schoolIDs.count
    }
}

/// A `specialists` file (Table 23) planned in memory: one row per school and year replaces its specialists and
/// vacancies; each school-year is counted as added. A row that names no count and no vacancies only clears.
struct SpecialistsImportPlan {
    /// A row to store: its school and year, and the record it comes from (a plan holds no copy of the records).
    struct Stored { let schoolID: Int; let year: Int; let index: Int }

    var stored: [Stored] = []
    var replaced: [Int: Set<Int>] = [:]
    var schoolIDs: [Int] = []
    var summary = ImportSummary()

    init(_ records: [SpecialistsRecord], directory: ResultsImporter.SchoolDirectory, fileName: String) throws {
        var issues = IssueCollector(file: fileName)
        stored.reserveCapacity(records.count)
        schoolIDs.reserveCapacity(records.count)
        // Records read in place, field by field (a whole record copied is a retain per field).
        for index in records.indices {
            guard let id = directory.resolve(records[index].row.school, line: records[index].line, &issues) else { continue }
            let year = records[index].row.year
            schoolIDs.append(id)
            replaced[year, default: []].insert(id)
            if !records[index].row.counts.isEmpty || records[index].row.vacancies != nil {
                stored.append(Stored(schoolID: id, year: year, index: index))
            }
        }
        try issues.throwIfFailed()
        summary.created = schoolIDs.count
    }
}
