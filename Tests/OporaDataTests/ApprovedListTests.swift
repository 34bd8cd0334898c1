import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Approved lists as orders (issue 25, point 1): each order kept, the newest in force, never merged; the appendix
/// prints exactly the orders in force; a higher authority's order from a file; additions, removals and exits with
/// their reasons. On both engines.
final class ApprovedListTests: XCTestCase {
    struct Places {
        let tula: Int
        let chern: Int
        let belev: Int
        let ids: [String: Int]
    }

    // A1 and B1 are flagged by the programme's rule (≥ 30 % below the minimum in two procedures); A2 is not.
    let results = """
        year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
        2023,VPR,6,math,A1,38,13,13,15,8,2
        2023,OGE,9,math,A1,29,9,9,12,6,2
        2023,VPR,6,math,A2,60,6,6,30,20,4
        2023,OGE,9,math,A2,50,10,10,25,10,5
        2023,VPR,6,math,B1,38,20,20,10,6,2
        2023,OGE,9,math,B1,29,20,20,5,3,1
        """

    func prepare(_ store: OporaStore) async throws -> Places {
        let schools = """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            R1,МБОУ «Касимовская СОШ»,Касимовский район,Рязанская область
            """
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        _ = try await importer.importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
        let regions = Dictionary(uniqueKeysWithValues: try await RegionModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let municipalities = Dictionary(
            uniqueKeysWithValues: try await MunicipalityModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let ids = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: store.db).all().map { ($0.code, $0.id!) })
        return Places(
            tula: regions["Тульская область"]!, chern: municipalities["Чернский район"]!, belev: municipalities["Белёвский район"]!,
            ids: ids)
    }

    func importList(
        _ store: OporaStore, _ text: String, scope: AccessScope = .everything, name: String = "list.csv"
    ) async throws -> ImportSummary {
        try await Importer(db: store.db, actor: .commandLine, scope: scope).importFile(
            .approvedList, bytes: Array(text.utf8), fileName: name)
    }

    /// The codes of the schools on the list in force.
    func listed(_ store: OporaStore, _ places: Places, _ scope: AccessScope, year: Int = 2023) async throws -> [String] {
        let statuses = try await IdentificationRepository(db: store.db).approvedStatuses(year: year, scope: scope)
        let byID = Dictionary(uniqueKeysWithValues: places.ids.map { ($0.value, $0.key) })
        return (statuses ?? [:]).keys.compactMap { byID[$0] }.sorted()
    }

