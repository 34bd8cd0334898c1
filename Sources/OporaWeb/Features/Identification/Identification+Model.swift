import Fluent
import OporaData
import OporaDomain
import Vapor

/// The criteria a page applies: the set in force for the user's territory, or a named preset, with an
/// optional what-if threshold.
struct CriteriaChoice: Sendable {
    /// "stored" (the set in force), or a preset's key.
    let key: String
    let criteria: CriteriaSet
    let whatIfThreshold: Double?
    /// The threshold of the set itself, before any what-if (the heading names both).
    let setThreshold: Double

    static let storedKey = "stored"

    /// A what-if run: a threshold typed that differs from the set's. Such a run is shown, never approved.
    var isWhatIf: Bool { whatIfThreshold.map { $0 != setThreshold } ?? false }

    static func read(_ req: Request, year: Int?, scope: AccessScope, key requested: String?,
                     threshold: Double?) async throws -> CriteriaChoice {
        let key = requested ?? storedKey
        var criteria: CriteriaSet
        if key == storedKey {
            let derived = try await req.derived
            let stored = try await year.asyncFlatMap { try await derived.effectiveCriteria(year: $0, scope: scope) }
            criteria = try stored ?? CriteriaSet.defaultRule(territory: req.user.scopeLabel)
        } else if let preset = CriteriaSet.preset(key) {
            criteria = preset
        } else {
            throw Abort(.badRequest, reason: "Неизвестный набор критериев «\(key)»")
        }
        let setThreshold = criteria.lowResults.threshold
        if let threshold {
            criteria.lowResults.threshold = threshold
            criteria.lowResults.riskLowerBound = min(criteria.lowResults.riskLowerBound, threshold)
        }
        return CriteriaChoice(key: key, criteria: criteria, whatIfThreshold: threshold, setThreshold: setThreshold)
    }

    static func fromQuery(_ req: Request, year: Int?, scope: AccessScope, key typed: String? = nil) async throws -> CriteriaChoice {
        let keys = [storedKey, "seed004"] + CriteriaSet.presets.keys.sorted()
        let key = try typed ?? req.queryText("criteria", maxLength: 40)
        if let key, !keys.contains(key) { throw Abort(.badRequest, reason: "Неизвестный набор критериев «\(key)»") }
        let threshold = try req.queryDecimal("threshold", in: InputRange.percent, "порог")
        return try await read(req, year: year, scope: scope, key: key, threshold: threshold)
    }

    /// The choices a page offers, in the user's words.
    static var options: [(value: String, label: String)] {
        [(storedKey, "Действующий набор на год (или правило по умолчанию)")]
            + CriteriaSet.presets.sorted { $0.key > $1.key }.map { ($0.key, $0.value.name) }
    }
}


/// The identification page: the criteria applied to the year, each school explained in one sentence, compared with
/// the list in force; approving makes an order from the computed list, with schools added or taken off by hand.
struct IdentificationModel: Sendable {
    struct Row: Sendable {
        let schoolID: Int; let school: String; let status: IdentificationStatus; let explanation: String
        let isbs: Int?; let quality: Int?; let nearMiss: Bool
        /// «нет данных» for a school without results for the year (the domain's `IdentificationResult.statusName`).
        let statusName: String
        let hasData: Bool
    }

    let years: [Int]
    let year: Int?
    let choice: CriteriaChoice
    /// Every school, flagged first (the exports take them all).
    let rows: [Row]
    /// Against the list in force (the year's, else the previous year's): who would enter, stay or leave.
    let changes: ListChanges?
    /// The orders that list is fixed by, and the year they are for.
    let ordersInForce: [ListOrder]
    let listYear: Int?
    let canApprove: Bool
    /// The issuing body the approval form suggests.
    let defaultIssuer: String
    let names: [String: String]
    /// The schools not flagged, one page of them (with the search typed).
    let search: String?
    let page: Int
    /// A refused approval: every value typed and what is wrong beside each field.
    var approvalEcho: FormEcho? = nil

