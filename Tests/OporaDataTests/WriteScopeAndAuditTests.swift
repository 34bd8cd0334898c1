import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Who may write what every user then sees, and what the audit log keeps of imports: the place of each change
/// up to its region, and what changed (old → new), per school.
final class WriteScopeAndAuditTests: XCTestCase {
    struct Places { let tula: Int; let ryazan: Int; let chern: Int; let belev: Int; let kasimov: Int }

    func prepare(_ store: OporaStore) async throws -> Places {
        let schools = """
        code,name,municipality,region
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
        R1,МБОУ «Касимовская СОШ»,Касимовский район,Рязанская область
        """
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        let regions = Dictionary(uniqueKeysWithValues: try await RegionModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let municipalities = Dictionary(
            uniqueKeysWithValues: try await MunicipalityModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        return Places(
            tula: regions["Тульская область"]!, ryazan: regions["Рязанская область"]!, chern: municipalities["Чернский район"]!,
            belev: municipalities["Белёвский район"]!, kasimov: municipalities["Касимовский район"]!)
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

    let benchmarkHeader = "year;procedure;grade;subject;level;name;success_rate\n"

    func testACoordinatorImportsOnlyTheirOwnMunicipalitysFigures() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let coordinator = Importer(db: store.db, actor: Actor(userID: 7, login: "coord"), scope: .municipality(places.chern))
            let file = benchmarkHeader + """
            2023;VPR;5;math;municipality;Чернский район;80
            2023;VPR;5;math;region;Тульская область;85
            2023;VPR;5;math;russia;Россия;86
            2023;VPR;5;math;municipality;Белёвский район;70
            """
            let refused = await rejection { _ = try await coordinator.importFile(.benchmarks, bytes: Array(file.utf8), fileName: "b.csv") }
            XCTAssertEqual(
                refused,
                [
                    "b.csv:3: level: показатели уровня «регион» загружает региональный аналитик; вам доступны только показатели своего " +
                    "муниципалитета",
                    "b.csv:4: level: показатели уровня «россия» загружает региональный аналитик; вам доступны только показатели своего " +
                    "муниципалитета",
                    "b.csv:5: name: «Белёвский район» — не ваш муниципалитет; вам доступны только показатели муниципалитета «Чернский " +
                    "район»",
                ])
            let work = ResultFilter(year: 2023, procedure: .vpr, grade: 5, subject: "math")
            try await assertEqualAsync(
                try await ResultsRepository(db: store.db).benchmarks(work, scope: .everything).count, 0, "nothing written")
            let own = benchmarkHeader + "2023;VPR;5;math;municipality;Чернский район;80\n"
            _ = try await coordinator.importFile(.benchmarks, bytes: Array(own.utf8), fileName: "b.csv")
            try await assertEqualAsync(
                try await ResultsRepository(db: store.db).benchmarks(work, scope: .municipality(places.belev)).map(\.name),
                ["Чернский район"], "a neighbour in the region compares with it")
            try await assertEqualAsync(
                try await ResultsRepository(db: store.db).benchmarks(work, scope: .municipality(places.kasimov)).count, 0,
                "another region does not see it")
        }
    }

    func testARegionsFiguresAreItsOwnAndWinOverTheSharedOnes() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let shared = benchmarkHeader + "2023;VPR;5;math;russia;Россия;86\n2023;VPR;5;math;region;Тульская область;84\n"
            _ = try await Importer(db: store.db, actor: .commandLine).importFile(
                .benchmarks, bytes: Array(shared.utf8), fileName: "all.csv")
            let tulaAnalyst = Importer(db: store.db, actor: Actor(userID: 3, login: "tula"), scope: .region(places.tula))
            let own = benchmarkHeader + "2023;VPR;5;math;region;Тульская область;85,5\n"
            _ = try await tulaAnalyst.importFile(.benchmarks, bytes: Array(own.utf8), fileName: "tula.csv")
            let work = ResultFilter(year: 2023, procedure: .vpr, grade: 5, subject: "math")
            let repository = ResultsRepository(db: store.db)
            let inTula = try await repository.benchmarks(work, scope: .municipality(places.chern))
            XCTAssertEqual(inTula.first { $0.level == .region }?.successRate, 85.5, "the region's own figure")
            XCTAssertEqual(inTula.count, 2)
            let inRyazan = try await repository.benchmarks(work, scope: .region(places.ryazan))
            XCTAssertEqual(inRyazan.first { $0.level == .region }?.successRate, 84, "the shared figure, not Tula's import")
        }
    }

    func testThresholdsAreWrittenByTheWholeInstallationOnly() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let file = "year;procedure;subject;min_score;high_score\n2023;ЕГЭ;rus;24;81\n"
            let refused = await rejection {
                _ = try await Importer(db: store.db, actor: Actor(userID: 3, login: "tula"), scope: .region(places.tula))
                    .importFile(.thresholds, bytes: Array(file.utf8), fileName: "t.csv")
            }
            XCTAssertEqual(
                refused,
                ["t.csv:1: —: пороговые баллы общие для всех регионов: их загружает аналитик всей системы, не привязанный к одному региону"]
            )
            let summary = try await Importer(db: store.db, actor: .commandLine).importFile(
                .thresholds, bytes: Array(file.utf8), fileName: "t.csv")
            XCTAssertEqual(summary.created, 1)
            let changed = "year;procedure;subject;min_score;high_score\n2023;ЕГЭ;rus;36;81\n"
            let again = try await Importer(db: store.db, actor: .commandLine).importFile(
                .thresholds, bytes: Array(changed.utf8), fileName: "t2.csv")
            XCTAssertEqual(again.updated, 1)
            let entry = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "thresholds").sort(\.$id, .descending).first()
            XCTAssertEqual(
                entry.map(AuditLog.decodeChanges),
                [FieldChange(field: "ЕГЭ-2023 rus", old: "минимум 24, высокий 81", new: "минимум 36, высокий 81")])
        }
    }

    func testAMunicipalImportIsInTheRegionsLogWithWhatChanged() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let coordinator = Importer(db: store.db, actor: Actor(userID: 7, login: "coord"), scope: .municipality(places.chern))
            let header = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n"
            _ = try await coordinator.importFile(
                .results, bytes: Array((header + "2023,VPR,5,math,A1,14,5,7,2,0\n2023,VPR,5,rus,A1,14,5,4,5,0\n").utf8), fileName: "r.csv")
            let changed = header + "2023,VPR,5,math,A1,14,4,8,2,0\n2023,VPR,5,rus,A1,14,5,4,5,0\n"
            let summary = try await coordinator.importFile(.results, bytes: Array(changed.utf8), fileName: "r2.csv")
            XCTAssertEqual([summary.created, summary.updated, summary.unchanged], [0, 1, 1])
            let same = try await coordinator.importFile(.results, bytes: Array(changed.utf8), fileName: "r2.csv")
            XCTAssertEqual(same.unchanged, 2)

            let entries = try await ScopeQueries.auditEntries(.region(places.tula), on: store.db).filter(\.$entity == "results").sort(\.$id)
                .all()
            XCTAssertEqual(entries.count, 2, "one per import that changed something; the identical third import wrote nothing")
            XCTAssertEqual(entries.map(\.regionID), [places.tula, places.tula])
            XCTAssertEqual(entries.map(\.schoolID), entries.map { _ in entries[0].schoolID })
            XCTAssertEqual(entries[1].summary, "Загружены результаты школы «МКОУ «Липицкая СОШ»» (r2.csv): добавлено 0, изменено 1")
            XCTAssertEqual(
                AuditLog.decodeChanges(entries[1]),
                [
                    FieldChange(
                        field: "ВПР-2023, 5 кл., Математика",
                        old: "участников 14; «2»–«5»: 5/7/2/0", new: "участников 14; «2»–«5»: 4/8/2/0")
                ])
            try await assertEqualAsync(
                try await ScopeQueries.auditEntries(.region(places.ryazan), on: store.db).filter(\.$entity == "results").count(), 0)
            try await assertEqualAsync(
                try await ScopeQueries.auditEntries(.municipality(places.belev), on: store.db).filter(\.$entity == "results").count(), 0)

            // Context and per-student files say what changed too, per school.
            let context = "year,school,indicator,value\n2023,A1,isbs_group,3\n"
            _ = try await coordinator.importFile(.context, bytes: Array(context.utf8), fileName: "c.csv")
            _ = try await coordinator.importFile(
                .context, bytes: Array(context.replacingOccurrences(of: ",3\n", with: ",4\n").utf8), fileName: "c2.csv")
            let contextEntry = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "context").sort(\.$id, .descending).first()
            XCTAssertEqual(contextEntry.map(AuditLog.decodeChanges), [FieldChange(field: "2023: Группа ИСБШ (1–11)", old: "3", new: "4")])
            XCTAssertEqual(contextEntry?.regionID, places.tula)
            let scores = "year,procedure,grade,subject,school,student,mark\n2023,VPR,6,math,A1,S1,3\n2023,VPR,6,math,A1,S2,4\n"
            _ = try await coordinator.importFile(.scores, bytes: Array(scores.utf8), fileName: "s.csv")
            _ = try await coordinator.importFile(
                .scores, bytes: Array((scores + "2023,VPR,6,math,A1,S3,5\n").replacingOccurrences(of: "S2,4", with: "S2,5").utf8),
                fileName: "s2.csv")
            let scoresEntry = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "scores").sort(\.$id, .descending).first()
            XCTAssertEqual(scoresEntry.map(AuditLog.decodeChanges), [FieldChange(field: "ВПР-2023, 6 кл., Математика", old: "учеников 2",
                                                                                  new: "учеников 3 (добавлено 1, изменено 1)")])
            XCTAssertEqual(scoresEntry?.municipalityID, places.chern)
        }
    }

    func testCriteriaAndListsOfAMunicipalityAreInItsRegionsLog() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await prepare(store)
            let actor = Actor(userID: 7, login: "coord")
            try await CriteriaRepository(db: store.db).save(
                year: 2023, scope: .municipality(places.chern), text: "name: \"Свой набор\"\nlow_results:\n  threshold: 25\n", actor: actor)
            let repository = IdentificationRepository(db: store.db)
            let identified = try await repository.identify(year: 2023, criteria: .pervouralsk, scope: .municipality(places.chern))
            _ = try await repository.approve(
                year: 2023, criteria: .pervouralsk, identified: identified, explanations: [:], scope: .municipality(places.chern),
                scopeLabel: "Чернский район", orderNumber: "12-о", orderDate: Date(), actor: actor)
            let seen = try await ScopeQueries.auditEntries(.region(places.tula), on: store.db).all().map(\.entity)
            XCTAssertTrue(seen.contains("criteria_set"), "\(seen)")
            XCTAssertTrue(seen.contains("identification_list"), "\(seen)")
            try await assertEqualAsync(
                try await ScopeQueries.auditEntries(.region(places.ryazan), on: store.db).filter(\.$entity == "criteria_set").count(), 0)
        }
    }

    /// v011 completes the place of entries written before: a municipal entry gets its region.
    func testOlderMunicipalEntriesGetTheirRegion() async throws {
        let older = Array(OporaMigrations.all.prefix(10))
        XCTAssertEqual(older.last?.name, "v010_account_security")
        try await TestEngines.withEachStore(migrations: older) { store in
            let region = RegionModel(name: "Тульская область")
            try await region.create(on: store.db)
            let district = MunicipalityModel(regionID: region.id!, name: "Чернский район")
            try await district.create(on: store.db)
            let school = SchoolModel(code: "L1", name: "Липицкая", municipalityID: district.id!)
            try await school.create(on: store.db)
            for (municipality, schoolID) in [(district.id, nil), (nil, school.id)] as [(Int?, Int?)] {
                try await store.sql.raw("""
                    INSERT INTO audit_log (at, actor, action, entity, summary, changes, municipality_id, school_id)
                    VALUES (\(bind: Date()), 'x', 'import', 'results', 'старая запись', '[]', \(bind: municipality), \(bind: schoolID))
                    """).run()
            }
            try await store.migrate(OporaMigrations.all)
            let entries = try await AuditEntryModel.query(on: store.db).sort(\.$id).all()
            XCTAssertEqual(entries.map(\.regionID), [region.id, region.id])
            XCTAssertEqual(entries.map(\.municipalityID), [district.id, district.id])
        }
    }
}
