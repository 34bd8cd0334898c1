import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Issue 18, point 1 (and the preview of point 2): `programmes`, `roadmap`, `indicators` and `indicator_values` load
/// what they need once, plan in memory and write in bulk. A preview (`Importer.plan`) counts exactly what the import
/// does; a re-import changes nothing; a changed row is updated; a bad row anywhere writes nothing. On both engines.
final class PlanBulkImportTests: XCTestCase {
    static func fixture(_ name: String) throws -> [UInt8] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: tests.appendingPathComponent("Fixtures/\(name)")))
    }

    /// Seed 004 (Первоуральск): the programme, its 2023 roadmap, its indicators and their values.
    static let seedFiles: [(ImportKind, String)] = [
        (.programmes, "pervouralsk-programme-2023.csv"), (.roadmap, "pervouralsk-roadmap-2023.csv"),
        (.indicators, "pervouralsk-indicators.csv"), (.indicatorValues, "pervouralsk-indicator-values.csv"),
    ]

    func prepare(_ store: OporaStore) async throws {
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array("""
            code,name,municipality,region
            PV1,МАОУ СОШ № 1,Первоуральск,Свердловская область
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            """.utf8), fileName: "schools.csv")
    }

    func parse(_ kind: ImportKind, _ bytes: [UInt8], _ fileName: String) throws -> ParsedFile {
        try ImportParser.parse(kind, bytes: bytes, fileName: fileName, catalogues: .standard)
    }

    static func count(_ table: String, _ store: OporaStore) async throws -> Int {
        struct Row: Decodable { let n: Int }
        let query: SQLQueryString = "SELECT COUNT(*) AS n FROM \(unsafeRaw: table)"
        return try await store.db.sql.raw(query).first(decoding: Row.self)?.n ?? -1
    }

    static let tables = ["programmes", "programme_amendments", "roadmap_measures", "programme_indicators", "indicator_values", "audit_log"]

    func counts(_ store: OporaStore) async throws -> [Int] {
        var result: [Int] = []
        for table in Self.tables { result.append(try await Self.count(table, store)) }
        return result
    }

    func testPreviewCountsWhatTheImportDoesAndAReimportChangesNothing() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            var created: [ImportKind: Int] = [:]
            for (kind, file) in Self.seedFiles {
                let parsed = try self.parse(kind, try Self.fixture(file), file)
                let before = try await self.counts(store)
                let preview = try await importer.plan(parsed)
                try await assertEqualAsync(try await self.counts(store), before, "\(kind): a preview writes nothing")
                let summary = try await importer.write(parsed)
                XCTAssertEqual(preview, summary, "\(kind)")
                created[kind] = summary.created
                XCTAssertEqual(summary.updated + summary.unchanged, 0, "\(kind)")
            }
            XCTAssertEqual(created[.programmes], 1)
            XCTAssertEqual(created[.indicators], 9, "seed 004's nine indicators")
            XCTAssertEqual(created[.indicatorValues], 18, "two years of nine indicators")
            XCTAssertGreaterThan(created[.roadmap] ?? 0, 40)
            let loaded = try await self.counts(store)
            for (kind, file) in Self.seedFiles {
                let parsed = try self.parse(kind, try Self.fixture(file), file)
                let preview = try await importer.plan(parsed)
                let again = try await importer.write(parsed)
                XCTAssertEqual(preview, again, "\(kind)")
                XCTAssertEqual(again.created + again.updated, 0, "\(kind): \(again)")
                XCTAssertEqual(again.unchanged, created[kind], "\(kind)")
            }
            try await assertEqualAsync(try await self.counts(store), loaded, "a re-import writes nothing, not even to the log")
        }
    }

    func testAChangedRowIsUpdatedFromOldToNew() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            for (kind, file) in Self.seedFiles { _ = try await importer.importFile(kind, bytes: try Self.fixture(file), fileName: file) }
            let storedPlan = try await PlanRepository(db: store.db).programme(code: "P04")
            let plan = try XCTUnwrap(storedPlan)
            let programmeID = try XCTUnwrap(plan.id)
            let changes: [(ImportKind, String, String)] = [
                (.programmes, "pervouralsk-programme-2023.csv", "на 2023-2025 годы;2023;2025"),
                (.indicators, "pervouralsk-indicators.csv", "от общего числа ОО,%,down,share_listed"),
                (.indicatorValues, "pervouralsk-indicator-values.csv", "P04;1;2023;33;6"),
                (.roadmap, "pervouralsk-roadmap-2023.csv", ";Октябрь Май;"),
            ]
            let replacements = ["на 2023-2026 годы;2023;2026", "от общего числа ОО (итог),%,down,share_listed", "P04;1;2023;31;6",
                                ";Октябрь, май;"]
            for ((kind, file, old), new) in zip(changes, replacements) {
                let text = String(decoding: try Self.fixture(file), as: UTF8.self)
                XCTAssertTrue(text.contains(old), "\(kind): the seed holds «\(old)»")
                let changed = Array(text.replacingOccurrences(of: old, with: new).utf8)
                let parsed = try self.parse(kind, changed, file)
                let preview = try await importer.plan(parsed)
                let summary = try await importer.write(parsed)
                XCTAssertEqual(preview, summary, "\(kind)")
                XCTAssertEqual(summary.created, 0, "\(kind)")
                XCTAssertEqual(summary.updated, 1, "\(kind): \(summary)")
            }
            let storedAmended = try await PlanRepository(db: store.db).programme(code: "P04")
            let amended = try XCTUnwrap(storedAmended)
            XCTAssertEqual(amended.endOn, "2026-12-31")
            XCTAssertTrue(amended.name.contains("на 2023-2026 годы"), amended.name)
            XCTAssertEqual(amended.version, 2)
            let amendments = try await PlanRepository(db: store.db).amendments(programmeID)
            XCTAssertEqual(amendments.map(\.number), [1, 2])
            XCTAssertEqual(amendments.last?.orderNumber, "14", "the order stays when the row repeats it")
            let lines = try XCTUnwrap(amendments.last?.roadmap)
            let measureCount = try await Self.count("roadmap_measures", store)
            XCTAssertEqual(lines.count, measureCount, "the new version follows the roadmap")
            let storedIndicator = try await IndicatorModel.query(on: store.db).filter(\.$code == "1").first()
            let indicator = try XCTUnwrap(storedIndicator)
            XCTAssertTrue(indicator.name.hasSuffix("от общего числа ОО (итог)"), indicator.name)
            XCTAssertEqual(indicator.position, 1, "an updated indicator keeps its place")
            let storedValue = try await IndicatorValueModel.query(on: store.db).filter(\.$indicatorID == indicator.id!)
                .filter(\.$year == 2023).first()
            let value = try XCTUnwrap(storedValue)
            XCTAssertEqual(value.value, 31)
            let storedMeasure = try await MeasureModel.query(on: store.db).filter(\.$number == "1.1.").first()
            let measure = try XCTUnwrap(storedMeasure)
            XCTAssertEqual(measure.deadline, "Октябрь, май")
            XCTAssertEqual(measure.version, 2)
            XCTAssertEqual(measure.position, 1)
        }
    }

    /// A values file reads only the stored indicators it names (their codes bound into the query) when it names
    /// few with ASCII codes, and every indicator of its programmes otherwise: each value lands on its indicator
    /// either way, a code that looks like SQL is just a code, and an unknown one is refused by its line.
    func testValuesFindTheirIndicatorsWhicheverWayTheyAreRead() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            _ = try await importer.importFile(.programmes, bytes: try Self.fixture("pervouralsk-programme-2023.csv"), fileName: "p.csv")
            let odd = ["I'1", "I\"2", "$1", "1) OR (1=1", "П-3"]
            var indicators = "programme;code;name;unit\n"
            // A code holding a quote is written as CSV quotes it.
            func cell(_ code: String) -> String {
                code.contains("\"") ? "\"" + code.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : code
            }
            for (index, code) in odd.enumerated() { indicators += "P04;\(cell(code));Показатель \(index);%\n" }
            for number in 1...600 { indicators += "P04;N\(number);Показатель N\(number);%\n" }
            indicators += "P04;\u{212A}9;Показатель со знаком кельвина;%\n"
            _ = try await importer.importFile(.indicators, bytes: Array(indicators.utf8), fileName: "i.csv")

            func values(_ codes: [String], year: Int = 2024) -> [UInt8] {
                var text = "programme;indicator;year;value\n"
                for (index, code) in codes.enumerated() {
                    text += "P04;\(cell(code));\(year);\(index + 1)\n"
                }
                return Array(text.utf8)
            }
            // Few ASCII codes (bound), a Cyrillic one (every indicator read), more than are bound (every one read).
            let few = try await importer.importFile(.indicatorValues, bytes: values(Array(odd.prefix(4))), fileName: "v1.csv")
            XCTAssertEqual(few.created, 4)
            let cyrillic = try await importer.importFile(.indicatorValues, bytes: values(["П-3", "I'1"], year: 2025), fileName: "v2.csv")
            XCTAssertEqual(cyrillic.created, 2)
            // «K9» is not the stored bytes (a Kelvin sign) but the same text to the import: found among all the codes.
            let kelvin = try await importer.importFile(.indicatorValues, bytes: values(["K9"]), fileName: "v4.csv")
            XCTAssertEqual(kelvin.created, 1)
            let many = (1...600).map { "N\($0)" }
            let all = try await importer.importFile(.indicatorValues, bytes: values(many), fileName: "v3.csv")
            XCTAssertEqual(all.created, 600)

            struct Row: Decodable { let code: String; let year: Int; let value: Double }
            let stored = try await store.db.sql.raw("""
                SELECT i.code AS code, v.year AS year, v.value AS value FROM indicator_values v
                JOIN programme_indicators i ON i.id = v.indicator_id
                """).all(decoding: Row.self)
            let found = Dictionary(uniqueKeysWithValues: stored.map { ("\($0.code)|\($0.year)", $0.value) })
            XCTAssertEqual(found.count, 607)
            XCTAssertTrue(stored.contains { $0.code.unicodeScalars.first == "\u{212A}" }, "the code is stored as written")
            for (index, code) in odd.prefix(4).enumerated() { XCTAssertEqual(found["\(code)|2024"], Double(index + 1), code) }
            XCTAssertEqual(found["П-3|2025"], 1)
            XCTAssertEqual(found["I'1|2025"], 2)
            XCTAssertEqual(found["N600|2024"], 600)

            for codes in [["I'1", "I9"], many + ["N601"]] {
                do {
                    _ = try await importer.importFile(.indicatorValues, bytes: values(codes, year: 2026), fileName: "bad.csv")
                    XCTFail("an unknown indicator must be refused")
                } catch let rejected as ImportRejected {
                    let unknown = codes.last!
                    XCTAssertEqual(rejected.errors.map(\.description),
                                   ["bad.csv:\(codes.count + 1): indicator: у программы «P04» нет показателя «\(unknown)» "
                                    + "(сначала загрузите indicators)"])
                }
            }
        }
    }

    /// 100 000 rows whose last names something that does not exist: refused by its line, nothing written.
    func testABadLastRowOfAHundredThousandWritesNothing() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            _ = try await importer.importFile(.programmes, bytes: try Self.fixture("pervouralsk-programme-2023.csv"),
                                              fileName: "p.csv")
            let rows = 100_000
            var programmes = "code;name;start;end;territory\n"
            var indicators = "programme,code,name,unit\n"
            var measures = "programme;section;number;measure;deadline\n"
            for row in 1..<rows {
                programmes += "M\(row);Программа № \(row);2024;2026;Первоуральск\n"
                indicators += "P04,I\(row),Показатель № \(row),%\n"
                measures += "P04;1. Раздел;\(row).;Мероприятие № \(row);Май\n"
            }
            programmes += "M\(rows);Программа № \(rows);2024;2026;Неведомый район\n"
            indicators += "P99,I\(rows),Показатель № \(rows),%\n"
            measures += "P99;1. Раздел;\(rows).;Мероприятие № \(rows);Май\n"
            let before = try await self.counts(store)
            let expected: [(ImportKind, String, String)] = [
                (.programmes, programmes, "f.csv:\(rows + 1): territory: " + Absent.municipality("Неведомый район")),
                (.indicators, indicators, "f.csv:\(rows + 1): programme: " + ProgrammeCode.unknown("P99")),
                (.roadmap, measures, "f.csv:\(rows + 1): programme: " + ProgrammeCode.unknown("P99")),
            ]
            for (kind, text, message) in expected {
                let parsed = try self.parse(kind, Array(text.utf8), "f.csv")
                for attempt in ["preview", "import"] {
                    do {
                        _ = attempt == "preview" ? try await importer.plan(parsed) : try await importer.write(parsed)
                        XCTFail("\(kind) \(attempt): the last row must be refused")
                    } catch let rejected as ImportRejected {
                        XCTAssertEqual(rejected.errors.map(\.description), [message], "\(kind) \(attempt)")
                    }
                }
                try await assertEqualAsync(try await self.counts(store), before, "\(kind): nothing written")
            }
            // The same files without their bad row: the preview counts what the import writes, all of it.
            let withoutLast = programmes.split(separator: "\n").dropLast().joined(separator: "\n")
            let good = try self.parse(.programmes, Array(withoutLast.utf8), "f.csv")
            let preview = try await importer.plan(good)
            let summary = try await importer.write(good)
            XCTAssertEqual(preview, summary)
            XCTAssertEqual(summary.created, rows - 1)
            try await assertEqualAsync(try await Self.count("programmes", store), rows)
            try await assertEqualAsync(try await Self.count("programmes WHERE adopted_by IS NOT NULL", store), rows,
                                       "each first version kept in its programme's row")
            try await assertEqualAsync(try await Self.count("programme_amendments", store), 0)
            try await assertEqualAsync(try await Self.count("audit_log", store), before[5] + 1, "one entry for the territory's programmes")
        }
    }
}
