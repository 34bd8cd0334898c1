import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// A database made by every earlier version upgrades with every record intact (issue 23). For each prefix of
/// `OporaMigrations.all` (V001, V001–V002, …, up to the one before the newest), a database lives through those
/// versions: after each migration, what the application of that version wrote into the tables the migration made
/// or changed (raw SQL against that version's schema, since the migrations are frozen). Then the current version
/// opens it; every table's count, each fixture's values, the answers of the commands' repositories and the database
/// check are verified. In process, on both engines.
final class UpgradeFromEveryVersionTests: XCTestCase {
    /// The ids of what fixtures wrote, by name («school.A1»), for later fixtures and the checks.
    final class Written: @unchecked Sendable {
        let db: any Database
        var sql: any SQLDatabase { db.sql }
        var ids: [String: Int] = [:]
        init(db: any Database) { self.db = db }

        subscript(_ key: String) -> Int { ids[key] ?? -1 }

        struct ID: Decodable { let id: Int }

        /// Runs an INSERT … RETURNING id and keeps the id under `key`.
        @discardableResult
        func insert(_ key: String?, _ query: SQLQueryString) async throws -> Int {
            let id = try await sql.raw(query).first(decoding: ID.self)!.id
            if let key { ids[key] = id }
            return id
        }

        func run(_ query: SQLQueryString) async throws { try await sql.raw(query).run() }

        func value<T: Decodable>(_ query: SQLQueryString, _ column: String, as type: T.Type = T.self) async throws -> T? {
            try await sql.raw(query).first()?.decode(column: column, as: T.self)
        }

        /// The value of `column` in the query's first row is `expected`.
        func expect<T: Decodable & Equatable>(_ query: SQLQueryString, _ column: String, _ expected: T, _ message: String = "",
                                              file: StaticString = #filePath, line: UInt = #line) async throws {
            let found: T? = try await value(query, column)
            XCTAssertEqual(found, expected, message, file: file, line: line)
        }

        func count(_ table: String) async throws -> Int {
            try await value("SELECT COUNT(*) AS n FROM \(ident: table)", "n") ?? 0
        }

        /// An audit row as the application of the time wrote it.
        func audit(_ action: String, _ entity: String, _ id: Int?, _ summary: String, school: Int? = nil, municipality: Int? = nil,
                   region: Int? = nil) async throws {
            try await run("""
                INSERT INTO audit_log (at, user_id, actor, action, entity, entity_id, summary, changes, region_id, municipality_id,
                  school_id)
                VALUES (\(bind: Date()), NULL, 'командная строка', \(bind: action), \(bind: entity), \(bind: id), \(bind: summary), '[]',
                  \(bind: region), \(bind: municipality), \(bind: school))
                """)
        }
    }

    struct Fixture {
        /// The rows it leaves in each table of the current schema.
        let counts: [String: Int]
        let write: (Written) async throws -> Void
        let verify: (Written) async throws -> Void
    }

    /// Rows the migrations themselves write (catalogues).
    static let seeded = ["subjects": 16, "procedures": 7, "risk_factors": 12, "data_version": 1]

