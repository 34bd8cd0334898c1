import Crypto
import Fluent
import Foundation
import OporaData
import OporaDomain
import Vapor

/// Users and API tokens: creation with hashed passwords, scope resolution, token hashing.
public enum AccountService {
    public static let minimumPasswordLength = 8

    public struct NewUser: Sendable {
        public var login: String
        public var fullName: String
        public var password: String
        public var role: Role
        public var regionID: Int?
        public var municipalityID: Int?
        public var schoolIDs: [Int]
        /// Where notifications go (V045); nil: none.
        public var email: String?

        public init(login: String, fullName: String, password: String, role: Role, regionID: Int? = nil,
                    municipalityID: Int? = nil, schoolIDs: [Int] = [], email: String? = nil) {
            self.email = email
            self.login = login
            self.fullName = fullName
            self.password = password
            self.role = role
            self.regionID = regionID
            self.municipalityID = municipalityID
            self.schoolIDs = schoolIDs
        }
    }

    /// Creates a user; `grantor` (nil for the command line) may only grant a scope inside their own.
    @discardableResult
    public static func createUser(_ new: NewUser, by actor: Actor, grantorScope: AccessScope = .everything,
                                  bcryptCost: Int = 12, on db: any Database) async throws -> UserModel {
        let login = new.login.trimmingCharacters(in: .whitespaces).lowercased()
        guard login.range(of: "^[a-z0-9._@-]{3,64}$", options: .regularExpression) != nil else {
            throw RepositoryError.invalid(field: "Логин", message: "3–64 символа: латинские буквы, цифры, . _ @ -")
        }
        guard new.password.count >= minimumPasswordLength else {
            throw RepositoryError.invalid(field: "Пароль", message: "не короче \(minimumPasswordLength) символов")
        }
        let fullName = new.fullName.trimmingCharacters(in: .whitespaces)
        guard !fullName.isEmpty else { throw RepositoryError.invalid(field: "ФИО", message: "обязательно") }
        let (email, emailProblem) = MailAddress.normalized(new.email)
        if let emailProblem { throw RepositoryError.invalid(field: "Электронная почта", message: emailProblem) }
        try RepositoryError.check(fullName, field: "ФИО", limit: 300)
        switch new.role {
        case .municipalCoordinator where new.municipalityID == nil:
            throw RepositoryError.invalid(field: "Муниципалитет", message: "муниципальному координатору нужен муниципалитет")
        case .curator where new.schoolIDs.isEmpty, .schoolAdmin where new.schoolIDs.isEmpty:
            throw RepositoryError.invalid(field: "Школы", message: "куратору и администратору школы нужна хотя бы одна школа")
        default: break
        }
        let requested = try await requestedScope(new, on: db)
        let municipalityRegions = Dictionary(
            uniqueKeysWithValues: try await MunicipalityModel.query(on: db).all().map { ($0.id!, $0.$region.id) })
        var places: [Int: SchoolPlace] = [:]
        if !new.schoolIDs.isEmpty {
            for school in try await SchoolModel.query(on: db).filter(\.$id ~~ new.schoolIDs).all() {
                places[school.id!] = SchoolPlace(schoolID: school.id!, municipalityID: school.$municipality.id,
                                                 regionID: municipalityRegions[school.$municipality.id] ?? -1)
            }
            guard places.count == Set(new.schoolIDs).count else { throw RepositoryError.notFound(entity: "школа") }
        }
        guard requested.isWithin(grantorScope, municipalityRegion: { municipalityRegions[$0] }, schoolPlace: { places[$0] }) else {
            throw RepositoryError.invalid(field: "Область доступа", message: "можно выдать доступ только в пределах своей области")
        }
        let hash = try Bcrypt.hash(new.password, cost: bcryptCost)
        return try await db.transaction { tx in
            if try await UserModel.query(on: tx).filter(\.$login == login).first() != nil {
                throw RepositoryError.duplicate(field: "Логин", value: login)
            }
            let user = UserModel(login: login, fullName: fullName, passwordHash: hash, role: new.role,
                                 regionID: new.regionID, municipalityID: new.municipalityID)
            user.email = email
            try await user.create(on: tx)
            for schoolID in Set(new.schoolIDs) {
                let link = UserSchoolModel()
                link.$user.id = user.id!
                link.$school.id = schoolID
                try await link.create(on: tx)
                if new.role == .curator {
                    // A curator's schools start its assignment history (the support network's «Кураторы»).
                    let assignment = CuratorAssignmentModel()
                    assignment.$user.id = user.id!
                    assignment.$school.id = schoolID
                    assignment.startOn = CalendarDay.today().iso
                    assignment.version = 1
                    assignment.createdBy = actor.login
                    assignment.createdAt = Date()
                    try await assignment.create(on: tx)
                }
            }
            let municipalityRegion = new.municipalityID.flatMap { municipalityRegions[$0] }
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "user", entityID: user.id,
                                      summary: "Добавлен пользователь \(login) (\(new.role.russianName))",
                                      place: .init(regionID: new.regionID ?? municipalityRegion, municipalityID: new.municipalityID))
            return user
        }
    }

    /// Sets a new password and signs the user out everywhere: a password changed after a leak must lock the
    /// old sessions out too.
    public static func setPassword(login: String, password: String, by actor: Actor, bcryptCost: Int = 12, on db: any Database) async throws
    {
        guard password.count >= minimumPasswordLength else {
            throw RepositoryError.invalid(field: "Пароль", message: "не короче \(minimumPasswordLength) символов")
        }
        guard password.utf8.count <= 72 else {
            throw RepositoryError.invalid(field: "Пароль", message: "не длиннее 72 байт (так устроен bcrypt)")
        }
        let user = try await find(login: login, on: db)
        let hash = try Bcrypt.hash(password, cost: bcryptCost)
        try await db.transaction { tx in
            user.passwordHash = hash
            try await user.save(on: tx)
            let signedOut = try await SessionStore(db: tx).deleteAll(userID: user.id!)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "user", entityID: user.id,
                                      summary: "Сменён пароль пользователя \(user.login); завершено сеансов: \(signedOut)",
                                      place: try await place(of: user, on: tx))
        }
    }

    /// Sets the user's own work phone (printed beside their name as a document's executor); empty clears it.
    public static func setPhone(login: String, phone: String, by actor: Actor, on db: any Database) async throws {
        if let problem = DocumentExecutor.phoneProblem(phone) { throw RepositoryError.invalid(field: "Телефон", message: problem) }
        let user = try await find(login: login, on: db)
        let new = phone.trimmingCharacters(in: .whitespacesAndNewlines)
        let old = user.phone ?? ""
        guard new != old else { return }
        try await db.transaction { tx in
            user.phone = new.isEmpty ? nil : new
            try await user.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "user", entityID: user.id,
                                      summary: "Телефон пользователя \(user.login)",
                                      changes: [FieldChange(field: "phone", old: old, new: new)],
                                      place: try await place(of: user, on: tx))
        }
    }

    /// Deactivates (or activates again) a user; a deactivated user's sessions end and API tokens stop working.
    public static func setActive(login: String, active: Bool, by actor: Actor, grantorScope: AccessScope = .everything,
                                 on db: any Database) async throws {
        let user = try await find(login: login, on: db)
        let (scope, _) = try await self.scope(of: user, on: db)
        guard try await isWithin(scope, grantorScope, on: db) else { throw RepositoryError.notFound(entity: "пользователь \(login)") }
        guard user.id != actor.userID else {
            throw RepositoryError.invalid(field: "Пользователь", message: "нельзя отключить самого себя")
        }
        guard user.isActive != active else { return }
        try await db.transaction { tx in
            user.isActive = active
            try await user.save(on: tx)
            var summary = active ? "Пользователь \(user.login) снова может входить" : "Пользователь \(user.login) отключён"
            if !active { summary += "; завершено сеансов: \(try await SessionStore(db: tx).deleteAll(userID: user.id!))" }
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "user", entityID: user.id, summary: summary,
                                      changes: [FieldChange(field: "Активен", old: active ? "нет" : "да", new: active ? "да" : "нет")],
                                      place: try await place(of: user, on: tx))
        }
    }

    /// Issues an API token; the returned plain token is shown once, only its hash is stored.
    public static func issueToken(forLogin login: String, name: String, by actor: Actor, on db: any Database) async throws -> String {
        let user = try await find(login: login, on: db)
        let label = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty else { throw RepositoryError.invalid(field: "Назначение токена", message: "обязательно") }
        try RepositoryError.check(label, field: "Назначение токена", limit: 100)
        let token = "opora_" + [UInt8].random(count: 24).map { String(format: "%02x", $0) }.joined()
        let model = APITokenModel(userID: user.id!, tokenHash: tokenHash(token), name: label)
        try await model.create(on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: "create", entity: "api_token", entityID: model.id,
            summary: "Выдан API-токен «\(label)» пользователю \(user.login)", place: try await place(of: user, on: db))
        return token
    }

    public static func tokens(ofLogin login: String, on db: any Database) async throws -> [APITokenModel] {
        let user = try await find(login: login, on: db)
        return try await APITokenModel.query(on: db).filter(\.$user.$id == user.id!).sort(\.$id).all()
    }

    /// Revokes one of the user's tokens (by its number in `tokens`); a request with it is refused from then on.
    public static func revokeToken(id: Int, ofLogin login: String, by actor: Actor, on db: any Database) async throws {
        let user = try await find(login: login, on: db)
        guard let token = try await APITokenModel.query(on: db).filter(\.$id == id).filter(\.$user.$id == user.id!).first() else {
            throw RepositoryError.notFound(entity: "токен № \(id) пользователя \(login)")
        }
        try await token.delete(on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: "delete", entity: "api_token", entityID: id,
            summary: "Отозван API-токен «\(token.name)» пользователя \(user.login)", place: try await place(of: user, on: db))
    }

    static func find(login: String, on db: any Database) async throws -> UserModel {
        guard
            let user = try await UserModel.query(on: db).filter(\.$login == login.trimmingCharacters(in: .whitespaces).lowercased()).first()
        else {
            throw RepositoryError.notFound(entity: "пользователь \(login)")
        }
        return user
    }

    static func place(ofLogin login: String, on db: any Database) async throws -> AuditPlace {
        try await place(of: try await find(login: login, on: db), on: db)
    }

    /// Where a user's account belongs in the audit log: the territory of their scope.
    static func place(of user: UserModel, on db: any Database) async throws -> AuditPlace {
        if let municipalityID = user.$municipality.id { return AuditPlace(municipalityID: municipalityID) }
        if let regionID = user.$region.id { return AuditPlace(regionID: regionID) }
        if let school = try await UserSchoolModel.query(on: db).filter(\.$user.$id == user.id!).first() {
            return AuditPlace(schoolID: school.$school.id)
        }
        return AuditPlace()
    }

    /// Whether a scope lies inside another (used to decide who may manage whom).
    static func isWithin(_ scope: AccessScope, _ other: AccessScope, on db: any Database) async throws -> Bool {
        if other == .everything { return true }
        let municipalityRegions = Dictionary(
            uniqueKeysWithValues: try await MunicipalityModel.query(on: db).all().map { ($0.id!, $0.$region.id) })
        var places: [Int: SchoolPlace] = [:]
        if case .schools(let ids) = scope, !ids.isEmpty {
            for school in try await SchoolModel.query(on: db).filter(\.$id ~~ Array(ids)).all() {
                places[school.id!] = SchoolPlace(schoolID: school.id!, municipalityID: school.$municipality.id,
                                                 regionID: municipalityRegions[school.$municipality.id] ?? -1)
            }
        }
        return scope.isWithin(other, municipalityRegion: { municipalityRegions[$0] }, schoolPlace: { places[$0] })
    }

    public static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func requestedScope(_ new: NewUser, on db: any Database) async throws -> AccessScope {
        if let municipalityID = new.municipalityID {
            guard try await MunicipalityModel.find(municipalityID, on: db) != nil else {
                throw RepositoryError.notFound(entity: "муниципалитет")
            }
            return .municipality(municipalityID)
        }
        if let regionID = new.regionID {
            guard try await RegionModel.find(regionID, on: db) != nil else { throw RepositoryError.notFound(entity: "регион") }
            return .region(regionID)
        }
        if !new.schoolIDs.isEmpty { return .schools(Set(new.schoolIDs)) }
        return new.role == .regionalAnalyst ? .everything : .schools([])
    }

    /// The scope a stored user holds, and a Russian label for it.
    /// A curator's schools are those its assignments hold on `day`.
    public static func scope(of user: UserModel, on db: any Database, day: CalendarDay = .today()) async throws -> (AccessScope, String) {
        try await UserScopes.scope(of: user, on: db, day: day)
    }
}
