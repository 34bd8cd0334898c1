import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// Writes `programmes`, `roadmap`, `indicators` and `indicator_values` files: checked against the programmes
/// the actor may change, in one transaction, in the audit log.
///
/// Every kind takes the same three steps (the path `scores` takes): **load** what it needs from the database in a
/// few set-based queries, **plan** in memory (what is added, changed, left; the errors and warnings), **write** the
/// plan in multi-row statements. A preview (`plan…`) takes only the first two, outside any transaction, so it holds
/// a connection only for the short reads and counts exactly what the import would do.
public struct PlanImporter: Sendable {
    public let db: any Database
    public let actor: Actor
    public let scope: AccessScope
    /// The actor's role where it matters (a school's administrator writes its school programme's values); files
    /// come from those who may import, who change whatever their scope holds.
    public let role: Role

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything, role: Role = .regionalAnalyst) {
        self.db = db
        self.actor = actor
        self.scope = scope
        self.role = role
    }

    /// A stored programme as the imports of its roadmap, indicators and values need it.
    struct ProgrammeRef: Sendable {
        let id: Int
        let code: String
        let name: String
        let period: DatePeriod
        let place: ProgrammePlace
        let auditPlace: AuditPlace

        init(_ model: PlanModel) {
            let passport = model.passport
            id = model.id!
            code = model.code
            name = passport.name
            period = passport.period
            place = model.place
            auditPlace = PlanImporter.place(model)
        }
    }

    /// The programmes a file names, read once, with what the access check needs of the actor's scope.
    struct ProgrammeLookup: Sendable {
        var byCode: [String: ProgrammeRef] = [:]
        var scopePlaces: [SchoolPlace] = []
    }

    func lookUpProgrammes(_ codes: Set<String>, on db: any Database) async throws -> ProgrammeLookup {
        var lookup = ProgrammeLookup()
        for chunk in BulkRows.chunks(Array(codes)) {
            for programme in try await PlanModel.query(on: db).filter(\.$code ~~ Array(chunk)).all() {
                lookup.byCode[programme.code] = ProgrammeRef(programme)
            }
        }
        lookup.scopePlaces = try await scopeRegionWitness(on: db)
        return lookup
    }

    /// Programme code → the programme, if it exists and the actor may change it; otherwise a line error.
    static func changeable(_ codes: [(code: String, line: Int)], _ lookup: ProgrammeLookup, role: Role, scope: AccessScope,
                           _ issues: inout IssueCollector) -> [String: ProgrammeRef] {
        var byCode: [String: ProgrammeRef] = [:]
        var seen: Set<String> = []
        for (code, line) in codes where seen.insert(code).inserted {
            guard let programme = lookup.byCode[code] else {
                issues.error(line: line, column: "programme", ProgrammeCode.unknown(code))
                continue
            }
            guard ProgrammeAccess.canChange(programme.place, role: role, scope: scope) else {
                // Another territory's programme reads like one that does not exist; one the actor reads is named.
                let readable = ProgrammeAccess.canRead(programme.place, scope: scope, schoolPlaces: lookup.scopePlaces)
                issues.error(line: line, column: "programme",
                             readable ? "программа «\(code)» вне вашей области доступа" : ProgrammeCode.unknown(code))
                continue
            }
            byCode[code] = programme
        }
        return byCode
    }

    /// What `ProgrammeAccess.canRead` needs to know of the actor's scope: its schools' places (for a municipality,
    /// one place that names its region).
    func scopeRegionWitness(on db: any Database) async throws -> [SchoolPlace] {
        switch scope {
        case .everything, .region: return []
        case .municipality(let id):
            guard let region = try await MunicipalityModel.find(id, on: db)?.$region.id else { return [] }
            return [SchoolPlace(schoolID: 0, municipalityID: id, regionID: region)]
        case .schools(let ids):
            var places: [SchoolPlace] = []
            for id in ids.sorted() { if let place = try await ScopeQueries.place(ofSchool: id, on: db) { places.append(place) } }
            return places
        }
    }

    static func place(_ programme: PlanModel) -> AuditPlace {
        AuditPlace(regionID: programme.regionID, municipalityID: programme.municipalityID, schoolID: programme.schoolID)
    }

    static func json(_ passport: ProgrammePassport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(passport)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// `CalendarDay.iso`, made once per distinct day: a file's million rows share a few dozen dates.
struct ISODays {
    var known: [CalendarDay: String] = [:]

    mutating func iso(_ day: CalendarDay) -> String {
        if let text = known[day] { return text }
        let text = day.iso
        if known.count < 10_000 { known[day] = text }
        return text
    }

    mutating func iso(_ day: CalendarDay?) -> String? { day.map { iso($0) } }
}

/// A passport and a roadmap's lines as JSON written by hand: the bytes `JSONEncoder` writes (with `.sortedKeys` for
/// a passport), which `JSONDecoder` reads back as the same value — without an encoder's boxes for each of a
/// million programmes (the encoder took a sixth of a programme row).
enum PlanJSON {
    /// As `JSONEncoder` writes it with sorted keys, less an empty goal and empty lists, which the passport reads as
    /// empty when they are missing: a programme made from a file has none of them, and a million programmes wrote
    /// 84 bytes each of `"basis":[],…` (a fifth of the table). Built by appending `String`s, which copies their bytes;
    /// bytes made into a `String` at the end would be checked as UTF-8 once more (a few per cent of an import).
    static func passport(_ passport: ProgrammePassport) -> String {
        var out = ""
        out.reserveCapacity(120 + passport.name.utf8.count + passport.goal.utf8.count)
        out += "{"
        if !passport.basis.isEmpty { out += "\"basis\":"; strings(passport.basis, &out); out += "," }
        out += "\"end\":"; day(passport.end, &out)
        if !passport.expectedResults.isEmpty { out += ",\"expectedResults\":"; strings(passport.expectedResults, &out) }
        if !passport.funding.isEmpty { out += ",\"funding\":"; strings(passport.funding, &out) }
        if !passport.goal.isEmpty { out += ",\"goal\":"; string(passport.goal, &out) }
        out += ",\"name\":"; string(passport.name, &out)
        if !passport.participants.isEmpty { out += ",\"participants\":"; strings(passport.participants, &out) }
        out += ",\"start\":"; day(passport.start, &out)
        if !passport.tasks.isEmpty { out += ",\"tasks\":"; strings(passport.tasks, &out) }
        out += "}"
        return out
    }

    /// `["…","…"]`.
    static func strings(_ items: [String]) -> String {
        guard !items.isEmpty else { return "[]" }
        var out = ""
        out.reserveCapacity(items.reduce(2) { $0 + $1.utf8.count + 3 })
        strings(items, &out)
        return out
    }

    static func strings(_ items: [String], _ out: inout String) {
        out += "["
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            string(item, &out)
        }
        out += "]"
    }

    /// A `CalendarDay` as its synthesized `Codable` writes it, keys sorted.
    static func day(_ day: CalendarDay, _ out: inout String) {
        out += "{\"day\":"; number(day.day, &out)
        out += ",\"month\":"; number(day.month, &out)
        out += ",\"year\":"; number(day.year, &out)
        out += "}"
    }

    /// The numbers a date is made of, written once: `String(Int)` for each of them cost a tenth of writing a passport.
    static let numbers: [String] = (0...2_100).map { String($0) }

    static func number(_ value: Int, _ out: inout String) {
        if numbers.indices.contains(value) { out += numbers[value] } else { out += String(value) }
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: quote, backslash and slash escaped as `JSONEncoder` escapes them, control characters as
    /// `\n`, `\t` … or `\u00XX`; everything else as it is.
    static func string(_ text: String, _ out: inout String) {
        // Most texts need no escape: appended whole.
        var plain = text
        let needsEscape = plain.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }
        }
        guard needsEscape else {
            out += "\""; out += text; out += "\""
            return
        }
        var escaped: [UInt8] = [UInt8(ascii: "\"")]
        escaped.reserveCapacity(text.utf8.count + 8)
        func add(_ literal: StaticString) { literal.withUTF8Buffer { escaped.append(contentsOf: $0) } }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): escaped.append(UInt8(ascii: "\\")); escaped.append(byte)
            case 0x0A: add("\\n")
            case 0x0D: add("\\r")
            case 0x09: add("\\t")
            case 0x08: add("\\b")
            case 0x0C: add("\\f")
            case 0..<0x20: add("\\u00"); escaped.append(hex[Int(byte >> 4)]); escaped.append(hex[Int(byte & 0x0F)])
            default: escaped.append(byte)
            }
        }
        escaped.append(UInt8(ascii: "\""))
        out += String(decoding: escaped, as: UTF8.self)
    }
}
