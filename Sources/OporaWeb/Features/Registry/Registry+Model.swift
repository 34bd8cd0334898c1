import Fluent
import OporaData
import OporaDomain
import Vapor

struct MunicipalitiesModel {
    struct Row: Sendable { let id: Int; let name: String; let region: String; let regionID: Int; let schools: Int; let students: Int
                           let version: Int }
    let rows: [Row]
    let regions: [(id: Int, name: String)]
    let canManage: Bool
    var echo: FormEcho? = nil

    static func build(_ req: Request) async throws -> MunicipalitiesModel {
        let user = try req.user
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).with(\.$region).sort(\.$name).all()
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).all()
        let byMunicipality = Dictionary(grouping: schools, by: { $0.$municipality.id })
        let regions = try await ScopeQueries.regions(user.scope, on: req.db).sort(\.$name).all()
        return MunicipalitiesModel(
            rows: municipalities.map { m in
                let list = byMunicipality[m.id!] ?? []
                return Row(id: m.id!, name: m.name, region: m.region.name, regionID: m.$region.id, schools: list.count,
                           students: list.compactMap(\.students).reduce(0, +), version: m.version)
            },
            regions: regions.map { ($0.id!, $0.name) }, canManage: user.role.canManageMunicipalities)
    }
}

struct RegionsModel {
    struct Row: Sendable { let id: Int; let name: String; let municipalities: Int; let version: Int }
    let rows: [Row]
    let canCreate: Bool
    var echo: FormEcho? = nil

    static func build(_ req: Request) async throws -> RegionsModel {
        let user = try req.require(\.canManageRegions)
        let regions = try await ScopeQueries.regions(user.scope, on: req.db).with(\.$municipalities).sort(\.$name).all()
        return RegionsModel(rows: regions.map { Row(id: $0.id!, name: $0.name, municipalities: $0.municipalities.count,
                                                    version: $0.version) },
                            canCreate: user.scope == .everything)
    }
}

struct YearsModel {
    /// A refused form of this page, shown again as typed.
    var echo: FormEcho? = nil
    struct Row: Sendable { let id: Int; let label: String; let isCurrent: Bool }
    let rows: [Row]
    let canManage: Bool
    /// The academic year today falls in, from the date alone (not from a stored flag).
    let current: AcademicYearLabel
    var currentMissing: Bool { !rows.contains(where: \.isCurrent) }

    static func build(_ req: Request) async throws -> YearsModel {
        let user = try req.user
        let years = try await AcademicYearModel.query(on: req.db).sort(\.$startYear, .descending).all()
        let current = AcademicYearLabel.containing(req.today).startYear
        return YearsModel(rows: years.map { Row(id: $0.id!, label: AcademicYearLabel(startYear: $0.startYear).label,
                                                isCurrent: $0.startYear == current) },
                          canManage: user.managesSharedCatalogues, current: AcademicYearLabel(startYear: current))
    }
}

struct CataloguesModel {
    let subjects: [SubjectModel]
    let procedures: [ProcedureModel]
    let riskFactors: [(factor: RiskFactor, version: Int)]
    let canManage: Bool
    var echo: FormEcho? = nil

    static func build(_ req: Request) async throws -> CataloguesModel {
        let user = try req.user
        return CataloguesModel(subjects: try await SubjectModel.query(on: req.db).sort(\.$id).all(),
                               procedures: try await ProcedureModel.query(on: req.db).sort(\.$id).all(),
                               riskFactors: try await RiskRepository(db: req.db).factorRows(),
                               canManage: user.managesSharedCatalogues)
    }
}
