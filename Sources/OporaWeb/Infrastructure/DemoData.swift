import Foundation
import Fluent
import OporaData
import OporaDomain

/// Fills an empty database with the synthetic demo territory and one login per role.
public enum DemoData {
    public struct Login: Sendable {
        public let login: String
        public let password: String
        public let role: Role
        public let scope: String
    }

    public static func load(into db: any Database, bcryptCost: Int = 10) async throws -> [Login] {
        let actor = Actor(userID: nil, login: "демо-генератор")
        _ = try await SchoolImporter(db: db, actor: actor).write(DemoMunicipality.schools(), fileName: "demo-schools.csv")
        try await loadResults(into: db, actor: actor)
        try await QuestionnaireRepository(db: db).installPresets(actor: actor)
        let registry = RegistryRepository(db: db, actor: actor)
        let currentStart = max(2025, AcademicYearLabel.containing(.today()).startYear)
        for start in 2020...currentStart { try await registry.createAcademicYear(startYear: start, isCurrent: start == currentStart) }

        guard let region = try await RegionModel.query(on: db).filter(\.$name == DemoMunicipality.regionName).first(),
              let main = try await MunicipalityModel.query(on: db).filter(\.$name == DemoMunicipality.mainMunicipality).first()
        else { return [] }
        func schoolIDs(_ codes: [String]) async throws -> [Int] {
            try await SchoolModel.query(on: db).filter(\.$code ~~ codes).all().map { $0.id! }
        }
        let curated = ["KR020", "KR022", "KR023"]
        let plan: [(String, String, Role, Int?, Int?, [String], String)] = [
            ("analyst", "Соколова Марина Юрьевна", .regionalAnalyst, region.id, nil, [], region.name),
            ("coordinator", "Петрова Ирина Александровна", .municipalCoordinator, nil, main.id, [], main.name),
            ("curator", "Лебедева Ольга Петровна", .curator, nil, nil, curated, "6 школ"),
            ("director", "Волкова Татьяна Ивановна", .schoolAdmin, nil, nil, ["KR020"], "одна школа"),
            ("viewer", "Новикова Елена Николаевна", .viewer, nil, main.id, [], main.name),
        ]
        // Risk profiles of the schools the programme's rule flags for the latest year, and of the curator's schools.
        let latest = resultYears.last!
        let flagged = try await IdentificationRepository(db: db).identify(
            year: latest, criteria: .pervouralsk, scope: .municipality(main.id!)
        )
        .filter { $0.result.status != .none }.map(\.school.code)
        let rated = Set(flagged).union(curated).sorted()
        _ = try await ResultsImporter(db: db, actor: actor).writeRisks(
            DemoRisks.ratings(schools: rated, years: [latest - 1, latest]), fileName: "demo-risks.csv")
        var logins: [Login] = []
        for (login, name, role, regionID, municipalityID, codes, scope) in plan {
            let password = "demo-\(login)"
            try await AccountService.createUser(.init(login: login, fullName: name, password: password, role: role, regionID: regionID,
                                                      municipalityID: municipalityID, schoolIDs: try await schoolIDs(codes)),
                                                by: actor, bcryptCost: bcryptCost, on: db)
            logins.append(Login(login: login, password: password, role: role, scope: scope))
        }
        try await loadProgrammes(into: db, latest: latest)
        // The municipality's lists of the last two years, approved by order, so the programme's indicators and
        // participants have a list to refer to.
        let identification = IdentificationRepository(db: db)
        for year in [latest - 1, latest] {
            let identified = try await identification.identify(year: year, criteria: .pervouralsk, scope: .municipality(main.id!))
            _ = try await identification.approve(
                year: year, criteria: .pervouralsk, identified: identified, explanations: [:],
                scope: .municipality(main.id!), scopeLabel: main.name, orderNumber: "\(year == latest ? 214 : 198)-од",
                orderDate: RussianFormat.parseDate("15.10.\(year)") ?? Date(),
                issuer: "Управление образования администрации: \(main.name)", actor: actor)
        }
        try await loadPlan(into: db, latest: latest, municipality: main, participants: flagged.sorted())
        try await loadSupport(into: db, latest: latest, municipality: main, listed: flagged.sorted(), curated: curated)
        try await loadTasks(into: db, actor: actor)
        try await loadSurveys(into: db, municipality: main, curated: curated)
        return logins
    }

