import Fluent
import OporaData
import OporaDomain
import OporaTestSupport
import OporaWeb
import XCTVapor

/// «Анализ ВПР» (issue 20) on the pages: a school's, a municipality's and a region's table of planned results,
/// the histogram, the markers, the list of schools with signs of non-objectivity and the documents; scoped; on both
/// engines. The figures are computed by hand in `TasksFixture`.
final class TasksPagesTests: XCTestCase {
    func testTheSchoolSeesItsTableHistogramMarkersAndDeficits() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await TasksFixture.load(fixture.app.db)
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let home = try await director.get("/").body.string
            XCTAssertTrue(home.contains("href=\"/tasks\""), "the menu links «Анализ ВПР»")
            let response = try await director.get("/tasks")
            XCTAssertEqual(response.status, .ok)
            let page = response.body.string
            for expected in [
                "Анализ ВПР: МКОУ «Липицкая СОШ»", "Достижение планируемых результатов", "% школы", "% муниципалитета",
                // Task 1: 5 of 7 points; task 2: 6 of 14; task К3: 1 of 7 (advanced, below 30): hand-computed.
                "71,4", "42,9", "14,3",
                // The municipality (A1 + A2, 12 pupils): 9 of 12, 14 of 24, 2 of 12.
                ">75</td>", "58,3", "16,7",
                // The region's and Russia's benchmarks.
                ">70</td>", "68,5",
                "Текстовые задачи", "class=\"chart tasks-histogram\"", "class=\"boundary\"", "«4» — от 2 баллов",
                // Five pupils at the «4» boundary (score 2) against 0, 2, 0, 0 at the scores beside it.
                "Пик на границе отметки", "id=\"journal-markers\"", "id=\"by-requirement\"", "id=\"by-block\"",
                "/tasks/report.docx?year=2023&amp;school=",
            ] {
                XCTAssertTrue(page.contains(expected), "«\(expected)»")
            }
            XCTAssertFalse(page.contains("малая группа"), "seven pupils are not a small group")
            XCTAssertTrue(page.contains("5 из 7 участников"), "the marker's figures")
            // The weakest requirement first: Геометрия (14,3 %) before Текстовые задачи (42,9 %).
            let byRequirement = page.components(separatedBy: "id=\"by-requirement\"")[1]
            XCTAssertLessThan(byRequirement.range(of: "Геометрия")!.lowerBound, byRequirement.range(of: "Текстовые задачи")!.lowerBound)
            let other = try await TasksFixture.schoolID("B1", fixture.app.db)
            let outside = try await director.get("/tasks?school=\(other)").status
            XCTAssertEqual(outside, .notFound, "another municipality's school")
            let card = try await director.get("/schools/\(try await TasksFixture.schoolID("A1", fixture.app.db))").body.string
            XCTAssertTrue(card.contains("/tasks?school="), "the school card links the analysis")
        }
    }

    func testTheMunicipalityAndTheRegionSeeTheirOwnFiguresAndTheObjectivityList() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await TasksFixture.load(fixture.app.db)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let page = try await coordinator.get("/tasks").body.string
            XCTAssertEqual(page.components(separatedBy: "% муниципалитета").count - 1, 1, "the municipality's own column, once")
            XCTAssertTrue(page.contains(">75</td>") && page.contains("58,3") && page.contains("16,7"))
            XCTAssertTrue(page.contains("МКОУ «Липицкая СОШ»: пик на границе отметки"), "a territory's markers name the school")
            let foreign = try await coordinator.get("/tasks?municipality=\(fixture.municipalityB)").status
            XCTAssertEqual(foreign, .notFound)
            let list = try await coordinator.get("/tasks/objectivity?year=2023").body.string
            XCTAssertTrue(list.contains("МКОУ «Липицкая СОШ»") && list.contains("Пик на границе отметки"), list)
            XCTAssertFalse(list.contains("Чернская СОШ № 1"), "A2's distribution shows no sign")
            let small = try await TasksFixture.schoolID("B1", fixture.app.db)
            let analyst = Browser(fixture.app)
            try await analyst.login("analyst")
            let region = try await analyst.get("/tasks").body.string
            XCTAssertTrue(region.contains("% региона"))
            // The region's 15 pupils: task 1 — 11 of 15.
            XCTAssertTrue(region.contains("73,3"), region)
            XCTAssertTrue(region.contains("name=\"municipality\""), "a region's user may narrow to a municipality")
            let narrowed = try await analyst.get("/tasks/objectivity?year=2023&municipality=\(fixture.municipalityB)").body.string
            XCTAssertFalse(narrowed.contains("МКОУ «Липицкая СОШ»"), "Белёвский район has no school with a sign")
            let whole = try await analyst.get("/tasks/objectivity?year=2023").body.string
            XCTAssertTrue(whole.contains("МКОУ «Липицкая СОШ»"))
            let coordinatorElsewhere = try await coordinator.get("/tasks/objectivity?municipality=\(fixture.municipalityB)").status
            XCTAssertEqual(coordinatorElsewhere, .notFound)
            let smallPage = try await analyst.get("/tasks?school=\(small)").body.string
            XCTAssertTrue(smallPage.contains("малая группа"), "three pupils")
            XCTAssertFalse(smallPage.contains("Пик на границе отметки"), "no marker for a small group")
        }
    }

    func testTheDocumentsOfASchoolAndAMunicipality() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await TasksFixture.load(fixture.app.db)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let school = try await TasksFixture.schoolID("A1", fixture.app.db)
            let docx = try await coordinator.get("/tasks/report.docx?year=2023&school=\(school)")
            XCTAssertEqual(docx.status, .ok)
            XCTAssertEqual(docx.headers.contentType?.subType, "vnd.openxmlformats-officedocument.wordprocessingml.document")
            XCTAssertEqual(Array(docx.body.readableBytesView.prefix(2)), Array("PK".utf8))
            let xlsx = try await coordinator.get("/tasks/report.xlsx?year=2023&municipality=\(fixture.municipalityA)")
            XCTAssertEqual(xlsx.status, .ok)
            let foreign = try await coordinator.get("/tasks/report.xlsx?year=2023&municipality=\(fixture.municipalityB)").status
            XCTAssertEqual(foreign, .notFound)
        }
    }
}

