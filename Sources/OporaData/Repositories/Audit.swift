import FluentKit
import Foundation
import SQLKit

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
    /// Records one change. The place is completed upwards (a school's municipality and region, a municipality's
    /// region), so that every level above sees the change in its log. The entry also bumps `DataVersion` unless
    /// `changesData` is false (a backup is logged but changes nothing a page shows).
    public static func record(on db: any Database, actor: Actor, action: String, entity: String, entityID: Int?,
                              summary: String, changes: [FieldChange] = [], place: AuditPlace = .init(),
                              changesData: Bool = true) async throws {
        let place = try await complete(place, on: db)
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
        if changesData { try await DataVersion.bump(on: db) }
    }

    /// One entry of a batch (an import writes one per school it changed).
    public struct Entry: Sendable {
        public var action: String
        public var entity: String
        public var entityID: Int?
        public var summary: String
        public var changes: [FieldChange]
        /// Complete (school, municipality and region), as the importer knows them.
        public var place: AuditPlace

        public init(action: String, entity: String, entityID: Int?, summary: String, changes: [FieldChange], place: AuditPlace) {
            self.action = action
            self.entity = entity
            self.entityID = entityID
            self.summary = summary
            self.changes = changes
            self.place = place
        }
    }

    /// Records many entries with few statements (an import of a region touches a thousand schools).
    public static func record(on db: any Database, actor: Actor, _ entries: [Entry]) async throws {
        guard !entries.isEmpty else { return }
        let now = Date()
        let columns = ["at", "user_id", "actor", "action", "entity", "entity_id", "summary", "changes", "region_id", "municipality_id",
                       "school_id"]
        var start = 0
        while start < entries.count {
            var insert = db.sql.insert(into: "audit_log").columns(columns)
            for entry in entries[start..<min(start + 2_000, entries.count)] {
                let changes = AuditChangesJSON.text(entry.changes)
                insert = insert.values(SQLBind(now), SQLBind(actor.userID), SQLBind(actor.login), SQLBind(entry.action),
                                       SQLBind(entry.entity), SQLBind(entry.entityID), SQLBind(entry.summary), SQLBind(changes),
                                       SQLBind(entry.place.regionID), SQLBind(entry.place.municipalityID), SQLBind(entry.place.schoolID))
            }
            try await insert.run()
            start += 2_000
        }
        try await DataVersion.bump(on: db)
    }

    static func complete(_ place: AuditPlace, on db: any Database) async throws -> AuditPlace {
        var place = place
        if let schoolID = place.schoolID, place.municipalityID == nil || place.regionID == nil,
           let school = try await ScopeQueries.place(ofSchool: schoolID, on: db) {
            place.municipalityID = school.municipalityID
            place.regionID = school.regionID
        }
        if let municipalityID = place.municipalityID, place.regionID == nil {
            place.regionID = try await MunicipalityModel.find(municipalityID, on: db)?.$region.id
        }
        return place
    }

    public static func decodeChanges(_ entry: AuditEntryModel) -> [FieldChange] {
        (try? JSONDecoder().decode([FieldChange].self, from: Data(entry.changes.utf8))) ?? []
    }

    /// Compares labelled old and new values and keeps those that differ.
    public static func diff(_ pairs: [(String, String?, String?)]) -> [FieldChange] {
        pairs.compactMap { field, old, new in old == new ? nil : FieldChange(field: field, old: old, new: new) }
    }
}
