import Foundation
import OporaDomain
import XCTest

/// «The list in force» (CONTRACT.md, `approved_list`): the newest order of a municipality or of its region for the
/// year, taken municipality by municipality; earlier orders stay in the history and are never merged.
final class ListInForceTests: XCTestCase {
    // Region 1 holds municipalities 10 (schools 101, 102, 103) and 20 (schools 201, 202); region 2 holds 30 (301).
    let places = [
        ListPlace(schoolID: 101, municipalityID: 10, regionID: 1), ListPlace(schoolID: 102, municipalityID: 10, regionID: 1),
        ListPlace(schoolID: 103, municipalityID: 10, regionID: 1), ListPlace(schoolID: 201, municipalityID: 20, regionID: 1),
        ListPlace(schoolID: 202, municipalityID: 20, regionID: 1), ListPlace(schoolID: 301, municipalityID: 30, regionID: 2),
    ]
    var municipality10: [ListPlace] { places.filter { $0.municipalityID == 10 } }
    var region1: [ListPlace] { places.filter { $0.regionID == 1 } }

    func day(_ text: String) -> Date { RussianFormat.parseDate(text)! }

    func order(
        _ id: Int, year: Int = 2023, _ territory: OrderTerritory, _ date: String, _ schools: [Int],
        status: IdentificationStatus = .lowResults, exits: [Int: String] = [:]
    ) -> ListOrder {
        ListOrder(
            id: id, year: year, territory: territory, number: "\(id)", date: day(date), issuer: "орган \(id)",
            entries: Dictionary(uniqueKeysWithValues: schools.map { ($0, ListEntry(status: status, reason: "причина \(id)")) }),
            exits: exits)
    }

    func listed(_ places: [ListPlace], _ orders: [ListOrder], year: Int = 2023) -> [Int] {
        ListInForce.schools(year: year, places: places, orders: orders).keys.sorted()
    }

    func testTheNewestOrderOfTheTerritoryIsInForceAndOrdersAreNeverMerged() {
        let cases: [(name: String, orders: [ListOrder], scope: [ListPlace], expected: [Int])] = [
            ("one order", [order(1, .municipality(10), "01.03.2023", [101, 102])], municipality10, [101, 102]),
            // The union bug: a corrected order for the same territory removes a school.
            (
                "a corrected order removes a school",
                [
                    order(1, .municipality(10), "01.03.2023", [101, 102]),
                    order(2, .municipality(10), "20.03.2023", [101]),
                ], municipality10, [101]
            ),
            (
                "order dates decide, not the order of recording",
                [
                    order(2, .municipality(10), "20.03.2023", [101]),
                    order(3, .municipality(10), "01.03.2023", [101, 102, 103]),
                ], municipality10, [101]
            ),
            (
                "the same date: the one recorded later",
                [
                    order(4, .municipality(10), "01.03.2023", [101]),
                    order(5, .municipality(10), "01.03.2023", [103]),
                ], municipality10, [103]
            ),
            (
                "a region's newer order replaces the municipality's",
                [
                    order(1, .municipality(10), "01.03.2023", [101, 102]),
                    order(2, .region(1), "10.03.2023", [103, 201]),
                ], municipality10, [103]
            ),
            (
                "a municipality's newer order replaces the region's for it only",
                [
                    order(1, .region(1), "01.03.2023", [101, 201]),
                    order(2, .municipality(10), "10.03.2023", [102]),
                ], region1, [102, 201]
            ),
            ("another year's order is not in force", [order(1, year: 2022, .municipality(10), "01.03.2022", [101])], municipality10, []),
            ("another region's order is not in force", [order(1, .region(2), "01.03.2023", [301])], municipality10, []),
            // The neighbouring-district bug: a municipality's order never lists a neighbour's school.
            (
                "a municipality's order never shows a neighbour's school", [order(1, .municipality(10), "01.03.2023", [101, 201])], region1,
                [101]
            ),
            (
                "a region is its municipalities' lists together",
                [
                    order(1, .municipality(10), "01.03.2023", [101]),
                    order(2, .municipality(20), "01.03.2023", [202]),
                ], region1, [101, 202]
            ),
            (
                "an installation-wide order covers every municipality", [order(1, .everywhere, "01.03.2023", [101, 301])], places,
                [101, 301]
            ),
        ]
        for item in cases {
            XCTAssertEqual(listed(item.scope, item.orders), item.expected, item.name)
        }
    }

