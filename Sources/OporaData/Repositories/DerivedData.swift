import FluentKit
import OporaDomain

/// The derived reads pages make — a year's results, identification, the works present — through the cache
/// when the server has one (`DerivedCache`), computed for every school once and narrowed to the user's scope
/// in memory. Without a cache (the command line, tests) each read goes to the database.
public struct DerivedData: Sendable {
    public let db: any Database
    let cache: DerivedCache?
    public let version: Int

    public init(db: any Database, cache: DerivedCache?, version: Int) {
        self.db = db
        self.cache = cache
        self.version = version
    }

    /// Reads the data's version once (one cheap query), for every cached read of a request.
    public static func open(_ db: any Database, cache: DerivedCache?) async throws -> DerivedData {
        DerivedData(db: db, cache: cache, version: cache == nil ? 0 : try await DataVersion.current(db))
    }

    /// A value of this request's data version: computed once, then shared until the data changes.
    public func cached<T: Sendable>(_ key: [AnyHashable], _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let cache else { return try await compute() }
        return try await cache.value(AnyHashable(key), version: version, compute)
    }

    /// Ids of the schools in a scope; nil for the whole installation.
    public func schoolIDs(_ scope: AccessScope) async throws -> Set<Int>? {
        guard scope != .everything else { return nil }
        let db = db
        return try await cached(["schools-in-scope", scope]) { Set(try await ScopeQueries.schoolIDs(scope, on: db)) }
    }

    /// Every school's results of one year, both grains.
    public func yearResults(_ year: Int) async throws -> [SchoolWorkResult] {
        let db = db
        return try await cached(["year-results", year]) {
            try await ResultsRepository(db: db).results(ResultFilter(year: year), scope: .everything)
        }
    }

    /// Results of a filter within a scope. With a year, the year's results narrowed in memory.
    public func results(_ filter: ResultFilter, scope: AccessScope) async throws -> [SchoolWorkResult] {
        guard let year = filter.year, cache != nil else { return try await ResultsRepository(db: db).results(filter, scope: scope) }
        let inScope = try await schoolIDs(scope)
        let named = filter.schoolIDs.map(Set.init)
        return try await yearResults(year).filter { result in
            (filter.procedure.map { $0 == result.work.procedure } ?? true) && (filter.grade.map { $0 == result.work.grade } ?? true)
                && (filter.subject.map { $0 == result.work.subject } ?? true)
                && (inScope?.contains(result.schoolID) ?? true) && (named?.contains(result.schoolID) ?? true)
        }
    }

    public func availableWorks(scope: AccessScope) async throws -> [WorkKey] {
        let db = db
        return try await cached(["works", scope]) { try await ResultsRepository(db: db).availableWorks(scope: scope) }
    }

    /// Identification of the year under `criteria`: computed for every school once, narrowed to the scope.
    public func identification(year: Int, criteria: CriteriaSet, scope: AccessScope) async throws -> [IdentificationRepository.Identified] {
        guard cache != nil else { return try await IdentificationRepository(db: db).identify(year: year, criteria: criteria, scope: scope) }
        let everyone: [IdentificationRepository.Identified] = try await cached(["identification", year, criteria]) {
            try await IdentificationRepository(db: db).identify(year: year, scope: .everything, criteria: { _ in criteria }) { candidate in
                try await yearResults(candidate)
            }
        }
        guard let inScope = try await schoolIDs(scope) else { return everyone }
        return everyone.filter { inScope.contains($0.school.id!) }
    }

    /// The criteria set in force for a scope in a year (nil: none stored, the programme's rule applies).
    public func effectiveCriteria(year: Int, scope: AccessScope) async throws -> CriteriaSet? {
        let db = db
        return try await cached(["criteria", year, scope]) { try await CriteriaRepository(db: db).effective(year: year, scope: scope)?.0 }
    }

    /// Context values of a year: school id → indicator → (text, number).
    public func context(year: Int) async throws -> [Int: [String: ContextValue]] {
        let db = db
        return try await cached(["context", year]) {
            try await IdentificationRepository(db: db).context(year: year).mapValues {
                $0.mapValues { ContextValue(text: $0.text, number: $0.number) }
            }
        }
    }

    /// Subject code → Russian name.
    public func subjectNames() async throws -> [String: String] {
        let db = db
        return try await cached(["subjects"]) {
            Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: db).all().map { ($0.code, $0.name) })
        }
    }
}

public struct ContextValue: Sendable, Hashable {
    public let text: String
    public let number: Double?
}
