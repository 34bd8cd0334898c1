import Fluent
import OporaData
import OporaDomain
import Vapor

/// Names for the selectors and tables.
enum ResultLabels {
    static func subjects(on db: any Database) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: db).all().map { ($0.code, $0.name) })
    }

    static func work(_ work: WorkKey, subjects: [String: String]) -> String {
        "\(work.procedure.russianShortName)-\(work.year), \(work.grade) класс, \(subjects[work.subject] ?? work.subject)"
    }
}

/// The results explorer: one work (year × procedure × grade × subject), one row per school in scope,
/// with comparison rows (municipality, region, Russia) and differences in percentage points.
struct ResultsExplorerModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let school: String
        let municipality: String
        let counts: ResultCounts
        let metrics: ResultMetrics
        let successInterval: (lower: Double, upper: Double)?
        let differenceSuccess: Double?
        let differenceQuality: Double?
        let small: Bool
    }

    struct Comparison: Sendable {
        let label: String
        let participants: Int?
        let successRate: Double?
        let qualityRate: Double?
        let meanMark: Double?
        let belowMinRate: Double?
        let meanScore: Double?
        let source: String

        /// An imported figure with quality above success is marked like a report's (`ReportChecks.quality`).
        var qualityFlag: String? { ReportChecks.quality(qualityRate, success: successRate) }
    }

    let works: [WorkKey]
    let selected: WorkKey?
    let rows: [Row]
    let comparisons: [Comparison]
    let subjects: [String: String]
    let sort: String
    let minimumGroup: Int
    /// The threshold of the criteria in force (the table marks shares at or above it).
    let threshold: Double
    let paging: Paging

    static let sortKeys: [(key: String, label: String)] = [
        ("school", "Школа"), ("participants", "Участников"), ("success", "Успеваемость"), ("quality", "Качество"),
        ("mean", "Средняя отметка"), ("sou", "СОУ"), ("below", "Ниже порога"), ("score", "Средний балл"), ("confirmed", "Подтвердили"),
    ]

    static func build(_ req: Request) async throws -> ResultsExplorerModel {
        let user = try req.user
        let derived = try await req.derived
        let works = try await derived.availableWorks(scope: user.scope)
        let subjects = try await derived.subjectNames()
        let minimumGroup = try req.queryInt("min", in: InputRange.minimumGroup, "малая группа") ?? Metrics.defaultMinimumGroup
        var selected = works.first
        if let year = try req.queryYear(), let procedureText = try req.queryText("procedure", maxLength: 20),
            let grade = try req.queryInt("grade", in: InputRange.grade, "класс"), let subject = try req.queryText("subject", maxLength: 40)
        {
            guard let procedure = ProcedureCode(parsing: procedureText) else {
                throw Abort(.badRequest, reason: "Неизвестная процедура «\(procedureText)»")
            }
            selected = WorkKey(year: year, procedure: procedure, grade: grade, subject: subject)
        }
        if let encoded = try req.queryText("work", maxLength: 80) {
            guard let work = WorkKey(encoded: encoded), InputRange.year.contains(work.year), InputRange.grade.contains(work.grade) else {
                throw Abort(.badRequest, reason: "Параметр «работа» не читается")
            }
            selected = work
        }
        let sort = try req.queryChoice("sort", from: sortKeys.map(\.key), default: "below")
        guard let work = selected else {
            return ResultsExplorerModel(
                works: works, selected: nil, rows: [], comparisons: [], subjects: subjects, sort: sort, minimumGroup: minimumGroup,
                threshold: CriteriaSet.pervouralsk.lowResults.threshold, paging: Paging(page: 1, total: 0))
        }
        let threshold = (try await derived.effectiveCriteria(year: work.year, scope: user.scope) ?? .pervouralsk).lowResults.threshold
        let filter = ResultFilter(year: work.year, procedure: work.procedure, grade: work.grade, subject: work.subject)
        let results = try await derived.results(filter, scope: user.scope)
        let schools = Dictionary(
            uniqueKeysWithValues: try await SchoolsListModel.rows(for: user, municipalityID: nil, search: nil, derived: derived).map {
                ($0.id, $0)
            })

        // Municipality rows: every school of the municipality, also those the user does not see one by one
        // (a school compares with its whole district, not with itself), each measure over the schools that report it.
        let municipalityIDs = Set(results.compactMap { schools[$0.schoolID]?.municipalityID })
        let db = derived.db
        let members: [Int: Int] = try await derived.cached(["municipality-members", municipalityIDs]) {
            Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: db).filter(\.$municipality.$id ~~ Array(municipalityIDs)).all()
                .map { ($0.id!, $0.$municipality.id) })
        }
        var unscoped = filter
        unscoped.schoolIDs = Array(members.keys)
        let municipal = municipalityIDs.isEmpty ? [] : try await derived.results(unscoped, scope: .everything)
        let names = Dictionary(schools.values.map { ($0.municipalityID, $0.municipality) }, uniquingKeysWith: { first, _ in first })
        var comparisons: [Comparison] = []
        var municipalityMetrics: [Int: ResultMetrics] = [:]
        for (municipalityID, group) in Dictionary(grouping: municipal, by: { members[$0.schoolID] ?? -1 }).sorted(by: { $0.key < $1.key }) {
            let pool = ResultPool(group.map(\.counts), procedure: work.procedure, subject: work.subject)
            let metrics = pool.metrics
            municipalityMetrics[municipalityID] = metrics
            comparisons.append(
                Comparison(
                    label: names[municipalityID] ?? "Муниципалитет", participants: pool.participants, successRate: metrics.successRate,
                    qualityRate: metrics.qualityRate, meanMark: metrics.meanMark, belowMinRate: metrics.belowMinRate,
                    meanScore: metrics.meanScore, source: "все школы муниципалитета (\(group.count))"))
        }
        // Printed comparison figures (region, Russia) from the `benchmarks` import.
        for benchmark in try await ResultsRepository(db: req.db).benchmarks(filter, scope: user.scope).sorted(by: {
            ($0.level.rawValue, $0.name) > ($1.level.rawValue, $1.name)
        }) {
            comparisons.append(
                Comparison(
                    label: "\(benchmark.name) (\(benchmark.level.russianName.lowercased()))", participants: benchmark.participants,
                    successRate: benchmark.successRate, qualityRate: benchmark.qualityRate, meanMark: benchmark.meanMark,
                    belowMinRate: benchmark.belowMinRate, meanScore: benchmark.meanScore, source: "загружено"))
        }

        var rows: [Row] = results.compactMap { result in
            guard let school = schools[result.schoolID] else { return nil }
            let pool = ResultPool([result.counts], procedure: work.procedure, subject: work.subject)
            let metrics = pool.metrics
            let reference = municipalityMetrics[school.municipalityID]
            return Row(
                schoolID: result.schoolID, school: school.shortName ?? school.name, municipality: school.municipality,
                counts: result.counts,
                metrics: metrics, successInterval: pool.success?.interval,
                differenceSuccess: Metrics.difference(metrics.successRate, reference?.successRate),
                differenceQuality: Metrics.difference(metrics.qualityRate, reference?.qualityRate),
                small: metrics.isSmallGroup(minimum: minimumGroup))
        }
        rows.sort(by: ordering(sort))
        return ResultsExplorerModel(works: works, selected: work, rows: rows, comparisons: comparisons, subjects: subjects, sort: sort,
                                    minimumGroup: minimumGroup, threshold: threshold, paging: try Paging.read(req, total: rows.count))
    }

    static func ordering(_ key: String) -> (Row, Row) -> Bool {
        func by(_ value: @escaping (Row) -> Double?, descending: Bool) -> (Row, Row) -> Bool {
            { a, b in
                switch (value(a), value(b)) {
                case let (x?, y?): return x == y ? a.school < b.school : (descending ? x > y : x < y)
                case (nil, _?): return false
                case (_?, nil): return true
                default: return a.school < b.school
                }
            }
        }
        switch key {
        case "participants": return by({ Double($0.metrics.participants) }, descending: true)
        case "success": return by({ $0.metrics.successRate }, descending: false)
        case "quality": return by({ $0.metrics.qualityRate }, descending: false)
        case "mean": return by({ $0.metrics.meanMark }, descending: false)
        case "sou": return by({ $0.metrics.sou }, descending: false)
        case "score": return by({ $0.metrics.meanScore }, descending: false)
        case "confirmed": return by({ $0.metrics.confirmedRate }, descending: false)
        case "below": return by({ $0.metrics.belowMinRate }, descending: true)
        default: return { $0.school < $1.school }
        }
    }

    /// The table for export: the same columns the page shows.
    func exportRows() -> [[SheetCell]] {
        func number(_ value: Double?) -> SheetCell { value.map { .number(($0 * 100).rounded() / 100) } ?? .empty }
        var table: [[SheetCell]] = [
            [
                "Школа", "Муниципалитет", "Участников", "Успеваемость, %", "Качество, %", "Средняя отметка", "СОУ, %",
                "Ниже порога, %", "Средний балл", "Подтвердили отметку, %", "Разница успеваемости с МО, п.п.", "Малая группа",
            ].map(SheetCell.text)
        ]
        for row in rows {
            table.append([
                .text(row.school), .text(row.municipality), .number(Double(row.metrics.participants)), number(row.metrics.successRate),
                number(row.metrics.qualityRate), number(row.metrics.meanMark), number(row.metrics.sou), number(row.metrics.belowMinRate),
                number(row.metrics.meanScore), number(row.metrics.confirmedRate), number(row.differenceSuccess),
                .text(row.small ? "да" : ""),
            ])
        }
        for comparison in comparisons {
            table.append([.text(comparison.label), .text(comparison.source), comparison.participants.map { .number(Double($0)) } ?? .empty,
                          number(comparison.successRate), number(comparison.qualityRate), number(comparison.meanMark), .empty,
                          number(comparison.belowMinRate), number(comparison.meanScore), .empty, .empty, .empty])
        }
        return table
    }
}

