import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Exits from the list (issue 21): exit criteria versioned per territory, the listed schools judged on their
/// flags, programme indicators and risks, and an exit recorded as the order that ends a school's support. Both engines.
final class ExitTests: XCTestCase {
    struct Places {
        let tula: Int
        let chern: Int
        let belev: Int
        let ids: [String: Int]
    }

    // A1 and B1 are not flagged in 2024 or 2025 (10 % below the minimum); A2 is flagged in 2025 (34 % and 31 %).
    static let results = """
        year,procedure,grade,subject,school,participants,below_min,m2,m3,m4,m5
        2024,VPR,6,math,A1,60,6,6,30,20,4
        2024,OGE,9,math,A1,50,5,5,25,15,5
        2025,VPR,6,math,A1,60,6,6,30,20,4
        2025,OGE,9,math,A1,50,5,5,25,15,5
        2024,VPR,6,math,A2,60,6,6,30,20,4
        2024,OGE,9,math,A2,50,5,5,25,15,5
        2025,VPR,6,math,A2,38,13,13,15,8,2
        2025,OGE,9,math,A2,29,9,9,12,6,2
        2024,VPR,6,math,B1,60,6,6,30,20,4
        2024,OGE,9,math,B1,50,5,5,25,15,5
        2025,VPR,6,math,B1,60,6,6,30,20,4
        2025,OGE,9,math,B1,50,5,5,25,15,5
        """

    static let risks = """
        year,school,factor,level
        2025,A1,1,low
        2025,A1,3,medium
        2024,B1,3,low
        2025,B1,3,high
        2025,A2,1,low
        """

    /// The region's order for 2025 lists all three schools (as seed 004 cites the ministry's order).
    static let regionalOrder = """
        year,school,order_number,order_date,territory,issuer,authority,reason
        2025,A1,486-Д,21.04.2025,Тульская область,Министерство образования Тульской области,region,региональный проект
        2025,A2,486-Д,21.04.2025,Тульская область,Министерство образования Тульской области,region,региональный проект
        2025,B1,486-Д,21.04.2025,Тульская область,Министерство образования Тульской области,region,региональный проект
        """

