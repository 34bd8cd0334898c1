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
        api.post("municipalities", use: createMunicipality)
        api.put("municipalities", ":id", use: renameMunicipality)
        api.get("regions", use: regions)
        api.post("regions", use: createRegion)
        api.put("regions", ":id", use: renameRegion)
        api.get("academic-years", use: years)
        api.post("academic-years", use: createYear)
        api.get("subjects", use: subjects)
        api.post("subjects", use: createSubject)
        api.put("subjects", ":code", use: updateSubject)
        api.get("procedures", use: procedures)
        api.put("procedures", ":code", use: updateProcedure)
        api.get("audit", use: audit)
    }

    struct Me: Content { let login: String; let fullName: String; let role: String; let scope: String }

    @Sendable func me(_ req: Request) async throws -> Me {
        let user = try req.user
        return Me(login: user.login, fullName: user.fullName, role: user.role.rawValue, scope: user.scopeLabel)
    }

    @Sendable func schools(_ req: Request) async throws -> Response {
        let rows = try await SchoolsListModel.rows(req)
        if try req.queryChoice("format", from: ["json", "csv"], default: "json") == "csv" {
            return TableExport.csv(SchoolsExport.table(rows), name: "schools")
        }
        return try await rows.encodeResponse(for: req)
    }

    @Sendable func school(_ req: Request) async throws -> SchoolsListModel.Row {
        SchoolsListModel.Row(try await req.schoolInScope(try req.intParameter("id")))
    }

    @Sendable func createSchool(_ req: Request) async throws -> Response {
        let user = try req.require(\.canCreateSchools)
        let fields = try req.content.decode(SchoolBody.self).form.fields()
        try await requireMunicipality(fields.municipalityID, user, req)
        let school = try await RegistryRepository(db: req.db, actor: user.actor).createSchool(fields)
        let row = SchoolsListModel.Row(try await req.schoolInScope(school.id!))
        return try await row.encodeResponse(status: .created, for: req)
    }

    @Sendable func updateSchool(_ req: Request) async throws -> SchoolsListModel.Row {
        let user = try req.require(\.canEditSchools)
        let id = try req.intParameter("id")
        _ = try await req.schoolInScope(id)
        let form = try req.content.decode(SchoolBody.self).form
        guard let version = form.version else { throw Abort(.badRequest, reason: "version: укажите версию записи, которую вы изменяете") }
        let fields = try form.fields()
        try await requireMunicipality(fields.municipalityID, user, req)
        let stored = try await req.schoolInScope(id)
        if fields.code != stored.code, !SchoolCode.mayChange(role: user.role) {
            throw Abort(.forbidden, reason: "code: " + SchoolCode.notAllowed)
        }
        try await RegistryRepository(db: req.db, actor: user.actor).updateSchool(id: id, expectedVersion: version, fields, role: user.role,
                                                                                codeConfirmed: form.confirm_code == "1")
        return SchoolsListModel.Row(try await req.schoolInScope(id))
    }

    func requireMunicipality(_ id: Int, _ user: CurrentUser, _ req: Request) async throws {
        guard try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == id).first() != nil else {
            throw Abort(.forbidden, reason: "Муниципалитет вне вашей области доступа")
        }
    }

    struct Municipality: Content { let id: Int; let name: String; let regionID: Int; let version: Int }

    @Sendable func municipalities(_ req: Request) async throws -> [Municipality] {
        try await ScopeQueries.municipalities(try req.user.scope, on: req.db).sort(\.$name).all()
            .map { Municipality(id: $0.id!, name: $0.name, regionID: $0.$region.id, version: $0.version) }
    }

    struct NameBody: Content { var name: String; var version: Int?; var region_id: Int? }

    @Sendable func createMunicipality(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageMunicipalities)
        let body = try req.content.decode(NameBody.self)
        guard let regionID = body.region_id, user.scope.containsRegion(id: regionID) else {
            throw Abort(.forbidden, reason: "Регион вне вашей области доступа")
        }
        let created = try await RegistryRepository(db: req.db, actor: user.actor).createMunicipality(regionID: regionID, name: body.name)
        return try await Municipality(id: created.id!, name: created.name, regionID: regionID, version: created.version).encodeResponse(
            status: .created, for: req)
    }

    @Sendable func renameMunicipality(_ req: Request) async throws -> Municipality {
        let user = try req.require(\.canManageMunicipalities)
        let id = try req.intParameter("id")
        guard try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == id).first() != nil else {
            throw Abort(.notFound)
        }
        let body = try req.content.decode(NameBody.self)
        guard let version = body.version else { throw Abort(.badRequest, reason: "version: укажите версию записи, которую вы изменяете") }
        try await RegistryRepository(db: req.db, actor: user.actor).renameMunicipality(id: id, expectedVersion: version, name: body.name)
        let saved = try await MunicipalityModel.find(id, on: req.db)!
        return Municipality(id: id, name: saved.name, regionID: saved.$region.id, version: saved.version)
    }

    struct Region: Content { let id: Int; let name: String; let version: Int }

    @Sendable func regions(_ req: Request) async throws -> [Region] {
        try await ScopeQueries.regions(try req.user.scope, on: req.db).sort(\.$name).all().map {
            Region(id: $0.id!, name: $0.name, version: $0.version)
        }
    }

    @Sendable func createRegion(_ req: Request) async throws -> Response {
        let user = try req.require(\.canManageRegions)
        guard user.scope == .everything else {
            throw Abort(.forbidden, reason: "Создавать регионы может только аналитик без ограничения региона")
        }
        let created = try await RegistryRepository(db: req.db, actor: user.actor).createRegion(
            name: try req.content.decode(NameBody.self).name)
        return try await Region(id: created.id!, name: created.name, version: created.version).encodeResponse(status: .created, for: req)
    }

    @Sendable func renameRegion(_ req: Request) async throws -> Region {
        let user = try req.require(\.canManageRegions)
        let id = try req.intParameter("id")
        guard user.scope.containsRegion(id: id) else { throw Abort(.notFound) }
        let body = try req.content.decode(NameBody.self)
        guard let version = body.version else { throw Abort(.badRequest, reason: "version: укажите версию записи, которую вы изменяете") }
        try await RegistryRepository(db: req.db, actor: user.actor).renameRegion(id: id, expectedVersion: version, name: body.name)
        let saved = try await RegionModel.find(id, on: req.db)!
        return Region(id: id, name: saved.name, version: saved.version)
    }

    struct Year: Content { let id: Int; let startYear: Int; let label: String; let isCurrent: Bool }

    @Sendable func years(_ req: Request) async throws -> [Year] {
        _ = try req.user
        let current = AcademicYearLabel.containing(req.today).startYear
        return try await AcademicYearModel.query(on: req.db).sort(\.$startYear).all()
            .map { Year(id: $0.id!, startYear: $0.startYear, label: AcademicYearLabel(startYear: $0.startYear).label,
                        isCurrent: $0.startYear == current) }
    }

    struct YearBody: Content { var start_year: Int?; var label: String?; var is_current: Bool? }

    @Sendable func createYear(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let body = try req.content.decode(YearBody.self)
        guard let start = body.start_year ?? body.label.flatMap(AcademicYearLabel.init(parsing:))?.startYear else {
            throw Abort(.badRequest, reason: "start_year или label (например, 2025/26)")
        }
        let year = try await RegistryRepository(db: req.db, actor: user.actor).createAcademicYear(
            startYear: start, isCurrent: body.is_current ?? false)
        let current = AcademicYearLabel.containing(req.today).startYear
        return try await Year(id: year.id!, startYear: start, label: AcademicYearLabel(startYear: start).label,
                              isCurrent: start == current)
            .encodeResponse(status: .created, for: req)
    }

    struct Subject: Content { let code: String; let name: String; let aliases: [String]; let version: Int }

    @Sendable func subjects(_ req: Request) async throws -> [Subject] {
        _ = try req.user
        return try await SubjectModel.query(on: req.db).sort(\.$id).all().map {
            Subject(code: $0.code, name: $0.name, aliases: $0.aliasList, version: $0.version)
        }
    }

    struct SubjectBody: Content { var code: String?; var name: String; var aliases: [String]?; var version: Int? }

    @Sendable func createSubject(_ req: Request) async throws -> Response {
        let user = try req.requireSharedCatalogues()
        let body = try req.content.decode(SubjectBody.self)
        let subject = try await RegistryRepository(db: req.db, actor: user.actor).createSubject(
            code: body.code ?? "", name: body.name, aliases: body.aliases ?? [])
        return try await Subject(code: subject.code, name: subject.name, aliases: subject.aliasList, version: subject.version)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func updateSubject(_ req: Request) async throws -> Subject {
        let user = try req.requireSharedCatalogues()
        guard let code = req.parameters.get("code"), let subject = try await SubjectModel.query(on: req.db).filter(\.$code == code).first()
        else { throw Abort(.notFound) }
        let body = try req.content.decode(SubjectBody.self)
        guard let version = body.version else { throw Abort(.badRequest, reason: "version: укажите версию записи, которую вы изменяете") }
        try await RegistryRepository(db: req.db, actor: user.actor).updateSubject(
            id: subject.id!, expectedVersion: version, name: body.name, aliases: body.aliases ?? [])
        let saved = try await SubjectModel.find(subject.id!, on: req.db)!
        return Subject(code: saved.code, name: saved.name, aliases: saved.aliasList, version: saved.version)
    }

    struct Procedure: Content { let code: String; let shortName: String; let name: String; let version: Int }

    @Sendable func procedures(_ req: Request) async throws -> [Procedure] {
        _ = try req.user
        return try await ProcedureModel.query(on: req.db).sort(\.$id).all().map {
            Procedure(code: $0.code, shortName: $0.shortName, name: $0.name, version: $0.version)
        }
    }

    struct ProcedureBody: Content { var short_name: String; var name: String; var version: Int }

    @Sendable func updateProcedure(_ req: Request) async throws -> Procedure {
        let user = try req.requireSharedCatalogues()
        guard let code = req.parameters.get("code"),
            let procedure = try await ProcedureModel.query(on: req.db).filter(\.$code == code).first()
        else { throw Abort(.notFound) }
        let body = try req.content.decode(ProcedureBody.self)
        try await RegistryRepository(db: req.db, actor: user.actor).updateProcedure(
            id: procedure.id!, expectedVersion: body.version, shortName: body.short_name, name: body.name)
        let saved = try await ProcedureModel.find(procedure.id!, on: req.db)!
        return Procedure(code: saved.code, shortName: saved.shortName, name: saved.name, version: saved.version)
    }

    struct AuditEntry: Content {
        let at: Date; let actor: String; let action: String; let entity: String; let entityID: Int?; let summary: String;
        let changes: [FieldChange]
    }

    @Sendable func audit(_ req: Request) async throws -> [AuditEntry] {
        let user = try req.require(\.canViewAudit)
        return try await ScopeQueries.auditEntries(user.scope, on: req.db).sort(\.$at, .descending).sort(\.$id, .descending).limit(500)
            .all()
            .map {
                AuditEntry(
                    at: $0.at, actor: $0.actor, action: $0.action, entity: $0.entity, entityID: $0.entityID, summary: $0.summary,
                    changes: AuditLog.decodeChanges($0))
            }
    }
}