/// A school's results over all years: one line per work, columns by year, and charts.
struct SchoolResultsModel: Sendable {
    struct Line: Sendable {
        let procedure: ProcedureCode
        let grade: Int
        let subject: String
        var byYear: [Int: SchoolWorkResult]
    }

    let school: SchoolModel
    let years: [Int]
    let lines: [Line]
    let subjects: [String: String]
    let municipalityCounts: [WorkKey: ResultCounts]
    let minimumGroup: Int

    static func build(_ req: Request, id: Int) async throws -> SchoolResultsModel {
        let user = try req.user
        let school = try await req.schoolInScope(id)
        let repository = ResultsRepository(db: req.db)
        let derived = try await req.derived
        // The municipality's results over the years (the school's own among them), for the comparison: one
        // query for a district's few dozen schools, kept until the data changes.
        let municipalityID = school.$municipality.id, db = req.db
        let municipal: [SchoolWorkResult] = try await derived.cached(["municipality-results", municipalityID]) {
            let siblings = try await SchoolModel.query(on: db).filter(\.$municipality.$id == municipalityID).all(\.$id)
            return try await ResultsRepository(db: db).results(ResultFilter(schoolIDs: siblings), scope: .everything)
        }
        let results = municipal.filter { $0.schoolID == id }
        let municipalityCounts = Dictionary(grouping: municipal, by: \.work).compactMapValues { group in
            group.first.flatMap { ResultPool(group.map(\.counts), procedure: $0.work.procedure, subject: $0.work.subject).marks }
        }
        var lines: [String: Line] = [:]
        for result in results {
            let key = "\(result.work.procedure.rawValue)|\(result.work.grade)|\(result.work.subject)"
            lines[key, default: Line(procedure: result.work.procedure, grade: result.work.grade, subject: result.work.subject, byYear: [:])]
                .byYear[result.work.year] = result
        }
        let ordered = lines.values.sorted { ($0.procedure.rawValue, $0.grade, $0.subject) < ($1.procedure.rawValue, $1.grade, $1.subject) }
        return SchoolResultsModel(school: school, years: Array(Set(results.map(\.work.year))).sorted(), lines: ordered,
                                  subjects: try await derived.subjectNames(), municipalityCounts: municipalityCounts,
                                  minimumGroup: Metrics.defaultMinimumGroup)
    }
}

