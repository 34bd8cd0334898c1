import FluentKit
import Foundation
import OporaDomain

/// A school's programme: its current content (the draft or the version under review) and its status.
public final class SchoolProgrammeModel: Model, @unchecked Sendable {
    public static let schema = "school_programmes"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "school_id") public var school: SchoolModel
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "factor") public var factor: Int?
    @Field(key: "title") public var title: String
    @Field(key: "start_year") public var startYear: Int
    @Field(key: "end_year") public var endYear: Int
    @Field(key: "status") public var status: String
    @Field(key: "content_json") public var contentJSON: String
    @Field(key: "version") public var version: Int
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String
    @Children(for: \.$programme) public var revisions: [ProgrammeRevisionModel]

    public init() {}

    public var programmeKind: ProgrammeKind { ProgrammeKind(rawValue: kind) ?? .antiRisk }
    public var programmeStatus: ProgrammeStatus { ProgrammeStatus(rawValue: status) ?? .draft }
    public var period: ClosedRange<Int> { startYear...max(startYear, endYear) }
    public var content: ProgrammeContent {
        (try? JSONDecoder().decode(ProgrammeContent.self, from: Data(contentJSON.utf8))) ?? ProgrammeContent()
    }
}

/// One submitted version, kept as it was sent, with the decision taken on it.
public final class ProgrammeRevisionModel: Model, @unchecked Sendable {
    public static let schema = "programme_revisions"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Parent(key: "programme_id") public var programme: SchoolProgrammeModel
    @Field(key: "number") public var number: Int
    @Field(key: "content_json") public var contentJSON: String
    @Field(key: "submitted_by") public var submittedBy: String
    @Field(key: "submitted_at") public var submittedAt: Date
    @OptionalField(key: "decision") public var decision: String?
    @OptionalField(key: "decided_by") public var decidedBy: String?
    @OptionalField(key: "decided_at") public var decidedAt: Date?

    public init() {}

    public var content: ProgrammeContent {
        (try? JSONDecoder().decode(ProgrammeContent.self, from: Data(contentJSON.utf8))) ?? ProgrammeContent()
    }
}

/// A remark on one item of a programme (or a reply to one), open until resolved.
public final class ProgrammeCommentModel: Model, @unchecked Sendable {
    public static let schema = "programme_comments"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "programme_id") public var programmeID: Int
    @Field(key: "revision") public var revision: Int
    @Field(key: "item_key") public var itemKey: String
    @OptionalField(key: "parent_id") public var parentID: Int?
    @Field(key: "author") public var author: String
    @Field(key: "author_name") public var authorName: String
    @Field(key: "text") public var text: String
    @Field(key: "resolved") public var resolved: Bool
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