extension TasksPagesTests {
    /// «Дефициты ВПР» on the school's programme: one click adds the measure of a deficit; a requirement that is no deficit
    /// of the school adds nothing; the staff page suggests the teachers' deficits.
    func testTheSchoolsDeficitsGoIntoItsProgrammeAndStaffDevelopment() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await TasksFixture.load(fixture.app.db)
            let director = Browser(fixture.app)
            try await director.login("director-a")
            try await director.get("/programmes")
            let created = try await director.post("/programmes", [
                ("school", String(fixture.schoolA)), ("kind", "anti_risk"), ("factor", "6"), ("title", "Снижение неуспешности"),
                ("start_year", "2023"), ("end_year", "2024"),
            ])
            XCTAssertEqual(created.status, .seeOther)
            let programme = try await SchoolProgrammeModel.query(on: fixture.app.db).first()!
            let page = try await director.get("/programmes/\(programme.id!)").body.string
            XCTAssertTrue(page.contains("id=\"vpr-deficits\"") && page.contains("Текстовые задачи") && page.contains("Геометрия"), page)
            XCTAssertTrue(page.contains("Добавить мероприятие"))
            let notADeficit = try await director.post("/programmes/\(programme.id!)/vpr-measures",
                                                      [("requirement", "Вычисления"), ("version", String(programme.version))])
            XCTAssertEqual(notADeficit.status, .unprocessableEntity)
            let unchanged = try await SchoolProgrammeModel.find(programme.id, on: fixture.app.db)!
            XCTAssertTrue(unchanged.content.measures.isEmpty, "task 1 (71,4 %) is no deficit")
            let added = try await director.post("/programmes/\(programme.id!)/vpr-measures",
                                                [("requirement", "Текстовые задачи"), ("version", String(programme.version))])
            XCTAssertEqual(added.status, .seeOther)
            let saved = try await SchoolProgrammeModel.find(programme.id, on: fixture.app.db)!
            XCTAssertEqual(saved.content.measures.count, 1)
            XCTAssertTrue(saved.content.measures[0].text.hasPrefix("Коррекция дефицита «Текстовые задачи» (ВПР: ВПР-2023"),
                          saved.content.measures[0].text)
            XCTAssertEqual(saved.content.measures[0].deadline, "до 31.12.2024")
            // The same version again is a stale form: nothing more is added.
            _ = try await director.post("/programmes/\(programme.id!)/vpr-measures",
                                        [("requirement", "Геометрия"), ("version", String(programme.version))])
            let count = try await SchoolProgrammeModel.find(programme.id, on: fixture.app.db)!.content.measures.count
            XCTAssertEqual(count, 1)
            let after = try await director.get("/programmes/\(programme.id!)").body.string
            XCTAssertTrue(after.contains("в программе"))
            let support = try await director.get("/schools/\(fixture.schoolA)/support").body.string
            XCTAssertTrue(support.contains("id=\"vpr-staff-deficits\"") && support.contains("Методика формирования умения «Геометрия»"),
                          support)
        }
    }

    /// The municipality sees the most common deficits of its LISTED schools and plans a course from one (the events form
    /// prefilled); without an order it is told so.
    func testTheMunicipalityPlansACourseFromItsListedSchoolsDeficits() async throws {
        try await WebFixture.onEachEngine { fixture in
            try await TasksFixture.load(fixture.app.db)
            let coordinator = Browser(fixture.app)
            try await coordinator.login("coord-a")
            let unlisted = try await coordinator.get("/tasks").body.string
            XCTAssertTrue(unlisted.contains("нет приказа об утверждении перечня"), unlisted)
            // Only A1 is listed: «Текстовые задачи» is its deficit, not A2's (80 %); «Геометрия» is both schools', A1 counts.
            let order = "year,school,order_number,order_date,territory\n2023,A1,15,01.03.2023,Чернский район\n"
            _ = try await Importer(db: fixture.app.db, actor: .commandLine).importFile(
                .approvedList, bytes: Array(order.utf8), fileName: "list.csv")
            let page = try await coordinator.get("/tasks").body.string
            let listed = page.components(separatedBy: "id=\"listed-deficits\"")[1]
            XCTAssertTrue(listed.contains("Текстовые задачи") && listed.contains("школ: 1 (МКОУ «Липицкая СОШ»)"), listed)
            XCTAssertFalse(listed.contains("Чернская СОШ № 1"), "A2 is not on the list")
            let geometry = "%D0%93%D0%B5%D0%BE%D0%BC%D0%B5%D1%82%D1%80%D0%B8%D1%8F"  // «Геометрия»
            let form = try await coordinator.get("/tasks/course?requirement=\(geometry)&year=2023")
            XCTAssertEqual(form.status, .ok)
            let body = form.body.string
            XCTAssertTrue(body.contains("формирование умения «Геометрия»"), body)
            XCTAssertTrue(body.contains("value=\"A1\" checked"), "the listed school with the deficit is ticked")
            XCTAssertFalse(body.contains("value=\"A2\" checked"))
            // Refused as typed: an impossible date and no hours, each named beside its field, the ticks kept.
            var typed: [(String, String)] = [
                ("code", "ВПР-ГЕО"), ("title", "Курсы: геометрия"), ("topic", "Геометрия"), ("start", "31.09.2023"), ("hours", ""),
                ("schools[]", "A1"), ("requirement", "формирование умения «Геометрия»"), ("year", "2023"),
            ]
            let refused = try await coordinator.post("/tasks/course", typed)
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let refusal = refused.body.string
            XCTAssertTrue(refusal.contains(#"id="start-note">«31.09.2023» — такой даты нет: в сентябре 2023 года 30 дней"#), refusal)
            XCTAssertTrue(refusal.contains(#"id="hours-note">Заполните поле"#), refusal)
            XCTAssertTrue(refusal.contains(#"value="Курсы: геометрия""#) && refusal.contains(#"value="A1" checked"#), refusal)
            XCTAssertFalse(refusal.contains("start:") || refusal.contains("hours:"), "no column names of the file")
            // A start already past is asked about, then taken once confirmed.
            typed[3] = ("start", "15.09.2023")
            typed[4] = ("hours", "36")
            let asked = try await coordinator.post("/tasks/course", typed)
            XCTAssertEqual(asked.status, .unprocessableEntity)
            XCTAssertTrue(asked.body.string.contains("срок 15.09.2023 уже прошёл"), asked.body.string)
            let saved = try await coordinator.post("/tasks/course", typed + [("confirm_start", "15.09.2023")])
            XCTAssertEqual(saved.status, .seeOther)
            let events = try await SupportRepository(db: fixture.app.db).participations(
                .everything, from: CalendarDay(year: 2023, month: 1, day: 1), to: CalendarDay(year: 2023, month: 12, day: 31))
            XCTAssertEqual(events.map(\.event), ["ВПР-ГЕО"], "the course is in the events log, for A1")
            XCTAssertEqual(events.first?.hours, 36)
            let director = Browser(fixture.app)
            try await director.login("director-a")
            let denied = try await director.get("/tasks/course?requirement=x&year=2023").status
            XCTAssertEqual(denied, .forbidden)
        }
    }
}
