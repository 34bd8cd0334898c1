import FluentKit
import Foundation
import OporaDomain
import SQLKit

/// The support network's kinds: events (one row per event with its participants from the file's schools),
/// staff and Table 23's specialists (both replace what is stored for each school and year the file names); and an
/// approved list, compared with the list in force it replaces.
extension ImportChangesReader {
    /// The places of the file's schools (code → place), read a chunk of codes at a time.
    func schoolPlaces(_ codes: Set<String>) async throws -> [String: SchoolPlace] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        struct Row: Decodable { let id: Int, code: String, municipality_id: Int, region_id: Int }
        var places: [String: SchoolPlace] = [:]
        for part in Array(codes).chunked(Self.chunk) {
            let found = try await sql.select().column(SQLColumn("id", table: "schools")).column(SQLColumn("code", table: "schools"))
                .column(SQLColumn("municipality_id", table: "schools")).column(SQLColumn("region_id", table: "municipalities"))
                .from("schools").join("municipalities", on: SQLColumn("municipality_id", table: "schools"), .equal,
                                      SQLColumn("id", table: "municipalities"))
                .where(SQLColumn("code", table: "schools"), .in, SQLBind.group(Array(part))).all(decoding: Row.self)
            for row in found {
                places[row.code] = SchoolPlace(schoolID: row.id, municipalityID: row.municipality_id, regionID: row.region_id)
            }
        }
        return places
    }

    /// An event as the preview lists it; its participants are those of the file's schools only (the file replaces
    /// nothing else).
    func events(_ records: [EventRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let places = try await schoolPlaces(Set(records.map(\.participation.school)))
        let territory = OwningTerritory.of(scope: scope, schools: records.compactMap { places[$0.participation.school] })
        struct Event: Decodable {
            let id: Int, code: String, title: String?, kind: String, start_on: String, end_on: String?, hours: Double
            let organiser: String?, topic: String?
        }
        struct Participation: Decodable { let event_id: Int, school_id: Int, participants: Int }
        let owner = ["owner_region_id": territory.regionID ?? 0, "owner_municipality_id": territory.municipalityID ?? 0]
        let stored = try await rows(Event.self, table: "support_events", where: "code", in: Array(Set(records.map(\.event))), equal: owner)
        let fileSchools = Set(places.values.map(\.schoolID))
        var participants: [Int: Int] = [:]
        for row in try await rows(Participation.self, table: "event_participations", where: "event_id", in: stored.map(\.id))
        where fileSchools.contains(row.school_id) {
            participants[row.event_id, default: 0] += row.participants
        }
        func kindName(_ code: String) -> String { EventKind(rawValue: code)?.russianName ?? code }
        var before: [[String]: [String]] = [:]
        for event in stored {
            before[[event.code]] = [event.title ?? "", kindName(event.kind), day(event.start_on), day(event.end_on), number(event.hours),
                                    event.organiser ?? "", event.topic ?? "", String(participants[event.id] ?? 0)]
        }
        var fileParticipants: [String: Int] = [:]
        for record in records { fileParticipants[record.event, default: 0] += record.participation.count }
        let after = records.map { record in
            (key: [record.event],
             values: [record.title ?? "", record.kind.russianName, record.start.russian, record.end?.russian ?? "", number(record.hours),
                      record.organiser ?? "", record.topic ?? "", String(fileParticipants[record.event] ?? 0)])
        }
        let values = ["title", "kind", "start", "end", "hours", "organiser", "topic", "count"]
        return .compare(keyColumns: names(["event"], kind), valueColumns: names(values, kind), before: before, after: after, cap: cap)
    }

    /// A staff row is named by school, year, position and person; rows without a person by their order among the
    /// school's rows of that position («№ 2»). Every stored row of a school and year the file names that the file
    /// does not list goes.
    func staff(_ records: [StaffRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let ids = try await schoolIDs(Set(records.map(\.group.school)))
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        struct Row: Decodable {
            let id: Int, school_id: Int, year: Int, position: String, participants: Int, person: String?, category: String?
            let attested_on: String?, course_hours: Double?, course_topic: String?, course_provider: String?, deficit: String?
            let route: String?
        }
        let replaced = Set(records.map { [$0.group.school, String($0.group.year)] })
        var ordinals: [[String]: Int] = [:]
        func key(_ school: String, _ year: Int, _ position: String, _ person: String?) -> [String] {
            let place = [school, String(year), ParticipantRole.russianName(position)]
            if let person { return place + [person] }
            ordinals[place, default: 0] += 1
            return place + ["№ \(ordinals[place]!)"]
        }
        var before: [[String]: [String]] = [:]
        for row in try await rows(Row.self, table: "staff_records", schoolIDs: Array(ids.values)).sorted(by: { $0.id < $1.id }) {
            guard let school = codes[row.school_id], replaced.contains([school, String(row.year)]) else { continue }
            before[key(school, row.year, row.position, row.person)] = [
                String(row.participants), row.category.flatMap(QualificationCategory.init(rawValue:))?.russianName ?? row.category ?? "",
                day(row.attested_on), number(row.course_hours), row.course_topic ?? "", row.course_provider ?? "", row.deficit ?? "",
                row.route.flatMap(DevelopmentRoute.init(rawValue:))?.russianName ?? row.route ?? "",
            ]
        }
        ordinals = [:]
        let after = records.map(\.group).map { group in
            (key: key(group.school, group.year, group.position, group.person),
             values: [String(group.count), group.category?.russianName ?? "", group.attestedOn?.russian ?? "", number(group.courseHours),
                      group.courseTopic ?? "", group.courseProvider ?? "", group.deficit ?? "", group.route?.russianName ?? ""])
        }
        let values = ["count", "category", "attested", "course_hours", "course_topic", "course_provider", "deficit", "route"]
        return .compare(keyColumns: names(["school", "year", "position", "person"], kind), valueColumns: names(values, kind),
                        before: before, after: after, removes: { replaced.contains(Array($0.prefix(2))) }, cap: cap)
    }

    /// Table 23: one line per school, year and specialty (staff and part-timers), and one of the school's vacancies.
    func specialists(_ records: [SpecialistsRecord], kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let ids = try await schoolIDs(Set(records.map(\.row.school)))
        let codes = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
        let replaced = Set(records.map { [$0.row.school, String($0.row.year)] })
        let vacancies = ImportColumnNames.russian("vacancies", kind: kind)
        var before: [[String]: [String]] = [:]
        for row in try await rows(SchoolStaffing.Stored.self, table: SchoolStaffing.table, schoolIDs: Array(ids.values)) {
            guard let id = row.schoolID, let school = codes[id], replaced.contains([school, String(row.year)]) else { continue }
            for (specialty, count) in row.counts {
                before[[school, String(row.year), specialty.russianName]] = [String(count.staff), String(count.partTime)]
            }
            if let number = row.vacancies { before[[school, String(row.year), vacancies]] = [String(number), ""] }
        }
        var after: [(key: [String], values: [String])] = []
        for row in records.map(\.row) {
            let place = [row.school, String(row.year)]
            for (code, count) in row.counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                after.append((place + [code.russianName], [String(count.staff), String(count.partTime)]))
            }
            if let count = row.vacancies { after.append((place + [vacancies], [String(count), ""])) }
        }
        return .compare(keyColumns: names(["school", "year", "specialty"], kind), valueColumns: names(["staff", "part_time"], kind),
                        before: before, after: after, removes: { replaced.contains(Array($0.prefix(2))) }, cap: cap)
    }

    /// An order replaces the list in force for its territory and year: a school it adds, one whose status or reason
    /// it changes, and one on the list in force it leaves out (that school leaves the list).
    func approvedList(_ order: ApprovedListOrder, kind: ImportKind, cap: Int) async throws -> ImportChanges {
        let (territory, _) = try await ApprovedListImporter(db: db, actor: .commandLine, scope: scope).territory(of: order, fileName: "")
        let repository = IdentificationRepository(db: db)
        let places = try await repository.territoryPlaces(territory)
        let listed = ListInForce.schools(year: order.year, places: places, orders: try await repository.orders(years: [order.year]))
        let codes = try await labels("schools", "code", ids: Set(listed.keys))
        var before: [[String]: [String]] = [:]
        for (id, school) in listed {
            before[[codes[id] ?? String(id)]] = [school.status.russianName, school.entry.reason]
        }
        let after = order.rows.map { (key: [$0.school], values: [$0.status.russianName, $0.reason]) }
        return .compare(keyColumns: names(["school"], kind), valueColumns: names(["status", "reason"], kind), before: before,
                        after: after, removes: { _ in true }, cap: cap)
    }
}
