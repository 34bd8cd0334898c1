import FluentKit
import Foundation
@testable import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Issue 18, point 1: the plan kinds write through `BulkTable` — new programmes take ids up front, their versions
/// name them, a roadmap's new version is worked out in memory, passports are JSON written by hand. On both engines.
final class PlanBulkWriteTests: XCTestCase {
    struct Pair: Decodable, Equatable { let id: Int; let code: String }
    struct Version: Decodable { let programme_id: Int; let code: String; let passport_json: String; let number: Int }

    func importFile(_ kind: ImportKind, _ text: String, _ store: OporaStore, name: String = "f.csv") async throws -> ImportSummary {
        try await Importer(db: store.db, actor: .commandLine).importFile(kind, bytes: Array(text.utf8), fileName: name)
    }

    /// A school, S1, and the programmes of `rows` (with their orders) from a file named `name`.
    func schoolWithProgrammes(_ rows: String, _ store: OporaStore, name: String) async throws {
        _ = try await importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
        _ = try await importFile(.programmes, "code,name,start,end,level,school,order_number,order_date\n" + rows, store, name: name)
    }

    func programmes(_ codes: [String]) -> String {
        "code,name,start,end,level,school\n" + codes.map { "\($0),Программа «\($0)» / \"школы\",2024,2026,school,S1" }
            .joined(separator: "\n")
    }

