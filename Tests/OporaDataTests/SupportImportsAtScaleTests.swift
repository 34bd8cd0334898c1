import FluentKit
import Foundation
@testable import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Issue 18, point 1, for `risks`, `events`, `staff` and `specialists` written in bulk: a re-import of the same
/// file changes nothing, a changed row is updated old → new, a bad last row of 100,000 writes nothing, and the
/// preview (`Importer.plan`) counts exactly what the import does. On both engines.
final class SupportImportsAtScaleTests: XCTestCase {
    /// The tables each kind writes, as comparable text (ids left out, except the event a participation points to).
    static let tables: [ImportKind: [(table: String, columns: [String])]] = [
        .risks: [("risk_ratings", ["school_id", "year", "factor", "level", "source", "comment"])],
        .events: [("support_events", ["owner_region_id", "owner_municipality_id", "code", "title", "kind", "start_on", "end_on", "hours",
                                      "organiser", "topic"]),
                  ("event_participations", ["event_id", "school_id", "role", "participants", "person"])],
        .staff: [("staff_records", ["school_id", "year", "position", "participants", "person", "category", "attested_on", "course_hours",
                                    "course_topic", "course_provider", "deficit", "route"])],
        .specialists: [("school_staffing", ["school_id", "year", "social_pedagogue_staff", "social_pedagogue_part_time", "tutor_staff",
                                            "tutor_part_time", "vacancies"])],
    ]

    /// Small files of every kind, each line distinct; `{X}` is the text a test changes.
    static let files: [(ImportKind, String)] = [
        (.risks, "year,school,factor,level,source,comment\n2024,S0001,1,high,expert,{X}\n2024,S0001,2,low,,\n2024,S0002,1,medium,,\n"),
        (.events, "event,title,kind,start,hours,school,role,count,person\n"
            + "КПК-1,{X},курсы,15.02.2024,32,S0001,учитель,6,\nКПК-1,{X},курсы,15.02.2024,32,S0002,заместитель,,P-7\n"
            + "С-2,Семинар,семинар,01.03.2024,4,S0001,учитель,3,\n"),
        (.staff, "school,year,position,count,person,category,course_hours,course_topic\n"
            + "S0001,2024,учитель,,T-1,высшая,36,{X}\nS0001,2024,учитель,4,,первая,,\nS0002,2024,руководитель,1,,,72,Управление\n"),
        (.specialists, "school,year,social_pedagogue,tutor,vacancies\nS0001,2024,1,1*,{X}\nS0002,2024,3; 6*,,\n"),
    ]

