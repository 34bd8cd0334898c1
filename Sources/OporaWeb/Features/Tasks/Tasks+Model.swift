import Fluent
import OporaData
import OporaDomain
import Vapor

/// «Анализ ВПР» of one place — a school, a municipality or a region, inside the user's scope — for one work: the
/// figures of `VprAnalysisRepository` (the same as `opora tasks` and the document), the ВПР-vs-journal signals of
/// the existing objectivity rule, and the deficits of every year the place has.
struct TasksModel: Sendable {
    let placeTitle: String
    let place: VprAnalysisRepository.Place
    let works: [WorkKey]
    let selected: WorkKey?
    let work: VprAnalysis.Work?
    /// Every year's deficits of the place (`TaskFigures.deficits`).
    let byRequirement: [DeficitGroup]
    let byBlock: [DeficitGroup]
    /// A territory's most common deficits among the schools of the list in force (nil: no order for the year).
    let listedDeficits: [(requirement: String, schools: [String])]?
    let journalSignals: [ObjectivitySignal]
    /// Some ВПР marks of the work were compared with the journal's.
    let journalCompared: Bool
    let subjects: [String: String]
    /// A territory's coordinator or analyst plans courses (events) from the deficits.
    let mayPlanCourses: Bool
    /// A region's user narrows to one of its municipalities (empty for a municipality's or a school's user).
    let municipalities: [(id: Int, name: String)]

    var schoolID: Int? { if case .school(let id) = place { id } else { nil } }
    var municipalityID: Int? { if case .municipality(let id) = place { id } else { nil } }

    /// The documents are written for a school or a municipality (as schools and authorities file them).
    var documentQuery: String? {
        switch place {
        case .school(let id): "school=\(id)"
        case .municipality(let id): "municipality=\(id)"
        case .region: nil
        }
    }

    func title(_ work: WorkKey) -> String { ResultLabels.work(work, subjects: subjects) }

    static func build(_ req: Request) async throws -> TasksModel {
        let (place, label) = try await resolvePlace(req)
        let repository = VprAnalysisRepository(db: req.db)
        let works = try await repository.works(place: place)
        var selected = works.first
        if let encoded = try req.queryText("work", maxLength: 80) {
            guard let work = WorkKey(encoded: encoded), InputRange.year.contains(work.year), InputRange.grade.contains(work.grade) else {
                throw Abort(.badRequest, reason: "Параметр «работа» не читается")
            }
            selected = work
        }
        let subjects = try await req.derived.subjectNames()
        var analysed: VprAnalysis.Work?
        var signals: [ObjectivitySignal] = []
        var compared = false
        if let selected {
            analysed = try await repository.analysis(place: place, title: label, year: selected.year, only: selected).works.first
            let results = try await req.derived.results(
                ResultFilter(year: selected.year, procedure: selected.procedure, grade: selected.grade, subject: selected.subject),
                scope: place.scope)
            let pool = ResultPool(results.map { ($0.counts, $0.work.procedure, $0.work.subject) })
            if let confirmed = pool.confirmed, confirmed.base > 0 {
                compared = true
                signals = ObjectivitySignal.signals(confirmedRate: confirmed.rate, compared: confirmed.base,
                                                    vprSuccess: nil, ogeSuccess: nil)
            }
        }
        let all = try await repository.deficits(place: place)
        var listed: [(requirement: String, schools: [String])]? = nil
        if let year = selected?.year, place.isTerritory {
            let names = Dictionary(uniqueKeysWithValues: try await ScopeQueries.schoolNames(place.scope, on: req.db)
                .map { ($0.id, $0.name) })
            listed = try await repository.listedDeficits(year: year, scope: place.scope)?
                .map { ($0.requirement, $0.schools.map { names[$0] ?? "#\($0)" }) }
        }
        return TasksModel(placeTitle: label, place: place, works: works, selected: selected, work: analysed,
                          byRequirement: all.byRequirement, byBlock: all.byBlock, listedDeficits: listed,
                          journalSignals: signals, journalCompared: compared, subjects: subjects,
                          mayPlanCourses: try req.user.role.canImport && req.user.scope.isTerritory,
                          municipalities: try await choices(req))
    }

    /// The municipalities a region's (or the installation's) user may narrow to.
    static func choices(_ req: Request) async throws -> [(id: Int, name: String)] {
        let user = try req.user
        switch user.scope {
        case .region, .everything:
            return try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all().map { ($0.id!, $0.name) }
        case .municipality, .schools:
            return []
        }
    }

    /// `school` or `municipality` in the query narrows the user's place; outside the scope: 404, as everywhere.
    static func resolvePlace(_ req: Request) async throws -> (VprAnalysisRepository.Place, String) {
        let user = try req.user
        if let schoolID = try req.queryInt("school", in: InputRange.id, "школа") {
            let school = try await req.schoolInScope(schoolID)
            return (.school(schoolID), school.displayName)
        }
        if let municipalityID = try req.queryInt("municipality", in: InputRange.id, "муниципалитет") {
            guard let found = try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == municipalityID).first()
            else { throw Abort(.notFound) }
            return (.municipality(municipalityID), found.name)
        }
        switch user.scope {
        case .schools(let ids):
            guard let first = ids.min() else { throw Abort(.notFound) }
            let school = try await req.schoolInScope(first)
            return (.school(first), school.displayName)
        case .municipality(let id):
            return (.municipality(id), user.scopeLabel)
        case .region(let id):
            return (.region(id), user.scopeLabel)
        case .everything:
            guard let region = try await RegionModel.query(on: req.db).sort(\.$id).first() else { throw Abort(.notFound) }
            return (.region(region.id!), region.name)
        }
    }
}

/// The schools of the user's scope showing signs of non-objectivity in a year's ВПР, each with its reasons.
struct TasksObjectivityModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int
        let school: String
        let work: WorkKey
        let workTitle: String
        let markers: [VprAnalysis.Marker]
    }

    let scopeLabel: String
    let years: [Int]
    let year: Int?
    let rows: [Row]
    let municipalities: [(id: Int, name: String)]
    let municipality: Int?

    static func build(_ req: Request) async throws -> TasksObjectivityModel {
        let user = try req.user
        let municipalities = try await TasksModel.choices(req)
        var scope = user.scope, label = user.scopeLabel
        let municipality = try req.queryInt("municipality", in: InputRange.id, "муниципалитет")
        if let municipality {
            // Only a municipality of the user's own scope (a municipality's user keeps its own; others: 404).
            guard let found = try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == municipality).first()
            else { throw Abort(.notFound) }
            (scope, label) = (.municipality(municipality), found.name)
        }
        let repository = VprAnalysisRepository(db: req.db)
        let years = try await repository.years(scope: scope)
        let year = try req.queryYear() ?? years.first
        guard let year else {
            return TasksObjectivityModel(scopeLabel: label, years: years, year: nil, rows: [], municipalities: municipalities,
                                         municipality: municipality)
        }
        let names = Dictionary(uniqueKeysWithValues: try await ScopeQueries.schoolNames(scope, on: req.db).map { ($0.id, $0.name) })
        let rows = try await repository.flagged(year: year, scope: scope).compactMap { item -> Row? in
            guard let name = names[item.schoolID] else { return nil }
            return Row(schoolID: item.schoolID, school: name, work: item.work, workTitle: ResultFiles.label(item.work),
                       markers: item.markers)
        }.sorted { ($0.school, $0.work) < ($1.school, $1.work) }
        return TasksObjectivityModel(scopeLabel: label, years: years, year: year, rows: rows, municipalities: municipalities,
                                     municipality: municipality)
    }
}