    func testEachSchoolKeepsTheStatusAndReasonItsOrderRecorded() {
        let orders = [
            order(1, .municipality(10), "01.03.2023", [101], status: .riskOfDecline), order(2, .municipality(20), "02.03.2023", [201]),
        ]
        let list = ListInForce.schools(year: 2023, places: region1, orders: orders)
        XCTAssertEqual(list[101]?.status, .riskOfDecline)
        XCTAssertEqual(list[101]?.entry.reason, "причина 1")
        XCTAssertEqual(list[101]?.order.number, "1")
        XCTAssertEqual(list[201]?.order.issuer, "орган 2")
        XCTAssertEqual(ListInForce.ordersInForce(year: 2023, places: region1, orders: orders).map(\.id), [2, 1])
        XCTAssertFalse(ListInForce.hasOrder(year: 2024, places: region1, orders: orders))
        XCTAssertEqual(orders[0].isoDate, "2023-03-01")
    }

    func testTheYearsChangesAgainstThePreviousYear() {
        let orders = [
            order(1, year: 2022, .municipality(10), "01.03.2022", [101, 102]), order(2, year: 2022, .municipality(20), "01.03.2022", [201]),
            order(3, .municipality(10), "01.03.2023", [102, 103], exits: [101: "результаты улучшились"]),
        ]
        let lines = Dictionary(
            uniqueKeysWithValues: ListInForce.changes(year: 2023, places: region1, orders: orders).map { ($0.schoolID, $0) })
        XCTAssertEqual(lines[103]?.change, .entered)
        XCTAssertEqual(lines[102]?.change, .stayed)
        XCTAssertEqual(lines[101]?.change, .left)
        XCTAssertEqual(lines[101]?.exitReason, "результаты улучшились")
        XCTAssertEqual(lines[101]?.leavingOrder?.id, 3)
        // A correction of the year keeps the reason recorded by the order that took the school off.
        let corrected = orders + [order(4, .municipality(10), "05.03.2023", [102, 103])]
        let again = ListInForce.changes(year: 2023, places: region1, orders: corrected).first { $0.schoolID == 101 }
        XCTAssertEqual(again?.leavingOrder?.id, 4)
        XCTAssertEqual(again?.exitReason, "результаты улучшились")
        // Municipality 20 has no order for 2023 yet: nobody left it, nobody is listed.
        XCTAssertNil(lines[201])
        XCTAssertEqual(lines.count, 3)
    }

    func testExitsAreTheSchoolsOfThePreviousListInForceMissingFromTheNewOrder() {
        let previous = [order(1, year: 2022, .municipality(10), "01.03.2022", [101, 102])]
        let new = order(2, .municipality(10), "01.03.2023", [102, 103])
        XCTAssertEqual(
            ListInForce.exits(of: new, territoryPlaces: municipality10, previous: previous, reasons: [:]),
            [101: ListInForce.defaultExitReason])
        XCTAssertEqual(
            ListInForce.exits(of: new, territoryPlaces: municipality10, previous: previous, reasons: [101: " закрыта "]), [101: "закрыта"])
        // Within the year, a corrected order is compared with the year's order in force, not with last year's.
        let corrected = order(3, .municipality(10), "10.03.2023", [103])
        XCTAssertEqual(
            ListInForce.exits(of: corrected, territoryPlaces: municipality10, previous: previous + [new], reasons: [:]).keys.sorted(), [102]
        )
    }

