import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Events owned by their territory, imports audited at their place and queued behind the import lock, the
/// migrations that give old events an owner and old remarks a stable anchor (issue 25, points 4 and 6).
final class RightsDataTests: XCTestCase {
    struct Places { let region: Int; let chern: Int; let belev: Int }

    func prepare(_ store: OporaStore) async throws -> Places {
        let schools = """
        code,name,municipality,region
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
        A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
        """
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        let municipalities = Dictionary(uniqueKeysWithValues: try await MunicipalityModel.query(on: store.db).all()
            .map { ($0.name, $0.id!) })
        return Places(region: try await RegionModel.query(on: store.db).first()!.id!, chern: municipalities["Чернский район"]!,
                      belev: municipalities["Белёвский район"]!)
    }

    struct EventRow: Decodable, Equatable { let code: String; let hours: Double; let owner_region_id: Int; let owner_municipality_id: Int }

    func events(_ store: OporaStore) async throws -> [EventRow] {
        try await store.db.sql.raw("""
            SELECT code, hours, owner_region_id, owner_municipality_id FROM support_events ORDER BY owner_municipality_id, code
            """).all(decoding: EventRow.self)
    }

    /// A 4-hour «КПК-1» of Белёвский район is not Чернский район's 32-hour course: its team still meets the rule.
    func testTheSameEventCodeInTwoMunicipalitiesIsTwoEvents() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let chern = Importer(db: store.db, actor: Actor(userID: nil, login: "coord-a"), scope: .municipality(places.chern))
            let belev = Importer(db: store.db, actor: Actor(userID: nil, login: "coord-b"), scope: .municipality(places.belev))
            let ours = "event,start,hours,school,count\nКПК-1,15.02.2024,32,A1,6\nКПК-1,15.02.2024,32,A2,6\n"
            let theirs = "event,start,hours,school,count\nКПК-1,01.03.2024,4,B1,6\n"
            let first = try await chern.importFile(.events, bytes: Array(ours.utf8), fileName: "chern.csv")
            let second = try await belev.importFile(.events, bytes: Array(theirs.utf8), fileName: "belev.csv")
            XCTAssertEqual(first.created, 1)
            XCTAssertEqual(second.created, 1, "another municipality's code makes its own event")
            XCTAssertEqual(second.updated, 0)
            try await assertEqualAsync(try await events(store), [
                EventRow(code: "КПК-1", hours: 32, owner_region_id: places.region, owner_municipality_id: places.chern),
                EventRow(code: "КПК-1", hours: 4, owner_region_id: places.region, owner_municipality_id: places.belev),
            ].sorted { $0.owner_municipality_id < $1.owner_municipality_id })
            let year = CalendarDay(year: 2024, month: 1, day: 1)...CalendarDay(year: 2024, month: 12, day: 31)
            let training = try await SupportRepository(db: store.db).trainingInputs(.municipality(places.chern), from: year.lowerBound,
                                                                                    to: year.upperBound)
            XCTAssertEqual(Set(training.map(\.hours)), [32], "Чернский район's course keeps its 32 hours")
            let summaries = TrainingSummary.compute(training, rule: .seed002, within: year)
            XCTAssertTrue(summaries.allSatisfy(\.teamMeetsRule))

            // The owner's second upload changes its own event only.
            let again = try await chern.importFile(.events, bytes: Array(ours.replacingOccurrences(of: ",32,", with: ",36,").utf8),
                                                   fileName: "chern.csv")
            XCTAssertEqual(again.updated, 1)
            try await assertEqualAsync(try await events(store).map(\.hours), [36, 4])

