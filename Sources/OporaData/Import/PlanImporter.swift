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
    /// The last few days asked for, compared before the dictionary is hashed: a programme's row asks for its start, end
    /// and order date, which most rows share.
    var recent: [(day: CalendarDay, text: String)] = []

    mutating func iso(_ day: CalendarDay) -> String {
        for entry in recent where entry.day == day { return entry.text }
        let text: String
        if let known = known[day] { text = known } else {
            text = day.iso
            if known.count < 10_000 { known[day] = text }
        }
        if recent.count == 4 { recent.removeFirst() }
        recent.append((day, text))
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
    /// 84 bytes each of `"basis":[],…` (a fifth of the table). Written as bytes: a dozen `String`s appended a passport
    /// took a twelfth of a million-row `programmes` import, and bytes made a `String` are checked as UTF-8 once more
    /// (a third of that), so an import binds the bytes themselves (`passportBytes`).
    static func passport(_ passport: ProgrammePassport) -> String {
        String(decoding: passportBytes(passport), as: UTF8.self)
    }

    /// `passport` as the bytes a bulk write binds (`BulkValue.utf8`).
    static func passportBytes(_ passport: ProgrammePassport) -> [UInt8] {
        var out = Bytes(capacity: 120 + passport.name.utf8.count + passport.goal.utf8.count)
        out.raw("{")
        if !passport.basis.isEmpty { out.raw("\"basis\":"); out.strings(passport.basis); out.raw(",") }
        out.raw("\"end\":"); out.day(passport.end)
        if !passport.expectedResults.isEmpty { out.raw(",\"expectedResults\":"); out.strings(passport.expectedResults) }
        if !passport.funding.isEmpty { out.raw(",\"funding\":"); out.strings(passport.funding) }
        if !passport.goal.isEmpty { out.raw(",\"goal\":"); out.string(passport.goal) }
        out.raw(",\"name\":"); out.string(passport.name)
        if !passport.participants.isEmpty { out.raw(",\"participants\":"); out.strings(passport.participants) }
        out.raw(",\"start\":"); out.day(passport.start)
        if !passport.tasks.isEmpty { out.raw(",\"tasks\":"); out.strings(passport.tasks) }
        out.raw("}")
        return out.bytes
    }

    /// `["…","…"]`.
    static func strings(_ items: [String]) -> String {
        guard !items.isEmpty else { return "[]" }
        var out = Bytes(capacity: items.reduce(2) { $0 + $1.utf8.count + 3 })
        out.strings(items)
        return out.text
    }

    /// JSON written into bytes of its own: appended without the checks and growth of a `String` at every piece.
    struct Bytes {
        private(set) var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        var text: String { String(decoding: bytes, as: UTF8.self) }

        mutating func raw(_ literal: StaticString) {
            literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func strings(_ items: [String]) {
            raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { raw(",") }
                string(item)
            }
            raw("]")
        }

        /// A `CalendarDay` as its synthesized `Codable` writes it, keys sorted.
        mutating func day(_ day: CalendarDay) {
            raw("{\"day\":"); number(day.day)
            raw(",\"month\":"); number(day.month)
            raw(",\"year\":"); number(day.year)
            raw("}")
        }

        mutating func number(_ value: Int) {
            BulkTable.appendNumber(value, to: &bytes)
        }

        /// A JSON string: quote, backslash and slash escaped as `JSONEncoder` escapes them, control characters as
        /// `\n`, `\t` … or `\u00XX`; everything else as it is.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            var text = text
            text.withUTF8 { utf8 in
                // Most texts need no escape: appended whole.
                guard PlanJSON.mayNeedEscape(utf8) else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 { escape(byte) }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private mutating func escape(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20: raw("\\u00"); bytes.append(PlanJSON.hex[Int(byte >> 4)]); bytes.append(PlanJSON.hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether a byte is a control character, a quote, a backslash or a slash, which `JSONEncoder` escapes.
    static func mayNeedEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        EightBytes.contains(bytes, words: { word in
            EightBytes.below(0x20, in: word) | EightBytes.equal(UInt8(ascii: "\""), in: word)
                | EightBytes.equal(UInt8(ascii: "\\"), in: word) | EightBytes.equal(UInt8(ascii: "/"), in: word) != 0
        }) { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/") }
    }
}