    func testAdditionsAndRemovalsAtApprovalEachNeedAReason() {
        let computed = [
            101: ListEntry(status: .lowResults, reason: "по критериям"), 102: ListEntry(status: .riskOfDecline, reason: "риск"),
        ]
        let names = [101: "Школа 1", 102: "Школа 2", 103: "Школа 3"]
        let approved = ListApproval.entries(
            computed: computed, added: [103: (.lowResults, "решение комиссии")], removed: [102: "закрыта на ремонт"], names: names)
        XCTAssertEqual(try approved.get(), [101: computed[101]!, 103: ListEntry(status: .lowResults, reason: "решение комиссии")])
        let cases: [(name: String, added: [Int: (status: IdentificationStatus, reason: String)], removed: [Int: String], message: String)] =
            [
                (
                    "an addition without a reason", [103: (.lowResults, "  ")], [:],
                    "«Школа 3»: укажите причину, по которой школа включается в список"
                ),
                ("a removal without a reason", [:], [101: ""], "«Школа 1»: укажите причину, по которой школа исключается из списка"),
                ("a removal of a school not flagged", [:], [103: "нет"], "«Школа 3»: школы нет в рассчитанном списке — исключать нечего"),
                ("an addition without a status", [103: (.none, "комиссия")], [:], "«Школа 3»: выберите статус школы в списке"),
            ]
        for item in cases {
            switch ListApproval.entries(computed: computed, added: item.added, removed: item.removed, names: names) {
            case .success: XCTFail("\(item.name) was accepted")
            case .failure(let problems): XCTAssertEqual(problems.description, item.message, item.name)
            }
        }
    }

    func testTheApprovedListFileIsOneOrder() throws {
        func parse(_ text: String) throws -> ApprovedListOrder {
            try ApprovedListFile.parse(DelimitedTextReader.read(Array(text.utf8), file: "list.csv"), file: "list.csv").order
        }
        let order = try parse(
            "год,школа,номер приказа,дата приказа,статус,основание,территория\n"
                + "2023,A1,21,15.03.2023,low_results_social,ИСБШ 3,Чернский район\n2023,A2,21,2023-03-15,,,Чернский район\n")
        XCTAssertEqual(order.year, 2023)
        XCTAssertEqual(order.number, "21")
        XCTAssertEqual(order.territory, "Чернский район")
        XCTAssertEqual(order.rows.map(\.status), [.lowResultsSocial, .lowResults])
        XCTAssertEqual(order.rows.first?.reason, "ИСБШ 3")
        let cases: [(name: String, text: String, expected: String)] = [
            (
                "another order number", "year,school,order_number,order_date\n2023,A1,21,15.03.2023\n2023,A2,22,15.03.2023\n",
                "list.csv:3: order_number: «22» — а в строке list.csv:2 «21»"
            ),
            (
                "another date", "year,school,order_number,order_date\n2023,A1,21,15.03.2023\n2023,A2,21,16.03.2023\n",
                "list.csv:3: order_date: «16.03.2023» — а в строке list.csv:2 «15.03.2023»"
            ),
            (
                "another territory",
                "year,school,order_number,order_date,territory\n2023,A1,21,15.03.2023,Чернь\n2023,A2,21,15.03.2023,Белёв\n",
                "list.csv:3: territory: «Белёв» — а в строке list.csv:2 «Чернь»"
            ),
            (
                "another year", "year,school,order_number,order_date\n2023,A1,21,15.03.2023\n2024,A2,21,15.03.2023\n",
                "list.csv:3: year: «2024» — а в строке list.csv:2 «2023»"
            ),
            (
                "a school twice", "year,school,order_number,order_date\n2023,A1,21,15.03.2023\n2023,A1,21,15.03.2023\n",
                "list.csv:3: school: школа «A1» уже указана в строке list.csv:2"
            ),
            ("an unknown status", "year,school,order_number,order_date,status\n2023,A1,21,15.03.2023,bad\n", "list.csv:2: status: «bad»"),
        ]
        for item in cases {
            XCTAssertThrowsError(try parse(item.text), item.name) { error in
                XCTAssertTrue("\(error)".contains(item.expected), "\(item.name): \(error)")
            }
        }
    }
}