/// ВПР mark versus term mark, per school, for one year: who confirms least.
struct ObjectivityModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let school: String
        let compared: Int
        let lowered: Double
        let confirmed: Double
        let raised: Double
        let vprSuccess: Double?
        let ogeSuccess: Double?
    }

    let years: [Int]
    let year: Int?
    let rows: [Row]
    let paging: Paging

    static func build(_ req: Request) async throws -> ObjectivityModel {
        let user = try req.user
        let derived = try await req.derived
        let works = try await derived.availableWorks(scope: user.scope)
        let years = Array(Set(works.filter { $0.procedure == .vpr }.map(\.year))).sorted(by: >)
        let year = try req.queryYear() ?? years.first
        guard let year else { return ObjectivityModel(years: years, year: nil, rows: [], paging: Paging(page: 1, total: 0)) }
        let vpr = try await derived.results(ResultFilter(year: year, procedure: .vpr), scope: user.scope)
        let oge = try await derived.results(ResultFilter(year: year, procedure: .oge), scope: user.scope)
        let schools = Dictionary(
            uniqueKeysWithValues: try await SchoolsListModel.rows(for: user, municipalityID: nil, search: nil, derived: derived)
                .map { ($0.id, $0.shortName ?? $0.name) })
        func pool(_ group: [SchoolWorkResult]) -> ResultPool { ResultPool(group.map { ($0.counts, $0.work.procedure, $0.work.subject) }) }
        let ogeBySchool = Dictionary(grouping: oge, by: \.schoolID).mapValues { pool($0).metrics }
        let rows: [Row] = Dictionary(grouping: vpr, by: \.schoolID).compactMap { schoolID, group in
            let pooled = pool(group)
            let metrics = pooled.metrics
            guard let confirmed = metrics.confirmedRate, let compared = pooled.confirmed?.base, let name = schools[schoolID] else {
                return nil
            }
            return Row(
                schoolID: schoolID, school: name, compared: compared, lowered: metrics.loweredRate ?? 0,
                confirmed: confirmed, raised: metrics.raisedRate ?? 0, vprSuccess: metrics.successRate,
                ogeSuccess: ogeBySchool[schoolID]?.successRate)
        }.sorted { ($0.confirmed, $0.school) < ($1.confirmed, $1.school) }
        return ObjectivityModel(years: years, year: year, rows: rows, paging: try Paging.read(req, total: rows.count))
    }
}

extension WorkKey {
    /// "2025|VPR|5|math", for links and selectors.
    var encoded: String { "\(year)|\(procedure.rawValue)|\(grade)|\(subject)" }

    init?(encoded: String) {
        let parts = encoded.split(separator: "|").map(String.init)
        guard parts.count == 4, let year = Int(parts[0]), let procedure = ProcedureCode(rawValue: parts[1]), let grade = Int(parts[2])
        else { return nil }
        self.init(year: year, procedure: procedure, grade: grade, subject: parts[3])
    }
}
