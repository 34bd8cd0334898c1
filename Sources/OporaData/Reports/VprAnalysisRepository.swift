import FluentKit
import OporaDomain

/// Gathers a place's `VprAnalysis` from `TaskRepository` — for the pages, the documents and the support cycle alike.
public struct VprAnalysisRepository: Sendable {
    /// Whose pupils are counted: a school's, a municipality's or a region's.
    public enum Place: Sendable, Hashable {
        case school(Int), municipality(Int), region(Int)

        /// The records a place covers, as a scope.
        public var scope: AccessScope {
            switch self {
            case .school(let id): .schools([id])
            case .municipality(let id): .municipality(id)
            case .region(let id): .region(id)
            }
        }

        public var target: TaskTarget {
            switch self {
            case .school(let id): .school(id)
            case .municipality(let id): .municipality(id)
            case .region(let id): .region(id)
            }
        }

        /// Only a school's table has a separate municipality column (a municipality's own figures are its column).
        public var hasMunicipalityColumn: Bool { !isTerritory }

        public var isTerritory: Bool {
            if case .school = self { return false }
            return true
        }

        /// The first completion column of the document: «школа», «муниципалитет», «регион».
        public var column: String {
            switch self {
            case .school: "школа"
            case .municipality: "муниципалитет"
            case .region: "регион"
            }
        }
    }

    public let db: any Database
    /// One repository per page or document: its tallies are decoded once however often the page asks.
    let tasks: TaskRepository

    public init(db: any Database) {
        self.db = db
        tasks = TaskRepository(db: db, memo: TaskRepository.TallyMemo())
    }

    /// The works with pupils' task results in the place, newest first.
    public func works(place: Place) async throws -> [WorkKey] {
        try await tasks.works(scope: place.scope).reversed()
    }

    /// The years with task results in a scope, newest first.
    public func years(scope: AccessScope) async throws -> [Int] {
        Array(Set(try await tasks.works(scope: scope).map(\.year))).sorted(by: >)
    }

    /// The place's analysis for a year (nil: every year it has), or for one work only. The place must be in the caller's
    /// scope (pages check it with `schoolInScope` / the scope's municipalities); its figures are its own pupils'.
    public func analysis(place: Place, title: String, year: Int?, only: WorkKey? = nil) async throws -> VprAnalysis {
        var works = [WorkKey]()
        if let only { works = [only] } else { works = try await tasks.works(year: year, scope: place.scope) }
        let regionID = try await region(of: place)
        let flagged = try await territoryMarkers(place: place, works: works)
        var analysed: [VprAnalysis.Work] = []
        for work in works {
            guard let report = try await tasks.report(work, for: place.target, scope: place.scope), report.participants > 0 else {
                continue
            }
            var regionHistogram: [Int]? = nil
            if case .region = place {} else if let regionID {
                regionHistogram = try await tasks.report(work, for: .region(regionID))?.histogram
            }
            let markers: [VprAnalysis.Marker]
            if case .school(let id) = place {
                markers = try await tasks.markers(work, schoolID: id, scope: place.scope)
                    .map { VprAnalysis.Marker(title: $0.kind.russianName, detail: $0.explanation) }
            } else {
                markers = flagged[work] ?? []
            }
            analysed.append(VprAnalysis.Work(report: report, title: ResultFiles.label(work), regionHistogram: regionHistogram,
                                             markers: markers))
        }
        return VprAnalysis(placeTitle: title, year: year, works: analysed)
    }

    /// For a municipality or a region: each school's markers in the works, titled with the school's name.
    func territoryMarkers(place: Place, works: [WorkKey]) async throws -> [WorkKey: [VprAnalysis.Marker]] {
        if case .school = place { return [:] }
        var result: [WorkKey: [VprAnalysis.Marker]] = [:]
        let names = Dictionary(uniqueKeysWithValues: try await ScopeQueries.schoolNames(place.scope, on: db).map { ($0.id, $0.name) })
        for year in Set(works.map(\.year)) {
            for item in try await tasks.schoolMarkers(year: year, scope: place.scope) where works.contains(item.work) {
                let school = names[item.schoolID] ?? "#\(item.schoolID)"
                result[item.work, default: []] += item.markers.map {
                    VprAnalysis.Marker(title: "\(school): \($0.kind.russianName.lowercasedFirst)", detail: $0.explanation)
                }
            }
        }
        return result
    }

    func region(of place: Place) async throws -> Int? {
        switch place {
        case .school(let id): return try await ScopeQueries.place(ofSchool: id, on: db)?.regionID
        case .municipality(let id): return try await MunicipalityModel.find(id, on: db)?.$region.id
        case .region(let id): return id
        }
    }

    /// The place's deficits over its works (of one year when given) by requirement and by block, weakest first — without
    /// the markers and distributions `analysis` adds.
    public func deficits(place: Place, year: Int? = nil) async throws -> (byRequirement: [DeficitGroup], byBlock: [DeficitGroup]) {
        let reports = try await tasks.reports(for: place.target, year: year, scope: place.scope)
        return (TaskFigures.deficits(reports, by: .requirement), TaskFigures.deficits(reports, by: .block))
    }

    /// The deficits most common among the schools of the list in force for the scope and year (`DeficitMeasure.common`);
    /// nil when no order is in force. What a municipality plans its courses from.
    public func listedDeficits(year: Int, scope: AccessScope) async throws -> [(requirement: String, schools: [Int])]? {
        guard let listed = try await IdentificationRepository(db: db).listInForce(year: year, scope: scope) else { return nil }
        var perSchool: [Int: [String]] = [:]
        for schoolID in listed.keys.sorted() {
            let reports = try await tasks.reports(for: .school(schoolID), year: year, scope: .schools([schoolID]))
            perSchool[schoolID] = TaskFigures.deficits(reports, by: .requirement).map(\.name)
        }
        return DeficitMeasure.common(perSchool).filter { !$0.schools.isEmpty }
    }

    /// Every school × work of the scope and year with a marker of non-objectivity, with the markers in Russian.
    public func flagged(year: Int, scope: AccessScope) async throws -> [(schoolID: Int, work: WorkKey, markers: [VprAnalysis.Marker])] {
        try await tasks.schoolMarkers(year: year, scope: scope).map { item in
            (item.schoolID, item.work, item.markers.map { VprAnalysis.Marker(title: $0.kind.russianName, detail: $0.explanation) })
        }
    }
}

extension String {
    /// «Пик на границе» → «пик на границе» (inside a sentence).
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}
