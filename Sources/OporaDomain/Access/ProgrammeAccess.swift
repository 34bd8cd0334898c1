/// Where a programme belongs: its region always, its municipality for municipal and school programmes, its
/// school for a school's.
public struct ProgrammePlace: Sendable, Hashable {
    public let regionID: Int
    public let municipalityID: Int?
    public let schoolID: Int?

    public init(regionID: Int, municipalityID: Int? = nil, schoolID: Int? = nil) {
        self.regionID = regionID
        self.municipalityID = municipalityID
        self.schoolID = schoolID
    }
}

/// Who reads and who changes a programme. Everyone whose scope lies in a programme's territory reads it (a
/// curator reads the municipal programme its schools take part in); only those who hold the whole territory
/// change it: the region's analyst a regional programme, the municipality's coordinator a municipal one, and
/// a school programme also its school's administrator.
public enum ProgrammeAccess {
    /// `schoolPlaces` are the places of the scope's schools (for a school-set scope).
    public static func canRead(_ place: ProgrammePlace, scope: AccessScope, schoolPlaces: [SchoolPlace]) -> Bool {
        switch scope {
        case .everything: return true
        case .region(let region): return place.regionID == region
        case .municipality(let municipality):
            return place.municipalityID == nil
                ? place.regionID == region(of: municipality, schoolPlaces) : place.municipalityID == municipality
        case .schools(let ids):
            if let school = place.schoolID { return ids.contains(school) }
            if let municipality = place.municipalityID { return schoolPlaces.contains { $0.municipalityID == municipality } }
            return schoolPlaces.contains { $0.regionID == place.regionID }
        }
    }

    /// For a municipality scope the caller passes one of its schools' places (or none) to know its region.
    static func region(of municipality: Int, _ places: [SchoolPlace]) -> Int? {
        places.first { $0.municipalityID == municipality }?.regionID
    }

    public static func canChange(_ place: ProgrammePlace, role: Role, scope: AccessScope) -> Bool {
        guard role != .viewer, role != .curator else { return false }
        switch scope {
        case .everything: return true
        case .region(let region): return place.regionID == region
        case .municipality(let municipality): return place.municipalityID == municipality
        case .schools(let ids): return role == .schoolAdmin && place.schoolID.map(ids.contains) == true
        }
    }
}

/// What a programme code already in use is answered with. Codes are unique in the installation; the answer is
/// the same whoever holds the code, so that it never tells which territory uses which codes.
public enum ProgrammeCode {
    public static func taken(_ code: String) -> String {
        "код «\(code)» уже занят другой программой: выберите другой код"
    }

    /// A file's programme saved (or deleted) by someone else between the file's check and its write.
    public static func changedMeanwhile(_ code: String) -> String {
        "программу «\(code)» изменили или удалили, пока файл проверялся: ничего не записано, загрузите файл снова"
    }

    /// A code the actor may not read reads exactly like a code nobody uses.
    public static func unknown(_ code: String) -> String {
        "программы с кодом «\(code)» нет (сначала загрузите programmes)"
    }
}
