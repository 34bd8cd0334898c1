import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Approved lists as orders: each kept as it was made; which one is in force is the domain's `ListInForce`.
extension IdentificationRepository {
    struct PlaceRow: Decodable {
        let id: Int
        let municipality_id: Int
        let region_id: Int
    }

    /// Where each school of the scope sits (plain rows: a region's schools as models cost more than the answer).
    public func places(scope: AccessScope) async throws -> [ListPlace] {
        var query = db.sql.select()
            .column(SQLColumn("id", table: "schools")).column(SQLColumn("municipality_id", table: "schools"))
            .column(SQLColumn("region_id", table: "municipalities"))
            .from("schools")
            .join("municipalities", on: SQLColumn("municipality_id", table: "schools"), .equal, SQLColumn("id", table: "municipalities"))
        switch scope {
        case .everything: break
        case .region(let id): query = query.where(SQLColumn("region_id", table: "municipalities"), .equal, SQLBind(id))
        case .municipality(let id): query = query.where(SQLColumn("municipality_id", table: "schools"), .equal, SQLBind(id))
        case .schools(let ids):
            guard !ids.isEmpty else { return [] }
            query = query.where(SQLColumn("id", table: "schools"), .in, SQLBind.group(ids.sorted()))
        }
        return try await query.all(decoding: PlaceRow.self).map {
            ListPlace(schoolID: $0.id, municipalityID: $0.municipality_id, regionID: $0.region_id)
        }
    }

    /// The orders of the given years as the domain reads them (every territory: the rule picks per municipality).
    public func orders(years: [Int]) async throws -> [ListOrder] {
        guard !years.isEmpty else { return [] }
        return try await IdentificationListModel.query(on: db).filter(\.$year ~~ years).with(\.$entries).with(\.$exits).all().map(
            Self.order)
    }

    static func order(_ list: IdentificationListModel) -> ListOrder {
        let territory: OrderTerritory = list.municipalityID.map { .municipality($0) } ?? list.regionID.map { .region($0) } ?? .everywhere
        var entries: [Int: ListEntry] = [:]
        for entry in list.entries {
            entries[entry.$school.id] = ListEntry(
                status: IdentificationStatus(rawValue: entry.status) ?? .lowResults, reason: entry.explanation)
        }
        var exits: [Int: String] = [:]
        for exit in list.$exits.value ?? [] where exit.wasListed { exits[exit.$school.id] = exit.reason }
        return ListOrder(
            id: list.id!, year: list.year, territory: territory, number: list.orderNumber, date: list.orderDate,
            issuer: list.issuer, authority: ListAuthority(rawValue: list.authority) ?? .own, entries: entries, exits: exits)
    }

    /// The list in force for the scope and year (school id → listing), or nil when no order of the year is in force
    /// for any of the scope's municipalities.
    public func listInForce(year: Int, scope: AccessScope) async throws -> [Int: ListedSchool]? {
        let places = try await places(scope: scope)
        let orders = try await orders(years: [year])
        guard ListInForce.hasOrder(year: year, places: places, orders: orders) else { return nil }
        return ListInForce.schools(year: year, places: places, orders: orders)
    }

    /// Each school's status on the list in force for the year in the scope (CONTRACT.md, «the list in force»); nil
    /// when no order of the year is in force there. Every page asking «is this school listed?» comes here.
    public func approvedStatuses(year: Int, scope: AccessScope) async throws -> [Int: IdentificationStatus]? {
        try await listInForce(year: year, scope: scope)?.mapValues(\.status)
    }

    /// The orders in force for the scope and year, newest first (what an appendix cites).
    public func ordersInForce(year: Int, scope: AccessScope) async throws -> [ListOrder] {
        ListInForce.ordersInForce(year: year, places: try await places(scope: scope), orders: try await orders(years: [year]))
    }

    /// The year's list in force against the previous year's, school by school (`opora list`).
    public func changes(year: Int, scope: AccessScope) async throws -> [ListInForce.ChangeLine] {
        ListInForce.changes(year: year, places: try await places(scope: scope), orders: try await orders(years: [year - 1, year]))
    }

    /// Orders a scope sees, newest first: those for it, for a part of it, and those of its region (a higher authority's
    /// order applies to its municipalities). A school-level user sees none.
    public func lists(scope: AccessScope) async throws -> [IdentificationListModel] {
        var query = IdentificationListModel.query(on: db)
        switch scope {
        case .everything: break
        case .region(let id):
            let municipalities = try await MunicipalityModel.query(on: db).filter(\.$region.$id == id).all(\.$id)
            query = query.group(.or) { $0.filter(\.$regionID == id).filter(\.$municipalityID ~~ municipalities) }
        case .municipality(let id):
            guard let municipality = try await MunicipalityModel.find(id, on: db) else { return [] }
            query = query.group(.or) { $0.filter(\.$municipalityID == id).filter(\.$regionID == municipality.$region.id) }
        case .schools:
            return []
        }
        return try await query.with(\.$entries).with(\.$exits).sort(\.$year, .descending).sort(\.$orderDate, .descending)
            .sort(\.$id, .descending).all()
    }

