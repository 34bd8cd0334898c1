import FluentKit
import Foundation
import OporaDomain

/// A stored, versioned criteria set for a scope and year (the text is kept as written, YAML or JSON).
public final class CriteriaSetModel: Model, @unchecked Sendable {
    public static let schema = "criteria_sets"
    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "year") public var year: Int
    @OptionalField(key: "region_id") public var regionID: Int?
    @OptionalField(key: "municipality_id") public var municipalityID: Int?
    @Field(key: "version") public var version: Int
    @Field(key: "name") public var name: String
    @Field(key: "body") public var body: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

public struct CriteriaRepository: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    /// All versions saved for exactly this scope and year, newest first.
    public func versions(year: Int, scope: AccessScope) async throws -> [CriteriaSetModel] {
        let owner = TerritoryChain.owner(scope)
        return try await CriteriaSetModel.query(on: db).filter(\.$year == year)
            .filter(\.$regionID == owner.region).filter(\.$municipalityID == owner.municipality)
            .sort(\.$version, .descending).all()
    }

    /// The set that applies to a scope in a year: its own newest version, else its region's, else none.
    public func effective(year: Int, scope: AccessScope) async throws -> (CriteriaSet, CriteriaSetModel)? {
        for owner in try await TerritoryChain.chain(scope, on: db) {
            if let newest = try await versions(year: year, scope: owner).first {
                return (try CriteriaFile.decode(newest.body, name: "набор «\(newest.name)»"), newest)
            }
        }
        return nil
    }

    /// The newest set saved for the year in any scope (the command line runs over the whole database).
    public func newest(year: Int) async throws -> (CriteriaSet, CriteriaSetModel)? {
        guard
            let newest = try await CriteriaSetModel.query(on: db).filter(\.$year == year).sort(\.$createdAt, .descending).sort(
                \.$id, .descending
            ).first()
        else { return nil }
        return (try CriteriaFile.decode(newest.body, name: "набор «\(newest.name)»"), newest)
    }

    /// Validates and saves a new version; nothing is saved if the text is invalid.
    @discardableResult
    public func save(year: Int, scope: AccessScope, text: String, actor: Actor) async throws -> CriteriaSetModel {
        let criteria = try CriteriaFile.decode(text)
        return try await db.transaction { tx in
            let owner = TerritoryChain.owner(scope)
            let latest = try await CriteriaSetModel.query(on: tx).filter(\.$year == year)
                .filter(\.$regionID == owner.region).filter(\.$municipalityID == owner.municipality)
                .sort(\.$version, .descending).first()
            let model = CriteriaSetModel()
            model.year = year
            model.regionID = owner.region
            model.municipalityID = owner.municipality
            model.version = (latest?.version ?? 0) + 1
            model.name = criteria.name
            model.body = text
            model.createdBy = actor.login
            model.createdAt = Date()
            try await model.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "criteria_set", entityID: model.id,
                                      summary: "Сохранён набор критериев «\(criteria.name)» на \(year) год, версия \(model.version)",
                                      changes: latest.map { [FieldChange(field: "Критерии", old: $0.body, new: text)] } ?? [],
                                      place: AuditPlace(regionID: owner.region, municipalityID: owner.municipality))
            return model
        }
    }
}