    nonisolated(unsafe) static let fixtures: [String: Fixture] = [
        "v001_registry": Fixture(
            counts: ["regions": 1, "municipalities": 2, "schools": 3, "academic_years": 2],
            write: { w in
                let now = Date()
                try await w.insert("region", """
                    INSERT INTO regions (name, version, created_at, updated_at)
                    VALUES ('Тульская область', 1, \(bind: now), \(bind: now)) RETURNING id
                    """)
                for (key, name) in [("chern", "Чернский район"), ("belev", "Белёвский район")] {
                    try await w.insert(key, """
                        INSERT INTO municipalities (region_id, name, version, created_at, updated_at)
                        VALUES (\(bind: w["region"]), \(bind: name), 1, \(bind: now), \(bind: now)) RETURNING id
                        """)
                }
                let schools = [("A1", "МКОУ «Липицкая СОШ»", "chern", 98), ("A2", "МБОУ «Чернская СОШ № 1»", "chern", 612),
                               ("B1", "МБОУ «Белёвская СОШ № 2»", "belev", 400)]
                for (code, name, municipality, students) in schools {
                    try await w.insert("school.\(code)", """
                        INSERT INTO schools (code, name, short_name, municipality_id, settlement, address, director, students,
                          students_ovz, version, created_at, updated_at)
                        VALUES (\(bind: code), \(bind: name), NULL, \(bind: w[municipality]), 'rural', 'с. Липицы, ул. Школьная, 1',
                          'Иванова И. И.', \(bind: students), 3, 1, \(bind: now), \(bind: now)) RETURNING id
                        """)
                }
                try await w.run("""
                    INSERT INTO academic_years (start_year, is_current, version) VALUES (2022, \(bind: false), 1), (2023, \(bind: true), 1)
                    """)
            },
            verify: { w in
                let name: String? = try await w.value("""
                    SELECT s.name || ' / ' || m.name || ' / ' || r.name AS v
                    FROM schools s JOIN municipalities m ON m.id = s.municipality_id
                    JOIN regions r ON r.id = m.region_id WHERE s.code = 'A1'
                    """, "v")
                XCTAssertEqual(name, "МКОУ «Липицкая СОШ» / Чернский район / Тульская область")
                try await w.expect("SELECT students FROM schools WHERE code = 'A2'", "students", 612)
                try await w.expect("SELECT director FROM schools WHERE code = 'B1'", "director", "Иванова И. И.")
                try await w.expect("SELECT start_year FROM academic_years WHERE is_current = \(bind: true)", "start_year", 2023)
            }),
        "v002_catalogues": Fixture(
            counts: ["subjects": 1],
            write: { w in
                try await w.run("INSERT INTO subjects (code, name, aliases, version) VALUES ('astro', 'Астрономия', 'астр.', 1)")
            },
            verify: { w in
                try await w.expect("SELECT aliases FROM subjects WHERE code = 'astro'", "aliases", "астр.")
            }),
        "v003_accounts": Fixture(
            counts: ["users": 3, "user_schools": 1, "api_tokens": 1],
            write: { w in
                // Made before the audit log existed (V004): the check does not ask for their creating rows.
                let made = day("01.09.2022")
                let hash = "$2b$04$abcdefghijklmnopqrstuuJ3vN0cQk1Zx8kq2m0d0m1Zq6a8u4e3W"
                try await w.insert("user.analyst", """
                    INSERT INTO users (login, full_name, password_hash, role, region_id, municipality_id, is_active, created_at)
                    VALUES ('analyst', 'Соколова Марина Юрьевна', \(bind: hash), 'regional_analyst', \(bind: w["region"]), NULL,
                      \(bind: true), \(bind: made))
                    RETURNING id
                    """)
                try await w.insert("user.coord", """
                    INSERT INTO users (login, full_name, password_hash, role, region_id, municipality_id, is_active, created_at)
                    VALUES ('coord', 'Петрова Ирина Александровна', \(bind: hash), 'municipal_coordinator', NULL, \(bind: w["chern"]),
                      \(bind: true),
                      \(bind: made)) RETURNING id
                    """)
                try await w.insert("user.director", """
                    INSERT INTO users (login, full_name, password_hash, role, region_id, municipality_id, is_active, created_at)
                    VALUES ('director', 'Волкова Татьяна Ивановна', \(bind: hash), 'school_admin', NULL, NULL, \(bind: true),
                      \(bind: made)) RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO user_schools (user_id, school_id) VALUES (\(bind: w["user.director"]), \(bind: w["school.A1"]))
                    """)
                try await w.run("""
                    INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES (\(bind: w["user.analyst"]), 'hash-of-token',
                      'Отчётность', \(bind: made))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT full_name FROM users WHERE login = 'coord'", "full_name", "Петрова Ирина Александровна")
                try await w.expect("""
                    SELECT s.code FROM user_schools us JOIN users u ON u.id = us.user_id JOIN schools s ON s.id = us.school_id
                    WHERE u.login = 'director'
                    """, "code", "A1")
                try await w.expect("SELECT name FROM api_tokens WHERE token_hash = 'hash-of-token'", "name", "Отчётность")
            }),
        "v004_audit_log": Fixture(
            counts: ["audit_log": 1],
            write: { w in
                // Written before entries carried their whole place: V011 completes it.
                try await w.audit("update", "school", w["school.A1"], "Изменена школа «МКОУ «Липицкая СОШ»»", school: w["school.A1"])
            },
            verify: { w in
                try await w.expect("SELECT municipality_id FROM audit_log WHERE entity = 'school' AND action = 'update'",
                    "municipality_id", w["chern"])
                try await w.expect("SELECT region_id FROM audit_log WHERE entity = 'school' AND action = 'update'", "region_id",
                    w["region"])
            }),
        "v005_results": Fixture(
            counts: ["results": 2, "thresholds": 1, "benchmarks": 1, "score_groups": 1, "score_group_rows": 1],
            write: { w in
                for (school, participants, m2) in [("A1", 14, 5), ("A2", 60, 6)] {
                    try await w.run("""
                        INSERT INTO results (school_id, year, procedure, grade, subject, participants, m2, m3, m4, m5, below_min,
                          mean_score)
                        VALUES (\(bind: w["school.\(school)"]), 2022, 'VPR', 5, 'math', \(bind: participants), \(bind: m2),
                          \(bind: participants - m2 - 2),
                          2, 0, \(bind: m2), 11.5)
                        """)
                }
                try await w.run("""
                    INSERT INTO thresholds (year, procedure, subject, grade, min_score, high_score) VALUES (2022, 'EGE', 'rus', 0, 24, 80)
                    """)
                try await w.run("""
                    INSERT INTO benchmarks (year, procedure, grade, subject, level, name, participants, success_rate)
                    VALUES (2022, 'VPR', 5, 'math', 'russia', 'Российская Федерация', 1200000, 80.5)
                    """)
                // Per-pupil rows of that time, one row each: V009 gathers them into one group.
                for (index, mark) in [2, 3, 4, 5].enumerated() {
                    try await w.run("""
                        INSERT INTO scores (school_id, year, procedure, grade, subject, student, class, mark, term_mark)
                        VALUES (\(bind: w["school.A1"]), 2022, 'VPR', 6, 'rus', \(bind: "S\(index + 1)"), '6А', \(bind: mark), 4)
                        """)
                }
            },
            verify: { w in
                try await w.expect("SELECT participants FROM results WHERE school_id = \(bind: w["school.A2"])", "participants", 60)
                try await w.expect("SELECT mean_score FROM results WHERE school_id = \(bind: w["school.A1"])", "mean_score", 11.5)
                try await w.expect("SELECT min_score FROM thresholds WHERE procedure = 'EGE'", "min_score", 24.0)
                try await w.expect("SELECT owner_region_id FROM benchmarks WHERE level = 'russia'", "owner_region_id", 0)
                try await w.expect("SELECT success_rate FROM benchmarks WHERE level = 'russia'", "success_rate", 80.5)
                let group = "SELECT students, m2, m5 FROM score_groups WHERE subject = 'rus' AND school_id = \(w["school.A1"])"
                try await w.expect("\(unsafeRaw: group)", "students", 4)
                try await w.expect("\(unsafeRaw: group)", "m5", 1)
                let rows = try await w.value("""
                    SELECT r.rows FROM score_group_rows r JOIN score_groups g ON g.id = r.group_id
                    WHERE g.subject = 'rus' AND g.school_id = \(bind: w["school.A1"])
                    """, "rows", as: Data.self)
                let students = try StudentRowsCodec.decode(try XCTUnwrap(rows))
                XCTAssertEqual(students.map(\.student), ["S1", "S2", "S3", "S4"])
                XCTAssertEqual(students.map(\.result.mark), [2, 3, 4, 5])
                XCTAssertEqual(students.first?.className, "6А")
            }),
        "v006_context": Fixture(
            counts: ["context_values": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO context_values (school_id, year, indicator, value_text, value_number)
                    VALUES (\(bind: w["school.A1"]), 2022, 'single_parent', '12,5', 12.5)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT value_number FROM context_values WHERE indicator = 'single_parent'", "value_number", 12.5)
            }),
        "v007_identification_lists": Fixture(
            counts: ["identification_lists": 1, "identification_list_entries": 1, "audit_log": 1],
            write: { w in
                let criteria = String(decoding: try JSONEncoder().encode(CriteriaSet.pervouralsk), as: UTF8.self)
                let list = try await w.insert("list.2022", """
                    INSERT INTO identification_lists (year, region_id, municipality_id, scope_label, criteria_name, criteria_json,
                      order_number, order_date,
                      approved_by, approved_at)
                    VALUES (2022, NULL, \(bind: w["chern"]), 'Чернский район', 'Первоуральск', \(bind: criteria), '198-од',
                      \(bind: day("15.10.2022")),
                      'coord', \(bind: Date())) RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO identification_list_entries (list_id, school_id, status, explanation, reasons_json)
                    VALUES (\(bind: list), \(bind: w["school.A1"]), 'low_results', 'ВПР: доля «2» выше порога', '[]')
                    """)
                try await w.audit("create", "identification_list", list, "Утверждён список школ на 2022 год", municipality: w["chern"],
                    region: w["region"])
            },
            verify: { w in
                try await w.expect("SELECT issuer FROM identification_lists WHERE order_number = '198-од'", "issuer", "Чернский район",
                    "V026 names the issuer after the territory")
                try await w.expect("SELECT origin FROM identification_list_entries WHERE list_id = \(bind: w["list.2022"])", "origin",
                    "computed")
                let listed = try await IdentificationRepository(db: w.db).listInForce(year: 2022, scope: .municipality(w["chern"]))
                XCTAssertEqual(listed?[w["school.A1"]]?.status, .lowResults)
                XCTAssertEqual(listed?[w["school.A1"]]?.order.number, "198-од")
            }),
        "v008_criteria_sets": Fixture(
            counts: ["criteria_sets": 1],
            write: { w in
                let body = String(decoding: try JSONEncoder().encode(CriteriaSet.pervouralsk), as: UTF8.self)
                try await w.run("""
                    INSERT INTO criteria_sets (year, region_id, municipality_id, version, name, body, created_by, created_at)
                    VALUES (2022, NULL, \(bind: w["chern"]), 1, 'Критерии Чернского района', \(bind: body), 'coord', \(bind: Date()))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT name FROM criteria_sets", "name", "Критерии Чернского района")
            }),
        "v009_score_groups": Fixture(
            counts: ["score_groups": 1, "score_group_rows": 1],
            write: { w in
                let students = [StudentRow(student: "P1", className: "6Б", variant: "1", result: StudentResult(mark: 3, termMark: 3,
                    score: nil, primaryScore: 9)),
                                StudentRow(student: "P2", className: "6Б", variant: "2", result: StudentResult(mark: 4, termMark: 5,
                                    score: nil, primaryScore: 14))]
                let group = try await w.insert("group.A2", """
                    INSERT INTO score_groups (school_id, year, procedure, grade, subject, students, participants, m2, m3, m4, m5, lowered,
                      confirmed, raised)
                    VALUES (\(bind: w["school.A2"]), 2022, 'VPR', 6, 'rus', 2, 2, 0, 1, 1, 0, 1, 1, 0) RETURNING id
                    """)
                let encoded = Data(StudentRowsCodec.encode(students))
                try await w.run("INSERT INTO score_group_rows (group_id, rows) VALUES (\(bind: group), \(bind: encoded))")
            },
            verify: { w in
                let rows = try await w.value("SELECT rows FROM score_group_rows WHERE group_id = \(bind: w["group.A2"])", "rows",
                    as: Data.self)
                let students = try StudentRowsCodec.decode(try XCTUnwrap(rows))
                XCTAssertEqual(students.map(\.student), ["P1", "P2"])
                XCTAssertEqual(students.last?.result.primaryScore, 14)
            }),
        "v010_account_security": Fixture(
            counts: ["user_sessions": 1, "login_attempts": 1],
            write: { w in
                let now = Date()
                try await w.run("""
                    INSERT INTO user_sessions (id, user_id, csrf, flash, created_at, last_seen_at, user_agent, address)
                    VALUES ('sha256-of-cookie', \(bind: w["user.analyst"]), 'csrf-token', NULL, \(bind: now), \(bind: now), 'Mozilla/5.0',
                      '10.0.0.7')
                    """)
                try await w.run("INSERT INTO login_attempts (key, attempt, attempted_at) VALUES ('login:coord', 'attempt-1', \(bind: now))")
                try await w.run("UPDATE api_tokens SET last_used_at = \(bind: now)")
            },
            verify: { w in
                try await w.expect("SELECT user_id FROM user_sessions WHERE id = 'sha256-of-cookie'", "user_id", w["user.analyst"])
                try await w.expect("SELECT key FROM login_attempts", "key", "login:coord")
                try await w.expect("SELECT COUNT(*) AS n FROM api_tokens WHERE last_used_at IS NOT NULL", "n", 1)
            }),
        "v011_audit_places": Fixture(
            counts: ["audit_log": 1],
            write: { w in
                try await w.audit("update", "school", w["school.B1"], "Изменена школа «МБОУ «Белёвская СОШ № 2»»", school: w["school.B1"],
                                  municipality: w["belev"], region: w["region"])
            },
            verify: { w in
                try await w.expect("SELECT municipality_id FROM audit_log WHERE entity_id = \(bind: w["school.B1"]) AND entity = 'school'",
                                   "municipality_id", w["belev"])
            }),
        "v012_benchmark_owners": Fixture(
            counts: ["benchmarks": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO benchmarks (owner_region_id, year, procedure, grade, subject, level, name, participants, success_rate,
                      quality_rate)
                    VALUES (\(bind: w["region"]), 2022, 'VPR', 5, 'math', 'region', 'Тульская область', 14000, 78.25, 40.5)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT owner_region_id FROM benchmarks WHERE level = 'region'", "owner_region_id", w["region"])
                try await w.expect("SELECT quality_rate FROM benchmarks WHERE level = 'region'", "quality_rate", 40.5)
            }),
        "v014_risk_profiles": Fixture(
            counts: ["risk_ratings": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO risk_ratings (school_id, year, factor, level, source, comment)
                    VALUES (\(bind: w["school.A1"]), 2022, 2, 'high', 'questionnaire', 'две вакансии учителей')
                    """)
                try await w.run("UPDATE risk_factors SET name = 'Дефицит педагогов', version = 2 WHERE number = 2")
            },
            verify: { w in
                try await w.expect("SELECT comment FROM risk_ratings WHERE factor = 2", "comment", "две вакансии учителей")
                try await w.expect("SELECT name FROM risk_factors WHERE number = 2", "name", "Дефицит педагогов")
            }),
        "v015_school_programmes": Fixture(
            counts: ["school_programmes": 1, "programme_revisions": 1, "programme_comments": 1, "audit_log": 1],
            write: { w in
                // The content as it was before items had ids (V029 gives them).
                let content = """
                    {"goal":"Укомплектовать штат","tasks":["Привлечь учителей","Обучить наставников"],\
                    "measures":[{"text":"Договор с вузом","deadline":"До 01.09.2023","responsible":"Директор","result":"Договор"}],\
                    "indicators":[{"name":"Вакансии","unit":"ед.","baseline":"2","target":"0"}]}
                    """
                let programme = try await w.insert("school_programme", """
                    INSERT INTO school_programmes (school_id, kind, factor, title, start_year, end_year, status, content_json, version,
                      submitted_at, updated_at,
                      updated_by)
                    VALUES (\(bind: w["school.A1"]), 'anti_risk', 2, 'Кадры для школы', 2023, 2024, 'submitted', \(bind: content), 2,
                      \(bind: Date()),
                      \(bind: Date()), 'director') RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO programme_revisions (programme_id, number, content_json, submitted_by, submitted_at)
                    VALUES (\(bind: programme), 1, \(bind: content), 'director', \(bind: Date()))
                    """)
                try await w.run("""
                    INSERT INTO programme_comments (programme_id, revision, item_key, parent_id, author, author_name, text, resolved,
                      created_at)
                    VALUES (\(bind: programme), 1, 'measure.1', NULL, 'coord', 'Петрова И. А.', 'Уточните срок договора', \(bind: false),
                      \(bind: Date()))
                    """)
                try await w.audit("create", "programme", programme, "Создана программа «Кадры для школы»", school: w["school.A1"],
                                  municipality: w["chern"], region: w["region"])
            },
            verify: { w in
                let json = try await w.value("SELECT content_json FROM school_programmes WHERE title = 'Кадры для школы'", "content_json",
                    as: String.self)
                let content = try JSONDecoder().decode(ProgrammeContent.self, from: Data(try XCTUnwrap(json).utf8))
                XCTAssertEqual(content.tasks, ["Привлечь учителей", "Обучить наставников"])
                XCTAssertEqual(content.taskIDs, ["1", "2"], "V029 anchors the tasks")
                XCTAssertEqual(content.measures.map(\.id), ["1"])
                XCTAssertEqual(content.measures.first?.deadline, "До 01.09.2023")
                try await w.expect("SELECT text FROM programme_comments", "text", "Уточните срок договора")
            }),
        "v016_direction_sets": Fixture(
            counts: ["direction_sets": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO direction_sets (year, region_id, municipality_id, version, body, created_by, created_at)
                    VALUES (2022, \(bind: w["region"]), NULL, 1, '[{"code":"equipment","name":"Оснащение","factors":[1]}]', 'analyst',
                      \(bind: Date()))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT body FROM direction_sets", "body", #"[{"code":"equipment","name":"Оснащение","factors":[1]}]"#)
            }),
        "v017_municipal_programmes": Fixture(
            counts: ["programmes": 1, "programme_amendments": 1, "roadmap_measures": 1, "programme_indicators": 1, "indicator_values": 1,
                     "audit_log": 1],
            write: { w in
                let passport = ProgrammePassport(name: "Повышение качества образования в Чернском районе",
                    start: CalendarDay(parsing: "2023-09-01")!,
                                                 end: CalendarDay(parsing: "2024-08-31")!)
                let json = String(decoding: try JSONEncoder().encode(passport), as: UTF8.self)
                let now = Date()
                let programme = try await w.insert("plan", """
                    INSERT INTO programmes (code, level, region_id, municipality_id, school_id, passport_json, start_on, end_on,
                      order_number, order_date,
                      band_high, band_medium, band_satisfactory, version, updated_at, updated_by)
                    VALUES ('P04', 'municipality', \(bind: w["region"]), \(bind: w["chern"]), NULL, \(bind: json), '2023-09-01',
                      '2024-08-31', '12',
                      '2023-08-25', 95, 53, 12, 1, \(bind: now), 'coord') RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO programme_amendments (programme_id, number, order_number, order_date, note, passport_json, created_by,
                      created_at)
                    VALUES (\(bind: programme), 1, '12', '2023-08-25', 'загружена из файла «программа.csv»', \(bind: json), 'coord',
                      \(bind: now))
                    """)
                try await w.run("""
                    INSERT INTO roadmap_measures (programme_id, position, section, number, measure, deadline, responsible, status,
                      version, updated_at,
                      updated_by)
                    VALUES (\(bind: programme), 1, '1. Организационные мероприятия', '1.1.', 'Совещание директоров', 'До 10.09.2023',
                      'УО', 'planned', 1,
                      \(bind: now), 'coord')
                    """)
                let indicator = try await w.insert("indicator", """
                    INSERT INTO programme_indicators (programme_id, position, code, name, unit, direction, baseline, baseline_year)
                    VALUES (\(bind: programme), 1, 'I1', 'Доля школ с низкими результатами', '%', 'down', 30, 2022) RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO indicator_values (indicator_id, year, phase, value, target, entered_by, entered_at)
                    VALUES (\(bind: indicator), 2023, 'final', 25, 27, 'coord', \(bind: now))
                    """)
                try await w.audit("import", "programme", programme, "Загружена программа (программа.csv)", municipality: w["chern"],
                    region: w["region"])
            },
            verify: { w in
                let plan = try await PlanRepository(db: w.db).programme(code: "P04")
                XCTAssertEqual(plan?.name, "Повышение качества образования в Чернском районе")
                try await w.expect("SELECT deadline FROM roadmap_measures WHERE number = '1.1.'", "deadline", "До 10.09.2023")
                try await w.expect("SELECT value FROM indicator_values WHERE indicator_id = \(bind: w["indicator"])", "value", 25.0)
            }),
        "v018_management_decisions": Fixture(
            counts: ["management_decisions": 1, "audit_log": 1],
            write: { w in
                let now = Date()
                let decision = try await w.insert("decision.coord", """
                    INSERT INTO management_decisions (programme_id, region_id, municipality_id, school_id, finding_kind, finding_ref,
                      finding, decision,
                      responsible, due_on, status, outcome, version, created_by, created_at, updated_at)
                    VALUES (\(bind: w["plan"]), \(bind: w["region"]), \(bind: w["chern"]), NULL, 'indicator', \(bind: w["indicator"]),
                      'Доля школ выше целевой', 'Провести совещание с директорами', 'Петрова И. А.', '2023-12-20', 'open', NULL, 1,
                        'coord', \(bind: now),
                      \(bind: now)) RETURNING id
                    """)
                try await w.audit("create", "decision", decision, "Управленческое решение", municipality: w["chern"], region: w["region"])
            },
            verify: { w in
                try await w.expect("SELECT owner_level FROM management_decisions WHERE id = \(bind: w["decision.coord"])", "owner_level",
                    "municipality", "V029: the coordinator's decision is the municipality's")
                try await w.expect("SELECT decision FROM management_decisions WHERE id = \(bind: w["decision.coord"])", "decision",
                    "Провести совещание с директорами")
            }),
        "v019_support_network": Fixture(
            counts: ["mentor_pairs": 1, "support_visits": 1, "support_events": 1, "event_participations": 1],
            write: { w in
                let now = Date()
                try await w.run("""
                    INSERT INTO mentor_pairs (supported_id, mentor_id, start_year, end_year, agreement_number, subject, status, version,
                      created_by, created_at)
                    VALUES (\(bind: w["school.A1"]), \(bind: w["school.A2"]), 2023, 2024, '7', 'math', 'active', 1, 'coord', \(bind: now))
                    """)
                try await w.run("""
                    INSERT INTO support_visits (school_id, visited_on, visitor, format, topic, follow_up, follow_up_due, follow_up_done,
                      version, created_by,
                      created_at)
                    VALUES (\(bind: w["school.A1"]), '2023-10-05', 'Лебедева О. П.', 'visit', 'Анализ ВПР', 'План коррекции', '2023-11-01',
                      \(bind: false), 1, 'coord', \(bind: now))
                    """)
                let event = try await w.insert("event.chern", """
                    INSERT INTO support_events (code, title, kind, start_on, end_on, hours, organiser, topic)
                    VALUES ('КПК-1', 'Курсы учителей математики', 'course', '2023-11-01', '2023-11-10', 36, 'ИПК', 'ФГОС') RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO event_participations (event_id, school_id, role, participants, person)
                    VALUES (\(bind: event), \(bind: w["school.A1"]), 'participant', 3, NULL)
                    """)
            },
            verify: { w in
                let owner = "SELECT owner_municipality_id, owner_region_id, hours FROM support_events WHERE id = \(w["event.chern"])"
                try await w.expect("\(unsafeRaw: owner)", "owner_municipality_id", w["chern"],
                    "V028: the event belongs to its participants' municipality")
                try await w.expect("\(unsafeRaw: owner)", "owner_region_id", w["region"])
                try await w.expect("\(unsafeRaw: owner)", "hours", 36.0)
                try await w.expect("SELECT participants FROM event_participations WHERE event_id = \(bind: w["event.chern"])",
                    "participants", 3)
                try await w.expect("SELECT topic FROM support_visits", "topic", "Анализ ВПР")
                try await w.expect("SELECT agreement_number FROM mentor_pairs", "agreement_number", "7")
            }),
        "v020_curator_assignments": Fixture(
            counts: ["curator_assignments": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO curator_assignments (user_id, school_id, start_on, end_on, direction, version, created_by, created_at)
                    VALUES (\(bind: w["user.coord"]), \(bind: w["school.A2"]), '2023-09-01', NULL, 'math', 1, 'analyst', \(bind: Date()))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT start_on FROM curator_assignments", "start_on", "2023-09-01")
            }),
        "v021_support_organisations": Fixture(
            counts: ["support_organisations": 2, "support_organisation_schools": 1],
            write: { w in
                let centre = try await w.insert("centre", """
                    INSERT INTO support_organisations (kind, name, parent_id, municipality_id, region_id, base_school_id, note,
                      created_by, created_at)
                    VALUES ('centre', 'Консультационный центр', NULL, NULL, \(bind: w["region"]), NULL, NULL, 'analyst',
                      \(bind: Date())) RETURNING id
                    """)
                let point = try await w.insert("point", """
                    INSERT INTO support_organisations (kind, name, parent_id, municipality_id, region_id, base_school_id, note,
                      created_by, created_at)
                    VALUES ('point', 'Пункт поддержки', \(bind: centre), \(bind: w["chern"]), NULL, \(bind: w["school.A2"]),
                      'на базе СОШ № 1',
                      'coord', \(bind: Date())) RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO support_organisation_schools (organisation_id, school_id) VALUES (\(bind: point), \(bind: w["school.A1"]))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT parent_id FROM support_organisations WHERE id = \(bind: w["point"])", "parent_id", w["centre"])
                try await w.expect("SELECT school_id FROM support_organisation_schools", "school_id", w["school.A1"])
            }),
        "v022_staff_records": Fixture(
            counts: ["staff_records": 1, "school_staffing": 2],
            write: { w in
                try await w.run("""
                    INSERT INTO staff_records (school_id, year, position, participants, person, category, course_hours)
                    VALUES (\(bind: w["school.A1"]), 2023, 'учитель математики', 1, 'T-001', 'first', 72)
                    """)
                try await w.run("""
                    INSERT INTO school_specialists (school_id, year, specialty, staff, part_time) VALUES (\(bind: w["school.A1"]), 2023,
                      'psychologist', 1, 0)
                    """)
                try await w.run("INSERT INTO school_vacancies (school_id, year, vacancies) VALUES (\(bind: w["school.A1"]), 2023, 2)")
                try await w.run("INSERT INTO school_vacancies (school_id, year, vacancies) VALUES (\(bind: w["school.A1"]), 2022, 5)")
            },
            verify: { w in
                // Since V048 a school-year's specialists and vacancies are one row.
                try await w.expect("SELECT course_hours FROM staff_records", "course_hours", 72.0)
                try await w.expect("SELECT vacancies FROM school_staffing WHERE year = 2023", "vacancies", 2)
                try await w.expect("SELECT psychologist_staff FROM school_staffing WHERE year = 2023", "psychologist_staff", 1)
                try await w.expect("SELECT psychologist_part_time FROM school_staffing WHERE year = 2023", "psychologist_part_time", 0)
                try await w.expect("SELECT vacancies FROM school_staffing WHERE year = 2022", "vacancies", 5)
                try await w.expect("SELECT COUNT(*) AS n FROM school_staffing WHERE year = 2022 AND psychologist_staff IS NULL", "n", 1)
                try await w.expect("SELECT COUNT(*) AS n FROM school_staffing WHERE tutor_staff IS NULL AND tutor_part_time IS NULL",
                                   "n", 2)
            }),
        "v023_support_forecasts": Fixture(
            counts: ["support_forecasts": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO support_forecasts (programme_id, year, teams, people, pairs, points, consulted, version)
                    VALUES (\(bind: w["plan"]), 2024, 10, 60, 5, 2, 12, 1)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT people FROM support_forecasts", "people", 60)
            }),
        "v026_list_orders": Fixture(
            counts: ["identification_lists": 1, "identification_list_entries": 1, "identification_list_exits": 1, "audit_log": 1],
            write: { w in
                // The region's order for 2023 replaces the municipality's: A2 enters, A1 leaves.
                let list = try await w.insert("list.2023", """
                    INSERT INTO identification_lists (year, region_id, municipality_id, scope_label, criteria_name, criteria_json,
                      order_number, order_date,
                      approved_by, approved_at, issuer, authority)
                    VALUES (2023, \(bind: w["region"]), NULL, 'Тульская область', 'приказ региона', '{}', '5', \(bind: day("01.03.2023")),
                      'analyst',
                      \(bind: Date()), 'Министерство образования Тульской области', 'region') RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO identification_list_entries (list_id, school_id, status, explanation, reasons_json, origin)
                    VALUES (\(bind: list), \(bind: w["school.A2"]), 'risk_of_decline', 'по итогам ВПР', '[]', 'order')
                    """)
                try await w.run("""
                    INSERT INTO identification_list_exits (list_id, school_id, was_listed, was_flagged, reason)
                    VALUES (\(bind: list), \(bind: w["school.A1"]), \(bind: true), \(bind: false), 'результаты улучшились')
                    """)
                try await w.audit("create", "identification_list", list, "Утверждён список школ на 2023 год", region: w["region"])
            },
            verify: { w in
                let listed = try await IdentificationRepository(db: w.db).listInForce(year: 2023, scope: .municipality(w["chern"]))
                XCTAssertEqual(listed.map { Set($0.keys) }, [w["school.A2"]])
                XCTAssertEqual(listed?[w["school.A2"]]?.status, .riskOfDecline)
                try await w.expect("SELECT reason FROM identification_list_exits", "reason", "результаты улучшились")
            }),
        "v028_event_owners": Fixture(
            counts: ["support_events": 1, "event_participations": 1],
            write: { w in
                // Another municipality's event with the same code, which V028 made possible.
                let event = try await w.insert("event.belev", """
                    INSERT INTO support_events (owner_region_id, owner_municipality_id, code, title, kind, start_on, hours)
                    VALUES (\(bind: w["region"]), \(bind: w["belev"]), 'КПК-1', 'Семинар', 'seminar', '2024-02-01', 6) RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO event_participations (event_id, school_id, role, participants) VALUES (\(bind: event),
                      \(bind: w["school.B1"]), 'participant', 2)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT title FROM support_events WHERE owner_municipality_id = \(bind: w["belev"])", "title", "Семинар")
            }),
        "v029_decision_owners_and_remark_anchors": Fixture(
            counts: ["management_decisions": 1, "audit_log": 1],
            write: { w in
                let now = Date()
                let decision = try await w.insert("decision.school", """
                    INSERT INTO management_decisions (programme_id, region_id, municipality_id, school_id, finding_kind, finding,
                      decision, responsible,
                      status, version, created_by, created_at, updated_at, owner_level)
                    VALUES (NULL, \(bind: w["region"]), \(bind: w["chern"]), \(bind: w["school.A1"]), 'results', 'Доля «2» по ВПР',
                      'Консультации по субботам',
                      'Волкова Т. И.', 'done', 2, 'director', \(bind: now), \(bind: now), 'school') RETURNING id
                    """)
                try await w.audit("create", "decision", decision, "Управленческое решение", school: w["school.A1"],
                    municipality: w["chern"],
                                  region: w["region"])
            },
            verify: { w in
                try await w.expect("SELECT owner_level FROM management_decisions WHERE id = \(bind: w["decision.school"])", "owner_level",
                    "school")
            }),
        "v031_user_phones": Fixture(
            counts: ["users": 1, "audit_log": 1],
            write: { w in
                try await w.run("UPDATE users SET phone = '+7 (48756) 2-11-33' WHERE login = 'coord'")
                let user = try await w.insert("user.curator", """
                    INSERT INTO users (login, full_name, password_hash, role, region_id, municipality_id, is_active, created_at, phone)
                    VALUES ('curator', 'Лебедева Ольга Петровна', 'x', 'curator', NULL, NULL, \(bind: true), \(bind: Date()),
                      '+7 900 000-00-00')
                    RETURNING id
                    """)
                try await w.audit("create", "user", user, "Добавлен пользователь curator (Куратор)")
            },
            verify: { w in
                try await w.expect("SELECT phone FROM users WHERE login = 'coord'", "phone", "+7 (48756) 2-11-33")
            }),
        "v033_exit_criteria": Fixture(
            counts: ["exit_criteria_sets": 1],
            write: { w in
                try await w.insert("exit_criteria.chern", """
                    INSERT INTO exit_criteria_sets (region_id, municipality_id, version, name, body, created_by, created_at)
                    VALUES (\(bind: w["region"]), \(bind: w["chern"]), 1, 'Выход: два года вне критериев',
                      'not_flagged_years: 2', 'coord', \(bind: Date())) RETURNING id
                    """)
            },
            verify: { w in
                try await w.expect("SELECT body FROM exit_criteria_sets", "body", "not_flagged_years: 2")
            }),
        "v034_programme_execution": Fixture(
            counts: ["programme_measure_reports": 1, "programme_indicator_readings": 1],
            write: { w in
                let now = Date()
                try await w.run("""
                    INSERT INTO programme_measure_reports (programme_id, measure_key, status, done_on, evidence, comment, version,
                      updated_by, updated_at)
                    VALUES (\(bind: w["school_programme"]), 'm1', 'done', '2024-03-15', 'Протокол педсовета № 3', '', 1,
                      'director', \(bind: now))
                    """)
                try await w.run("""
                    INSERT INTO programme_indicator_readings (programme_id, indicator_key, phase, value, version, entered_by,
                      entered_at)
                    VALUES (\(bind: w["school_programme"]), 'i1', 'entry', 34.5, 1, 'director', \(bind: now))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT evidence FROM programme_measure_reports", "evidence", "Протокол педсовета № 3")
                try await w.expect("SELECT value FROM programme_indicator_readings", "value", 34.5)
            }),
        "v041_questionnaires": Fixture(
            counts: ["questionnaires": 1],
            write: { w in
                let definition = #"{"code":"parents","title":"Родители","purpose":"other","questions":[{"id":"a","group":"parent","#
                    + #""kind":"scale","text":"Довольны ли вы школой?"}]}"#
                try await w.insert("questionnaire.parents", """
                    INSERT INTO questionnaires (code, version, title, purpose, definition, created_by, created_at)
                    VALUES ('parents', 1, 'Родители', 'other', \(bind: definition), 'analyst', \(bind: Date())) RETURNING id
                    """)
            },
            verify: { w in
                let stored = try await QuestionnaireRepository(db: w.db).latest(code: "parents")
                XCTAssertEqual(stored?.id, w["questionnaire.parents"])
                XCTAssertEqual(stored?.questionnaire.questions.first?.kind, .scale(1...5))
            }),
        "v036_database_checks": Fixture(
            counts: ["database_checks": 1],
            write: { w in
                let now = Date()
                try await w.run("""
                    INSERT INTO database_checks (started_at, finished_at, ok, faults, source, report)
                    VALUES (\(bind: now), \(bind: now), \(bind: true), 0, 'command', '{}')
                    """)
            },
            verify: { w in
                try await w.expect("SELECT source FROM database_checks", "source", "command")
            }),
        "v045_mail_outbox": Fixture(
            counts: ["mail_outbox": 1],
            write: { w in
                let now = Date()
                try await w.run("UPDATE users SET email = 'coord@chern.example.ru' WHERE login = 'coord'")
                try await w.run("""
                    INSERT INTO mail_outbox (user_id, recipient, event, subject, body, dedupe_key, unsubscribe_url, created_at, attempts,
                      next_attempt_at, sent_at, failed_at, last_error)
                    VALUES (\(bind: w["user.coord"]), 'coord@chern.example.ru', 'programme_submitted', 'Программа на проверку',
                      'Программа отправлена на проверку', NULL, NULL, \(bind: now), 0, \(bind: now), NULL, NULL, NULL)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT email FROM users WHERE login = 'coord'", "email", "coord@chern.example.ru")
                try await w.expect("SELECT subject FROM mail_outbox", "subject", "Программа на проверку")
            }),
        "v046_mail_preferences": Fixture(
            counts: ["mail_preferences": 1, "mail_unsubscribe_tokens": 1],
            write: { w in
                let now = Date()
                try await w.run("""
                    INSERT INTO mail_preferences (user_id, disabled, updated_at) VALUES (\(bind: w["user.coord"]), 'digest', \(bind: now))
                    """)
                try await w.run("""
                    INSERT INTO mail_unsubscribe_tokens (user_id, event, token_hash, created_at, used_at)
                    VALUES (\(bind: w["user.coord"]), 'digest', 'sha256-of-token', \(bind: now), \(bind: now))
                    """)
            },
            verify: { w in
                try await w.expect("SELECT disabled FROM mail_preferences", "disabled", "digest")
            }),
        "v038_task_specifications": Fixture(
            counts: ["task_specs": 2, "mark_scales": 1, "task_benchmarks": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO task_specs (year, procedure, grade, subject, position, task, max_points, requirement, block, level)
                    VALUES (2022, 'VPR', 5, 'math', 1, '1', 1, 'Развитие представлений о числе', 'Числа', 'basic'),
                      (2022, 'VPR', 5, 'math', 2, '4.1', 2, NULL, NULL, 'advanced')
                    """)
                try await w.run("""
                    INSERT INTO mark_scales (year, procedure, grade, subject, mark, min_primary) VALUES (2022, 'VPR', 5, 'math', 3, 1)
                    """)
                try await w.run("""
                    INSERT INTO task_benchmarks (owner_region_id, year, procedure, grade, subject, task, level, name, percent)
                    VALUES (0, 2022, 'VPR', 5, 'math', '4.1', 'region', '', 41.5)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT max_points FROM task_specs WHERE task = '4.1'", "max_points", 2)
                try await w.expect("SELECT percent FROM task_benchmarks", "percent", 41.5)
            }),
        "v039_task_tallies": Fixture(
            counts: ["task_tallies": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO task_tallies (school_id, year, procedure, grade, subject, participants, tally)
                    VALUES (\(bind: w["school.A1"]), 2022, 'VPR', 5, 'math', 2,
                      '{"tasks":["1","4.1"],"points":[1,3],"not_attempted":[0,1],
                      "by_mark":[[0,0,0,0],[0,1,0,0],[0,0,0,0],[0,0,0,1],[0,0,0,0]]}')
                    """)
            },
            verify: { w in
                try await w.expect("SELECT participants FROM task_tallies", "participants", 2)
                let work = WorkKey(year: 2022, procedure: .vpr, grade: 5, subject: "math")
                let report = try await TaskRepository(db: w.db).report(work, for: .everything)
                XCTAssertEqual(report?.tasks.map(\.points), [1, 3])
                XCTAssertEqual(report?.histogram, [0, 1, 0, 1])
            }),
        "v042_survey_campaigns": Fixture(
            counts: ["survey_campaigns": 1, "survey_links": 2, "audit_log": 1],
            write: { w in
                let campaign = try await w.insert("survey_campaign", """
                    INSERT INTO survey_campaigns (questionnaire_id, questionnaire_code, title, region_id, municipality_id, starts_on,
                      ends_on, version, created_by, created_at)
                    VALUES (\(bind: w["questionnaire.parents"]), 'parents', 'Риски школ, сентябрь', NULL, \(bind: w["chern"]),
                      '2024-09-01', '2024-09-30', 1, 'coord', \(bind: Date())) RETURNING id
                    """)
                try await w.audit("create", "survey_campaign", campaign, "Создана кампания анкетирования «Риски школ, сентябрь»",
                                  municipality: w["chern"], region: w["region"])
                for (key, group) in [("survey_link.teacher", "teacher"), ("survey_link.parent", "parent")] {
                    try await w.insert(key, """
                        INSERT INTO survey_links (campaign_id, school_id, respondent_group, expected, token_hash)
                        VALUES (\(bind: campaign), \(bind: w["school.A1"]), \(bind: group), 12, \(bind: SurveyToken.hash(group)))
                        RETURNING id
                        """)
                }
            },
            verify: { w in
                try await w.expect("SELECT title FROM survey_campaigns", "title", "Риски школ, сентябрь")
                try await w.expect("SELECT expected FROM survey_links WHERE respondent_group = 'parent'", "expected", 12)
            }),
        "v043_survey_responses": Fixture(
            counts: ["survey_form_tokens": 1, "survey_responses": 1, "survey_answers": 2],
            write: { w in
                try await w.run("""
                    INSERT INTO survey_form_tokens (link_id, token_hash, issued_at, used_at)
                    VALUES (\(bind: w["survey_link.teacher"]), \(bind: SurveyToken.hash("form")), \(bind: Date()), \(bind: Date()))
                    """)
                let response = try await w.insert("survey_response", """
                    INSERT INTO survey_responses (link_id, answered_on) VALUES (\(bind: w["survey_link.teacher"]), '2024-09-03')
                    RETURNING id
                    """)
                try await w.run("""
                    INSERT INTO survey_answers (response_id, question_key, value, review)
                    VALUES (\(bind: response), 'q1', '2', NULL), (\(bind: response), 'q9', 'Мало времени', 'pending')
                    """)
            },
            verify: { w in
                try await w.expect("SELECT answered_on FROM survey_responses", "answered_on", "2024-09-03")
                try await w.expect("SELECT review FROM survey_answers WHERE question_key = 'q9'", "review", "pending")
            }),
        "v047_data_version": Fixture(
            counts: [:],
            write: { w in try await w.run("UPDATE data_version SET version = 41 WHERE id = 1") },
            verify: { w in try await w.expect("SELECT version FROM data_version", "version", 41) }),
        "v048_school_staffing": Fixture(
            counts: ["school_staffing": 1],
            write: { w in
                try await w.run("""
                    INSERT INTO school_staffing (school_id, year, tutor_staff, tutor_part_time, vacancies)
                    VALUES (\(bind: w["school.A1"]), 2024, 0, 2, NULL)
                    """)
            },
            verify: { w in
                try await w.expect("SELECT tutor_part_time FROM school_staffing WHERE year = 2024", "tutor_part_time", 2)
            }),
        "v049_programme_first_version_in_row": Fixture(
            counts: ["programmes": 1],
            write: { w in
                let passport = ProgrammePassport(name: "Программа одной версии", start: CalendarDay(year: 2024, month: 9, day: 1),
                                                 end: CalendarDay(year: 2025, month: 8, day: 31))
                let json = String(decoding: try JSONEncoder().encode(passport), as: UTF8.self)
                _ = try await w.insert("plan.kept", """
                    INSERT INTO programmes (code, level, region_id, municipality_id, school_id, passport_json, start_on, end_on,
                      order_number, order_date, band_high, band_medium, band_satisfactory, version, updated_at, updated_by,
                      adopted_note, adopted_by, adopted_at)
                    VALUES ('P49', 'municipality', \(bind: w["region"]), \(bind: w["chern"]), NULL, \(bind: json), '2024-09-01',
                      '2025-08-31', '3', '2024-08-20', 95, 53, 12, 1, \(bind: Date()), 'coord', 'загружена из файла «п.csv»',
                      'coord', \(bind: Date())) RETURNING id
                    """)
            },
            verify: { w in
                let repository = PlanRepository(db: w.db)
                let plan = try await repository.programme(code: "P49")
                let versions = try await repository.amendments(try XCTUnwrap(plan?.id))
                XCTAssertEqual(versions.map(\.note), ["загружена из файла «п.csv»"])
                XCTAssertEqual(versions.first?.orderNumber, "3")
                XCTAssertEqual(versions.first?.passport?.name, "Программа одной версии")
            }),
    ]

    func testADatabaseOfEveryEarlierVersionUpgradesWithEveryRecordIntact() async throws {
        let all = OporaMigrations.all
        let names = all.map(\.name)
        func write(_ step: Int, _ written: Written) async throws {
            do {
                try await Self.fixtures[names[step - 1]]?.write(written)
            } catch {
                XCTFail("writing \(names[step - 1])'s fixture: \(error)")
                throw error
            }
        }

        // SQLite: the database lives through every version once, and a copy is kept after each (VACUUM INTO); the
        // current version then opens each copy.
        let (_, folder) = try TestEngines.temporarySQLiteFile()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = { (step: Int) in folder.appendingPathComponent("v\(step).sqlite").path }
        let build = try await OporaStore.open(.sqliteFile(folder.appendingPathComponent("build.sqlite").path), migrations: [])
        let written = Written(db: build.db)
        do {
            for step in 1..<all.count {
                try await build.migrate(Array(all.prefix(step)))
                try await write(step, written)
                try await build.sql.raw("VACUUM INTO \(literal: copy(step))").run()
            }
        } catch {
            await build.close()
            throw error
        }
        await build.close()
        for end in 1..<all.count {
            let store = try await OporaStore.open(.sqliteFile(copy(end)), migrations: all)
            let upgraded = Written(db: store.db)
            upgraded.ids = written.ids
            do {
                try await verify(upgraded, upTo: Array(names.prefix(end)), version: "SQLite \(names[end - 1])", on: store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }

        // PostgreSQL: a database in use cannot be copied, so each version's database lives through its versions anew.
        guard let target = TestEngines.postgres else { return }
        for end in 1..<all.count {
            try await TestEngines.reset(target)
            let store = try await OporaStore.open(target, migrations: [])
            do {
                let written = Written(db: store.db)
                for step in 1...end {
                    try await store.migrate(Array(all.prefix(step)))
                    try await write(step, written)
                }
                try await store.migrate(all)
                try await verify(written, upTo: Array(names.prefix(end)), version: "PostgreSQL \(names[end - 1])", on: store)
            } catch {
                await store.close()
                throw EngineFailure(engine: target.displayName, underlying: error)
            }
            await store.close()
        }
        PostgresRunCounter.record(target)
    }

    func verify(_ written: Written, upTo applied: [String], version: String, on store: OporaStore) async throws {
        var expected = Self.seeded
        for name in applied {
            for (table, count) in Self.fixtures[name]?.counts ?? [:] { expected[table, default: 0] += count }
        }
        let tables = Set(Self.fixtures.values.flatMap(\.counts.keys)).union(Self.seeded.keys)
        for table in tables.sorted() {
            let count = try await written.count(table)
            XCTAssertEqual(count, expected[table] ?? 0, "\(version) → current: rows of \(table)")
        }
        for name in applied { try await Self.fixtures[name]?.verify(written) }

        // The commands' repositories answer on the upgraded data.
        if applied.contains("v005_results") {
            let results = try await ResultsRepository(db: store.db).results(ResultFilter(year: 2022), scope: .everything)
            XCTAssertEqual(results.count, applied.contains("v009_score_groups") ? 4 : 3, "\(version): stats")
            let identified = try await IdentificationRepository(db: store.db).identify(year: 2022, criteria: .pervouralsk,
                scope: .everything)
            XCTAssertEqual(identified.count, 3, "\(version): identify")
        }
        let report = await DatabaseChecker(db: store.db).run()
        XCTAssertTrue(report.ok, "\(version) → current: \(report.text)")
    }

    func testEveryMigrationThatMakesOrChangesATableHasAFixture() {
        // V013 changes how PostgreSQL stores a column: nothing to write for it. The newest migration's fixture is
        // kept too (never written, as nothing upgrades from it yet), so the next migration needs no change here.
        let without = OporaMigrations.all.map(\.name).filter { Self.fixtures[$0] == nil }
        XCTAssertEqual(without, ["v013_student_rows_storage"])
    }
}

/// A day as the application wrote it (midnight UTC).
private func day(_ text: String) -> Date { RussianFormat.parseDate(text)! }
