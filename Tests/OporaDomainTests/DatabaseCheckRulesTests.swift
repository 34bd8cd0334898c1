import Foundation
import OporaDomain
import XCTest

/// The check's list, its schedule and its report (issue 23): the rules are data, the report's words are the domain's.
final class DatabaseCheckRulesTests: XCTestCase {
    func testEveryReferenceIsListedOnce() {
        let names = DatabaseCheckRules.references.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertTrue(names.contains("results.school_id → schools.id"))
        XCTAssertTrue(names.contains("audit_log.school_id → schools.id"), "references without a declared key are checked too")
        // An authority's programmes are audited per imported file and territory, not per row: not in the list.
        XCTAssertEqual(DatabaseCheckRules.auditRules.map(\.table),
                       ["users", "identification_lists", "school_programmes", "management_decisions", "survey_campaigns"])
    }

    func testTheScheduleWaitsForTheFirstDelayThenADayAfterTheLastCheck() {
        let schedule = DatabaseCheckSchedule(interval: 24 * 3600, firstDelay: 60)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let cases: [(last: Date?, wait: TimeInterval)] = [
            (nil, 60),
            (now.addingTimeInterval(-3600), 23 * 3600),
            (now.addingTimeInterval(-24 * 3600), 0),
            (now.addingTimeInterval(-30 * 3600), 0),
            // A clock set back: never a negative wait, never more than the interval.
            (now.addingTimeInterval(3600), 24 * 3600),
        ]
        for item in cases {
            XCTAssertEqual(schedule.wait(lastFinished: item.last, now: now), item.wait, "\(String(describing: item.last))")
        }
    }

    func testTheReportNamesEachFaultAndCountsThoseNotListed() throws {
        let reference = DatabaseCheckRules.references.first { $0.table == "results" }!
        let listed = (1...DatabaseCheckRules.listedPerCheck).map { reference.fault(row: $0, value: 99) }
        let report = DatabaseCheckReport(
            startedAt: Date(timeIntervalSince1970: 1_677_542_700), finishedAt: Date(timeIntervalSince1970: 1_677_542_701),
            engine: "SQLite", tables: 40, rows: 12_345,
            checks: [CheckItem(kind: .engine, name: "целостность", faults: 0),
                     CheckItem(kind: .reference, name: reference.name, faults: 52)],
            faults: listed)
        XCTAssertFalse(report.ok)
        XCTAssertEqual(report.verdict, "найдено 52 нарушения")
        let text = report.text
        XCTAssertTrue(text.hasPrefix("Проверка базы данных (SQLite) 28.02.2023 00:05 UTC: найдено 52 нарушения."), text)
        XCTAssertTrue(text.contains("  ✓ целостность\n"), text)
        XCTAssertTrue(text.contains("  ✗ results.school_id → schools.id: 52 нарушения"), text)
        let first = "    results, строка 1: school_id = 99: в таблице schools нет записи с id = 99 (результаты школы)"
        XCTAssertTrue(text.contains(first), text)
        XCTAssertTrue(text.hasSuffix("    … и ещё 2"), text)

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])
        XCTAssertEqual(json["ok"] as? Bool, false)
        XCTAssertEqual(json["fault_count"] as? Int, 52)
        XCTAssertEqual((json["faults"] as? [[String: Any]])?.first?["row_id"] as? Int, 1)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        XCTAssertEqual(try decoder.decode(DatabaseCheckReport.self, from: encoder.encode(report)).faultCount, 52)
    }

    func testASoundReportAndTheSchemaStatus() {
        let report = DatabaseCheckReport(startedAt: Date(), finishedAt: Date(), engine: "PostgreSQL", tables: 1, rows: 0,
                                         checks: [CheckItem(kind: .schema, name: "схема", faults: 0)], faults: [])
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.verdict, "нарушений нет")
        XCTAssertEqual(SchemaState.status(applied: ["a", "b"], known: ["a", "b"]), "current")
        XCTAssertEqual(SchemaState.status(applied: ["a"], known: ["a", "b"]), "behind")
        XCTAssertEqual(SchemaState.status(applied: ["a", "b", "c"], known: ["a", "b"]), "newer")
        XCTAssertFalse(DatabaseCheckRules.visible(to: .municipalCoordinator))
        XCTAssertTrue(DatabaseCheckRules.visible(to: .regionalAnalyst))
    }
}