    func testAReimportOfTheSameFileChangesNothingAndThePreviewCountsIt() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            for (kind, template) in Self.files {
                let text = template.replacingOccurrences(of: "{X}", with: kind == .specialists ? "2" : "Первая")
                let parsed = try await self.parse(kind, text, store)
                let previewed = try await importer.plan(parsed)
                let first = try await importer.write(parsed)
                XCTAssertEqual(previewed, first, "\(kind): the preview counts what the import does")
                XCTAssertGreaterThan(first.created, 0, "\(kind)")
                let stored = try await self.snapshot(kind, store)
                let audit = try await self.auditCount(store)
                let previewedAgain = try await importer.plan(parsed)
                let again = try await importer.write(parsed)
                XCTAssertEqual(previewedAgain, again, "\(kind): the preview of a re-import counts what it does")
                try await assertEqualAsync(try await self.snapshot(kind, store), stored, "\(kind): a re-import changes nothing")
                if kind == .risks {
                    XCTAssertEqual([again.created, again.updated, again.unchanged], [0, 0, 3])
                    try await assertEqualAsync(try await self.auditCount(store), audit, "nothing changed, nothing logged")
                }
            }
        }
    }

    func testAChangedRowIsUpdatedOldToNew() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            for (kind, template) in Self.files {
                let (old, new) = kind == .specialists ? ("2", "5") : ("Первая", "Вторая")
                _ = try await importer.write(try await self.parse(kind, template.replacingOccurrences(of: "{X}", with: old), store))
                let before = try await self.snapshot(kind, store)
                let parsed = try await self.parse(kind, template.replacingOccurrences(of: "{X}", with: new), store)
                let previewed = try await importer.plan(parsed)
                let summary = try await importer.write(parsed)
                XCTAssertEqual(previewed, summary, "\(kind)")
                let after = try await self.snapshot(kind, store)
                XCTAssertEqual(after.count, before.count, "\(kind): the row replaced, not doubled")
                let gone = Set(before).subtracting(after), came = Set(after).subtracting(before)
                XCTAssertFalse(gone.isEmpty, "\(kind)")
                XCTAssertEqual(gone.map { $0.replacingOccurrences(of: "|\(old)|", with: "|\(new)|") }.sorted(),
                               came.sorted(), "\(kind): only the changed text differs")
            }
            // A rating's change is counted and logged old → new at its school.
            let risks = try await ResultsImporter(db: store.db, actor: .commandLine)
                .writeRisks([RiskRating(line: 2, year: 2024, school: "S0001", factor: 2, level: .high, source: nil, comment: nil)],
                            fileName: "r.csv")
            XCTAssertEqual([risks.created, risks.updated, risks.unchanged], [0, 1, 0])
            let entry = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "risk_profile").sort(\.$id, .descending).first()
            XCTAssertEqual(entry?.changes.contains("низкая"), true, entry?.changes ?? "")
            XCTAssertEqual(entry?.changes.contains("высокая"), true, entry?.changes ?? "")
            XCTAssertNotNil(entry?.schoolID)
        }
    }

    /// 100,000 good rows and an unknown school on the last line: refused naming that line, nothing written.
    func testABadLastRowOfAHundredThousandWritesNothing() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            for (kind, template) in Self.files {
                _ = try await importer.write(try await self.parse(kind, template.replacingOccurrences(of: "{X}", with: "1"), store))
            }
            for kind in [ImportKind.risks, .events, .staff, .specialists] {
                let before = try await self.snapshot(kind, store)
                let audit = try await self.auditCount(store)
                let text = Self.large(kind, rows: 100_000) + Self.badRow(kind)
                let parsed = try await self.parse(kind, text, store)
                for attempt in ["plan", "write"] {
                    do {
                        _ = attempt == "plan" ? try await importer.plan(parsed) : try await importer.write(parsed)
                        XCTFail("\(kind): the unknown school must be refused")
                    } catch let rejected as ImportRejected {
                        XCTAssertEqual(rejected.errors.map(\.line), [100_002], "\(kind) \(attempt)")
                        XCTAssertEqual(rejected.errors.first?.column, "school", "\(kind) \(attempt)")
                    }
                }
                try await assertEqualAsync(try await self.snapshot(kind, store), before, "\(kind): nothing written")
                try await assertEqualAsync(try await self.auditCount(store), audit, "\(kind): nothing logged")
            }
        }
    }

    /// A large file of good rows for 1,000 schools (header on line 1).
    static func large(_ kind: ImportKind, rows: Int) -> String {
        var lines: [String] = []
        lines.reserveCapacity(rows + 1)
        switch kind {
        case .risks:
            lines.append("year,school,factor,level")
            for i in 0..<rows { lines.append("\(2000 + i / 12_000),\(school(i / 12 % 1_000)),\(1 + i % 12),medium") }
        case .events:
            lines.append("event,start,hours,school,count")
            for i in 0..<rows { lines.append("E\(i / 500),01.03.2024,\(4 + i / 500 % 3),\(school(i % 1_000)),\(1 + i % 5)") }
        case .staff:
            lines.append("school,year,count,course_hours")
            for i in 0..<rows { lines.append("\(school(i % 1_000)),\(2000 + i / 1_000 % 100),\(1 + i % 7),\(i % 3 == 0 ? "36" : "")") }
        default:
            lines.append("school,year,tutor,vacancies")
            for i in 0..<rows { lines.append("\(school(i % 1_000)),\(2000 + i / 1_000),\(i % 4),\(i % 2)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func badRow(_ kind: ImportKind) -> String {
        switch kind {
        case .risks: "2099,ZZ9,1,high\n"
        case .events: "E0,01.03.2024,4,ZZ9,1\n"
        case .staff: "ZZ9,2024,1,\n"
        default: "ZZ9,2099,1,0\n"
        }
    }

    static func school(_ index: Int) -> String { "S" + String(format: "%04d", index + 1) }

    /// Table 23 is stored as one row per school and year (V048): every specialty's staff and part-timers and the
    /// vacancies read back as the file gave them; an empty cell stays absent, not 0; a school-year the next file
    /// names again is replaced whole, and a line with nothing but its school and year only clears it.
    func testTable23IsOneStoredRowPerSchoolAndYearAndReadsBackAsTheFileGaveIt() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine)
            let header = "school,year,social_pedagogue,tutor,psychologist,speech_therapist,defectologist,organiser,"
                + "additional_education,vacancies\n"
            let first = header + "S0001,2024,1,1*,\"3; 6*\",0,,2,,4\nS0002,2024,,,,,,,,1\nS0003,2024,,,,,,,,\nS0001,2023,1,,,,,,,\n"
            let written = try await importer.write(try await self.parse(.specialists, first, store))
            XCTAssertEqual(written.created, 4, "every school-year of the file is counted")
            try await assertEqualAsync(try await store.db.sql.raw("SELECT COUNT(*) AS n FROM school_staffing")
                                        .first(decoding: Count.self)?.n, 3, "a row per school-year that holds anything")
            let repository = StaffRepository(db: store.db)
            let rows = try await repository.specialists(.everything, year: 2024)
            XCTAssertEqual(rows.map(\.school), ["S0001", "S0002"])
            XCTAssertEqual(rows.first?.counts, [.socialPedagogue: SpecialistCount(staff: 1, partTime: 0),
                                                .tutor: SpecialistCount(staff: 0, partTime: 1),
                                                .psychologist: SpecialistCount(staff: 3, partTime: 6),
                                                .speechTherapist: SpecialistCount(staff: 0, partTime: 0),
                                                .organiser: SpecialistCount(staff: 2, partTime: 0)])
            XCTAssertEqual(rows.first?.vacancies, 4)
            XCTAssertEqual(rows.last?.counts, [:])
            XCTAssertEqual(rows.last?.vacancies, 1)

            let second = header + "S0001,2024,,,,,,,,\nS0002,2024,,2,,,,,,\n"
            let changes = try await ImportChangesReader(db: store.db, scope: .everything)
                .changes(try await self.parse(.specialists, second, store), cap: 100)
            XCTAssertEqual(changes?.removedCount, 7, "S0001's five specialties and its vacancies go; S0002's vacancies go")
            XCTAssertEqual(changes?.added.map(\.key), [["S0002", "2024", "Тьютор"]])
            _ = try await importer.write(try await self.parse(.specialists, second, store))
            let replaced = try await repository.specialists(.everything, year: 2024)
            XCTAssertEqual(replaced.map(\.school), ["S0002"])
            XCTAssertEqual(replaced.first?.counts, [.tutor: SpecialistCount(staff: 2, partTime: 0)])
            XCTAssertNil(replaced.first?.vacancies)
            try await assertEqualAsync(try await repository.specialists(.everything, year: 2023).first?.counts,
                                       [.socialPedagogue: SpecialistCount(staff: 1, partTime: 0)], "another year stays")
        }
    }

    /// V048 taken back and applied again gives the same rows: unfolded into a row per specialty and a row of vacancies
    /// (a part-timer alone keeps its 0 staff), folded back without a cell changed.
    func testTable23FoldedUnfoldedAndFoldedAgainIsUnchanged() async throws {
        try await TestEngines.withEachStore { store in
            try await self.prepare(store)
            let text = "school,year,social_pedagogue,tutor,psychologist,vacancies\n"
                + "S0001,2024,1,1*,\"3; 6*\",4\nS0002,2024,,,,1\nS0003,2024,0,,,\n"
            _ = try await Importer(db: store.db, actor: .commandLine).write(try await self.parse(.specialists, text, store))
            let folded = try await self.snapshot(.specialists, store)
            XCTAssertEqual(folded.count, 3)
            try await V048SchoolStaffing().revert(on: store.db)
            struct Unfolded: Decodable, Equatable { let school_id: Int; let specialty: String; let staff: Int; let part_time: Int }
            let unfolded = try await store.db.sql.raw("""
                SELECT school_id, specialty, staff, part_time FROM school_specialists ORDER BY school_id, specialty
                """).all(decoding: Unfolded.self)
            struct School: Decodable { let id: Int }
            let first = try await store.db.sql.raw("SELECT id FROM schools WHERE code = 'S0001'").first(decoding: School.self)?.id
            XCTAssertEqual(unfolded.filter { $0.school_id == first }.map { [$0.specialty, "\($0.staff)", "\($0.part_time)"] },
                           [["psychologist", "3", "6"], ["social_pedagogue", "1", "0"], ["tutor", "0", "1"]])
            XCTAssertEqual(unfolded.count, 4, "S0003's social pedagogue «0» is a row; S0002 has vacancies only")
            try await assertEqualAsync(try await store.db.sql.raw("SELECT COUNT(*) AS n FROM school_vacancies")
                                        .first(decoding: Count.self)?.n, 2)
            try await V048SchoolStaffing().prepare(on: store.db)
            try await assertEqualAsync(try await self.snapshot(.specialists, store), folded, "folded again, nothing changed")
        }
    }

    func parse(_ kind: ImportKind, _ text: String, _ store: OporaStore) async throws -> ParsedFile {
        let catalogues = try await ImportParser.catalogues(on: store.db)
        return try ImportParser.parse(kind, bytes: Array(text.utf8), fileName: "f.csv", catalogues: catalogues)
    }

    /// 1,000 schools in one municipality (S0001 … S1000).
    func prepare(_ store: OporaStore) async throws {
        var schools = "code,name,municipality,region\n"
        for index in 0..<1_000 { schools += "\(Self.school(index)),МБОУ «СОШ № \(index + 1)»,Чернский район,Тульская область\n" }
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
    }

    /// Every row of the kind's tables as `a|b|c` text, sorted.
    func snapshot(_ kind: ImportKind, _ store: OporaStore) async throws -> [String] {
        struct Row: Decodable { let line: String }
        var lines: [String] = []
        for (table, columns) in Self.tables[kind] ?? [] {
            let cells = columns.map { "COALESCE(CAST(\($0) AS TEXT), '∅')" }.joined(separator: " || '|' || ")
            let query = SQLQueryString("SELECT '\(table)|' || \(cells) || '|' AS line FROM \(table)")
            lines += try await store.db.sql.raw(query).all(decoding: Row.self).map(\.line)
        }
        return lines.sorted()
    }

    struct Count: Decodable { let n: Int }

    func auditCount(_ store: OporaStore) async throws -> Int {
        try await AuditEntryModel.query(on: store.db).count()
    }
}