    /// One order in a school's history: how it listed the school, or why it took it off; and whether it is in force.
    public struct SchoolListing: Sendable {
        public let order: ListOrder
        public let entry: ListEntry?
        public let exitReason: String?
        public let inForce: Bool
    }

    /// A school's history on the orders of its territory, newest first: every order that listed it or took it off.
    public func history(school schoolID: Int) async throws -> [SchoolListing] {
        guard let place = try await places(scope: .schools([schoolID])).first else { return [] }
        // Only the orders of the school's municipality, its region or the whole installation: a school's card must not
        // decode every order of every territory.
        let lists = try await IdentificationListModel.query(on: db)
            .group(.or) { either in
                either.filter(\.$municipalityID == place.municipalityID)
                    .group(.and) { $0.filter(\.$municipalityID == nil).filter(\.$regionID == place.regionID) }
                    .group(.and) { $0.filter(\.$municipalityID == nil).filter(\.$regionID == nil) }
            }
            .with(\.$entries).with(\.$exits).all()
        let orders = lists.map(Self.order).filter { $0.territory.covers(municipality: place.municipalityID, region: place.regionID) }
        let removals = Dictionary(
            uniqueKeysWithValues: lists.map { list in (list.id!, list.exits.first { $0.$school.id == schoolID }?.reason) })
        return orders.sorted { $0.isNewer(than: $1) }.compactMap { order in
            let removal = removals[order.id] ?? nil
            guard order.entries[schoolID] != nil || removal != nil else { return nil }
            let current = ListInForce.order(municipality: place.municipalityID, region: place.regionID, year: order.year, orders: orders)
            return SchoolListing(order: order, entry: order.entries[schoolID], exitReason: removal, inForce: current?.id == order.id)
        }
    }

    /// The schools a new order's territory holds.
    func territoryPlaces(_ territory: OrderTerritory) async throws -> [ListPlace] {
        switch territory {
        case .municipality(let id): try await places(scope: .municipality(id))
        case .region(let id): try await places(scope: .region(id))
        case .everywhere: try await places(scope: .everything)
        }
    }

    static func territory(of scope: AccessScope) -> OrderTerritory? {
        switch scope {
        case .municipality(let id): .municipality(id)
        case .region(let id): .region(id)
        case .everything: .everywhere
        case .schools: nil
        }
    }