extension FieldChange: Content {}

/// A school as a client sends it: the very shape `GET /api/schools/ID` returns (so a client can read, change a
/// field and put it back), and the form's snake_case names as well; numbers as numbers or as text.
struct SchoolBody: Decodable {
    let form: SchoolForm

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func text(_ names: String...) throws -> String? {
            for name in names where c.contains(Key(stringValue: name)) {
                if try c.decodeNil(forKey: Key(stringValue: name)) { return nil }
                if let value = try? c.decode(String.self, forKey: Key(stringValue: name)) { return value }
                if let value = try? c.decode(Int.self, forKey: Key(stringValue: name)) { return String(value) }
                throw DecodingError.typeMismatch(
                    String.self, .init(codingPath: [Key(stringValue: name)], debugDescription: "\(name): ожидается текст или число"))
            }
            return nil
        }
        var form = SchoolForm()
        form.code = try text("code")
        form.name = try text("name")
        form.short_name = try text("shortName", "short_name")
        form.number = try text("number")
        form.organisational_form = try text("organisationalForm", "organisational_form")
        form.settlement = try text("settlement")
        form.address = try text("address")
        form.director = try text("director")
        form.students = try text("students")
        form.students_ovz = try text("studentsOVZ", "students_ovz")
        form.shifts = try text("shifts")
        // `true`, `1` or "1": the client confirms a change of the code (`SchoolCode`).
        if c.contains(Key(stringValue: "confirm_code")) {
            if let flag = try? c.decode(Bool.self, forKey: Key(stringValue: "confirm_code")) {
                form.confirm_code = flag ? "1" : nil
            } else {
                form.confirm_code = try text("confirm_code") == "1" ? "1" : nil
            }
        }
        if let municipality = try text("municipalityID", "municipality_id") {
            guard let id = Int(municipality) else { throw Abort(.badRequest, reason: "municipalityID: ожидается число") }
            form.municipality_id = id
        }
        if let version = try text("version") {
            guard let value = Int(version) else { throw Abort(.badRequest, reason: "version: ожидается число") }
            form.version = value
        }
        self.form = form
    }
}
