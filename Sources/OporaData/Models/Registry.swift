import FluentKit
import Foundation

public final class RegionModel: Model, @unchecked Sendable {
    public static let schema = "regions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "name") public var name: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @Children(for: \.$region) public var municipalities: [MunicipalityModel]

    public init() {}
    public init(name: String) {
        self.name = name
        self.version = 1
    }
}

public final class MunicipalityModel: Model, @unchecked Sendable {
    public static let schema = "municipalities"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "region_id") public var region: RegionModel
    @Field(key: "name") public var name: String
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    @Children(for: \.$municipality) public var schools: [SchoolModel]

    public init() {}
    public init(regionID: Int, name: String) {
        self.$region.id = regionID
        self.name = name
        self.version = 1
    }
}

public final class SchoolModel: Model, @unchecked Sendable {
    public static let schema = "schools"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "short_name") public var shortName: String?
    @OptionalField(key: "number") public var number: String?
    @Parent(key: "municipality_id") public var municipality: MunicipalityModel
    @OptionalField(key: "organisational_form") public var organisationalForm: String?
    @OptionalField(key: "settlement") public var settlement: String?
    @OptionalField(key: "address") public var address: String?
    @OptionalField(key: "director") public var director: String?
    @OptionalField(key: "students") public var students: Int?
    @OptionalField(key: "students_ovz") public var studentsOVZ: Int?
    @OptionalField(key: "shifts") public var shifts: Int?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
    public init(code: String, name: String, municipalityID: Int) {
        self.code = code
        self.name = name
        self.$municipality.id = municipalityID
        self.version = 1
    }

    /// The name to show in tables: the short name where there is one.
    public var displayName: String { shortName ?? name }
}

public final class AcademicYearModel: Model, @unchecked Sendable {
    public static let schema = "academic_years"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "start_year") public var startYear: Int
    @Field(key: "is_current") public var isCurrent: Bool
    @Field(key: "version") public var version: Int

    public init() {}
    public init(startYear: Int, isCurrent: Bool = false) {
        self.startYear = startYear
        self.isCurrent = isCurrent
        self.version = 1
    }
}

public final class SubjectModel: Model, @unchecked Sendable {
    public static let schema = "subjects"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    /// Other spellings, separated by "|".
    @Field(key: "aliases") public var aliases: String
    @Field(key: "version") public var version: Int

    public init() {}
    public init(code: String, name: String, aliases: [String]) {
        self.code = code
        self.name = name
        self.aliases = aliases.joined(separator: "|")
        self.version = 1
    }

    public var aliasList: [String] { aliases.split(separator: "|").map(String.init) }
}

public final class ProcedureModel: Model, @unchecked Sendable {
    public static let schema = "procedures"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "code") public var code: String
    @Field(key: "short_name") public var shortName: String
    @Field(key: "name") public var name: String
    @Field(key: "version") public var version: Int

    public init() {}
    public init(code: String, shortName: String, name: String) {
        self.code = code
        self.shortName = shortName
        self.name = name
        self.version = 1
    }
}
