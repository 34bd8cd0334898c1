import FluentKit
import Foundation
import OporaDomain

public final class UserModel: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "login") public var login: String
    @Field(key: "full_name") public var fullName: String
    /// The work phone a document prints beside the executor's name (V031).
    @OptionalField(key: "phone") public var phone: String?
    /// Where the user's notifications go (V045); none without it.
    @OptionalField(key: "email") public var email: String?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: String
    @OptionalParent(key: "region_id") public var region: RegionModel?
    @OptionalParent(key: "municipality_id") public var municipality: MunicipalityModel?
    @Field(key: "is_active") public var isActive: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Siblings(through: UserSchoolModel.self, from: \.$user, to: \.$school) public var schools: [SchoolModel]

    public init() {}
    public init(login: String, fullName: String, passwordHash: String, role: Role, regionID: Int? = nil, municipalityID: Int? = nil) {
        self.login = login
        self.fullName = fullName
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.$region.id = regionID
        self.$municipality.id = municipalityID
        self.isActive = true
    }

    public var roleValue: Role { Role(rawValue: role) ?? .viewer }

    /// The user as a document's executor: the full name and phone, never the login.
    public var executor: DocumentExecutor? {
        DocumentSignature.personName(fullName: fullName, login: login).map { DocumentExecutor(name: $0, phone: phone) }
    }
}

public final class UserSchoolModel: Model, @unchecked Sendable {
    public static let schema = "user_schools"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "user_id") public var user: UserModel
    @Parent(key: "school_id") public var school: SchoolModel

    public init() {}
}

public final class APITokenModel: Model, @unchecked Sendable {
    public static let schema = "api_tokens"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "user_id") public var user: UserModel
    /// SHA-256 of the token; the token itself is shown once and never stored.
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "name") public var name: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?

    public init() {}
    public init(userID: Int, tokenHash: String, name: String) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.name = name
    }
}

public final class AuditEntryModel: Model, @unchecked Sendable {
    public static let schema = "audit_log"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "user_id") public var userID: Int?
    @Field(key: "actor") public var actor: String
    @Field(key: "action") public var action: String
    @Field(key: "entity") public var entity: String
    @OptionalField(key: "entity_id") public var entityID: Int?
    @Field(key: "summary") public var summary: String
    /// JSON object: field → [old, new].
    @Field(key: "changes") public var changes: String
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @OptionalField(key: "school_id") public var schoolID: Int?

    public init() {}
}