    /// Approves the year's list for the scope from the computed one, as fixed by an order (number, date, issuer).
    /// `added` and `removed` are the changes made by hand, each with its reason (refused without one); `exitReasons`
    /// give the reasons of the schools that leave the list in force (default «не соответствует критериям»).
    public func approve(
        year: Int, criteria: CriteriaSet, identified: [Identified], explanations: [Int: String], scope: AccessScope,
        scopeLabel: String, orderNumber: String, orderDate: Date, issuer: String? = nil,
        added: [Int: (status: IdentificationStatus, reason: String)] = [:], removed: [Int: String] = [:],
        exitReasons: [Int: String] = [:], actor: Actor
    ) async throws -> IdentificationListModel {
        let number = orderNumber.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { throw RepositoryError.invalid(field: "Номер приказа", message: "обязателен") }
        guard let territory = Self.territory(of: scope) else {
            throw RepositoryError.invalid(field: "Территория", message: "список утверждает орган власти")
        }
        let issuedBy = (issuer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try RepositoryError.check(issuedBy, field: "Орган, издавший приказ", limit: 300)
        let territoryPlaces = try await territoryPlaces(territory)
        let inTerritory = Set(territoryPlaces.map(\.schoolID))
        for schoolID in Set(added.keys).union(removed.keys).union(exitReasons.keys) where !inTerritory.contains(schoolID) {
            throw RepositoryError.invalid(field: "Школа", message: Absent.schoolRecord)
        }
        let subjects = Dictionary(uniqueKeysWithValues: try await SubjectModel.query(on: db).all().map { ($0.code, $0.name) })
        let results = Dictionary(identified.map { ($0.school.id!, $0) }, uniquingKeysWith: { first, _ in first })
        var computed: [Int: ListEntry] = [:]
        for item in identified where item.result.status != .none && inTerritory.contains(item.school.id!) {
            // The reason is written into the order now, never recomputed later.
            let reason =
                explanations[item.school.id!].flatMap { $0.isEmpty ? nil : $0 }
                ?? Identifier.sentence(schoolName: item.school.displayName, item.result, subjects: subjects)
            computed[item.school.id!] = ListEntry(status: item.result.status, reason: reason)
        }
        let names = try await SchoolModel.query(on: db).filter(\.$id ~~ Array(Set(added.keys).union(removed.keys))).all()
        let entries: [Int: ListEntry]
        switch ListApproval.entries(
            computed: computed, added: added, removed: removed,
            names: Dictionary(uniqueKeysWithValues: names.map { ($0.id!, $0.displayName) }))
        {
        case .success(let found): entries = found
        case .failure(let problems): throw RepositoryError.invalid(field: "Изменения списка", message: problems.description)
        }
        var origins: [Int: String] = [:]
        var reasonsJSON: [Int: String] = [:]
        for schoolID in entries.keys {
            origins[schoolID] = added[schoolID] != nil ? "added" : "computed"
            if let result = results[schoolID], added[schoolID] == nil {
                reasonsJSON[schoolID] = String(decoding: try JSONEncoder().encode(result.result.reasons), as: UTF8.self)
            }
        }
        return try await record(
            year: year, territory: territory, scopeLabel: scopeLabel, criteria: criteria, number: number, date: orderDate,
            issuer: issuedBy.isEmpty ? "Орган управления образованием: \(scopeLabel)" : issuedBy, authority: .own,
            entries: entries, origins: origins, reasonsJSON: reasonsJSON,
            takenOff: removed, exitReasons: exitReasons, territoryPlaces: territoryPlaces, actor: actor)
    }

    /// Writes an order with its entries and exits in one transaction, with an audit row in its territory's place.
    func record(
        year: Int, territory: OrderTerritory, scopeLabel: String, criteria: CriteriaSet?, number: String, date: Date, issuer: String,
        authority: ListAuthority, entries: [Int: ListEntry], origins: [Int: String], reasonsJSON: [Int: String],
        takenOff: [Int: String], exitReasons: [Int: String], territoryPlaces: [ListPlace], actor: Actor
    ) async throws -> IdentificationListModel {
        try await db.transaction { tx in
            // Approving on the page queues behind imports and recorded exits exactly as an uploaded order does.
            try await ImportWriteLock.acquire(on: tx)
            let previous = try await IdentificationRepository(db: tx).orders(years: [year - 1, year])
            let list = IdentificationListModel()
            list.year = year
            switch territory {
            case .region(let id): list.regionID = id
            case .municipality(let id): list.municipalityID = id
            case .everywhere: break
            }
            list.scopeLabel = scopeLabel
            list.criteriaName = criteria?.name ?? "приказ \(authority.russianName)"
            list.criteriaJSON = try criteria.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) } ?? "{}"
            list.orderNumber = number
            list.orderDate = date
            list.approvedBy = actor.login
            list.approvedAt = Date()
            list.issuer = issuer
            list.authority = authority.rawValue
            try await list.create(on: tx)
            let order = ListOrder(
                id: list.id!, year: year, territory: territory, number: number, date: date, issuer: issuer,
                authority: authority, entries: entries)
            let exits = ListInForce.exits(of: order, territoryPlaces: territoryPlaces, previous: previous, reasons: exitReasons)
            for (schoolID, entry) in entries.sorted(by: { $0.key < $1.key }) {
                let row = IdentificationListEntryModel()
                row.$list.id = list.id!
                row.$school.id = schoolID
                row.status = entry.status.rawValue
                row.explanation = entry.reason
                row.reasonsJSON = reasonsJSON[schoolID] ?? "[]"
                row.origin = origins[schoolID] ?? "computed"
                try await row.create(on: tx)
            }
            for schoolID in Set(exits.keys).union(takenOff.keys).sorted() {
                let row = IdentificationListExitModel()
                row.$list.id = list.id!
                row.$school.id = schoolID
                row.wasListed = exits[schoolID] != nil
                row.wasFlagged = takenOff[schoolID] != nil
                // A school taken off by hand leaves with the reason typed for it.
                row.reason =
                    takenOff[schoolID].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? exits[schoolID]
                    ?? ListInForce.defaultExitReason
                try await row.create(on: tx)
            }
            let place: AuditPlace
            switch territory {
            case .region(let id): place = AuditPlace(regionID: id, municipalityID: nil)
            case .municipality(let id): place = AuditPlace(regionID: nil, municipalityID: id)
            case .everywhere: place = AuditPlace()
            }
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "identification_list", entityID: list.id,
                summary: "Утверждён список школ на \(year) год (\(scopeLabel)), приказ № \(number) от \(RussianFormat.date(date)), "
                    + "\(issuer): школ \(entries.count), вышли \(exits.count)",
                place: place)
            return list
        }
    }
}
