import FluentKit
import Foundation
import OporaDomain

/// A saved version of a territory's management directions (the text kept as written, YAML or JSON).
public final class DirectionSetModel: Model, @unchecked Sendable {
    public static let schema = "direction_sets"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "year") public var year: Int
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @Field(key: "version") public var version: Int
    @Field(key: "body") public var body: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// Management directions per territory and year: a municipality's own, else its region's, else the
/// installation's, else the Pervouralsk programme's.
public struct DirectionsRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// Versions saved for exactly this scope and year, newest first.
    public func versions(year: Int, scope: AccessScope) async throws -> [DirectionSetModel] {
        let owner = TerritoryChain.owner(scope)
        return try await DirectionSetModel.query(on: db).filter(\.$year == year)
            .filter(\.$regionID == owner.region).filter(\.$municipalityID == owner.municipality)
            .sort(\.$version, .descending).all()
    }

    /// The directions in force and the saved version they come from (nil: the programme's preset).
    public func effective(year: Int, scope: AccessScope) async throws -> (directions: [ManagementDirection], saved: DirectionSetModel?) {
        for owner in try await TerritoryChain.chain(scope, on: db) {
            if let newest = try await versions(year: year, scope: owner).first {
                return (try DirectionsFile.decode(newest.body, name: "направления, версия \(newest.version)"), newest)
            }
        }
        return (ManagementDirection.pervouralsk, nil)
    }

    /// Checks and saves a new version; nothing is saved if the text is invalid.
    @discardableResult
    public func save(year: Int, scope: AccessScope, text: String, actor: Actor) async throws -> DirectionSetModel {
        let directions = try DirectionsFile.decode(text)
        return try await db.transaction { tx in
            let owner = TerritoryChain.owner(scope)
            let latest = try await DirectionsRepository(db: tx).versions(year: year, scope: scope).first
            let model = DirectionSetModel()
            model.year = year
            model.regionID = owner.region
            model.municipalityID = owner.municipality
            model.version = (latest?.version ?? 0) + 1
            model.body = text
            model.createdBy = actor.login
            model.createdAt = Date()
            try await model.create(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "direction_set", entityID: model.id,
                summary: "Сохранены управленческие направления на \(year) год (\(directions.count)), версия \(model.version)",
                changes: latest.map { [FieldChange(field: "Направления", old: $0.body, new: text)] } ?? [],
                place: AuditPlace(regionID: owner.region, municipalityID: owner.municipality))
            return model
        }
    }
}