    /// New programmes take ids after every stored one (on PostgreSQL from the sequence, so after a deleted one too),
    /// and every first version is kept in its own programme's row and read as version 1.
    func testNewProgrammesTakeFreshIdsAndKeepTheirFirstVersionInTheirRow() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["A1", "A2"]), store)
            let sql = store.db.sql
            let before = try await sql.raw("SELECT id, code FROM programmes ORDER BY id").all(decoding: Pair.self)
            let deleted = try XCTUnwrap(before.last)
            try await sql.raw("DELETE FROM programmes WHERE id = \(bind: deleted.id)").run()
            let summary = try await self.importFile(.programmes, self.programmes(["B1", "B2", "B3", "A1"]), store)
            XCTAssertEqual(summary.created, 3)
            XCTAssertEqual(summary.unchanged, 1)
            let after = try await sql.raw("SELECT id, code FROM programmes ORDER BY id").all(decoding: Pair.self)
            XCTAssertEqual(after.map(\.code), ["A1", "B1", "B2", "B3"])
            XCTAssertEqual(Set(after.map(\.id)).count, 4, "\(after)")
            XCTAssertTrue(after.dropFirst().allSatisfy { $0.id > before[0].id }, "\(after) after \(before)")
            try await assertEqualAsync(try await AmendmentModel.query(on: store.db).count(), 0, "no version written as a row of its own")
            for programme in after {
                let read = try await PlanRepository(db: store.db).amendments(programme.id)
                XCTAssertEqual(read.map(\.number), [1], programme.code)
                let passport = try XCTUnwrap(read.first?.passport, programme.code)
                XCTAssertEqual(passport.name, "Программа «\(programme.code)» / \"школы\"")
                XCTAssertEqual(passport.start, CalendarDay(year: 2024, month: 1, day: 1))
                XCTAssertEqual(read.first?.note, "загружена из файла «f.csv»")
                XCTAssertEqual(read.first?.createdBy, Actor.commandLine.login)
            }
            let stored = try await PlanRepository(db: store.db).programme(code: "B2")
            XCTAssertEqual(stored?.passport.end, CalendarDay(year: 2026, month: 12, day: 31), "the model reads what was written")
            // A later form-made programme does not collide with the ids taken.
            let audit = try await sql.raw("SELECT COUNT(*) AS id, '' AS code FROM audit_log WHERE entity = 'programme'")
                .first(decoding: Pair.self)
            XCTAssertEqual(audit?.id, 2, "one entry per import for the school")
        }
    }

    /// The audit log has an entry per territory: one programme by its name, many summed up with the first hundred
    /// codes named and the rest counted, new and amended apart.
    func testAnImportIsAuditedOncePerTerritory() async throws {
        struct Entry: Decodable { let summary: String; let school_id: Int? }
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область\nS2,Школа 2,Район,Область",
                                          store)
            _ = try await self.importFile(.programmes, self.programmes(["A000"]), store)
            let codes = (0..<102).map { String(format: "A%03d", $0) }
            let file = (self.programmes(codes) + "\nZ1,Программа второй школы,2024,2026,school,S2")
                .replacingOccurrences(of: "A000,Программа «A000»", with: "A000,Новое название")
            let summary = try await self.importFile(.programmes, file, store, name: "весна.csv")
            XCTAssertEqual(summary.created, 102)
            XCTAssertEqual(summary.updated, 1)
            let entries = try await store.db.sql.raw("""
                SELECT summary, school_id FROM audit_log WHERE entity = 'programme' AND summary LIKE '%весна.csv%' ORDER BY id
                """).all(decoding: Entry.self)
            XCTAssertEqual(entries.count, 2, "\(entries.map(\.summary))")
            let many = try XCTUnwrap(entries.first?.summary)
            XCTAssertTrue(many.hasPrefix("Загружены программы (весна.csv): добавлено 101, изменено 1: A000, A001, A002"), many)
            XCTAssertTrue(many.hasSuffix("A098, A099 и ещё 2"), many)
            XCTAssertFalse(many.contains("A100"), many)
            XCTAssertEqual(entries.last?.summary, "Загружена программа «Программа второй школы» (весна.csv)")
            XCTAssertNotEqual(entries.first?.school_id, entries.last?.school_id)
        }
    }

    /// The newest version's roadmap after an import is the stored measures with the file's rows over them, in position
    /// order, read from the measures (the version holds `AmendmentModel.roadmapAsItStands`, not a copy of them).
    func testTheVersionKeepsTheRoadmapAsItStands() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["R1"]), store)
            _ = try await self.importFile(.roadmap, """
                programme;section;number;measure;deadline;responsible
                R1;1. Раздел;1.1.;Первое;до 10.09.2024;Директор
                R1;1. Раздел;1.2.;Второе;Октябрь Май;
                R1;2. Раздел;2.1.;Третье;постоянно;Заместитель
                """, store)
            let summary = try await self.importFile(.roadmap, """
                programme;section;number;measure;deadline;responsible
                R1;1. Раздел;1.2.;Второе, исправленное;Октябрь Май;Учитель
                R1;2. Раздел;2.2.;Четвёртое;2025 год;
                """, store)
            XCTAssertEqual(summary.created, 1)
            XCTAssertEqual(summary.updated, 1)
            let repository = PlanRepository(db: store.db)
            let programme = try await repository.programme(code: "R1")
            let id = try XCTUnwrap(programme?.id)
            try await assertEqualAsync(try await AmendmentModel.query(on: store.db).filter(\.$programmeID == id).count(), 0,
                                       "the only version is kept in the programme's row")
            let versions = try await repository.amendments(id)
            XCTAssertEqual(versions.map(\.number), [1])
            XCTAssertEqual(versions.last?.roadmap, ["1.1. Первое — до 10.09.2024 (Директор)",
                                                    "1.2. Второе, исправленное — Октябрь Май (Учитель)",
                                                    "2.1. Третье — постоянно (Заместитель)", "2.2. Четвёртое — 2025 год"])
        }
    }

    /// A version keeps the roadmap it stood under when a newer version is added, by the passport form or by a file;
    /// only the newest follows the roadmap imported after it. A copy written before (an older Opora wrote one into the
    /// newest version at every import) is given up for the measures at the next roadmap import.
    func testAVersionKeepsItsRoadmapWhenANewerVersionIsAdded() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["V1", "V2"]), store)
            let roadmap = "programme;section;number;measure;deadline\n"
            _ = try await self.importFile(.roadmap, roadmap + "V1;1. Раздел;1.;Первое;2024 год", store)
            let repository = PlanRepository(db: store.db)
            let opened = try await repository.programme(code: "V1")
            let programme = try XCTUnwrap(opened)
            var edited = programme.passport
            edited.goal = "Цель из формы"
            try await repository.amend(programme.id!, expectedVersion: programme.version, passport: edited, orderNumber: "9",
                                       orderDate: nil, note: nil, actor: .commandLine)
            _ = try await self.importFile(.roadmap, roadmap + "V1;1. Раздел;2.;Второе;2025 год", store)
            _ = try await self.importFile(.programmes, "code,name,start,end,level,school,order_number\n"
                + "V1,Программа V1 в новой редакции,2024,2026,school,S1,10\nV2,Программа V2 в новой редакции,2024,2026,school,S1,10",
                store)
            _ = try await self.importFile(.roadmap, roadmap + "V1;1. Раздел;3.;Третье;2026 год", store)
            var versions = try await repository.amendments(programme.id!)
            XCTAssertEqual(versions.map(\.number), [1, 2, 3])
            XCTAssertEqual(versions.map(\.roadmap), [
                ["1. Первое — 2024 год"],
                ["1. Первое — 2024 год", "2. Второе — 2025 год"],
                ["1. Первое — 2024 год", "2. Второе — 2025 год", "3. Третье — 2026 год"],
            ])
            let stored = try await AmendmentModel.query(on: store.db).filter(\.$programmeID == programme.id!).sort(\.$number).all()
            XCTAssertEqual(stored.map { $0.roadmapJSON == AmendmentModel.roadmapAsItStands }, [false, false, true])
            // A programme without measures, amended by the same file: its first version keeps an empty roadmap.
            let v2 = try await repository.programme(code: "V2")
            let v2ID = try XCTUnwrap(v2?.id)
            let v2Stored = try await AmendmentModel.query(on: store.db).filter(\.$programmeID == v2ID).sort(\.$number).all()
            XCTAssertEqual(v2Stored.map(\.roadmapJSON), ["[]", AmendmentModel.roadmapAsItStands])

            try await store.db.sql.raw("""
                UPDATE programme_amendments SET roadmap_json = '["копия прежней версии Opora"]' \
                WHERE programme_id = \(bind: programme.id!) AND number = 3
                """).run()
            versions = try await repository.amendments(programme.id!)
            XCTAssertEqual(versions.last?.roadmap, ["копия прежней версии Opora"])
            _ = try await self.importFile(.roadmap, roadmap + "V1;1. Раздел;3.;Третье, исправленное;2026 год", store)
            versions = try await repository.amendments(programme.id!)
            XCTAssertEqual(versions.last?.roadmap, ["1. Первое — 2024 год", "2. Второе — 2025 год", "3. Третье, исправленное — 2026 год"])
            XCTAssertEqual(versions.first?.roadmap, ["1. Первое — 2024 год"])
        }
    }

    /// Sections and numbers are told apart as they are written: «a|b» № 1 and «a» № «b|1» are two measures, stored and
    /// found again as two.
    func testMeasuresWhoseJoinedKeysWouldMeetStayApart() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["J1"]), store)
            let file = "programme;section;number;measure;deadline\nJ1;a|b;1;Первое;2024 год\nJ1;a;b|1;Второе;2025 год"
            let first = try await self.importFile(.roadmap, file, store)
            XCTAssertEqual(first.created, 2)
            let again = try await self.importFile(.roadmap, file, store)
            XCTAssertEqual(again.unchanged, 2)
            let changed = try await self.importFile(.roadmap, file.replacingOccurrences(of: "Второе", with: "Второе, исправленное"), store)
            XCTAssertEqual([changed.created, changed.updated, changed.unchanged], [0, 1, 1])
            let measures = try await MeasureModel.query(on: store.db).sort(\.$position).all()
            XCTAssertEqual(measures.map(\.measure), ["Первое", "Второе, исправленное"])
        }
    }

    /// PostgreSQL: a roadmap import waits for a passport form that has claimed the programme (it locks the programmes
    /// it changes before writing), so it never marks a version the form is making older.
    func testARoadmapImportWaitsForAFormHoldingTheProgramme() async throws {
        try await TestEngines.withEachStore { store in
            guard store.db.sql.dialect.name == "postgresql" else { return }
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["W1"]), store)
            let held = Task {
                try await store.db.transaction { tx in
                    try await tx.sql.raw("SELECT id FROM programmes WHERE code = 'W1' FOR NO KEY UPDATE").run()
                    try await Task.sleep(for: .seconds(2))
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            let started = Date()
            _ = try await self.importFile(.roadmap, "programme;section;number;measure;deadline\nW1;1;1;Первое;2024 год", store)
            XCTAssertGreaterThan(Date().timeIntervalSince(started), 1.2, "the import waited for the form")
            try await held.value
        }
    }

    /// The passport form's amendment of the programme `code`: its goal set, order № 9 of 01.03.2025; the programme's id.
    func amendByForm(_ code: String, goal: String, _ store: OporaStore) async throws -> Int {
        let repository = PlanRepository(db: store.db)
        let found = try await repository.programme(code: code)
        let programme = try XCTUnwrap(found)
        var edited = programme.passport
        edited.goal = goal
        try await repository.amend(programme.id!, expectedVersion: programme.version, passport: edited, orderNumber: "9",
                                   orderDate: CalendarDay(year: 2025, month: 3, day: 1), note: nil, actor: .commandLine)
        return programme.id!
    }

    /// Ids reserved for new rows are fresh, distinct and as many as asked for, also around ids taken meanwhile (on
    /// PostgreSQL they come back as runs of consecutive values).
    func testReservedIDsAreFreshAndAsManyAsAskedFor() async throws {
        try await TestEngines.withEachStore { store in
            let first = try await BulkTable.reserveIDs(5, table: "programmes", on: store.db)
            XCTAssertEqual(first.count, 5)
            XCTAssertEqual(Set(first).count, 5)
            if store.db.sql.dialect.name == "postgresql" {
                XCTAssertEqual(first, Array(first[0]...(first[0] + 4)), "one run")
                struct Taken: Decodable { let id: Int }
                let taken = try await store.db.sql.raw("SELECT nextval(pg_get_serial_sequence('programmes', 'id')) AS id")
                    .first(decoding: Taken.self)
                let second = try await BulkTable.reserveIDs(40_000, table: "programmes", on: store.db)
                XCTAssertEqual(second.count, 40_000)
                XCTAssertEqual(Set(second).count, 40_000)
                XCTAssertTrue(second.allSatisfy { $0 > (taken?.id ?? .max) }, "after the id taken meanwhile")
                XCTAssertEqual(second, second.sorted())
            }
            let none = try await BulkTable.reserveIDs(0, table: "programmes", on: store.db)
            XCTAssertTrue(none.isEmpty)
        }
    }

    /// V049 taken back writes every first version kept in a programme's row as a row of its own, which reads as before
    /// (its order, note, author and time); a programme whose versions were rows already keeps them as they were.
    func testFirstVersionsKeptInRowsBecomeRowsWhenV049IsTakenBack() async throws {
        try await TestEngines.withEachStore { store in
            try await self.schoolWithProgrammes("""
                V1,Программа V1,2024,2026,school,S1,5,15.01.2024
                V2,Программа V2,2024,2026,school,S1,,
                V3,Программа V3,2024,2026,school,S1,,
                """, store, name: "три.csv")
            _ = try await self.importFile(.programmes, "code,name,start,end,level,school,order_number\n"
                                          + "V3,Программа V3 иная,2024,2026,school,S1,8", store)
            let repository = PlanRepository(db: store.db)
            let programme = try await repository.programme(code: "V1")
            let v1 = try XCTUnwrap(programme?.id)
            let before = try await repository.amendments(v1)
            XCTAssertEqual(before.map(\.orderNumber), ["5"])
            XCTAssertEqual(before.map(\.orderDate), ["2024-01-15"])
            try await V049ProgrammeFirstVersionInRow().revert(on: store.db)
            let stored = try await store.db.sql.raw("""
                SELECT a.programme_id, p.code, a.passport_json, a.number FROM programme_amendments a
                JOIN programmes p ON p.id = a.programme_id ORDER BY p.code, a.number
                """).all(decoding: Version.self)
            XCTAssertEqual(stored.map(\.code), ["V1", "V2", "V3", "V3"])
            XCTAssertEqual(stored.map(\.number), [1, 1, 1, 2])
            try await V049ProgrammeFirstVersionInRow().prepare(on: store.db)
            let after = try await repository.amendments(v1)
            XCTAssertEqual(after.map(\.number), [1])
            XCTAssertEqual(after.map(\.note), ["загружена из файла «три.csv»"])
            XCTAssertEqual(after.map(\.note), before.map(\.note))
            XCTAssertEqual(after.map(\.orderNumber), before.map(\.orderNumber))
            XCTAssertEqual(after.map(\.orderDate), before.map(\.orderDate))
            XCTAssertEqual(after.map(\.passport), before.map(\.passport))
            XCTAssertEqual(after.map(\.createdBy), before.map(\.createdBy))
            XCTAssertEqual(after.first?.createdAt.timeIntervalSince1970 ?? 0, before.first?.createdAt.timeIntervalSince1970 ?? 1,
                           accuracy: 0.001)
        }
    }

    /// A first version moved out of its programme's row by the passport form keeps its order, author, note, passport
    /// and the roadmap as it was, while the measures change under the newer version.
    func testAFirstVersionMovedOutOfItsRowKeepsItsOrderAndItsRoadmap() async throws {
        try await TestEngines.withEachStore { store in
            try await self.schoolWithProgrammes("M1,Программа M1,2024,2026,school,S1,5,15.01.2024", store, name: "м.csv")
            _ = try await self.importFile(.roadmap, "programme;section;number;measure;deadline\nM1;1. Раздел;1.1.;Первое;2024 год", store)
            let repository = PlanRepository(db: store.db)
            let id = try await self.amendByForm("M1", goal: "Новая цель", store)
            _ = try await self.importFile(.roadmap, "programme;section;number;measure;deadline\nM1;1. Раздел;1.1.;Первое, иное;2025 год",
                                          store)
            let versions = try await repository.amendments(id)
            XCTAssertEqual(versions.map(\.number), [1, 2])
            XCTAssertEqual(versions.map(\.orderNumber), ["5", "9"])
            XCTAssertEqual(versions.map(\.orderDate), ["2024-01-15", "2025-03-01"])
            XCTAssertEqual(versions.map(\.note), ["загружена из файла «м.csv»", nil])
            XCTAssertEqual(versions.map { $0.passport?.goal }, ["", "Новая цель"])
            XCTAssertEqual(versions.map(\.roadmap), [["1.1. Первое — 2024 год"], ["1.1. Первое, иное — 2025 год"]])
            let row = try await PlanModel.find(id, on: store.db)
            XCTAssertNil(row?.adoptedBy, "the row no longer keeps a version")
        }
    }

    /// A first version written without a copy of its passport keeps the passport it was adopted with when the
    /// programme changes, by a file or by the passport form; only the newest version stands for the programme's.
    func testAVersionKeepsItsPassportWhenTheProgrammeChanges() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["K1", "K2"]), store)
            let changed = "code,name,start,end,level,school,order_number,order_date\n"
                + "K1,Программа K1 в новой редакции,2024,2027,school,S1,7,01.02.2025"
            let summary = try await self.importFile(.programmes, changed, store)
            XCTAssertEqual(summary.updated, 1)
            let repository = PlanRepository(db: store.db)
            let k1 = try await self.amendByForm("K1", goal: "Цель из формы", store)
            let versions = try await repository.amendments(k1)
            XCTAssertEqual(versions.map(\.number), [1, 2, 3])
            XCTAssertEqual(versions.map { $0.passport?.name }, ["Программа «K1» / \"школы\"", "Программа K1 в новой редакции",
                                                               "Программа K1 в новой редакции"])
            XCTAssertEqual(versions.map { $0.passport?.end.year }, [2026, 2027, 2027])
            XCTAssertEqual(versions.map { $0.passport?.goal }, ["", "", "Цель из формы"])
            XCTAssertEqual(versions.map(\.note), ["загружена из файла «f.csv»", "изменения из файла «f.csv»", nil],
                           "the first version moved out of the programme's row keeps its note")
            XCTAssertEqual(versions.map(\.orderNumber), [nil, "7", "9"])
            XCTAssertEqual(versions.first?.createdBy, Actor.commandLine.login)
            let stored = try await store.db.sql.raw("""
                SELECT a.programme_id, p.code, a.passport_json, a.number FROM programme_amendments a
                JOIN programmes p ON p.id = a.programme_id ORDER BY p.code, a.number
                """).all(decoding: Version.self)
            XCTAssertEqual(stored.map(\.code), ["K1", "K1", "K1"], "K2's only version is kept in its row")
            XCTAssertEqual(stored.map { $0.passport_json == AmendmentModel.sameAsProgramme }, [false, false, false],
                           "K1's older versions hold their own passports (the form's newest writes its own too)")
            struct Kept: Decodable { let code: String; let adopted_by: String? }
            let kept = try await store.db.sql.raw("SELECT code, adopted_by FROM programmes ORDER BY code").all(decoding: Kept.self)
            XCTAssertEqual(kept.map { $0.adopted_by == nil }, [true, false], "K1's first version left its row, K2's is there")
            let k2 = try await repository.programme(code: "K2")
            let untouched = try await repository.amendments(try XCTUnwrap(k2?.id))
            XCTAssertEqual(untouched.first?.passport?.name, "Программа «K2» / \"школы\"")
        }
    }

    /// A passport form or bands form opened before a file changed the programme is refused as stale, and nothing of it
    /// is saved; a form on the current version moves the version by one.
    func testAFormOpenedBeforeAFileChangedTheProgrammeIsStale() async throws {
        try await TestEngines.withEachStore { store in
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["F1"]), store)
            let repository = PlanRepository(db: store.db)
            let opened = try await repository.programme(code: "F1")
            let programme = try XCTUnwrap(opened)
            _ = try await self.importFile(.programmes, "code,name,start,end,level,school,order_number\n"
                + "F1,Программа F1 из файла,2024,2026,school,S1,3", store)
            var edited = programme.passport
            edited.goal = "Цель из устаревшей формы"
            do {
                try await repository.amend(programme.id!, expectedVersion: programme.version, passport: edited, orderNumber: "4",
                                           orderDate: nil, note: nil, actor: .commandLine)
                XCTFail("a stale passport form was saved")
            } catch RepositoryError.conflict {}
            do {
                try await repository.setBands(programme.id!, expectedVersion: programme.version,
                                              bands: ScoreBands(high: 30, medium: 20, satisfactory: 10), actor: .commandLine)
                XCTFail("a stale bands form was saved")
            } catch RepositoryError.conflict {}
            let versions = try await repository.amendments(programme.id!)
            XCTAssertEqual(versions.map { $0.passport?.name }, ["Программа «F1» / \"школы\"", "Программа F1 из файла"])
            let current = try await repository.programme(code: "F1")
            let now = try XCTUnwrap(current)
            XCTAssertEqual(now.version, programme.version + 1)
            XCTAssertEqual(now.passport.goal, "")
            try await repository.amend(now.id!, expectedVersion: now.version, passport: edited, orderNumber: "4", orderDate: nil,
                                       note: nil, actor: .commandLine)
            let after = try await repository.programme(code: "F1")
            XCTAssertEqual(after?.version, now.version + 1)
            XCTAssertEqual(after?.passport.goal, "Цель из устаревшей формы")
        }
    }

    /// PostgreSQL: a file that amends a programme locks it before writing and refuses to write over a passport form
    /// saved after the file read the programme (`lockUnchanged`), by the line of the programme; on SQLite the import
    /// holds the write lock throughout.
    func testAFileRefusesToWriteOverAFormSavedWhileItRead() async throws {
        try await TestEngines.withEachStore { store in
            guard store.db.sql.dialect.name == "postgresql" else { return }
            _ = try await self.importFile(.schools, "code,name,municipality,region\nS1,Школа 1,Район,Область", store)
            _ = try await self.importFile(.programmes, self.programmes(["L1"]), store)
            let sql = "SELECT \(PlanImporter.StoredProgramme.columns.joined(separator: ", ")) FROM programmes WHERE code = 'L1'"
            let read = try await BulkTable.read(sql, on: store.db, into: [PlanImporter.StoredProgramme]()) { $0.append(.init($1)) }
            let stored = try XCTUnwrap(read.first)
            let asRead = [PlanImporter.ReadProgramme(id: stored.id, version: stored.version, code: "L1", line: 7)]
            try await store.db.transaction { tx in try await PlanImporter.lockUnchanged(asRead, fileName: "p.csv", on: tx) }
            let repository = PlanRepository(db: store.db)
            var edited = stored.passport
            edited.goal = "Цель из формы"
            try await repository.amend(stored.id, expectedVersion: stored.version, passport: edited, orderNumber: "5", orderDate: nil,
                                       note: nil, actor: .commandLine)
            do {
                try await store.db.transaction { tx in try await PlanImporter.lockUnchanged(asRead, fileName: "p.csv", on: tx) }
                XCTFail("a file read before the form was saved would have written over it")
            } catch let rejected as ImportRejected {
                // Said by the file's line, in the import's words, not as a form's stale save.
                XCTAssertEqual(rejected.errors.map(\.description), ["p.csv:7: code: " + ProgrammeCode.changedMeanwhile("L1")])
                XCTAssertTrue(rejected.description.contains("программу «L1» изменили или удалили, пока файл проверялся"))
            }
        }
    }

    /// Days remembered by an import answer as `CalendarDay.iso` does, for repeated and for ever new days.
    func testRememberedDaysReadAsTheirISOText() {
        var days = ISODays()
        let asked = (0..<40).map { CalendarDay(year: 2024 + $0 % 3, month: 1 + $0 % 12, day: 1 + $0 % 7) }
        for day in asked + asked.reversed() + asked { XCTAssertEqual(days.iso(day), day.iso) }
        XCTAssertNil(days.iso(nil))
    }

    /// A passport written by hand is the bytes `JSONEncoder` writes (less an empty goal and empty lists) and reads back
    /// the same, whatever its text holds.
    func testAPassportWrittenByHandIsWhatTheEncoderWrites() throws {
        let texts = ["Программа № 5 «Школа»", "кавычки \" и \\ обратная черта / и дробь", "строка\nвторая\tтаб\r",
                     "управляющий \u{01}\u{1F} символ", "emoji 🎓 и U+2028 \u{2028}", ""]
            // Each escaped byte at every place of a long text, which is searched eight bytes at a time.
            + ["\"", "\\", "/", "\u{7}"].flatMap { mark in (0...17).map { String(repeating: "a", count: $0) + mark + "конец" } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for text in texts {
            var passport = ProgrammePassport(name: text, start: CalendarDay(year: 2024, month: 1, day: 9),
                                             end: CalendarDay(year: 2026, month: 12, day: 31), goal: text, tasks: [text, "b"])
            passport.basis = ["Приказ № 1/2"]
            passport.participants = ["S1"]
            passport.expectedResults = [text]
            passport.funding = ["2024 — местный бюджет — 150 тыс. руб."]
            let written = PlanJSON.passport(passport)
            XCTAssertEqual(try JSONDecoder().decode(ProgrammePassport.self, from: Data(written.utf8)), passport, text)
            if !text.unicodeScalars.contains(where: { $0.value < 0x20 }) && !text.isEmpty {
                XCTAssertEqual(written, String(decoding: try encoder.encode(passport), as: UTF8.self), text)
            }
            // Empty lists and an empty goal are left out, and read back as empty.
            let bare = ProgrammePassport(name: text, start: passport.start, end: passport.end)
            let short = PlanJSON.passport(bare)
            XCTAssertEqual(try JSONDecoder().decode(ProgrammePassport.self, from: Data(short.utf8)), bare, text)
            XCTAssertFalse(short.contains("[]") || short.contains("\"goal\""), short)
            var onlyTasks = bare
            onlyTasks.tasks = ["Задача"]
            XCTAssertEqual(try JSONDecoder().decode(ProgrammePassport.self, from: Data(PlanJSON.passport(onlyTasks).utf8)), onlyTasks)
            let lines = [text, "2.1. Мероприятие — «до 01.09.2024»"]
            XCTAssertEqual(try JSONDecoder().decode([String].self, from: Data(PlanJSON.strings(lines).utf8)), lines)
        }
        XCTAssertEqual(PlanJSON.strings([]), "[]")
    }
}
