import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Where a task report is asked for: one school, a municipality, a region, or the whole installation.
public enum TaskTarget: Sendable, Hashable {
    case school(Int)
    case municipality(Int)
    case region(Int)
    case everything
}

/// One school's task tally as stored, with its place (so a caller narrows or adds up without another query).
public struct StoredTaskTally: Sendable {
    public let place: SchoolPlace
    public let tally: TaskTally
}

/// One school's objectivity markers in one work (the list of schools showing signs of non-objectivity).
public struct SchoolTaskMarkers: Sendable {
    public let schoolID: Int
    public let work: WorkKey
    public let participants: Int
    public let markers: [TaskMarker]
}

/// The stored form of a `TaskTally` (the `task_tallies.tally` column): small JSON.
enum TaskTallyCodec {
    struct Stored: Codable {
        var tasks: [String]
        var points: [Int]
        var not_attempted: [Int]
        var by_mark: [[Int]]
    }

    static func encode(_ tally: TaskTally) -> String {
        let stored = Stored(tasks: tally.tasks, points: tally.points, not_attempted: tally.notAttempted, by_mark: tally.byMark)
        return String(decoding: (try? JSONEncoder().encode(stored)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Decoded tallies by their stored text: the same text always decodes the same, so pages reuse the work of
    /// earlier ones (a region's page decodes a thousand of them) without any question of staleness.
    nonisolated(unsafe) static var decoded: [String: Stored] = [:]
    static let decodedLock = NSLock()
    static let decodedCapacity = 50_000

    static func stored(_ text: String) -> Stored? {
        if let known = decodedLock.withLock({ decoded[text] }) { return known }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)) else { return nil }
        decodedLock.withLock {
            if decoded.count >= decodedCapacity { decoded.removeAll(keepingCapacity: true) }
            decoded[text] = stored
        }
        return stored
    }

    static func decode(_ text: String, work: WorkKey, participants: Int) -> TaskTally? {
        guard let stored = stored(text),
              stored.points.count == stored.tasks.count, stored.not_attempted.count == stored.tasks.count,
                  stored.by_mark.count == 5 else { return nil }
        return TaskTally(work: work, tasks: stored.tasks, participants: participants, points: stored.points,
            notAttempted: stored.not_attempted,
                         byMark: stored.by_mark)
    }
}

/// Reads task-level results: specifications, scales, benchmarks, the schools' tallies, and the reports built
/// from them by the domain's `TaskFigures` and `TaskObjectivity` (pages, `opora tasks` and documents ask here).
public struct TaskRepository: Sendable {
    public let db: any Database
    /// Decoded tallies per work for the length of one page or document (nil: read each time).
    let memo: TallyMemo?

    public init(db: any Database, memo: TallyMemo? = nil) {
        self.db = db
        self.memo = memo
    }

    /// One page asks for the same work's tallies several times (the place, its municipality, its region, the markers);
    /// a memo decodes the thousand JSON tallies of a region once per page instead of once per question.
    public final class TallyMemo: @unchecked Sendable {
        private let lock = NSLock()
        private var byWork: [WorkKey: [StoredTaskTally]] = [:]
        public init() {}
        func get(_ work: WorkKey) -> [StoredTaskTally]? { lock.withLock { byWork[work] } }
        func put(_ work: WorkKey, _ tallies: [StoredTaskTally]) { lock.withLock { byWork[work] = tallies } }
    }

    struct WorkRow: Decodable {
        let year: Int, procedure: String, grade: Int, subject: String
        var work: WorkKey? {
            ProcedureCode(rawValue: procedure).map { WorkKey(year: year, procedure: $0, grade: grade, subject: subject) }
        }
    }

    static func whereWork(_ work: WorkKey, prefix: String = "") -> SQLQueryString {
        """
        \(unsafeRaw: prefix)year = \(bind: work.year) AND \(unsafeRaw: prefix)procedure = \(bind: work.procedure.rawValue) \
        AND \(unsafeRaw: prefix)grade = \(bind: work.grade) AND \(unsafeRaw: prefix)subject = \(bind: work.subject)
        """
    }

    // MARK: specifications, scales, benchmarks

    /// Every stored specification (of one year when given), tasks in printed order.
    public func specifications(year: Int? = nil) async throws -> [WorkKey: TaskSpecification] {
        struct Row: Decodable {
            let year: Int, procedure: String, grade: Int, subject: String, position: Int, task: String, max_points: Int
            let requirement: String?, block: String?, level: String
        }
        let filter: SQLQueryString = year.map { "WHERE year = \(bind: $0)" } ?? ""
        let rows = try await db.sql.raw("""
            SELECT year, procedure, grade, subject, position, task, max_points, requirement, block, level FROM task_specs \(filter) \
            ORDER BY year, procedure, grade, subject, position
            """).all(decoding: Row.self)
        var result: [WorkKey: TaskSpecification] = [:]
        for row in rows {
            guard let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            let work = WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject)
            result[work, default: TaskSpecification(work: work, tasks: [])].tasks.append(TaskSpec(
                task: row.task, maxPoints: row.max_points, requirement: row.requirement, block: row.block,
                level: TaskLevel(rawValue: row.level) ?? .basic))
        }
        return result
    }

