/// What a user does in the programme; each role is bound to a scope (see `AccessScope`).
public enum Role: String, CaseIterable, Sendable, Codable {
    case regionalAnalyst = "regional_analyst"
    case municipalCoordinator = "municipal_coordinator"
    case curator
    case schoolAdmin = "school_admin"
    case viewer

    public var russianName: String {
        switch self {
        case .regionalAnalyst: "Региональный аналитик"
        case .municipalCoordinator: "Муниципальный координатор"
        case .curator: "Куратор"
        case .schoolAdmin: "Администратор школы"
        case .viewer: "Наблюдатель (только чтение)"
        }
    }

    public var canManageRegions: Bool { self == .regionalAnalyst }
    public var canManageMunicipalities: Bool { self == .regionalAnalyst }
    public var canManageCatalogues: Bool { self == .regionalAnalyst }
    public var canCreateSchools: Bool { self == .regionalAnalyst || self == .municipalCoordinator }
    /// School administrators keep their own school's card current; coordinators and analysts any in scope.
    public var canEditSchools: Bool { self == .regionalAnalyst || self == .municipalCoordinator || self == .schoolAdmin }
    /// Risk profiles are rated by the school itself, its curator and the authority (seed 004: «для каждой школы …
    /// сформированы факторы риска»); viewers only read them.
    public var canRateRisks: Bool { self != .viewer }
    public var canImport: Bool { self == .regionalAnalyst || self == .municipalCoordinator }
    public var canViewAudit: Bool { self == .regionalAnalyst || self == .municipalCoordinator }
    public var canManageUsers: Bool { self == .regionalAnalyst || self == .municipalCoordinator }
}

/// Where a user's rights apply: region → municipality → school set.
public enum AccessScope: Sendable, Hashable, Codable {
    /// The whole installation (a regional analyst not bound to one region, or the command line).
    case everything
    case region(Int)
    case municipality(Int)
    case schools(Set<Int>)

    public func contains(_ place: SchoolPlace) -> Bool {
        switch self {
        case .everything: true
        case .region(let id): place.regionID == id
        case .municipality(let id): place.municipalityID == id
        case .schools(let ids): ids.contains(place.schoolID)
        }
    }

    public func containsMunicipality(id: Int, regionID: Int) -> Bool {
        switch self {
        case .everything: true
        case .region(let region): region == regionID
        case .municipality(let municipality): municipality == id
        case .schools: false
        }
    }

    public func containsRegion(id: Int) -> Bool {
        switch self {
        case .everything: true
        case .region(let region): region == id
        case .municipality, .schools: false
        }
    }

    /// Whether this scope lies inside `other` (a user may grant only what they hold).
    public func isWithin(_ other: AccessScope, municipalityRegion: (Int) -> Int?, schoolPlace: (Int) -> SchoolPlace?) -> Bool {
        switch (other, self) {
        case (.everything, _): return true
        case (_, .everything): return false
        case (.region(let r), .region(let s)): return r == s
        case (.region(let r), .municipality(let m)): return municipalityRegion(m) == r
        case (.municipality, .region): return false
        case (.municipality(let m), .municipality(let n)): return m == n
        case (_, .schools(let ids)):
            return ids.allSatisfy { id in schoolPlace(id).map { other.contains($0) } ?? false }
        case (.schools, _): return false
        }
    }
}

/// A school's position in the hierarchy, enough to decide scope membership.
public struct SchoolPlace: Sendable, Hashable {
    public let schoolID: Int
    public let municipalityID: Int
    public let regionID: Int

    public init(schoolID: Int, municipalityID: Int, regionID: Int) {
        self.schoolID = schoolID
        self.municipalityID = municipalityID
        self.regionID = regionID
    }
}
