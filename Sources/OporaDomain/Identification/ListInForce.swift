import Foundation

/// Who issued an order fixing a list: the territory's own authority, or a higher one that fixed the list for it
/// (the region for a municipality, the federal «500+» list). Kept as recorded; it never changes which order is in force.
public enum ListAuthority: String, Sendable, Codable, CaseIterable {
    case own
    case region
    case federal

    public var russianName: String {
        switch self {
        case .own: "собственный приказ"
        case .region: "приказ региона"
        case .federal: "федеральный перечень («500+»)"
        }
    }

    /// Reads a file's cell: the code or its Russian word.
    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "own", "собственный", "свой", "муниципальный": self = .own
        case "region", "региональный", "регион", "приказ региона": self = .region
        case "federal", "федеральный", "500+", "федеральный 500+": self = .federal
        default: return nil
        }
    }
}

/// The territory an order is issued for. `everywhere` is only an order recorded before orders had a territory
/// (the whole installation's list): it applies to every municipality, as a region's order does to its own.
public enum OrderTerritory: Sendable, Hashable {
    case municipality(Int)
    case region(Int)
    case everywhere

    /// Whether the order speaks for the municipality `municipality` of region `region`.
    public func covers(municipality: Int, region: Int) -> Bool {
        switch self {
        case .municipality(let id): id == municipality
        case .region(let id): id == region
        case .everywhere: true
        }
    }
}

/// One school as an order records it: the status and the reason written when the order was made, never recomputed.
public struct ListEntry: Sendable, Hashable {
    public var status: IdentificationStatus
    public var reason: String