    /// One work's specification, or nil when none is stored.
    public func specification(_ work: WorkKey) async throws -> TaskSpecification? {
        try await specifications(year: work.year)[work]
    }

    /// The work's mark scale, or nil when none is stored.
    public func markScale(_ work: WorkKey) async throws -> MarkScale? {
        struct Row: Decodable { let mark: Int; let min_primary: Int }
        let rows = try await db.sql.raw("SELECT mark, min_primary FROM mark_scales WHERE \(Self.whereWork(work))").all(decoding: Row.self)
        guard !rows.isEmpty else { return nil }
        return MarkScale(work: work, minimums: Dictionary(uniqueKeysWithValues: rows.map { ($0.mark, $0.min_primary) }))
    }

    /// The work's `task_benchmarks` as a region sees them: the region's own rows, else the whole installation's (owner 0).
    public func benchmarks(_ work: WorkKey, regionID: Int?) async throws -> [TaskBenchmark] {
        struct Row: Decodable { let owner_region_id: Int; let task: String; let level: String; let name: String; let percent: Double }
        let owners = [0] + (regionID.map { [$0] } ?? [])
        let rows = try await db.sql.raw("""
            SELECT owner_region_id, task, level, name, percent FROM task_benchmarks WHERE \(Self.whereWork(work)) \
            AND owner_region_id IN (\(unsafeRaw: owners.map(String.init).joined(separator: ",")))
            """).all(decoding: Row.self)
        var chosen: [String: (owner: Int, benchmark: TaskBenchmark)] = [:]
        for row in rows {
            guard let level = BenchmarkLevel(rawValue: row.level) else { continue }
            let key = "\(TaskSpec.key(row.task))|\(row.level)|\(row.name)"
            if let held = chosen[key], held.owner != 0 { continue }
            chosen[key] = (row.owner_region_id, TaskBenchmark(work: work, task: row.task, level: level, name: row.name,
                percent: row.percent))
        }
        return chosen.values.map(\.benchmark).sorted { ($0.task, $0.level.rawValue, $0.name) < ($1.task, $1.level.rawValue, $1.name) }
    }

    // MARK: tallies

