/// The territory a file's records belong to: the uploader's own (a municipality's coordinator writes for the
/// municipality, a region's analyst for the region); an uploader of the whole installation (the command line)
/// writes for the narrowest territory holding every school of the file. Events are owned this way (the same
/// code in two territories is two events) and imports are audited at this place.
public enum OwningTerritory: Sendable, Hashable {
    case installation
    case region(Int)
    case municipality(Int, region: Int)

    /// `schools`: the places of the file's schools (all inside `scope`, as the importer checked).
    public static func of(scope: AccessScope, schools: [SchoolPlace]) -> OwningTerritory {
        switch scope {
        case .region(let id): return .region(id)
        case .municipality(let id):
            if let region = schools.first(where: { $0.municipalityID == id })?.regionID { return .municipality(id, region: region) }
            return narrowest(schools)
        case .everything, .schools: return narrowest(schools)
        }
    }

    static func narrowest(_ schools: [SchoolPlace]) -> OwningTerritory {
        guard let first = schools.first else { return .installation }
        if schools.allSatisfy({ $0.municipalityID == first.municipalityID }) {
            return .municipality(first.municipalityID, region: first.regionID)
        }
        if schools.allSatisfy({ $0.regionID == first.regionID }) { return .region(first.regionID) }
        return .installation
    }

    public var regionID: Int? {
        switch self {
        case .installation: nil
        case .region(let id), .municipality(_, let id): id
        }
    }

    public var municipalityID: Int? {
        if case .municipality(let id, _) = self { return id }
        return nil
    }
}
