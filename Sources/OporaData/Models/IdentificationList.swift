import FluentKit
import Foundation

/// An order fixing a year's list of supported schools for a territory (number, date, issuing body). Orders are kept
/// with their history, never merged: which one is in force is `ListInForce`'s answer.
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
    /// The body that issued the order (as the order names it).
    @Field(key: "issuer") public var issuer: String
    /// `ListAuthority`: the territory's own order, or a higher authority's (region, federal «500+»).
    @Field(key: "authority") public var authority: String
    @Children(for: \.$list) public var entries: [IdentificationListEntryModel]
    @Children(for: \.$list) public var exits: [IdentificationListExitModel]

    public init() {
        issuer = ""
        authority = "own"
    }
}

public final class IdentificationListEntryModel: Model, @unchecked Sendable {
    public static let schema = "identification_list_entries"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "list_id") public var list: IdentificationListModel
    @Parent(key: "school_id") public var school: SchoolModel
    @Field(key: "status") public var status: String
    @Field(key: "explanation") public var explanation: String
    @Field(key: "reasons_json") public var reasonsJSON: String
    /// `computed` (flagged by the criteria at approval), `added` (by hand, with a reason) or `order` (from a file).
    @Field(key: "origin") public var origin: String

    public init() { origin = "computed" }
}

/// A school an order took off the list: it was on the list in force before (an exit) and/or the criteria flagged it
/// when the order was approved (taken off by hand); either way with the reason recorded.
public final class IdentificationListExitModel: Model, @unchecked Sendable {
    public static let schema = "identification_list_exits"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "list_id") public var list: IdentificationListModel
    @Parent(key: "school_id") public var school: SchoolModel
    @Field(key: "was_listed") public var wasListed: Bool
    @Field(key: "was_flagged") public var wasFlagged: Bool
    @Field(key: "reason") public var reason: String

    public init() {}
}
