import FluentKit
import OporaDomain
import SQLKit

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

    /// The ids of the scope's schools, read as plain integers: a region's thousand schools through Fluent's model
    /// decoding cost more than the page that needed them.
    public static func schoolIDs(_ scope: AccessScope, on db: any Database) async throws -> [Int] {
        try await names(scope, on: db, columns: ["id"]).map(\.id)
    }

    /// The scope's schools as the pages list them: id, code and the name to show, sorted by name.
    public static func schoolNames(_ scope: AccessScope, on db: any Database) async throws -> [SchoolName] {
        try await names(scope, on: db, columns: ["id", "code", "name", "short_name"]).sorted { $0.name < $1.name }
    }

    static func names(_ scope: AccessScope, on db: any Database, columns: [String]) async throws -> [SchoolName] {
        var query = db.sql.select().columns(columns.map { SQLColumn($0, table: "schools") }).from("schools")
        switch scope {
        case .everything: break
        case .region(let regionID):
            query = query.join(
                "municipalities", on: SQLColumn("municipality_id", table: "schools"), .equal, SQLColumn("id", table: "municipalities")
            )
            .where(SQLColumn("region_id", table: "municipalities"), .equal, SQLBind(regionID))
        case .municipality(let municipalityID):
            query = query.where(SQLColumn("municipality_id", table: "schools"), .equal, SQLBind(municipalityID))
        case .schools(let ids):
            guard !ids.isEmpty else { return [] }
            query = query.where(SQLColumn("id", table: "schools"), .in, SQLBind.group(ids.sorted()))
        }
        return try await query.all(decoding: SchoolName.self)
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

/// A school as a list or a form's options need it.
public struct SchoolName: Sendable, Decodable {
    public let id: Int
    public let code: String
    public let name: String
    public let shortName: String?

    enum CodingKeys: String, CodingKey { case id, code, name, shortName = "short_name" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        code = try container.decodeIfPresent(String.self, forKey: .code) ?? ""
        shortName = try container.decodeIfPresent(String.self, forKey: .shortName)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
    }

    public var displayName: String { shortName ?? name }
}