    var flagged: [Row] { rows.filter { $0.status != .none } }
    /// Schools that may be added by hand: those the criteria do not flag.
    var addable: [Row] { rows.filter { $0.status == .none }.sorted { $0.school < $1.school } }
    /// The table's rows: flagged schools first, then near misses, then the others; narrowed by the search.
    var shown: [Row] {
        guard let search else { return rows }
        return rows.filter { $0.school.localizedCaseInsensitiveContains(search) }
    }
    var paging: Paging { Paging(page: page, total: shown.count) }

    /// `year` and `criteria` come from the query, or from a refused approval form that is shown again.
    static func build(_ req: Request, year typedYear: Int? = nil, criteria typedKey: String? = nil) async throws -> IdentificationModel {
        let user = try req.user
        let derived = try await req.derived
        let works = try await derived.availableWorks(scope: user.scope)
        let years = Array(Set(works.map(\.year))).sorted(by: >)
        let year = try typedYear ?? req.queryYear() ?? years.first
        let choice = try await CriteriaChoice.fromQuery(req, year: year, scope: user.scope, key: typedKey)
        let canApprove = user.role.canImport && { if case .schools = user.scope { return false } else { return true } }()
        let search = try req.queryText("q", maxLength: 100)
        let page = try req.queryInt("page", in: InputRange.page, "страница") ?? 1
        let issuer = "Орган управления образованием: \(user.scopeLabel)"
        guard let year else {
            return IdentificationModel(years: years, year: nil, choice: choice, rows: [], changes: nil, ordersInForce: [], listYear: nil,
                                       canApprove: canApprove, defaultIssuer: issuer, names: [:], search: search, page: page)
        }
        let subjects = try await derived.subjectNames()
        let repository = IdentificationRepository(db: req.db)
        let identified = try await derived.identification(year: year, criteria: choice.criteria, scope: user.scope)
        let order: [IdentificationStatus] = [.lowResultsSocial, .lowResults, .riskOfDecline, .none]
        let rows = identified.map { item in
            Row(schoolID: item.school.id!, school: item.school.displayName, status: item.result.status,
                explanation: Identifier.explanation(item.result, subjects: subjects), isbs: item.isbsGroup, quality: item.qualityGroup,
                nearMiss: !item.result.nearMisses.isEmpty, statusName: item.result.statusName, hasData: item.result.hasData)
        }.sorted {
            (order.firstIndex(of: $0.status)!, $0.nearMiss ? 0 : 1, $0.school)
                < (order.firstIndex(of: $1.status)!, $1.nearMiss ? 0 : 1, $1.school)
        }
        // The list a new order would replace: the year's list in force, else the previous year's.
        var listYear: Int? = nil
        var inForce: [ListOrder] = []
        var listed: [Int: ListedSchool] = [:]
        for candidate in [year, year - 1] {
            let orders = try await repository.ordersInForce(year: candidate, scope: user.scope)
            if !orders.isEmpty {
                listYear = candidate
                inForce = orders
                listed = try await repository.listInForce(year: candidate, scope: user.scope) ?? [:]
                break
            }
        }
        var changes: ListChanges? = nil
        if listYear != nil {
            let previous = Dictionary(uniqueKeysWithValues: listed.values.map { (String($0.schoolID), $0.status) })
            let current = Dictionary(uniqueKeysWithValues: rows.map { (String($0.schoolID), $0.status) })
            changes = ListChanges.compare(previous: previous, current: current)
        }
        let names = Dictionary(uniqueKeysWithValues: identified.map { (String($0.school.id!), $0.school.displayName) })
        return IdentificationModel(years: years, year: year, choice: choice, rows: rows, changes: changes, ordersInForce: inForce,
                                   listYear: listYear, canApprove: canApprove, defaultIssuer: issuer, names: names, search: search,
                                   page: page)
    }

    /// The table for export: every school, with the sentence for the order.
    func exportRows() -> [[SheetCell]] {
        [["Школа", "Статус", "Группа ИСБШ", "Группа качества", "Обоснование"].map(SheetCell.text)]
            + rows.map { [.text($0.school), .text($0.statusName), $0.isbs.map { .number(Double($0)) } ?? .empty,
                          $0.quality.map { .number(Double($0)) } ?? .empty, .text($0.explanation)] }
    }
}

