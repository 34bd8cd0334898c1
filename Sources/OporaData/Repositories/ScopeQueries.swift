import FluentKit
import OporaDomain

/// Every query that lists or finds registry data goes through these filters, so scope is enforced in one place.
public enum ScopeQueries {
    public static func schools(_ scope: AccessScope, on db: any Database) -> QueryBuilder<SchoolModel> {
        let query = SchoolModel.query(on: db)
        switch scope {
        case .everything:
            return query
        case .region(let regionID):
            return query.join(MunicipalityModel.self, on: \SchoolModel.$municipality.$id == \MunicipalityModel.$id)
                .filter(MunicipalityModel.self, \.$region.$id == regionID)
        case .municipality(let municipalityID):
            return query.filter(\.$municipality.$id == municipalityID)
        case .schools(let ids):
            return query.filter(\.$id ~~ Array(ids))
        }
    }

    public static func municipalities(_ scope: AccessScope, on db: any Database) async throws -> QueryBuilder<MunicipalityModel> {
        let query = MunicipalityModel.query(on: db)
        switch scope {
        case .everything: return query
        case .region(let regionID): return query.filter(\.$region.$id == regionID)
        case .municipality(let municipalityID): return query.filter(\.$id == municipalityID)
        case .schools(let ids):
            let municipalityIDs = try await SchoolModel.query(on: db).filter(\.$id ~~ Array(ids)).all(\.$municipality.$id)
            return query.filter(\.$id ~~ Array(Set(municipalityIDs)))
        }
    }

    public static func regions(_ scope: AccessScope, on db: any Database) async throws -> QueryBuilder<RegionModel> {
        let query = RegionModel.query(on: db)
        switch scope {
        case .everything: return query
        case .region(let regionID): return query.filter(\.$id == regionID)
        case .municipality, .schools:
            let regionIDs = try await municipalities(scope, on: db).all(\.$region.$id)
            return query.filter(\.$id ~~ Array(Set(regionIDs)))
        }
    }

    /// Entities every territory shares (the catalogues): their changes belong to no region, and every
    /// region's and municipality's log shows them.
    public static let sharedAuditEntities = ["subject", "procedure", "academic_year", "risk_factor"]

    public static func auditEntries(_ scope: AccessScope, on db: any Database) -> QueryBuilder<AuditEntryModel> {
        let query = AuditEntryModel.query(on: db)
        func orShared(_ own: @escaping (QueryBuilder<AuditEntryModel>) -> QueryBuilder<AuditEntryModel>) -> QueryBuilder<AuditEntryModel> {
            query.group(.or) { either in
                _ = own(either)
                either.group(.and) { $0.filter(\.$regionID == nil).filter(\.$entity ~~ sharedAuditEntities) }
            }
        }
        switch scope {
        case .everything: return query
        case .region(let regionID): return orShared { $0.filter(\.$regionID == regionID) }
        case .municipality(let municipalityID): return orShared { $0.filter(\.$municipalityID == municipalityID) }
        case .schools(let ids): return query.filter(\.$schoolID ~~ Array(ids))
        }
    }

    /// The school's place in the hierarchy, or nil if there is no such school.
    public static func place(ofSchool id: Int, on db: any Database) async throws -> SchoolPlace? {
        guard let school = try await SchoolModel.query(on: db).filter(\.$id == id).with(\.$municipality).first() else { return nil }
        return SchoolPlace(schoolID: id, municipalityID: school.$municipality.id, regionID: school.municipality.$region.id)
    }
}
