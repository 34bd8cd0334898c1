import Fluent
import OporaData
import OporaDomain
import Vapor

struct UsersModel {
    struct Row: Sendable {
        let login: String; let fullName: String; let role: Role; let scope: String; let isActive: Bool; let isSelf: Bool
    }
    let rows: [Row]
    let municipalities: [(id: Int, name: String)]
    let regions: [(id: Int, name: String)]
    let schools: [(id: Int, name: String)]
    /// The new user's place defaults to the administrator's own region or municipality.
    var ownRegion: Int? = nil
    var ownMunicipality: Int? = nil
    /// A refused form of this page, shown again as typed (never the password).
    var echo: FormEcho?

    static func build(_ req: Request) async throws -> UsersModel {
        let user = try req.require(\.canManageUsers)
        let municipalities = try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all()
        let regions = try await ScopeQueries.regions(user.scope, on: req.db).sort(\.$name).all()
        let schools = try await ScopeQueries.schools(user.scope, on: req.db).sort(\.$name).all()
        var rows: [Row] = []
        // Users are listed when their own scope lies inside the viewer's.
        for candidate in try await UserModel.query(on: req.db).sort(\.$login).all() {
            let (scope, label) = try await AccountService.scope(of: candidate, on: req.db)
            let visible: Bool
            switch scope {
            case .everything: visible = user.scope == .everything
            case .region(let id): visible = user.scope.containsRegion(id: id)
            case .municipality(let id): visible = municipalities.contains { $0.id == id }
            case .schools(let ids): visible = !ids.isEmpty && ids.allSatisfy { id in schools.contains { $0.id == id } }
            }
            if visible {
                rows.append(Row(login: candidate.login, fullName: candidate.fullName, role: candidate.roleValue, scope: label,
                                isActive: candidate.isActive, isSelf: candidate.id == user.id))
            }
        }
        var model = UsersModel(rows: rows, municipalities: municipalities.map { ($0.id!, $0.name) },
                               regions: regions.map { ($0.id!, $0.name) }, schools: schools.map { ($0.id!, $0.displayName) })
        switch user.scope {
        case .region(let id): model.ownRegion = id
        case .municipality(let id):
            model.ownMunicipality = id
            model.ownRegion = try await MunicipalityModel.find(id, on: req.db)?.$region.id
        case .everything, .schools: break
        }
        return model
    }
}
