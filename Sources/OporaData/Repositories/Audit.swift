import FluentKit
import Foundation

/// Who makes a change: a signed-in user or the command line.
public struct Actor: Sendable, Hashable {
    public let userID: Int?
    public let login: String

    public init(userID: Int?, login: String) {
        self.userID = userID
        self.login = login
    }

    public static let commandLine = Actor(userID: nil, login: "командная строка")
}

public struct FieldChange: Codable, Sendable, Hashable {
    public let field: String
    public let old: String?
    public let new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// Where an audited change happened, so that coordinators see only their own part of the log.
public struct AuditPlace: Sendable {
    public var regionID: Int?
    public var municipalityID: Int?
    public var schoolID: Int?

    public init(regionID: Int? = nil, municipalityID: Int? = nil, schoolID: Int? = nil) {
        self.regionID = regionID
        self.municipalityID = municipalityID
        self.schoolID = schoolID
    }
}

public enum AuditLog {
    public static func record(on db: any Database, actor: Actor, action: String, entity: String, entityID: Int?,
                              summary: String, changes: [FieldChange] = [], place: AuditPlace = .init()) async throws {
        let entry = AuditEntryModel()
        entry.at = Date()
        entry.userID = actor.userID
        entry.actor = actor.login
        entry.action = action
        entry.entity = entity
        entry.entityID = entityID
        entry.summary = summary
        let data = try JSONEncoder().encode(changes)
        entry.changes = String(decoding: data, as: UTF8.self)
        entry.regionID = place.regionID
        entry.municipalityID = place.municipalityID
        entry.schoolID = place.schoolID
        try await entry.create(on: db)
    }

    public static func decodeChanges(_ entry: AuditEntryModel) -> [FieldChange] {
        (try? JSONDecoder().decode([FieldChange].self, from: Data(entry.changes.utf8))) ?? []
    }

    /// Compares labelled old and new values and keeps those that differ.
    public static func diff(_ pairs: [(String, String?, String?)]) -> [FieldChange] {
        pairs.compactMap { field, old, new in old == new ? nil : FieldChange(field: field, old: old, new: new) }
    }
}