    /// One programme approved after a returned first version, and one returned with the curator's remarks, so
    /// a first look shows the review.
    static func loadProgrammes(into db: any Database, latest: Int) async throws {
        func actor(_ login: String) async throws -> Actor {
            Actor(userID: try await UserModel.query(on: db).filter(\.$login == login).first()?.id, login: login)
        }
        let director = ProgrammeRepository(db: db, actor: try await actor("director"))
        let curator = ProgrammeRepository(db: db, actor: try await actor("curator"))
        let schools = Dictionary(
            uniqueKeysWithValues: try await SchoolModel.query(on: db).filter(\.$code ~~ ["KR020", "KR022"]).all().map { ($0.code, $0.id!) })
        guard let returnedSchool = schools["KR020"], let approvedSchool = schools["KR022"] else { return }
        let period = (latest + 1)...(latest + 2)

        let approved = try await director.create(
            schoolID: approvedSchool, kind: .antiRisk, factor: 1, title: "Современная образовательная среда",
            period: period, content: DemoProgrammes.equipment(period))
        try await director.submit(approved.id!, expectedVersion: 1)
        if let first = try await curator.find(approved.id!, scope: .everything) {
            try await curator.comment(first, itemKey: "indicator.1", parentID: nil, text: "Укажите базовое значение за \(latest) год.",
                                      authorName: "Лебедева Ольга Петровна")
        }
        try await curator.decide(approved.id!, expectedVersion: 2, action: .returnForRevision)
        var revised = DemoProgrammes.equipment(period)
        revised.indicators[0].baseline = "38"
        try await director.save(approved.id!, expectedVersion: 3, content: revised)
        for comment in try await curator.comments(approved.id!) {
            try await director.setResolved(comment.id!, programme: approved, resolved: true)
        }
        try await director.submit(approved.id!, expectedVersion: 4)
        try await curator.decide(approved.id!, expectedVersion: 5, action: .approve)

        let returned = try await director.create(schoolID: returnedSchool, kind: .antiRisk, factor: 6, title: "Каждый ученик успешен",
                                                 period: period, content: DemoProgrammes.failureRisk(period))
        try await director.submit(returned.id!, expectedVersion: 1)
        if let programme = try await curator.find(returned.id!, scope: .everything) {
            try await curator.comment(
                programme, itemKey: "measure.2", parentID: nil,
                text: "«В течение года» — не срок: укажите, к какому месяцу будут готовы индивидуальные маршруты.",
                authorName: "Лебедева Ольга Петровна")
            try await curator.comment(
                programme, itemKey: "indicator.1", parentID: nil,
                text: "Целевое значение должно опираться на результаты ВПР \(latest) года.", authorName: "Лебедева Ольга Петровна")
        }
        try await curator.decide(returned.id!, expectedVersion: 2, action: .returnForRevision)
    }