    func rejection(_ body: () async throws -> Void) async -> [String] {
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

    func testACorrectedOrderForTheSameTerritoryRemovesASchool() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let repository = IdentificationRepository(db: store.db)
            _ = try await importList(
                store,
                "year,school,order_number,order_date,territory\n2023,A1,21,01.03.2023,Чернский район\n"
                    + "2023,A2,21,01.03.2023,Чернский район\n")
            try await assertEqualAsync(try await listed(store, places, .municipality(places.chern)), ["A1", "A2"])
            let summary = try await importList(
                store,
                "year,school,order_number,order_date,territory,reason\n"
                    + "2023,A1,21/1,10.03.2023,Чернский район,по итогам ВПР\n", name: "corrected.csv")
            XCTAssertEqual(summary.created, 1)
            // The union bug: before, both orders were merged and A2 stayed listed.
            try await assertEqualAsync(try await listed(store, places, .municipality(places.chern)), ["A1"])
            try await assertEqualAsync(try await listed(store, places, .region(places.tula)), ["A1"])
            // Both orders stay in the history; the corrected one records A2's exit with the default reason.
            try await assertEqualAsync(try await IdentificationListModel.query(on: store.db).count(), 2)
            let exits = try await IdentificationListExitModel.query(on: store.db).all()
            XCTAssertEqual(exits.map(\.$school.id), [places.ids["A2"]!])
            XCTAssertEqual(exits.first?.reason, ListInForce.defaultExitReason)
            XCTAssertEqual(exits.first?.wasListed, true)
            XCTAssertTrue(summary.warnings.contains { $0.message.contains("вышли 1") }, "\(summary.warnings)")
        }
    }

    func testTheAppendixPrintsExactlyTheOrdersInForceWithTheirRecordedReasons() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let builder = ReportBuilder(db: store.db)
            // No order yet: a clear message, and no school from today's criteria.
            let empty = try await builder.identificationAppendix(year: 2023, scope: .region(places.tula), scopeLabel: "Тульская область")
            XCTAssertFalse(Self.tableText(empty).contains("Липицкая"))
            XCTAssertTrue(Self.paragraphs(empty).contains { $0.contains("нет приказа об утверждении перечня") })
            // The municipality's order lists A1 as at risk with its own reason; B1 (Белёвский район) is flagged today
            // but no order lists it.
            _ = try await importList(
                store,
                "year,school,order_number,order_date,status,reason,issuer\n"
                    + "2023,A1,214-од,15.03.2023,risk_of_decline,решение комиссии от 10.03.2023,Управление образования Чернского района\n",
                scope: .municipality(places.chern))
            let appendix = try await builder.identificationAppendix(year: 2023, scope: .region(places.tula), scopeLabel: "Тульская область")
            let text = Self.tableText(appendix)
            XCTAssertTrue(text.contains("МКОУ «Липицкая СОШ»"), text)
            XCTAssertTrue(text.contains("решение комиссии от 10.03.2023"), "the reason the order recorded")
            XCTAssertTrue(text.contains(IdentificationStatus.riskOfDecline.russianName), "the status the order recorded")
            XCTAssertFalse(text.contains("Белёвская"), "a neighbouring district's school flagged today is on no order")
            XCTAssertFalse(text.contains("Чернская СОШ № 1"))
            XCTAssertFalse(text.contains("ВПР"), "no reason recomputed from today's data")
            let subtitle = appendix.subtitle.joined(separator: " | ")
            XCTAssertTrue(subtitle.contains("Управление образования Чернского района от 15.03.2023 № 214-од"), subtitle)
            // The school's own report says the same, from the order.
            let card = try await builder.schoolCard(schoolID: places.ids["A1"]!, year: 2023)
            XCTAssertTrue(Self.paragraphs(card).contains {
                $0.hasPrefix("В перечне 2023 года (приказ № 214-од от 15.03.2023") && $0.contains("решение комиссии")
            }, "\(Self.paragraphs(card))")
            let other = try await builder.schoolCard(schoolID: places.ids["A2"]!, year: 2023)
            XCTAssertTrue(Self.paragraphs(other).contains("В перечне 2023 года, утверждённом приказом, школы нет."))
        }
    }

    func testAHigherAuthoritysOrderIsRecordedFromAFileAndReplacesOlderOrders() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let repository = IdentificationRepository(db: store.db)
            _ = try await importList(
                store, "year,school,order_number,order_date\n2023,A2,5,01.03.2023\n", scope: .municipality(places.chern))
            // The region's order (as seed 004 cites the Sverdlovsk ministry's 486-Д of 21.04.2023), recorded by the region.
            let regional = """
                год,школа,номер приказа,дата приказа,территория,орган,уровень приказа,основание
                2023,A1,486-Д,21.04.2023,Тульская область,Министерство образования Тульской области,региональный,региональный проект
                2023,B1,486-Д,21.04.2023,Тульская область,Министерство образования Тульской области,региональный,региональный проект
                """
            _ = try await importList(store, regional, scope: .region(places.tula))
            try await assertEqualAsync(try await listed(store, places, .municipality(places.chern)), ["A1"])
            try await assertEqualAsync(try await listed(store, places, .region(places.tula)), ["A1", "B1"])
            let inForce = try await repository.ordersInForce(year: 2023, scope: .municipality(places.chern))
            let order = try XCTUnwrap(inForce.first)
            XCTAssertEqual(order.number, "486-Д")
            XCTAssertEqual(order.issuer, "Министерство образования Тульской области")
            XCTAssertEqual(order.authority, .region)
            XCTAssertEqual(order.territory, .region(places.tula))
            // A newer order of the municipality takes over again, for it only.
            _ = try await importList(
                store, "year,school,order_number,order_date,authority\n2023,A1,7,01.05.2023,federal\n2023,A2,7,01.05.2023,federal\n",
                scope: .municipality(places.chern))
            try await assertEqualAsync(try await listed(store, places, .region(places.tula)), ["A1", "A2", "B1"])
            try await assertEqualAsync(try await IdentificationListModel.query(on: store.db).count(), 3)
        }
    }

    func testSchoolsOutsideTheTerritoryAreRefusedWithoutSayingWhetherTheyExist() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let foreign = await rejection {
                _ = try await importList(
                    store, "year,school,order_number,order_date\n2023,A1,9,01.03.2023\n2023,B1,9,01.03.2023\n2023,ZZ9,9,01.03.2023\n",
                    scope: .municipality(places.chern))
            }
            XCTAssertEqual(foreign.count, 2, "\(foreign)")
            XCTAssertTrue(foreign[0].hasPrefix("list.csv:3: school: школы с кодом «B1» нет среди школ вашей области доступа"),
                          "\(foreign)")
            XCTAssertTrue(
                foreign[1].hasPrefix("list.csv:4: school: школы с кодом «ZZ9» нет среди школ вашей области доступа"), "\(foreign)")
            // The same words for a school that exists elsewhere and one that does not.
            XCTAssertEqual(
                foreign[0].replacingOccurrences(of: "B1", with: "X"),
                foreign[1].replacingOccurrences(of: "ZZ9", with: "X")
                    .replacingOccurrences(of: ":4:", with: ":3:"))
            // A municipality cannot record its region's order; a file with two orders is refused naming the lines.
            let region = await rejection {
                _ = try await importList(
                    store, "year,school,order_number,order_date,territory\n2023,A1,9,01.03.2023,Тульская область\n",
                    scope: .municipality(places.chern))
            }
            XCTAssertEqual(region, ["list.csv:2: territory: территории «Тульская область» нет в вашей области доступа"])
            let mixed = await rejection {
                _ = try await importList(store, "year,school,order_number,order_date\n2023,A1,9,01.03.2023\n2023,A2,10,01.03.2023\n")
            }
            XCTAssertTrue(mixed.first?.hasPrefix("list.csv:3: order_number: «10» — а в строке list.csv:2 «9»") == true, "\(mixed)")
            // All or nothing.
            try await assertEqualAsync(try await IdentificationListModel.query(on: store.db).count(), 0)
            try await assertEqualAsync(try await IdentificationListEntryModel.query(on: store.db).count(), 0)
        }
    }

    func testApprovingFromTheComputedListWithAdditionsRemovalsAndExitsEachWithAReason() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let repository = IdentificationRepository(db: store.db)
            let actor = Actor(userID: 7, login: "coord")
            let a1 = places.ids["A1"]!
            let a2 = places.ids["A2"]!
            // Last year's order listed A2.
            _ = try await importList(
                store, "year,school,order_number,order_date\n2022,A2,3,01.03.2022\n", scope: .municipality(places.chern))
            let identified = try await repository.identify(year: 2023, criteria: .pervouralsk, scope: .municipality(places.chern))
            XCTAssertEqual(identified.filter { $0.result.status != .none }.map(\.school.code), ["A1"])
            func approve(
                added: [Int: (status: IdentificationStatus, reason: String)] = [:], removed: [Int: String] = [:],
                exits: [Int: String] = [:]
            ) async throws -> IdentificationListModel {
                try await repository.approve(
                    year: 2023, criteria: .pervouralsk, identified: identified, explanations: [:], scope: .municipality(places.chern),
                    scopeLabel: "Чернский район", orderNumber: "12-о", orderDate: RussianFormat.parseDate("01.03.2023")!,
                    issuer: "Управление образования Чернского района", added: added, removed: removed, exitReasons: exits, actor: actor)
            }
            for (added, removed) in [([a2: (IdentificationStatus.lowResults, " ")], [Int: String]()), ([:], [a1: ""])] {
                do {
                    _ = try await approve(added: added, removed: removed)
                    XCTFail("an addition or removal without a reason must be refused")
                } catch let error as RepositoryError {
                    XCTAssertTrue(error.description.contains("укажите причину"), error.description)
                }
            }
            try await assertEqualAsync(try await IdentificationListModel.query(on: store.db).filter(\.$year == 2023).count(), 0)
            // A school of another municipality cannot be added.
            do {
                _ = try await approve(added: [places.ids["B1"]!: (.lowResults, "решение")])
                XCTFail("a school outside the territory must be refused")
            } catch let error as RepositoryError {
                XCTAssertTrue(error.description.contains("нет среди школ вашей области доступа"), error.description)
            }
            // Taken off: A1 (with its reason); added: nobody; A2 leaves last year's list with the reason typed.
            let list = try await approve(removed: [a1: "школа реорганизована"], exits: [a2: "результаты улучшились"])
            let exits = try await IdentificationListExitModel.query(on: store.db).filter(\.$list.$id == list.id!).all()
            XCTAssertEqual(Set(exits.map(\.$school.id)), [a1, a2])
            XCTAssertEqual(exits.first { $0.$school.id == a1 }.map { ($0.wasFlagged, $0.wasListed, $0.reason) }?.2, "школа реорганизована")
            XCTAssertEqual(exits.first { $0.$school.id == a1 }?.wasFlagged, true)
            XCTAssertEqual(exits.first { $0.$school.id == a2 }?.wasListed, true)
            XCTAssertEqual(exits.first { $0.$school.id == a2 }?.reason, "результаты улучшились")
            try await assertEqualAsync(try await listed(store, places, .municipality(places.chern)), [])
            let changes = try await repository.changes(year: 2023, scope: .municipality(places.chern))
            XCTAssertEqual(changes.map(\.change), [.left])
            XCTAssertEqual(changes.first?.exitReason, "результаты улучшились")
            // A corrected order adds A2 by hand, with its reason, and keeps A1 with the reason the criteria gave at approval.
            let corrected = try await repository.approve(
                year: 2023, criteria: .pervouralsk, identified: identified, explanations: [:], scope: .municipality(places.chern),
                scopeLabel: "Чернский район",
                orderNumber: "12-о/1", orderDate: RussianFormat.parseDate("05.03.2023")!, added: [a2: (.riskOfDecline, "решение комиссии")],
                actor: actor)
            let entries = try await IdentificationListEntryModel.query(on: store.db).filter(\.$list.$id == corrected.id!).all()
            XCTAssertEqual(entries.first { $0.$school.id == a2 }?.origin, "added")
            XCTAssertEqual(entries.first { $0.$school.id == a2 }?.explanation, "решение комиссии")
            XCTAssertTrue(entries.first { $0.$school.id == a1 }?.explanation.contains("ВПР") == true)
            XCTAssertEqual(corrected.issuer, "Орган управления образованием: Чернский район")
            let listed = try await repository.listInForce(year: 2023, scope: .municipality(places.chern))
            XCTAssertEqual(listed?[a2]?.status, .riskOfDecline)
            try await assertEqualAsync(try await repository.history(school: a2).map(\.order.number), ["12-о/1", "12-о", "3"])
        }
    }

    func testAnotherMunicipalitySeesNothingOfTheOrder() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let repository = IdentificationRepository(db: store.db)
            _ = try await importList(
                store, "year,school,order_number,order_date\n2023,A1,21,01.03.2023\n", scope: .municipality(places.chern))
            try await assertEqualAsync(try await repository.lists(scope: .municipality(places.belev)).count, 0)
            let other = try await repository.approvedStatuses(year: 2023, scope: .municipality(places.belev))
            XCTAssertNil(other)
            try await assertEqualAsync(try await repository.lists(scope: .region(places.tula)).count, 1)
            try await assertEqualAsync(try await repository.lists(scope: .schools([places.ids["A1"]!])).count, 0)
        }
    }

    /// Lists approved before V026 become orders: the issuer is the territory they were approved for, and the newest one
    /// of a territory is in force instead of the union of all.
    func testListsOfAnOlderVersionBecomeOrders() async throws {
        let older = OporaMigrations.all.filter { $0.name != "v026_list_orders" }
        try await TestEngines.withEachStore(migrations: older) { store in
            let places = try await prepare(store)
            let sql = store.db as! any SQLDatabase
            for (number, day, codes) in [("1", "2023-03-01", ["A1", "A2"]), ("2", "2023-03-10", ["A1"])] {
                try await sql.raw("""
                    INSERT INTO identification_lists (year, municipality_id, scope_label, criteria_name, criteria_json, order_number,
                    order_date, approved_by, approved_at)
                    VALUES (2023, \(bind: places.chern), 'Чернский район', 'правило', '{}', \(bind: number),
                    \(bind: RussianFormat.parseDate(day)!), 'coord', \(bind: Date()))
                    """).run()
                struct Row: Decodable { let id: Int }
                let listID = try await sql.raw("SELECT id FROM identification_lists WHERE order_number = \(bind: number)")
                    .first(decoding: Row.self)!.id
                for code in codes {
                    try await sql.raw("""
                        INSERT INTO identification_list_entries (list_id, school_id, status, explanation, reasons_json)
                        VALUES (\(bind: listID), \(bind: places.ids[code]!), 'low_results', '', '[]')
                        """).run()
                }
            }
            try await store.migrate(OporaMigrations.all)
            try await assertEqualAsync(try await listed(store, places, .municipality(places.chern)), ["A1"])
            let orders = try await IdentificationRepository(db: store.db).ordersInForce(year: 2023, scope: .municipality(places.chern))
            XCTAssertEqual(orders.map(\.number), ["2"])
            XCTAssertEqual(orders.first?.issuer, "Чернский район")
            XCTAssertEqual(orders.first?.authority, .own)
        }
    }

    static func tableText(_ document: ReportDocument) -> String {
        document.blocks.compactMap { block -> String? in
            guard case .table(let table) = block else { return nil }
            return table.rows.flatMap { $0 }.map { cell in
                switch cell.value {
                case .text(let text): text
                default: ""
                }
            }.joined(separator: " | ")
        }.joined(separator: "\n")
    }

    static func paragraphs(_ document: ReportDocument) -> [String] {
        document.blocks.compactMap { block in
            if case .paragraph(let text) = block { return text }
            return nil
        }
    }
}