    /// Works with stored tallies for schools in `scope` (of one year when given), ascending.
    public func works(year: Int? = nil, scope: AccessScope = .everything) async throws -> [WorkKey] {
        struct Row: Decodable {
            let school_id: Int, municipality_id: Int, region_id: Int
            let year: Int, procedure: String, grade: Int, subject: String
        }
        let filter: SQLQueryString = year.map { "t.year = \(bind: $0)" } ?? "1 = 1"
        // The works only: the tallies themselves are not read (nor decoded) to list them.
        let rows = try await db.sql.raw("""
            SELECT t.school_id, s.municipality_id, m.region_id, t.year, t.procedure, t.grade, t.subject \
            FROM task_tallies t JOIN schools s ON s.id = t.school_id JOIN municipalities m ON m.id = s.municipality_id \
            WHERE \(filter)
            """).all(decoding: Row.self)
        var works = Set<WorkKey>()
        for row in rows {
            let place = SchoolPlace(schoolID: row.school_id, municipalityID: row.municipality_id, regionID: row.region_id)
            guard scope.contains(place), let procedure = ProcedureCode(rawValue: row.procedure) else { continue }
            works.insert(WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject))
        }
        return works.sorted()
    }

    /// Stored tallies of one work (or, with `work` nil, of a year or of everything) for the schools in `scope`.
    public func tallies(_ work: WorkKey? = nil, year: Int? = nil, scope: AccessScope = .everything) async throws -> [StoredTaskTally] {
        if let work, let memo {
            if let known = memo.get(work) { return known.filter { scope.contains($0.place) } }
            let all = try await readTallies(work, year: nil, scope: .everything)
            memo.put(work, all)
            return all.filter { scope.contains($0.place) }
        }
        return try await readTallies(work, year: year, scope: scope)
    }

    func readTallies(_ work: WorkKey?, year: Int?, scope: AccessScope) async throws -> [StoredTaskTally] {
        struct Row: Decodable {
            let school_id: Int, municipality_id: Int, region_id: Int
            let year: Int, procedure: String, grade: Int, subject: String, participants: Int, tally: String
        }
        var filter: SQLQueryString = "1 = 1"
        if let work { filter = Self.whereWork(work, prefix: "t.") } else if let year { filter = "t.year = \(bind: year)" }
        let rows = try await db.sql.raw("""
            SELECT t.school_id, s.municipality_id, m.region_id, t.year, t.procedure, t.grade, t.subject, t.participants, t.tally \
            FROM task_tallies t JOIN schools s ON s.id = t.school_id JOIN municipalities m ON m.id = s.municipality_id \
            WHERE \(filter) ORDER BY t.school_id
            """).all(decoding: Row.self)
        return rows.compactMap { row in
            let place = SchoolPlace(schoolID: row.school_id, municipalityID: row.municipality_id, regionID: row.region_id)
            guard scope.contains(place), let procedure = ProcedureCode(rawValue: row.procedure) else { return nil }
            let work = WorkKey(year: row.year, procedure: procedure, grade: row.grade, subject: row.subject)
            return TaskTallyCodec.decode(row.tally, work: work, participants: row.participants).map { StoredTaskTally(place: place,
                tally: $0) }
        }
    }

    // MARK: reports

    /// The report of one work for a target (a school's with its municipality's column; a municipality's with its own;
    /// a region's or everything's without), nil when the work has no specification. `scope` is the caller's: tallies
    /// outside it are never read, so a target outside the scope gives a report with no participants.
    public func report(_ work: WorkKey, for target: TaskTarget, scope: AccessScope = .everything) async throws -> TaskReport? {
        guard let spec = try await specification(work) else { return nil }
        let all = try await tallies(work)
        let visible = all.filter { scope.contains($0.place) }
        let own: [StoredTaskTally], municipality: [StoredTaskTally]?, regionID: Int?
        switch target {
        case .school(let id):
            own = visible.filter { $0.place.schoolID == id }
            var place = own.first?.place
            if place == nil { place = try await ScopeQueries.place(ofSchool: id, on: db) }
            // The municipality's column is over every pupil of it Opora holds (CONTRACT), a figure the school may see.
            municipality = place.map { place in all.filter { $0.place.municipalityID == place.municipalityID } }
            regionID = place?.regionID
        case .municipality(let id):
            own = visible.filter { $0.place.municipalityID == id }
            municipality = own
            regionID = try await municipalityRegion(id)
        case .region(let id):
            own = visible.filter { $0.place.regionID == id }
            municipality = nil
            regionID = id
        case .everything:
            own = visible
            municipality = nil
            regionID = nil
        }
        let region = regionID.map { id in all.filter { $0.place.regionID == id } } ?? all
        return TaskFigures.report(spec: spec, tally: TaskTally.sum(own.map(\.tally)),
            municipality: municipality.flatMap { TaskTally.sum($0.map(\.tally)) },
                                  region: TaskTally.sum(region.map(\.tally)), benchmarks: try await benchmarks(work, regionID: regionID),
                                  scale: try await markScale(work))
    }

    /// The reports of every work with tallies for the target (of one year when given), ascending by work: what
    /// `TaskFigures.deficits(_:by:)` groups across grades and years.
    public func reports(for target: TaskTarget, year: Int? = nil, scope: AccessScope = .everything) async throws -> [TaskReport] {
        var reports: [TaskReport] = []
        for work in try await works(year: year, scope: scope) {
            if let report = try await report(work, for: target, scope: scope), report.participants > 0 { reports.append(report) }
        }
        return reports
    }

    /// One school's markers in one work (empty without a specification or pupils).
    public func markers(_ work: WorkKey, schoolID: Int, scope: AccessScope = .everything) async throws -> [TaskMarker] {
        guard let report = try await report(work, for: .school(schoolID), scope: scope) else { return [] }
        let tally = try await tallies(work, scope: scope).first { $0.place.schoolID == schoolID }?.tally
        return TaskObjectivity.markers(report: report, tally: tally, scale: report.scale)
    }

    func municipalityRegion(_ id: Int) async throws -> Int? {
        struct Row: Decodable { let region_id: Int }
        return try await db.sql.raw("SELECT region_id FROM municipalities WHERE id = \(bind: id)").first(decoding: Row.self)?.region_id
    }

    /// The objectivity markers of every school in `scope` for the year's works (schools without a marker left out),
    /// ordered by work, then school id.
    public func schoolMarkers(year: Int, scope: AccessScope) async throws -> [SchoolTaskMarkers] {
        let specs = try await specifications(year: year)
        let all = try await tallies(year: year)
        var result: [SchoolTaskMarkers] = []
        for (work, tallies) in Dictionary(grouping: all, by: \.tally.work).sorted(by: { $0.key < $1.key }) {
            guard let spec = specs[work] else { continue }
            let scale = try await markScale(work)
            for regionID in Set(tallies.map(\.place.regionID)).sorted() {
                let inRegion = tallies.filter { $0.place.regionID == regionID }
                let region = TaskTally.sum(inRegion.map(\.tally))
                let benchmarks = try await benchmarks(work, regionID: regionID)
                for school in inRegion where scope.contains(school.place) {
                    let report = TaskFigures.report(spec: spec, tally: school.tally, region: region, benchmarks: benchmarks, scale: scale)
                    let markers = TaskObjectivity.markers(report: report, tally: school.tally, scale: scale)
                    if !markers.isEmpty {
                        result.append(SchoolTaskMarkers(schoolID: school.place.schoolID, work: work,
                            participants: school.tally.participants,
                                                        markers: markers))
                    }
                }
            }
        }
        return result
    }
}
