import FluentKit
import Foundation
import OporaDomain

public final class CuratorAssignmentModel: Model, @unchecked Sendable {
    public static let schema = "curator_assignments"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "user_id") public var user: UserModel
    @Parent(key: "school_id") public var school: SchoolModel
    @Field(key: "start_on") public var startOn: String
    @OptionalField(key: "end_on") public var endOn: String?
    @OptionalField(key: "direction") public var direction: String?
    @Field(key: "version") public var version: Int
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var from: CalendarDay { CalendarDay(parsing: startOn) ?? CalendarDay(year: 2000, month: 1, day: 1) }
    public var until: CalendarDay? { endOn.flatMap(CalendarDay.init(parsing:)) }
    public func isCurrent(on day: CalendarDay) -> Bool { CuratorAssignment.runs(from: from, until: until, on: day) }
}

public final class SupportOrganisationModel: Model, @unchecked Sendable {
    public static let schema = "support_organisations"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "kind") public var kind: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "parent_id") public var parentID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "base_school_id") public var baseSchoolID: Int?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var organisationKind: OrganisationKind { OrganisationKind(rawValue: kind) ?? .point }
}

public final class OrganisationSchoolModel: Model, @unchecked Sendable {
    public static let schema = "support_organisation_schools"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "organisation_id") public var organisationID: Int
    @Parent(key: "school_id") public var school: SchoolModel

    public init() {}
}

public final class SupportForecastModel: Model, @unchecked Sendable {
    public static let schema = "support_forecasts"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "year") public var year: Int
    @OptionalField(key: "teams") public var teams: Int?
    @OptionalField(key: "people") public var people: Int?
    @OptionalField(key: "pairs") public var pairs: Int?
    @OptionalField(key: "points") public var points: Int?
    @OptionalField(key: "consulted") public var consulted: Int?
    @Field(key: "version") public var version: Int

    public init() {}

    public var figures: SupportFigures {
        SupportFigures(teams: teams, people: people, pairs: pairs, points: points, consultedSchools: consulted)
    }
}