    /// The municipal programme from the latest results year on, its roadmap as it stands today, two years of
    /// indicator values, and the coordinator's decisions on what went wrong.
    static func loadPlan(into db: any Database, latest: Int, municipality: MunicipalityModel, participants: [String]) async throws {
        let coordinator = Actor(
            userID: try await UserModel.query(on: db).filter(\.$login == "coordinator").first()?.id, login: "coordinator")
        let importer = PlanImporter(db: db, actor: coordinator, scope: .municipality(municipality.id!), role: .municipalCoordinator)
        _ = try await importer.writeProgrammes(
            [DemoPlan.programme(start: latest, municipality: municipality.name)], fileName: "программа.csv")
        _ = try await importer.writeRoadmap(DemoPlan.roadmap(start: latest, today: .today()), fileName: "дорожная-карта.csv")
        _ = try await importer.writeIndicators(DemoPlan.indicators(), fileName: "показатели.csv")
        _ = try await importer.writeValues(DemoPlan.values(years: [latest - 1, latest]), fileName: "значения.csv")
        let repository = PlanRepository(db: db)
        guard let plan = try await repository.programme(code: DemoPlan.code) else { return }
        // The amendment a year on: tasks, participants, results and basis written in, funding added.
        var passport = plan.passport
        passport.tasks = DemoPlan.tasks
        passport.participants = participants
        passport.expectedResults = DemoPlan.expectedResults
        passport.funding = ["\(latest + 1) — местный бюджет — 1 200 тыс. руб.", "\(latest + 2) — местный бюджет — 1 350 тыс. руб."]
        passport.basis = DemoPlan.basis
        try await repository.amend(
            plan.id!, expectedVersion: plan.version, passport: passport, orderNumber: "112-од",
            orderDate: CalendarDay(year: latest + 1, month: 3, day: 16), note: "по итогам мониторинга \(latest) года", actor: coordinator)
        let place = AuditPlace(regionID: plan.regionID, municipalityID: plan.municipalityID)
        let measures = try await repository.measures(plan.id!)
        if let late = measures.first(where: { $0.number == "2.5." }) {
            try await repository.createDecision(
                .init(
                    programmeID: plan.id, schoolID: nil, place: place, kind: .measure, findingRef: late.id,
                    finding: "Мероприятие № 2.5. «\(late.measure)» (срок «\(late.deadline)») — просрочено",
                    decision: "Поручить ИМЦ подобрать школы-наставники и представить проекты соглашений",
                    responsible: "ИМЦ", due: CalendarDay.today().adding(days: 30)), actor: coordinator)
        }
        let indicators = try await repository.indicators(plan.id!)
        if let gia = indicators.first(where: { $0.code == "2" }) {
            let decision = try await repository.createDecision(
                .init(
                    programmeID: plan.id, schoolID: nil, place: place, kind: .indicator, findingRef: gia.id,
                    finding: "Показатель 2 «\(gia.name)» за \(latest - 1) год: 91,4 при цели 95",
                    decision: "Организовать консультации по математике для выпускников ШНОР",
                    responsible: "отдел общего образования", due: CalendarDay(year: latest, month: 4, day: 30)),
                actor: coordinator)
            try await repository.closeDecision(
                decision.id!, expectedVersion: 1, status: .done,
                outcome: "Проведено 12 консультаций; доля преодолевших порог выросла до 94,6 %", actor: coordinator)
        }
    }

