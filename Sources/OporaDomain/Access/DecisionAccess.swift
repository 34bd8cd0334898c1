/// Which level of authority took a management decision: it, and those above it, change the decision; those
/// below it only read it (a school does not close the authority's decision about itself).
public enum DecisionOwnerLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case region, municipality, school

    /// The level of whoever records a decision: a school's administrator for the school, a coordinator for the
    /// municipality, an analyst for the region (an analyst of the whole installation too: a decision is a region's).
    public static func of(creator scope: AccessScope) -> DecisionOwnerLevel {
        switch scope {
        case .everything, .region: .region
        case .municipality: .municipality
        case .schools: .school
        }
    }
}

/// A decision's owner and place: the level that took it and the region, municipality and school it is about.
public struct DecisionOwner: Sendable, Hashable {
    public let level: DecisionOwnerLevel
    public let regionID: Int?
    public let municipalityID: Int?
    public let schoolID: Int?

    public init(level: DecisionOwnerLevel, regionID: Int?, municipalityID: Int?, schoolID: Int?) {
        self.level = level
        self.regionID = regionID
        self.municipalityID = municipalityID
        self.schoolID = schoolID
    }
}

public enum DecisionAccess {
    /// Whether `role` over `scope` may close (or otherwise change) the decision: the owning territory or one above
    /// it; a viewer or a curator never.
    public static func canChange(_ owner: DecisionOwner, role: Role, scope: AccessScope) -> Bool {
        guard role != .viewer, role != .curator else { return false }
        switch scope {
        case .everything: return true
        case .region(let region): return owner.regionID == region
        case .municipality(let municipality): return owner.level != .region && owner.municipalityID == municipality
        case .schools(let ids): return owner.level == .school && role == .schoolAdmin && owner.schoolID.map(ids.contains) == true
        }
    }
}
