import FluentKit
import OporaDomain
import SQLKit

/// A school's staff and development per year and its specialists and vacancies (Table 23), within the scope.
public struct StaffRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// A file replaces the staff of every school and year it names; other schools and years stay.
    public func writeStaff(_ records: [StaffRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let directory = try await ResultsImporter(db: tx, actor: actor, scope: scope).directory(on: tx)
            var rows: [[any Encodable & Sendable]] = []
            var replaced = Set<SchoolYear>()
            for record in records {
                guard let id = directory.resolve(record.group.school, line: record.line, &issues) else { continue }
                let group = record.group
                replaced.insert(SchoolYear(school: id, year: group.year))
                rows.append([id, group.year, group.position, group.count, group.person, group.category?.rawValue, group.attestedOn?.iso, group.courseHours,
                             group.courseTopic, group.courseProvider, group.deficit, group.route?.rawValue])
            }
            try issues.throwIfFailed()
            for (year, schools) in Dictionary(grouping: replaced, by: \.year) {
                try await tx.sql.delete(from: "staff_records").where("year", .equal, year).where("school_id", .in, schools.map(\.school)).run()
            }
            try await tx.sql.insertRows(into: "staff_records", columns: ["school_id", "year", "position", "participants", "person", "category", "attested_on",
                                                                     "course_hours", "course_topic", "course_provider", "deficit", "route"], rows: rows)
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "staff", entityID: nil,
                                      summary: "Загружены сведения о педагогических кадрах (\(fileName)): школ и лет \(replaced.count), "
                                          + "строк \(rows.count)",
                                      place: AuditPlace(directory.territory(of: replaced.map(\.school))))
            var summary = ImportSummary()
            summary.created = rows.count
            return summary
        }
    }

    struct SchoolYear: Hashable { let school: Int; let year: Int }

    /// Table 23 rows replace the specialists and vacancies of their school and year.
    public func writeSpecialists(_ records: [SpecialistsRecord], fileName: String, actor: Actor, scope: AccessScope) async throws -> ImportSummary {
        try await db.transaction { tx in
            try await ImportWriteLock.acquire(on: tx)
            var issues = IssueCollector(file: fileName)
            let directory = try await ResultsImporter(db: tx, actor: actor, scope: scope).directory(on: tx)
            var resolved: [(Int, SpecialistsRow)] = []
            for record in records {
                if let id = directory.resolve(record.row.school, line: record.line, &issues) { resolved.append((id, record.row)) }
            }
            try issues.throwIfFailed()
            for (year, rows) in Dictionary(grouping: resolved, by: { $0.1.year }) {
                let schools = rows.map(\.0)
                try await tx.sql.delete(from: "school_specialists").where("year", .equal, year).where("school_id", .in, schools).run()
                try await tx.sql.delete(from: "school_vacancies").where("year", .equal, year).where("school_id", .in, schools).run()
            }
            let counts: [[any Encodable & Sendable]] = resolved.flatMap { id, row in
                row.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { specialty, count in [id, row.year, specialty.rawValue, count.staff, count.partTime] }
            }
            let vacancies: [[any Encodable & Sendable]] = resolved.compactMap { id, row in row.vacancies.map { [id, row.year, $0] } }
            try await tx.sql.insertRows(into: "school_specialists", columns: ["school_id", "year", "specialty", "staff", "part_time"], rows: counts)
            try await tx.sql.insertRows(into: "school_vacancies", columns: ["school_id", "year", "vacancies"], rows: vacancies)
            try await AuditLog.record(on: tx, actor: actor, action: "import", entity: "specialists", entityID: nil,
                                      summary: "Загружены специалисты и вакансии (\(fileName)): школ \(resolved.count)",
                                      place: AuditPlace(directory.territory(of: resolved.map(\.0))))
            var summary = ImportSummary()
            summary.created = resolved.count
            return summary
        }
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
            .columns(["year", "position", "participants", "person", "category", "attested_on", "course_hours", "course_topic", "course_provider", "deficit", "route"]
                .map { SQLColumn($0, table: "r") })
            .from(SQLAlias(SQLIdentifier("staff_records"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), on: SQLColumn("school_id", table: "r"), .equal, SQLColumn("id", table: "s"))
            .where(SQLColumn("school_id", table: "r"), .in, SQLBind.group(ids)).where(SQLColumn("year", table: "r"), .equal, SQLBind(year))
            .orderBy(SQLColumn("id", table: "r")).all(decoding: Row.self)
        return rows.map {
            StaffGroup(school: $0.code, year: $0.year, position: $0.position, count: $0.participants, person: $0.person,
                       category: $0.category.flatMap(QualificationCategory.init(rawValue:)), attestedOn: $0.attested_on.flatMap(CalendarDay.init(parsing:)),
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
        return Dictionary(uniqueKeysWithValues: try await db.sql.raw(query).all(decoding: Row.self).map { ($0.school_id, Share(count: $0.trained, base: $0.people)) })
    }

    /// Table 23 of the scope's schools for `year`, by school code.
    public func specialists(_ scope: AccessScope, year: Int) async throws -> [SpecialistsRow] {
        struct Count: Decodable { let code: String; let specialty: String; let staff: Int; let part_time: Int }
        struct Vacancy: Decodable { let code: String; let vacancies: Int }
        let ids = try await ScopeQueries.schoolIDs(scope, on: db)
        guard !ids.isEmpty else { return [] }
        let inScope = ids.map(String.init).joined(separator: ",")
        let counts = try await db.sql.raw("""
            SELECT s.code AS code, x.specialty AS specialty, x.staff AS staff, x.part_time AS part_time FROM school_specialists x JOIN schools s ON s.id = x.school_id
            WHERE x.year = \(bind: year) AND x.school_id IN (\(unsafeRaw: inScope))
            """).all(decoding: Count.self)
        let vacancies = try await db.sql.raw("""
            SELECT s.code AS code, v.vacancies AS vacancies FROM school_vacancies v JOIN schools s ON s.id = v.school_id
            WHERE v.year = \(bind: year) AND v.school_id IN (\(unsafeRaw: inScope))
            """).all(decoding: Vacancy.self)
        let bySchool = Dictionary(grouping: counts, by: \.code)
        let vacancyOf = Dictionary(vacancies.map { ($0.code, $0.vacancies) }, uniquingKeysWith: { first, _ in first })
        return Set(bySchool.keys).union(vacancyOf.keys).sorted { $0.localizedStandardCompare($1) == .orderedAscending }.map { code in
            var row = SpecialistsRow(school: code, year: year, counts: [:], vacancies: vacancyOf[code])
            for count in bySchool[code] ?? [] {
                if let specialty = Specialty(rawValue: count.specialty) { row.counts[specialty] = SpecialistCount(staff: count.staff, partTime: count.part_time) }
            }
            return row
        }
    }
}