    static func prepare(_ store: OporaStore) async throws -> Places {
        let schools = """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            """
        let importer = Importer(db: store.db, actor: .commandLine)
        _ = try await importer.importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        _ = try await importer.importFile(.results, bytes: Array(results.utf8), fileName: "r.csv")
        _ = try await importer.importFile(.risks, bytes: Array(risks.utf8), fileName: "risks.csv")
        let regions = Dictionary(uniqueKeysWithValues: try await RegionModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let municipalities = Dictionary(
            uniqueKeysWithValues: try await MunicipalityModel.query(on: store.db).all().map { ($0.name, $0.id!) })
        let ids = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: store.db).all().map { ($0.code, $0.id!) })
        let places = Places(
            tula: regions["Тульская область"]!, chern: municipalities["Чернский район"]!, belev: municipalities["Белёвский район"]!,
            ids: ids)
        _ = try await Importer(db: store.db, actor: .commandLine, scope: .region(places.tula)).importFile(
            .approvedList, bytes: Array(regionalOrder.utf8), fileName: "order.csv")
        return places
    }

    /// An approved medium-term programme of the school whose two indicators get final values meeting their targets.
    static func approvedProgramme(_ store: OporaStore, school: Int, finalValues: [Double] = [12, 96]) async throws -> Int {
        let director = Actor(userID: nil, login: "director")
        let content = ProgrammeContent(
            goal: "Повысить качество обучения математике", tasks: ["Снизить долю «2»"],
            measures: [
                ProgrammeMeasure(text: "Педсовет по результатам ВПР", deadline: "до 01.03.2025", responsible: "директор"),
                ProgrammeMeasure(text: "Курсы для учителей математики", deadline: "до 01.10.2025", responsible: "завуч"),
            ],
            indicators: [
                ProgrammeIndicator(name: "Доля «2» по математике", unit: "%", baseline: "32", target: "не более 15"),
                ProgrammeIndicator(name: "Успеваемость", unit: "%", baseline: "81,5", target: "не менее 95"),
            ])
        let programmes = ProgrammeRepository(db: store.db, actor: director)
        let programme = try await programmes.create(
            schoolID: school, kind: .mediumTerm, factor: nil, title: "Программа развития 2025", period: 2025...2025, content: content)
        try await programmes.submit(programme.id!, expectedVersion: 1)
        try await ProgrammeRepository(db: store.db, actor: Actor(userID: nil, login: "curator"))
            .decide(programme.id!, expectedVersion: 2, action: .approve)
        let execution = ProgrammeExecutionRepository(db: store.db)
        for (index, value) in finalValues.enumerated() {
            try await execution.saveValues(
                programmeID: programme.id!, indicatorKey: String(index + 1),
                changes: [.final: .init(value: value, expectedVersion: 0)], actor: director)
        }
        return programme.id!
    }

    func testListedSchoolsJudgedOnFlagsIndicatorsAndRisks() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            _ = try await Self.approvedProgramme(store, school: places.ids["A1"]!)
            let today = CalendarDay(year: 2025, month: 11, day: 1)
            let candidates = try await ExitRepository(db: store.db).candidates(year: 2025, scope: .region(places.tula), today: today)
            let byCode = Dictionary(uniqueKeysWithValues: candidates.map { candidate in
                (places.ids.first { $0.value == candidate.schoolID }!.key, candidate)
            })
            XCTAssertEqual(byCode.keys.sorted(), ["A1", "A2", "B1"])
            let a1 = try XCTUnwrap(byCode["A1"])
            XCTAssertTrue(a1.verdict.ready, a1.verdict.summary)
            XCTAssertEqual(
                a1.verdict.summary,
                "не отбиралась по критериям в 2024–2025 годах; показатели программы достигнуты: 2 из 2; "
                    + "нет факторов риска высокого уровня")
            let a2 = try XCTUnwrap(byCode["A2"])
            XCTAssertFalse(a2.verdict.ready)
            XCTAssertEqual(a2.verdict.conditions.map(\.outcome), [.notMet, .noData, .met])
            XCTAssertTrue(a2.verdict.summary.contains("отобрана по критериям в 2025 г."), a2.verdict.summary)
            let b1 = try XCTUnwrap(byCode["B1"])
            XCTAssertFalse(b1.verdict.ready)
            // The newest profile counts: factor 3 was low in 2024 and is high in 2025.
            XCTAssertTrue(b1.verdict.summary.contains("высокий уровень риска по факторам № 3"), b1.verdict.summary)
            // The curator of A1 alone sees A1 alone.
            let own = try await ExitRepository(db: store.db).candidates(year: 2025, scope: .schools([places.ids["A1"]!]), today: today)
            XCTAssertEqual(own.map(\.schoolID), [places.ids["A1"]!])
        }
    }

    func testAnIndicatorOffTargetKeepsTheSchoolOnTheList() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            _ = try await Self.approvedProgramme(store, school: places.ids["A1"]!, finalValues: [12, 93.2])
            let candidates = try await ExitRepository(db: store.db).candidates(
                year: 2025, scope: .municipality(places.chern), today: CalendarDay(year: 2025, month: 11, day: 1))
            let a1 = try XCTUnwrap(candidates.first { $0.schoolID == places.ids["A1"]! })
            XCTAssertFalse(a1.verdict.ready)
            XCTAssertTrue(a1.verdict.summary.contains("не достигнуты: «Успеваемость»"), a1.verdict.summary)
        }
    }

    func testExitCriteriaAreVersionedPerTerritoryAndRefusedWhenMalformed() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            let repository = ExitRepository(db: store.db)
            let coordinator = Actor(userID: nil, login: "coord")
            try await assertEqualAsync(try await repository.effective(scope: .municipality(places.chern)).criteria, .pervouralsk)
            let lenient = """
                name: "Чернский район: один год вне критериев"
                not_flagged_years: 1
                indicators_met_share: 0
                no_high_risk: false
                """
            let first = try await repository.save(scope: .municipality(places.chern), text: lenient, actor: coordinator)
            XCTAssertEqual(first.version, 1)
            let second = try await repository.save(
                scope: .municipality(places.chern), text: lenient.replacingOccurrences(of: "false", with: "true"), actor: coordinator)
            XCTAssertEqual(second.version, 2)
            let chern = try await repository.effective(scope: .municipality(places.chern))
            XCTAssertEqual(chern.criteria.notFlaggedYears, 1)
            XCTAssertTrue(chern.criteria.noHighRisk)
            XCTAssertEqual(chern.model?.version, 2)
            // Another municipality of the region keeps the default until its region or itself saves one.
            try await assertEqualAsync(try await repository.effective(scope: .municipality(places.belev)).criteria, .pervouralsk)
            // Malformed: every problem in Russian, nothing saved.
            for (text, expected) in [
                ("name: x\nnot_flagged_years: 12\nindicators_met_share: 150\n", "not_flagged_years: от 0 до 10"),
                ("name: x\nnot_flagged_years: два\n", "«not_flagged_years»: ожидается число"),
                ("Одна длинная строка текста вместо критериев", "весь текст: ожидается набор строк «ключ: значение»"),
                ("not_flagged_years: 1\n", "нет ключа «name»"),
                ("name: [не закрыт\n", "Критерии выхода из списка не читаются"),
            ] {
                do {
                    try await repository.save(scope: .municipality(places.chern), text: text, actor: coordinator)
                    XCTFail("must be refused: \(text)")
                } catch let error as ExitCriteriaError {
                    XCTAssertTrue(error.description.contains(expected), error.description)
                }
            }
            try await assertEqualAsync(try await repository.versions(scope: .municipality(places.chern)).count, 2)
            // Each version is audited at its territory, old → new.
            let audit = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "exit_criteria").sort(\.$id).all()
            XCTAssertEqual(audit.count, 2)
            XCTAssertEqual(audit.last?.municipalityID, places.chern)
            XCTAssertEqual(audit.last?.regionID, places.tula)
            // The municipality's lenient criteria: A1 is ready on one good year and no programme.
            let candidates = try await repository.candidates(
                year: 2025, scope: .municipality(places.chern), today: CalendarDay(year: 2025, month: 11, day: 1))
            XCTAssertEqual(candidates.filter(\.verdict.ready).map(\.schoolID), [places.ids["A1"]!])
            XCTAssertEqual(candidates.first?.criteriaVersion, 2)
        }
    }

    func testAnExitIsAnOrderSeenInTheHistoryAndTheListInForce() async throws {
        try await TestEngines.withEachStore { store in
            let places = try await Self.prepare(store)
            let exits = ExitRepository(db: store.db)
            let identification = IdentificationRepository(db: store.db)
            let coordinator = Actor(userID: nil, login: "coord")
            let a1 = places.ids["A1"]!
            try await exits.recordExit(
                schoolID: a1, year: 2025, number: "15-п", date: RussianFormat.parseDate("01.06.2025")!,
                issuer: "Управление образования Чернского района", authority: .own,
                reason: "не отбиралась по критериям два года, показатели программы достигнуты", scope: .municipality(places.chern),
                actor: coordinator)
            let listed = try await identification.approvedStatuses(year: 2025, scope: .region(places.tula)) ?? [:]
            XCTAssertEqual(Set(listed.keys), [places.ids["A2"]!, places.ids["B1"]!])
            // The school's history: the exit order in force, with its reason; the region's order still there, no longer in force.
            let history = try await identification.history(school: a1)
            XCTAssertEqual(history.map(\.order.number), ["15-п", "486-Д"])
            XCTAssertNil(history[0].entry)
            XCTAssertEqual(history[0].exitReason, "не отбиралась по критериям два года, показатели программы достигнуты")
            XCTAssertTrue(history[0].inForce)
            XCTAssertEqual(history[0].order.issuer, "Управление образования Чернского района")
            XCTAssertFalse(history[1].inForce)
            // The school's own log says it left.
            let logged = try await AuditEntryModel.query(on: store.db).filter(\.$action == "exit").all()
            XCTAssertEqual(logged.map(\.schoolID), [a1])
            XCTAssertEqual(logged.first?.summary.contains("вышла из списка на 2025 год: приказ № 15-п от 01.06.2025"), true)
            // Белёвский район still follows the region's order.
            let belev = try await identification.ordersInForce(year: 2025, scope: .municipality(places.belev))
            XCTAssertEqual(belev.map(\.number), ["486-Д"])
            // A later year's list approved from a file without the school does not hold it, and records no new exit.
            _ = try await Importer(db: store.db, actor: .commandLine, scope: .municipality(places.chern)).importFile(
                .approvedList, bytes: Array("year,school,order_number,order_date\n2026,A2,3,20.01.2026\n".utf8), fileName: "l.csv")
            let next = try await identification.approvedStatuses(year: 2026, scope: .municipality(places.chern)) ?? [:]
            XCTAssertEqual(Array(next.keys), [places.ids["A2"]!])
            let exitRows = try await IdentificationListExitModel.query(on: store.db).all()
            XCTAssertEqual(exitRows.map(\.$school.id), [a1])
            XCTAssertEqual(exitRows.first?.wasListed, true)
            // Refusals: a school no longer listed, an order dated before the one in force, a school outside the scope.
            do {
                try await exits.recordExit(
                    schoolID: a1, year: 2025, number: "16", date: RussianFormat.parseDate("02.06.2025")!, issuer: "УО",
                    authority: .own, reason: "повторно", scope: .municipality(places.chern), actor: coordinator)
                XCTFail("A1 is no longer listed")
            } catch let error as RepositoryError {
                XCTAssertEqual(error.description, "Приказ: школы нет в списке, действующем на 2025 год: исключать её нечего")
            }
            do {
                try await exits.recordExit(
                    schoolID: places.ids["A2"]!, year: 2025, number: "17", date: RussianFormat.parseDate("01.05.2025")!, issuer: "УО",
                    authority: .own, reason: "досрочно", scope: .municipality(places.chern), actor: coordinator)
                XCTFail("dated before the order in force")
            } catch let error as RepositoryError {
                XCTAssertTrue(error.description.contains("раньше приказа № 15-п от 01.06.2025"), error.description)
            }
            do {
                try await exits.recordExit(
                    schoolID: places.ids["B1"]!, year: 2025, number: "18", date: RussianFormat.parseDate("01.07.2025")!, issuer: "УО",
                    authority: .own, reason: "чужая", scope: .municipality(places.chern), actor: coordinator)
                XCTFail("B1 is outside Чернский район")
            } catch let error as RepositoryError {
                XCTAssertEqual(error.description, "Школа: \(Absent.schoolRecord)")
            }
            try await assertEqualAsync(try await IdentificationListModel.query(on: store.db).count(), 3)
        }
    }

    /// Two exits recorded at once each take their school off: neither order puts the other school back.
    func testTwoExitsAtOnceBothHold() async throws {
        try await TestEngines.withEachStore(sharedFile: true) { store in
            let places = try await Self.prepare(store)
            let exits = ExitRepository(db: store.db)
            let coordinator = Actor(userID: nil, login: "coord")
            let date = RussianFormat.parseDate("01.06.2025")!
            async let first: IdentificationListModel = exits.recordExit(
                schoolID: places.ids["A1"]!, year: 2025, number: "20", date: date, issuer: "УО", authority: .own, reason: "вышла",
                scope: .municipality(places.chern), actor: coordinator)
            async let second: IdentificationListModel = exits.recordExit(
                schoolID: places.ids["A2"]!, year: 2025, number: "21", date: date, issuer: "УО", authority: .own, reason: "вышла",
                scope: .municipality(places.chern), actor: coordinator)
            _ = try await (first, second)
            let listed = try await IdentificationRepository(db: store.db).approvedStatuses(year: 2025, scope: .municipality(places.chern))
            XCTAssertEqual(listed?.isEmpty, true)
        }
    }

    /// V033 and V034 upgrade a database holding lists, programmes and criteria: the default exit criteria apply and
    /// an approved programme's measures read as planned until the school reports.
    func testV033AndV034UpgradeADatabaseWithData() async throws {
        let older = OporaMigrations.all.filter { !["v033_exit_criteria", "v034_programme_execution"].contains($0.name) }
        try await TestEngines.withEachStore(migrations: older) { store in
            let places = try await Self.prepare(store)
            let director = Actor(userID: nil, login: "director")
            let programmes = ProgrammeRepository(db: store.db, actor: director)
            let content = ProgrammeContent(
                goal: "Цель", tasks: ["Задача"],
                measures: [ProgrammeMeasure(text: "Педсовет", deadline: "до 01.03.2025", responsible: "директор")],
                indicators: [ProgrammeIndicator(name: "Успеваемость", baseline: "80", target: "95")])
            let programme = try await programmes.create(
                schoolID: places.ids["A1"]!, kind: .mediumTerm, factor: nil, title: "Старая программа", period: 2025...2025,
                content: content)
            try await programmes.submit(programme.id!, expectedVersion: 1)
            try await ProgrammeRepository(db: store.db, actor: director).decide(programme.id!, expectedVersion: 2, action: .approve)
            try await store.migrate(OporaMigrations.all)
            try await assertEqualAsync(
                try await ExitRepository(db: store.db).effective(scope: .region(places.tula)).criteria, .pervouralsk)
            let summaries = try await ProgrammeExecutionRepository(db: store.db).summaries(
                scope: .region(places.tula), today: CalendarDay(year: 2025, month: 4, day: 1))
            XCTAssertEqual(summaries.count, 1)
            XCTAssertEqual(summaries[0].overdue.map(\.line.measure.text), ["Педсовет"])
            XCTAssertEqual(summaries[0].indicatorChecks, [IndicatorCheck(name: "Успеваемость", met: nil)])
            try await ProgrammeExecutionRepository(db: store.db).saveMeasure(
                programmeID: programme.id!, measureKey: "1", expectedVersion: 0,
                execution: MeasureExecution(status: .done, doneOn: CalendarDay(year: 2025, month: 2, day: 20), evidence: "протокол № 4"),
                actor: director)
            let after = try await ProgrammeExecutionRepository(db: store.db).summaries(
                scope: .region(places.tula), today: CalendarDay(year: 2025, month: 4, day: 1))
            XCTAssertEqual(after[0].tally[.done], 1)
        }
    }
}