    /// A year of support: mentor schools for most listed schools (the lyceum and the gymnasium), the curator's visits
    /// with one follow-up late, and an events log where four schools sent a full team to a 32-hour course.
    static func loadSupport(
        into db: any Database, latest: Int, municipality: MunicipalityModel, listed: [String], curated: [String]
    ) async throws {
        let coordinator = Actor(
            userID: try await UserModel.query(on: db).filter(\.$login == "coordinator").first()?.id, login: "coordinator")
        let curator = Actor(userID: try await UserModel.query(on: db).filter(\.$login == "curator").first()?.id, login: "curator")
        let ids = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: db).all().map { ($0.code, $0.id!) })
        let support = SupportRepository(db: db)
        let scope = AccessScope.municipality(municipality.id!)
        let year = CalendarDay.today().year
        for (index, code) in listed.prefix(10).enumerated() {
            guard let supported = ids[code], let mentor = ids[index % 2 == 0 ? "KR003" : "KR005"] else { continue }
            try await support.addPair(
                .init(
                    supportedID: supported, mentorID: mentor, period: latest...(latest + 1), agreementNumber: "\(index + 1)-Н",
                    agreementDate: CalendarDay(year: latest, month: 9, day: 15),
                    subject: "методическое сопровождение по математике и русскому языку"),
                scope: scope, actor: coordinator)
        }
        let today = CalendarDay.today()
        for (index, code) in (curated + listed.prefix(3)).enumerated() {
            guard let school = ids[code] else { continue }
            let visited = today.adding(days: -60 + (index % 3) * 20)
            let visitor = index < curated.count ? "Лебедева О. П., куратор" : "Петрова И. А., координатор"
            try await support.addVisit(
                .init(
                    schoolID: school, day: visited, visitor: visitor, format: index == 1 ? .online : .onSite,
                    topic: "Анализ результатов ВПР и план по математике", findings: "Не сформирована группа риска в 5-х классах",
                    recommendations: "Составить индивидуальные маршруты для обучающихся группы риска",
                    followUp: "План работы с группой риска", followUpDue: visited.adding(days: 30)),
                scope: .everything, actor: curator)
        }
        var lines = ["event;title;kind;start;hours;organiser;school;role;count"]
        for (index, code) in listed.prefix(6).enumerated() {
            let teachers = index < 4 ? 5 : 3
            lines.append(
                "KPK-\(year);Управление качеством образования: школьная " +
                "команда;курсы;\(CalendarDay(year: year, month: 2, day: 12).russian);32;ИРО;\(code);учитель;\(teachers)"
            )
            lines.append(
                "KPK-\(year);Управление качеством образования: школьная " +
                "команда;курсы;\(CalendarDay(year: year, month: 2, day: 12).russian);32;ИРО;\(code);заместитель;1"
            )
        }
        for code in listed {
            lines.append(
                "SEM-\(year);Объективность оценивания " +
                "ВПР;семинар;\(CalendarDay(year: year, month: 3, day: 20).russian);4;ИМЦ;\(code);учитель;2"
            )
        }
        _ = try await Importer(db: db, actor: coordinator, scope: scope).importFile(
            .events, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "мероприятия.csv")
        try await loadNetwork(into: db, municipality: municipality, listed: listed, curated: curated, ids: ids, coordinator: coordinator)
    }

    /// The curator's assignments since September with one ended one kept in the history, the methodological centre
    /// with two support points, an association and a cluster, the staff of the listed schools (Tables 8 and 23 of
    /// the municipal programme's form) and the programme's forecast for this year.
    static func loadNetwork(into db: any Database, municipality: MunicipalityModel, listed: [String], curated: [String], ids: [String: Int],
                            coordinator: Actor) async throws {
        let today = CalendarDay.today()
        let september = CalendarDay(year: today.month >= 9 ? today.year : today.year - 1, month: 9, day: 1)
        let support = SupportRepository(db: db)
        let scope = AccessScope.municipality(municipality.id!)
        if let curator = try await UserModel.query(on: db).filter(\.$login == "curator").first() {
            try await db.sql.update(CuratorAssignmentModel.schema).set("start_on", to: september.iso).set(
                "direction", to: "математика и русский язык"
            )
            .where("user_id", .equal, curator.id!).run()
            if let former = listed.first(where: { !curated.contains($0) }).flatMap({ ids[$0] }) {
                try await support.assignCurator(
                    .init(
                        curatorID: curator.id!, schoolID: former, from: september.adding(days: -365), until: september.adding(days: -95),
                        direction: "объективность оценивания"), scope: scope, actor: coordinator)
            }
            // The curator also holds three listed schools, so the board does not read «не назначен» on every listed
            // school while the municipality has a curator (issue 24).
            for code in listed.filter({ !curated.contains($0) }).prefix(3) {
                guard let school = ids[code] else { continue }
                try await support.assignCurator(.init(curatorID: curator.id!, schoolID: school, from: september, direction: "математика"),
                                                scope: scope, actor: coordinator)
            }
        }
        let centre = try await support.addOrganisation(
            .init(kind: .centre, name: "Информационно-методический центр", note: "консультации и курсы для школьных команд"),
            scope: scope, actor: coordinator)
        let schoolsOf: [(OrganisationKind, String, Int?, String?, [String])] = [
            (
                .point, "Пункт сопровождения на базе лицея", centre.id, "KR003",
                Array(listed.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
            ),
            (
                .point, "Пункт сопровождения на базе гимназии", centre.id, "KR005",
                Array(listed.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
            ),
            (.association, "Городское методическое объединение учителей математики", nil, nil, Array(listed.prefix(8))),
            (.cluster, "Кластер сельских школ", nil, nil, listed.filter { (Int($0.dropFirst(2)) ?? 0) >= 10 }),
        ]
        for (kind, name, parent, base, members) in schoolsOf {
            let organisation = try await support.addOrganisation(
                .init(kind: kind, name: name, parentID: parent, baseSchoolID: base.flatMap { ids[$0] }),
                scope: scope, actor: coordinator)
            for code in members {
                if let school = ids[code] {
                    try await support.setMembership(
                        organisationID: organisation.id!, schoolID: school, member: true, scope: scope, actor: coordinator)
                }
            }
        }
        var staff = ["school;year;position;count;category;course_hours;course_topic;course_provider;deficit;route"]
        var specialists = [
            "ОО;Год;Социальный педагог;Тьютор;Педагог-психолог;Учитель-логопед;Учитель-дефектолог;Педагог-организатор;Педагог доп. " +
            "образования;Вакансии"
        ]
        for (index, code) in listed.enumerated() {
            for year in [today.year - 1, today.year] {
                let trained = 4 + (index + year) % 6
                staff.append("\(code);\(year);учитель;\(3 + index % 4);высшая;\(year == today.year ? 36 : 0);;;;")
                staff.append("\(code);\(year);учитель;\(trained);первая;36;Формирующее оценивание;ИРО;;")
                staff.append(
                    "\(code);\(year);учитель;\(2 + index % 3);соответствие занимаемой должности;72;Методика преподавания " +
                    "математики;ИРО;обучение решению задач;реализуется"
                )
                staff.append(
                    "\(code);\(year);учитель;\(1 + index % 2);без категории;;;;работа с группой " +
                    "риска;\(index % 2 == 0 ? "разработан" : "нет")"
                )
                staff.append("\(code);\(year);заместитель;1;первая;72;Управление качеством образования;ИРО;;")
            }
            specialists.append(
                "\(code);\(today.year);1\(index % 3 == 0 ? "*" : "");\(index % 2);1;\(index % 4 == 0 ? 0 : 1);0;\(index % 2);" +
                "\(1 + index % 3);\(2 + index % 5)"
            )
        }
        let importer = Importer(db: db, actor: coordinator, scope: scope)
        _ = try await importer.importFile(.staff, bytes: Array(staff.joined(separator: "\n").utf8), fileName: "кадры.csv")
        _ = try await importer.importFile(.specialists, bytes: Array(specialists.joined(separator: "\n").utf8), fileName: "специалисты.csv")
        if let programme = try await PlanRepository(db: db).programme(code: DemoPlan.code) {
            try await support.setForecast(
                programme: programme, year: today.year,
                figures: SupportFigures(teams: 6, people: 36, pairs: 10, points: 2, consultedSchools: 10),
                expectedVersion: 0, actor: coordinator)
        }
    }

    public static let resultYears = [2023, 2024, 2025]

    /// Three springs of ВПР, ОГЭ and ЕГЭ per student, with ЕГЭ thresholds.
    static func loadResults(into db: any Database, actor: Actor) async throws {
        let importer = ResultsImporter(db: db, actor: actor)
        let thresholds = resultYears.flatMap { year in
            SyntheticResults.egeThresholds.map {
                ThresholdRecord(line: 0, year: year, procedure: .ege, subject: $0.subject, grade: nil, threshold: $0.threshold)
            }
        }
        _ = try await importer.writeThresholds(thresholds, fileName: "demo-thresholds.csv")
        let profiles = DemoMunicipality.schools().map {
            SyntheticResults.profile(code: $0.code, students: $0.students ?? 0, rural: $0.settlement == .rural,
                                     selective: $0.name.contains("Лицей") || $0.name.contains("Гимназия"))
        }
        var records: [ScoreRecord] = []
        SyntheticResults.generate(profiles: profiles, years: resultYears, works: SyntheticResults.demoWorks, seed: 2025) {
            records.append($0)
        }
        try await importer.writeScores(records, label: "демо-данные \(resultYears.first!)–\(resultYears.last!)")

        // Social passport and the two index groups, consistent with each school's latent level.
        var context: [ContextRecord] = []
        let schools = Dictionary(uniqueKeysWithValues: DemoMunicipality.schools().map { ($0.code, $0) })
        for profile in profiles {
            var random = SeededRandom(seed: UInt64(profile.code.unicodeScalars.reduce(7) { $0 &* 31 &+ UInt64($1.value) }))
            let rural = schools[profile.code]?.settlement == .rural
            let isbs = min(11, max(1, Int((6 + profile.level * 3 - (rural ? 2 : 0) + random.double(-1.5...1.5)).rounded())))
            for year in resultYears {
                let quality = min(11, max(1, Int((6 + profile.level * 5 + random.double(-1...1)).rounded())))
                let shares: [(String, Double)] = [
                    ("single_parent", random.double(12...35) + (rural ? 5 : 0)),
                    ("parents_higher_ed", random.double(10...55) - (rural ? 12 : 0)),
                    ("parents_unemployed", random.double(2...14) + (rural ? 6 : 0)), ("deviant_registered", random.double(0...4)),
                ]
                context.append(
                    ContextRecord(year: year, school: profile.code, indicator: "isbs_group", text: String(isbs), number: Double(isbs)))
                context.append(
                    ContextRecord(
                        year: year, school: profile.code, indicator: "quality_group", text: String(quality), number: Double(quality)))
                for (indicator, value) in shares {
                    let share = (max(0, value) * 10).rounded() / 10
                    context.append(
                        ContextRecord(year: year, school: profile.code, indicator: indicator, text: String(share), number: share))
                }
            }
        }
        _ = try await importer.writeContext(context, fileName: "demo-context.csv")
    }
}
