import FluentKit
import Foundation
import OporaDomain

/// Records an `approved_list` file as one order (CONTRACT.md): the authority's own or a higher authority's, for a
/// territory within the uploader's scope; every school must belong to that territory. All or nothing.
public struct ApprovedListImporter: Sendable {
    public let db: any Database
    public let actor: Actor
    public let scope: AccessScope

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything) {
        self.db = db
        self.actor = actor
        self.scope = scope
    }

    public func write(_ file: ApprovedListOrder, fileName: String) async throws -> ImportSummary {
        var issues = IssueCollector(file: fileName)
        let (territory, territoryName) = try await territory(of: file, fileName: fileName)
        let repository = IdentificationRepository(db: db)
        let places = try await repository.territoryPlaces(territory)
        let inTerritory = Set(places.map(\.schoolID))
        let codes = Dictionary(
            try await SchoolModel.query(on: db).filter(\.$code ~~ file.rows.map(\.school)).all().map { ($0.code, $0.id!) },
            uniquingKeysWith: { first, _ in first })
        var entries: [Int: ListEntry] = [:]
        for row in file.rows {
            // An unknown code and another territory's school get the same answer.
            guard let id = codes[row.school], inTerritory.contains(id) else {
                issues.error(
                    line: row.line, column: "school",
                    Absent.school(row.school) + "; территория приказа — \(territoryName)")
                continue
            }
            entries[id] = ListEntry(status: row.status, reason: row.reason)
        }
        try issues.throwIfFailed()
        let authority = file.authority ?? .own
        let issuer =
            file.issuer
            ?? {
                switch authority {
                case .own: "Орган управления образованием: \(territoryName)"
                case .region: "Орган управления образованием региона"
                case .federal: "Министерство просвещения Российской Федерации"
                }
            }()
        let list = try await repository.record(
            year: file.year, territory: territory, scopeLabel: territoryName, criteria: nil, number: file.number, date: file.date,
            issuer: issuer, authority: authority, entries: entries, origins: entries.mapValues { _ in "order" }, reasonsJSON: [:],
            takenOff: [:], exitReasons: [:], territoryPlaces: places, actor: actor)
        var summary = ImportSummary()
        summary.created = entries.count
        let exits = try await IdentificationListExitModel.query(on: db).filter(\.$list.$id == list.id!).count()
        if exits > 0 {
            summary.warnings.append(
                ImportIssue(
                    file: fileName, line: 1, column: "school",
                    message:
                        "приказ № \(file.number) заменил список в силе: вышли \(exits) "
                        + "\(RussianFormat.plural(exits, "школа", "школы", "школ")) "
                        + "(причина — «\(ListInForce.defaultExitReason)»)",
                    severity: .warning))
        }
        return summary
    }

    /// The territory whose list the order replaces, and its name: the file's `territory` within the uploader's scope,
    /// else the uploader's own, else (the whole installation) the schools' common municipality. Also what the
    /// preview compares the file with (`ImportChangesReader`).
    func territory(of file: ApprovedListOrder, fileName: String) async throws -> (territory: OrderTerritory, name: String) {
        var issues = IssueCollector(file: fileName)
        let firstLine = file.rows.first?.line ?? 2
        let municipalities = try await MunicipalityModel.query(on: db).with(\.$region).all()
        let regions = try await RegionModel.query(on: db).all()
        var territory: OrderTerritory?
        var territoryName = ""
        if let named = file.territory {
            let key = HeaderKey.normalize(named)
            // Only territories the uploader may write are looked at, so the answer never tells what exists elsewhere.
            let municipality = municipalities.first {
                HeaderKey.normalize($0.name) == key && scope.containsMunicipality(id: $0.id!, regionID: $0.$region.id)
            }
            let region = regions.first { HeaderKey.normalize($0.name) == key && scope.containsRegion(id: $0.id!) }
            if let municipality {
                territory = .municipality(municipality.id!)
                territoryName = municipality.name
            } else if let region {
                territory = .region(region.id!)
                territoryName = region.name
            } else {
                issues.error(line: firstLine, column: "territory", Absent.territory(named))
            }
        } else {
            switch scope {
            case .municipality(let id):
                territory = .municipality(id)
                territoryName = municipalities.first { $0.id == id }?.name ?? ""
            case .region(let id):
                territory = .region(id)
                territoryName = regions.first { $0.id == id }?.name ?? ""
            case .everything:
                // The schools' common municipality.
                let codes = Set(file.rows.map(\.school))
                let owners = Set(try await SchoolModel.query(on: db).filter(\.$code ~~ Array(codes)).all(\.$municipality.$id))
                if owners.count == 1, let id = owners.first {
                    territory = .municipality(id)
                    territoryName = municipalities.first { $0.id == id }?.name ?? ""
                } else {
                    issues.error(
                        line: firstLine, column: "territory",
                        "укажите территорию приказа (муниципалитет или регион): школы файла не принадлежат одному муниципалитету")
                }
            case .schools:
                issues.error(line: firstLine, column: "territory", "перечень утверждает орган власти, а не школа")
            }
        }
        try issues.throwIfFailed()
        guard let territory else { throw ImportRejected(issues: issues.issues) }
        return (territory, territoryName)
    }
}
