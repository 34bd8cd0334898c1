import FluentKit
import Foundation

/// An approved yearly list of supported schools (the order that fixes it: number and date).
public final class IdentificationListModel: Model, @unchecked Sendable {
    public static let schema = "identification_lists"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "year") public var year: Int
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @Field(key: "scope_label") public var scopeLabel: String
    @Field(key: "criteria_name") public var criteriaName: String
    @Field(key: "criteria_json") public var criteriaJSON: String
    @Field(key: "order_number") public var orderNumber: String
    @Field(key: "order_date") public var orderDate: Date
    @Field(key: "approved_by") public var approvedBy: String
    @Field(key: "approved_at") public var approvedAt: Date
    @Children(for: \.$list) public var entries: [IdentificationListEntryModel]

    public init() {}
}

public final class IdentificationListEntryModel: Model, @unchecked Sendable {
    public static let schema = "identification_list_entries"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "list_id") public var list: IdentificationListModel
    @Parent(key: "school_id") public var school: SchoolModel
    @Field(key: "status") public var status: String
    @Field(key: "explanation") public var explanation: String
    @Field(key: "reasons_json") public var reasonsJSON: String

    public init() {}
}