    public init(status: IdentificationStatus, reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// An order fixing a year's list for a territory. Orders are kept as they were made, never merged.
public struct ListOrder: Sendable, Hashable {
    public var id: Int
    public var year: Int
    public var territory: OrderTerritory
    public var number: String
    public var date: Date
    public var issuer: String
    public var authority: ListAuthority
    /// School id → its entry.
    public var entries: [Int: ListEntry]
    /// School id → the reason it left the list in force (or was taken off the computed list) by this order.
    public var exits: [Int: String]

    public init(
        id: Int, year: Int, territory: OrderTerritory, number: String, date: Date, issuer: String,
        authority: ListAuthority = .own, entries: [Int: ListEntry], exits: [Int: String] = [:]
    ) {
        self.id = id
        self.year = year
        self.territory = territory
        self.number = number
        self.date = date
        self.issuer = issuer
        self.authority = authority
        self.entries = entries
        self.exits = exits
    }

    /// The order's date as `YYYY-MM-DD` (dates are kept as UTC midnights).
    public var isoDate: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Newer means a later order date; on the same date, the one recorded later.
    public func isNewer(than other: ListOrder) -> Bool { (date, id) > (other.date, other.id) }
}

/// Where a school sits: what the rule needs to know of the registry.
public struct ListPlace: Sendable, Hashable {
    public var schoolID: Int
    public var municipalityID: Int
    public var regionID: Int

    public init(schoolID: Int, municipalityID: Int, regionID: Int) {
        self.schoolID = schoolID
        self.municipalityID = municipalityID
        self.regionID = regionID
    }
}

/// A school on the list in force, with the order that lists it.
public struct ListedSchool: Sendable, Hashable {
    public var schoolID: Int
    public var entry: ListEntry
    public var order: ListOrder

    public var status: IdentificationStatus { entry.status }
}

/// «The list in force» (CONTRACT.md, `approved_list`): the one rule every page, report and command asks whether a
/// school is listed. For a municipality: every school of it on the newest order of the municipality or of its region
/// for the year; for a region (or any set of schools): the same, municipality by municipality.
public enum ListInForce {
    /// The order in force for one municipality and year, if any.
    public static func order(municipality: Int, region: Int, year: Int, orders: [ListOrder]) -> ListOrder? {
        orders.filter { $0.year == year && $0.territory.covers(municipality: municipality, region: region) }
            .reduce(nil as ListOrder?) { newest, order in newest.map { order.isNewer(than: $0) ? order : $0 } ?? order }
    }

    /// Every school among `places` on the list in force for the year (school id → listing). A school is taken only
    /// from the order in force for its own municipality, so an order never lists a neighbouring territory's school.
    public static func schools(year: Int, places: [ListPlace], orders: [ListOrder]) -> [Int: ListedSchool] {
        let relevant = orders.filter { $0.year == year }
        var inForce: [Int: ListOrder?] = [:]
        var result: [Int: ListedSchool] = [:]
        for place in places {
            let order: ListOrder?
            if let known = inForce[place.municipalityID] {
                order = known
            } else {
                order = Self.order(municipality: place.municipalityID, region: place.regionID, year: year, orders: relevant)
                inForce[place.municipalityID] = order
            }
            guard let order, let entry = order.entries[place.schoolID], entry.status != .none else { continue }
            result[place.schoolID] = ListedSchool(schoolID: place.schoolID, entry: entry, order: order)
        }
        return result
    }

    /// The orders in force for the places' municipalities (each once), newest first: what an appendix cites.
    public static func ordersInForce(year: Int, places: [ListPlace], orders: [ListOrder]) -> [ListOrder] {
        var seen: Set<Int> = []
        var found: [Int: ListOrder] = [:]
        for place in places where seen.insert(place.municipalityID).inserted {
            if let order = order(municipality: place.municipalityID, region: place.regionID, year: year, orders: orders) {
                found[order.id] = order
            }
        }
        return found.values.sorted { $0.isNewer(than: $1) }
    }

    /// Whether any order of the year is in force for at least one of the places (otherwise nothing is approved yet).
    public static func hasOrder(year: Int, places: [ListPlace], orders: [ListOrder]) -> Bool {
        !ordersInForce(year: year, places: places, orders: orders).isEmpty
    }

    /// A school's line in the year's changes.
    public enum Change: String, Sendable, Hashable {
        case entered, stayed, left
    }

    public struct ChangeLine: Sendable, Hashable {
        public var schoolID: Int
        public var change: Change
        /// The listing this year; for a school that left, nil.
        public var listed: ListedSchool?
        /// For a school that left: the order in force this year for its municipality, and the exit reason it records.
        public var leavingOrder: ListOrder?
        public var exitReason: String?
    }

    /// The year's list against the previous year's, school by school: those on it (entered or stayed), then those
    /// that left. A school counts as having left only where an order of the year is in force for its municipality:
    /// a list not yet approved has removed nobody.
    public static func changes(year: Int, places: [ListPlace], orders: [ListOrder]) -> [ChangeLine] {
        let now = schools(year: year, places: places, orders: orders)
        let before = schools(year: year - 1, places: places, orders: orders)
        var lines: [ChangeLine] = now.values.map {
            ChangeLine(schoolID: $0.schoolID, change: before[$0.schoolID] == nil ? .entered : .stayed, listed: $0)
        }
        for place in places where before[place.schoolID] != nil && now[place.schoolID] == nil {
            guard let order = order(municipality: place.municipalityID, region: place.regionID, year: year, orders: orders) else {
                continue
            }
            // The exit is recorded by the order that took the school off, which a later correction may have replaced.
            let reason = orders
                .filter { $0.year == year && $0.territory.covers(municipality: place.municipalityID, region: place.regionID) }
                .sorted { $0.isNewer(than: $1) }.lazy.compactMap { $0.exits[place.schoolID] }.first
            lines.append(
                ChangeLine(schoolID: place.schoolID, change: .left, listed: nil, leavingOrder: order, exitReason: reason))
        }
        return lines
    }

    /// The default reason of a school leaving the list, when the person approving gives none.
    public static let defaultExitReason = "не соответствует критериям"

    /// Schools of the territory on the list in force before a new order and not on the new one: the order's exits,
    /// each with the reason given for it, else the default one.
    public static func exits(
        of newOrder: ListOrder, territoryPlaces: [ListPlace], previous orders: [ListOrder],
        reasons: [Int: String]
    ) -> [Int: String] {
        let before = previousList(year: newOrder.year, places: territoryPlaces, orders: orders)
        var exits: [Int: String] = [:]
        for schoolID in before.keys where newOrder.entries[schoolID].map({ $0.status == .none }) ?? true {
            let given = reasons[schoolID]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            exits[schoolID] = given.isEmpty ? defaultExitReason : given
        }
        return exits
    }

    /// The list a new order of `year` replaces: the year's list in force where an order of the year exists, else
    /// the previous year's (municipality by municipality).
    public static func previousList(year: Int, places: [ListPlace], orders: [ListOrder]) -> [Int: ListedSchool] {
        var result: [Int: ListedSchool] = [:]
        for (municipality, group) in Dictionary(grouping: places, by: \.municipalityID) {
            let region = group[0].regionID
            let targetYear = order(municipality: municipality, region: region, year: year, orders: orders) != nil ? year : year - 1
            result.merge(schools(year: targetYear, places: group, orders: orders)) { first, _ in first }
        }
        return result
    }
}

/// Changes made by hand when an order is approved from the computed list: each needs its reason.
public enum ListApproval {
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var schoolID: Int
        public var message: String
        public var description: String { message }
    }

    /// The order's entries: the flagged schools minus those taken off, plus those added, each with a reason.
    /// `computed` maps a school to its status and the reason the criteria give; `added` and `removed` map a school
    /// to the reason typed. An addition or removal without a reason is refused (every problem is returned).
    public static func entries(
        computed: [Int: ListEntry], added: [Int: (status: IdentificationStatus, reason: String)],
        removed: [Int: String], names: [Int: String]
    ) -> Result<[Int: ListEntry], ListApprovalProblems> {
        var problems: [Problem] = []
        var entries = computed.filter { $0.value.status != .none }
        for (schoolID, reason) in removed.sorted(by: { $0.key < $1.key }) {
            let name = names[schoolID] ?? "#\(schoolID)"
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(Problem(schoolID: schoolID, message: "«\(name)»: укажите причину, по которой школа исключается из списка"))
            } else if entries[schoolID] == nil {
                problems.append(Problem(schoolID: schoolID, message: "«\(name)»: школы нет в рассчитанном списке — исключать нечего"))
            }
            entries[schoolID] = nil
        }
        for (schoolID, addition) in added.sorted(by: { $0.key < $1.key }) {
            let name = names[schoolID] ?? "#\(schoolID)"
            let reason = addition.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.isEmpty {
                problems.append(Problem(schoolID: schoolID, message: "«\(name)»: укажите причину, по которой школа включается в список"))
            } else if addition.status == .none {
                problems.append(Problem(schoolID: schoolID, message: "«\(name)»: выберите статус школы в списке"))
            } else if removed[schoolID] != nil {
                problems.append(Problem(schoolID: schoolID, message: "«\(name)»: школа одновременно включается и исключается"))
            } else {
                entries[schoolID] = ListEntry(status: addition.status, reason: reason)
            }
        }
        return problems.isEmpty ? .success(entries) : .failure(ListApprovalProblems(problems: problems))
    }
}

public struct ListApprovalProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [ListApproval.Problem]
    public var description: String { problems.map(\.message).joined(separator: "; ") }
}
