import Fluent
import OporaData
import OporaDomain
import Vapor

/// JSON API. Every route is behind authentication (session or `Authorization: Bearer` token) and scoped.
struct APIController {
    func register(_ routes: any RoutesBuilder) {
        let api = routes.grouped("api")
        api.get("me", use: me)
        api.get("schools", use: schools)
        api.get("schools", ":id", use: school)
        api.post("schools", use: createSchool)
        api.put("schools", ":id", use: updateSchool)
        api.get("municipalities", use: municipalities)
        api.get("regions", use: regions)
        api.get("academic-years", use: years)
        api.get("subjects", use: subjects)
        api.get("procedures", use: procedures)
        api.get("audit", use: audit)
    }

    struct Me: Content { let login: String; let fullName: String; let role: String; let scope: String }

    @Sendable func me(_ req: Request) async throws -> Me {
        let user = try req.user
        return Me(login: user.login, fullName: user.fullName, role: user.role.rawValue, scope: user.scopeLabel)
    }

    @Sendable func schools(_ req: Request) async throws -> Response {
        let user = try req.user
        let rows = try await SchoolsListModel.rows(for: user, municipalityID: try? req.query.get(Int.self, at: "municipality"),
                                                    search: (try? req.query.get(String.self, at: "q")).cleaned, on: req.db)
        if (try? req.query.get(String.self, at: "format")) == "csv" {
            return CSVExport.response(SchoolsExport.table(rows), fileName: "schools.csv")
        }
        return try await rows.encodeResponse(for: req)
    }

    @Sendable func school(_ req: Request) async throws -> SchoolsListModel.Row {
        SchoolsListModel.Row(try await req.schoolInScope(try req.intParameter("id")))
    }

    @Sendable func createSchool(_ req: Request) async throws -> Response {
        let user = try req.require(\.canCreateSchools)
        let fields = try req.content.decode(SchoolForm.self).fields()
        try await requireMunicipality(fields.municipalityID, user, req)
        let school = try await RegistryRepository(db: req.db, actor: user.actor).createSchool(fields)
        let row = SchoolsListModel.Row(try await req.schoolInScope(school.id!))
        return try await row.encodeResponse(status: .created, for: req)
    }

    @Sendable func updateSchool(_ req: Request) async throws -> SchoolsListModel.Row {
        let user = try req.require(\.canEditSchools)
        let id = try req.intParameter("id")
        _ = try await req.schoolInScope(id)
        let form = try req.content.decode(SchoolForm.self)
        guard let version = form.version else { throw Abort(.badRequest, reason: "version: укажите версию записи, которую вы изменяете") }
        let fields = try form.fields()
        try await requireMunicipality(fields.municipalityID, user, req)
        try await RegistryRepository(db: req.db, actor: user.actor).updateSchool(id: id, expectedVersion: version, fields)
        return SchoolsListModel.Row(try await req.schoolInScope(id))
    }

    func requireMunicipality(_ id: Int, _ user: CurrentUser, _ req: Request) async throws {
        guard try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == id).first() != nil else {
            throw Abort(.forbidden, reason: "Муниципалитет вне вашей области доступа")
        }
    }

    struct Municipality: Content { let id: Int; let name: String; let regionID: Int }

    @Sendable func municipalities(_ req: Request) async throws -> [Municipality] {
        try await ScopeQueries.municipalities(try req.user.scope, on: req.db).sort(\.$name).all()
            .map { Municipality(id: $0.id!, name: $0.name, regionID: $0.$region.id) }
    }

    struct Region: Content { let id: Int; let name: String }

    @Sendable func regions(_ req: Request) async throws -> [Region] {
        try await ScopeQueries.regions(try req.user.scope, on: req.db).sort(\.$name).all().map { Region(id: $0.id!, name: $0.name) }
    }

    struct Year: Content { let id: Int; let startYear: Int; let label: String; let isCurrent: Bool }

    @Sendable func years(_ req: Request) async throws -> [Year] {
        _ = try req.user
        return try await AcademicYearModel.query(on: req.db).sort(\.$startYear).all()
            .map { Year(id: $0.id!, startYear: $0.startYear, label: AcademicYearLabel(startYear: $0.startYear).label, isCurrent: $0.isCurrent) }
    }

    struct Subject: Content { let code: String; let name: String; let aliases: [String] }

    @Sendable func subjects(_ req: Request) async throws -> [Subject] {
        _ = try req.user
        return try await SubjectModel.query(on: req.db).sort(\.$id).all().map { Subject(code: $0.code, name: $0.name, aliases: $0.aliasList) }
    }

    struct Procedure: Content { let code: String; let shortName: String; let name: String }

    @Sendable func procedures(_ req: Request) async throws -> [Procedure] {
        _ = try req.user
        return try await ProcedureModel.query(on: req.db).sort(\.$id).all().map { Procedure(code: $0.code, shortName: $0.shortName, name: $0.name) }
    }

    struct AuditEntry: Content { let at: Date; let actor: String; let action: String; let entity: String; let entityID: Int?; let summary: String; let changes: [FieldChange] }

    @Sendable func audit(_ req: Request) async throws -> [AuditEntry] {
        let user = try req.require(\.canViewAudit)
        return try await ScopeQueries.auditEntries(user.scope, on: req.db).sort(\.$at, .descending).sort(\.$id, .descending).limit(500).all()
            .map { AuditEntry(at: $0.at, actor: $0.actor, action: $0.action, entity: $0.entity, entityID: $0.entityID, summary: $0.summary, changes: AuditLog.decodeChanges($0)) }
    }
}

extension FieldChange: Content {}