            // Each import is in its own territory's audit log.
            let audit = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "events").sort(\.$id).all()
            XCTAssertEqual(audit.map(\.municipalityID), [places.chern, places.belev, places.chern])
            XCTAssertEqual(audit.map(\.regionID), [places.region, places.region, places.region])
        }
    }

    func testStaffAndSpecialistsImportsAreAuditedAtTheirPlace() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let chern = Importer(db: store.db, actor: Actor(userID: nil, login: "coord-a"), scope: .municipality(places.chern))
            let region = Importer(db: store.db, actor: Actor(userID: nil, login: "analyst"), scope: .region(places.region))
            let staff = "school,year,position,count\nA1,2024,учитель,12\n"
            let specialists = "school,year,psychologist,vacancies\nA1,2024,1,2\nB1,2024,1*,0\n"
            _ = try await chern.importFile(.staff, bytes: Array(staff.utf8), fileName: "staff.csv")
            _ = try await region.importFile(.specialists, bytes: Array(specialists.utf8), fileName: "t23.csv")
            // The command line writes for the narrowest territory holding the file's schools.
            _ = try await Importer(db: store.db, actor: .commandLine)
                .importFile(.staff, bytes: Array("school,year,position,count\nB1,2024,учитель,9\n".utf8), fileName: "staff-b.csv")
            let audit = try await AuditEntryModel.query(on: store.db).filter(\.$entity ~~ ["staff", "specialists"]).sort(\.$id).all()
            XCTAssertEqual(audit.map(\.entity), ["staff", "specialists", "staff"])
            XCTAssertEqual(audit.map(\.municipalityID), [places.chern, nil, places.belev])
            XCTAssertEqual(audit.map(\.regionID), [places.region, places.region, places.region])
        }
    }

    /// The four programme imports queue behind the import lock like every other import (PostgreSQL holds it for
    /// real; SQLite's writer lock serialises every write anyway).
    func testProgrammeImportsWaitForTheImportLock() async throws {
        try await TestEngines.withEachStore { store in
            guard store.db.sql.dialect.name == "postgresql" else { return }
            _ = try await prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            let programme = "code,name,start,end,level,territory\nP1,Программа,01.01.2024,31.12.2025,municipality,Чернский район\n"
            _ = try await importer.importFile(.programmes, bytes: Array(programme.utf8), fileName: "p.csv")
            let files: [(ImportKind, String)] = [
                (.programmes, programme.replacingOccurrences(of: "Программа", with: "Программа развития")),
                (.roadmap, "programme,number,measure,deadline\nP1,1.1.,Диагностика,До 10.09.2024\n"),
                (.indicators, "programme,code,name\nP1,1,Доля «2»\n"),
                (.indicatorValues, "programme,indicator,year,value\nP1,1,2024,12\n"),
            ]
            for (kind, text) in files {
                let order = Order()
                let holder = Task {
                    try await store.db.transaction { tx in
                        try await ImportWriteLock.acquire(on: tx)
                        await order.note("lock taken")
                        try await Task.sleep(nanoseconds: 400_000_000)
                        await order.note("lock released")
                    }
                }
                while await order.events.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
                _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv")
                await order.note("imported")
                try await holder.value
                try await assertEqualAsync(await order.events, ["lock taken", "lock released", "imported"], kind.rawValue)
            }
        }
    }

    /// Another territory's programme code reads exactly like a code nobody uses, and a taken code is refused
    /// without naming whose it is.
    func testAnotherTerritorysProgrammeReadsLikeAnAbsentOne() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let programme = "code,name,start,end,level,territory\n"
                + "PA,Программа Чернского района,01.01.2024,31.12.2025,municipality,Чернский район\n"
            _ = try await Importer(db: store.db, actor: .commandLine)
                .importFile(.programmes, bytes: Array(programme.utf8), fileName: "p.csv")
            let belev = Importer(db: store.db, actor: Actor(userID: nil, login: "coord-b"), scope: .municipality(places.belev))
            func refusal(_ kind: ImportKind, _ text: String) async -> [String] {
                await Self.refusal { _ = try await belev.importFile(kind, bytes: Array(text.utf8), fileName: "f.csv") }
            }
            let theirs = await refusal(.roadmap, "programme,number,measure,deadline\nPA,1.,Диагностика,До 10.09.2024\n")
            let nobodys = await refusal(.roadmap, "programme,number,measure,deadline\nPZ,1.,Диагностика,До 10.09.2024\n")
            XCTAssertEqual(theirs, nobodys.map { $0.replacingOccurrences(of: "«PZ»", with: "«PA»") })
            let taken = await refusal(.programmes,
                                      "code,name,start,end,level,territory\nPA,Своя,01.01.2024,31.12.2025,municipality,Белёвский район\n")
            XCTAssertEqual(taken, ["f.csv:2: code: " + ProgrammeCode.taken("PA")])
            XCTAssertFalse(taken.joined().contains("территор"))
        }
    }

    static func refusal(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            XCTFail("must be refused")
        } catch let rejected as ImportRejected {
            return rejected.errors.map(\.description)
        } catch {
            XCTFail("unexpected \(error)")
        }
        return []
    }

    actor Order {
        var events: [String] = []
        func note(_ event: String) { events.append(event) }
    }

    /// V028 gives a stored event the territory its participants share; V029 gives a stored decision its author's
    /// level and a stored programme's items their positions as stable ids (so «measure.2» keeps naming its measure).
    func testOlderEventsDecisionsAndRemarksAreConverted() async throws {
        // With the data version (V047), which every write of today's code bumps.
        let older = Array(OporaMigrations.all.prefix { $0.name != "v028_event_owners" })
            + OporaMigrations.all.filter { $0.name == "v047_data_version" }
        try await TestEngines.withEachStore(migrations: older) { store in
            let places = try await prepare(store)
            let sql = store.db.sql
            let schools = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: store.db).all().map { ($0.code, $0.id!) })
            for (id, code) in [(1, "КПК-1"), (2, "СЕМ-2"), (3, "ПУСТО")] {
                try await sql.raw("""
                    INSERT INTO support_events (id, code, kind, start_on, hours)
                    VALUES (\(bind: id), \(bind: code), 'course', '2024-02-15', 32)
                    """).run()
            }
            for (event, school) in [(1, "A1"), (1, "A2"), (2, "A1"), (2, "B1")] {
                try await sql.raw("""
                    INSERT INTO event_participations (event_id, school_id, role, participants)
                    VALUES (\(bind: event), \(bind: schools[school]!), 'teacher', 3)
                    """).run()
            }
            try await AccountService_createLegacyUsers(sql, places: places, schoolA1: schools["A1"]!)
            for (author, municipality, school) in [("coord-a", places.chern, schools["A1"]!), ("director-a", places.chern, schools["A1"]!),
                                                   ("analyst", places.chern, schools["A1"]!), ("opora", places.chern, nil)] {
                try await sql.raw("""
                    INSERT INTO management_decisions (region_id, municipality_id, school_id, finding_kind, finding, decision,
                      responsible, status, version, created_by, created_at, updated_at)
                    VALUES (\(bind: places.region), \(bind: municipality), \(bind: school), 'other', 'Основание', 'Решение',
                      'Отдел', 'open', 1, \(bind: author), \(bind: Date()), \(bind: Date()))
                    """).run()
            }
            let legacy = #"{"goal":"Цель","indicators":[{"baseline":"","name":"Доля","target":"10","unit":"%"}],"#
                + #""measures":[{"deadline":"сентябрь","responsible":"Зам","result":"","text":"Диагностика"},"#
                + #"{"deadline":"октябрь","responsible":"Зам","result":"","text":"Консультации"}],"tasks":["Задача"]}"#
            try await sql.raw("""
                INSERT INTO school_programmes (school_id, kind, title, start_year, end_year, status, content_json, version,
                  updated_at, updated_by)
                VALUES (\(bind: schools["A1"]!), 'concept', 'Концепция', 2024, 2026, 'draft', \(bind: legacy), 1,
                  \(bind: Date()), 'director-a')
                """).run()

            try await store.migrate(OporaMigrations.all)

            let owners = try await events(store).map { "\($0.code) \($0.owner_region_id) \($0.owner_municipality_id)" }
            XCTAssertEqual(owners.sorted(), [
                "КПК-1 \(places.region) \(places.chern)", "ПУСТО 0 0", "СЕМ-2 \(places.region) 0",
            ])
            struct Count: Decodable { let n: Int }
            let participations = try await sql.raw("SELECT COUNT(*) AS n FROM event_participations").first(decoding: Count.self)
            XCTAssertEqual(participations?.n, 4)
            // New rows continue after the copied ids on both engines.
            let belev = Importer(db: store.db, actor: .commandLine, scope: .municipality(places.belev))
            _ = try await belev.importFile(.events, bytes: Array("event,start,hours,school,count\nКПК-1,01.03.2024,4,B1,6\n".utf8),
                                           fileName: "b.csv")
            try await assertEqualAsync(try await events(store).count, 4)

            let levels = try await DecisionModel.query(on: store.db).sort(\.$id).all().map(\.ownerLevel)
            XCTAssertEqual(levels, ["municipality", "school", "region", "municipality"])

            let programme = try await SchoolProgrammeModel.query(on: store.db).first()!
            XCTAssertEqual(programme.content.items.map(\.key), ["goal", "task.1", "measure.1", "measure.2", "indicator.1"])
            XCTAssertEqual(programme.content.measures.map(\.id), ["1", "2"])
            XCTAssertEqual(programme.content.measures.map(\.text), ["Диагностика", "Консультации"])
        }
    }

    /// Accounts as an older version stored them: a coordinator, a school's director, a region's analyst.
    func AccountService_createLegacyUsers(_ sql: any SQLDatabase, places: Places, schoolA1: Int) async throws {
        let accounts: [(String, String, Int?, Int?)] = [("coord-a", "municipal_coordinator", nil, places.chern),
                                                        ("director-a", "school_admin", nil, nil),
                                                        ("analyst", "regional_analyst", places.region, nil)]
        for (login, role, region, municipality) in accounts {
            try await sql.raw("""
                INSERT INTO users (login, full_name, password_hash, role, region_id, municipality_id, is_active)
                VALUES (\(bind: login), \(bind: login), 'x', \(bind: role), \(bind: region), \(bind: municipality), \(bind: true))
                """).run()
        }
        struct Row: Decodable { let id: Int }
        let director = try await sql.raw("SELECT id FROM users WHERE login = 'director-a'").first(decoding: Row.self)!.id
        try await sql.raw("INSERT INTO user_schools (user_id, school_id) VALUES (\(bind: director), \(bind: schoolA1))").run()
    }
}