/// Typology grid (ИСБШ group × quality group, 11 × 11) and scatter, from the context data of a year, typed by
/// the criteria set in force (its `typology` block).
struct TypologyModel: Sendable {
    struct Point: Sendable { let schoolID: Int; let school: String; let isbs: Int; let quality: Int; let type: SchoolType }
    let year: Int
    let rule: TypologyRule
    let criteriaName: String
    let points: [Point]
    /// Too many schools to name in the grid (a region): cells count them.
    var isDense: Bool { points.count > 100 }

    static func build(_ req: Request) async throws -> TypologyModel {
        let user = try req.user
        let derived = try await req.derived
        let latest = try await IdentificationRepository(db: req.db).latestContextYear()
        let year = try req.queryYear() ?? latest ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let criteria = try await derived.effectiveCriteria(year: year, scope: user.scope)
            ?? CriteriaSet.defaultRule(territory: user.scopeLabel)
        let rule = criteria.typology ?? .pervouralsk
        let context = try await derived.context(year: year)
        let schools = try await SchoolsListModel.rows(for: user, municipalityID: nil, search: nil, derived: derived)
        let points: [Point] = schools.compactMap { school in
            guard let isbs = context[school.id]?["isbs_group"]?.number, let quality = context[school.id]?["quality_group"]?.number else {
                return nil
            }
            return Point(schoolID: school.id, school: school.shortName ?? school.name, isbs: Int(isbs), quality: Int(quality),
                         type: rule.type(isbsGroup: Int(isbs), qualityGroup: Int(quality)))
        }
        return TypologyModel(year: year, rule: rule, criteriaName: criteria.name, points: points.sorted { $0.school < $1.school })
    }
}

/// The history of orders a territory sees: each order as it was made, with the schools it listed (and how they came
/// onto it), the schools that left the list in force by it and those taken off the computed list, with their reasons.
struct IdentificationListsModel {
    struct Entry { let school: String; let status: IdentificationStatus; let explanation: String; let added: Bool }
    struct Exit { let school: String; let reason: String }
    struct Item { let list: IdentificationListModel; let entered: [Entry]; let stayed: [Entry]; let left: [Exit]; let takenOff: [Exit] }
    let items: [Item]
    /// Who recorded each order, by name (`ActorNames`).
    var names = ActorNames(names: [:])

    static func build(_ req: Request) async throws -> IdentificationListsModel {
        let user = try req.user
        let lists = try await IdentificationRepository(db: req.db).lists(scope: user.scope)
        // A municipality sees its region's orders, but only its own schools on them.
        let visible = Set(try await ScopeQueries.schoolIDs(user.scope, on: req.db))
        let ids = Set(lists.flatMap { $0.entries.map(\.$school.id) + $0.exits.map(\.$school.id) }).intersection(visible)
        let schools = try await SchoolModel.query(on: req.db).filter(\.$id ~~ Array(ids)).all()
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id!, $0.displayName) })
        var items: [Item] = []
        for (index, list) in lists.enumerated() {
            // The previous order of the same territory (lists are newest first).
            let previous = lists[(index + 1)...].first { $0.regionID == list.regionID && $0.municipalityID == list.municipalityID }
            let before = Set((previous?.entries ?? []).map(\.$school.id))
            let entries = list.entries.filter { visible.contains($0.$school.id) }
            func entry(_ e: IdentificationListEntryModel) -> Entry {
                Entry(school: names[e.$school.id] ?? "?", status: IdentificationStatus(rawValue: e.status) ?? .none,
                      explanation: e.explanation, added: e.origin == "added")
            }
            let exits = list.exits.filter { visible.contains($0.$school.id) }
            func exit(_ e: IdentificationListExitModel) -> Exit { Exit(school: names[e.$school.id] ?? "?", reason: e.reason) }
            items.append(Item(list: list,
                              entered: entries.filter { !before.contains($0.$school.id) }.map(entry).sorted { $0.school < $1.school },
                              stayed: entries.filter { before.contains($0.$school.id) }.map(entry).sorted { $0.school < $1.school },
                              left: exits.filter(\.wasListed).map(exit).sorted { $0.school < $1.school },
                              takenOff: exits.filter { $0.wasFlagged && !$0.wasListed }.map(exit).sorted { $0.school < $1.school }))
        }
        return IdentificationListsModel(items: items, names: try await req.actorNames)
    }
}
