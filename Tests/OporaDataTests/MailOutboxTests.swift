import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// E-mail (issue 24): messages written in the change's own transaction to the outbox, only to people whose scope
/// holds the item, sent to a real SMTP server (the Python sink), retried after a failure, and a one-use unsubscribe.
final class MailOutboxTests: XCTestCase {
    struct World {
        let schools: [String: Int]
        let users: [String: UserModel]
        func actor(_ login: String) -> Actor { Actor(userID: users[login]!.id!, login: login) }
    }

    func prepare(_ store: OporaStore) async throws -> World {
        let schools = """
        code,name,municipality,region
        A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
        A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
        B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
        """
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        let schoolIDs = Dictionary(uniqueKeysWithValues: try await SchoolModel.query(on: store.db).all().map { ($0.code, $0.id!) })
        let municipalities = Dictionary(uniqueKeysWithValues: try await MunicipalityModel.query(on: store.db).all()
            .map { ($0.name, $0.id!) })
        let region = try await RegionModel.query(on: store.db).first()!.id!
        var users: [String: UserModel] = [:]
        func user(_ login: String, _ name: String, _ role: Role, region: Int? = nil, municipality: Int? = nil, school: String? = nil,
                  email: String? = nil) async throws {
            let model = UserModel(login: login, fullName: name, passwordHash: "x", role: role, regionID: region,
                                  municipalityID: municipality)
            model.email = email ?? "\(login)@example.ru"
            try await model.create(on: store.db)
            if let school {
                let link = UserSchoolModel()
                link.$user.id = model.id!
                link.$school.id = schoolIDs[school]!
                try await link.create(on: store.db)
            }
            users[login] = model
        }
        try await user("director-a1", "Волкова Татьяна Ивановна", .schoolAdmin, school: "A1")
        try await user("director-a2", "Смирнов Пётр Ильич", .schoolAdmin, school: "A2")
        try await user("director-b1", "Орлова Анна Сергеевна", .schoolAdmin, school: "B1")
        try await user("curator-a1", "Лебедева Ольга Петровна", .curator)
        try await user("curator-b1", "Зайцев Илья Андреевич", .curator)
        try await user("coord-chern", "Кузнецова Мария Павловна", .municipalCoordinator, municipality: municipalities["Чернский район"]!)
        try await user("coord-belev", "Новиков Олег Юрьевич", .municipalCoordinator, municipality: municipalities["Белёвский район"]!)
        try await user("analyst", "Морозова Елена Викторовна", .regionalAnalyst, region: region)
        try await user("viewer", "Наблюдатель", .viewer, region: region)
        let start = CalendarDay.today().adding(days: -30)
        let support = SupportRepository(db: store.db)
        try await support.assignCurator(.init(curatorID: users["curator-a1"]!.id!, schoolID: schoolIDs["A1"]!, from: start),
                                        scope: .everything, actor: .commandLine)
        try await support.assignCurator(.init(curatorID: users["curator-b1"]!.id!, schoolID: schoolIDs["B1"]!, from: start),
                                        scope: .everything, actor: .commandLine)
        return World(schools: schoolIDs, users: users)
    }

    func programme(_ store: OporaStore, _ world: World, school: String = "A1") async throws -> SchoolProgrammeModel {
        let content = ProgrammeContent(
            goal: "Повысить качество обучения математике", tasks: ["Снизить долю «2»"],
            measures: [ProgrammeMeasure(text: "Педсовет по результатам ВПР", deadline: "до 01.03.2027", responsible: "директор")],
            indicators: [ProgrammeIndicator(name: "Доля «2» по математике", unit: "%", baseline: "32", target: "не более 15")])
        return try await ProgrammeRepository(db: store.db, actor: world.actor("director-a1")).create(
            schoolID: world.schools[school]!, kind: .mediumTerm, factor: nil, title: "Программа развития 2027", period: 2027...2027,
            content: content)
    }

    func outbox(_ store: OporaStore, _ event: NotificationEvent) async throws -> [String] {
        try await MailOutboxModel.query(on: store.db).filter(\.$event == event.rawValue).sort(\.$id).all().map(\.recipient)
    }

    func testSubmittedReturnedAndAssignedReachOnlyTheirPeopleInScope() async throws {
        try await TestEngines.withEachStore { store in
            let world = try await self.prepare(store)
            // The curator is told of its school, and so is the school's director; nobody of another school.
            try await assertEqualAsync(try await self.outbox(store, .curatorAssigned),
                                       ["director-a1@example.ru", "curator-a1@example.ru",
                                        "director-b1@example.ru", "curator-b1@example.ru"])
            let programme = try await self.programme(store, world)
            let director = ProgrammeRepository(db: store.db, actor: world.actor("director-a1"))
            try await director.submit(programme.id!, expectedVersion: 1)
            try await assertEqualAsync(try await self.outbox(store, .programmeSubmitted),
                                       ["curator-a1@example.ru", "coord-chern@example.ru"])

            // A refused change writes no message: the outbox row lives and dies with its transaction.
            let before = try await MailOutboxModel.query(on: store.db).count()
            let reviewer = ProgrammeRepository(db: store.db, actor: world.actor("curator-a1"))
            do {
                try await reviewer.decide(programme.id!, expectedVersion: 1, action: .returnForRevision)
                XCTFail("a stale version is refused")
            } catch {}
            try await assertEqualAsync(try await MailOutboxModel.query(on: store.db).count(), before)

            try await reviewer.decide(programme.id!, expectedVersion: 2, action: .returnForRevision)
            try await assertEqualAsync(try await self.outbox(store, .programmeReturned), ["director-a1@example.ru"])
            let returned = try await MailOutboxModel.query(on: store.db).filter(\.$event == "programme_returned").first()!
            XCTAssertEqual(returned.subject, "Программа возвращена на доработку: МКОУ «Липицкая СОШ»")
            XCTAssertTrue(returned.body.contains("Проверивший: Лебедева О. П.")
                          || returned.body.contains("Проверивший: Лебедева Ольга Петровна"),
                          returned.body)
            XCTAssertTrue(returned.body.contains("Ссылка: http://localhost:8080/programmes/\(programme.id!)"), returned.body)
            XCTAssertTrue(returned.body.contains("/unsubscribe/"))
        }
    }

    func testMessagesReachARealSMTPServerAndAFailingOneIsRetried() async throws {
        try await TestEngines.withEachStore { store in
            let world = try await self.prepare(store)
            let programme = try await self.programme(store, world)
            try await ProgrammeRepository(db: store.db, actor: world.actor("director-a1")).submit(programme.id!, expectedVersion: 1)
            try await ProgrammeRepository(db: store.db, actor: world.actor("coord-chern"))
                .decide(programme.id!, expectedVersion: 2, action: .returnForRevision)
            let queued = try await MailOutboxModel.query(on: store.db).count()

            // A server answering «451» to every message: nothing is marked sent, each waits for its next attempt.
            let failing = try SMTPSink(failing: true)
            let settings = SMTPSettings(host: "127.0.0.1", port: failing.port, from: "opora@example.ru", timeout: 10)
            let now = Date()
            let first = try await MailSender(db: store.db, client: SMTPClient(settings: settings)).sendDue(now: now)
            failing.stop()
            XCTAssertEqual(first.failed, queued)
            XCTAssertEqual(first.sent, 0)
            let waiting = try await MailOutboxModel.query(on: store.db).all()
            XCTAssertTrue(waiting.allSatisfy { $0.sentAt == nil && $0.attempts == 1 && $0.nextAttemptAt > now },
                          "\(waiting.map(\.lastError))")
            XCTAssertTrue(waiting.first?.lastError?.contains("451") ?? false, "\(String(describing: waiting.first?.lastError))")
            // Not yet due: nothing is tried.
            let early = try await MailSender(db: store.db, client: SMTPClient(settings: settings)).sendDue(now: now.addingTimeInterval(10))
            XCTAssertEqual(early, MailSender.Outcome())

            // The server is back on the same port: the retry delivers everything once.
            let sink = try SMTPSink(port: failing.port)
            defer { sink.stop() }
            let later = now.addingTimeInterval(MailRetry.delay(afterAttempt: 1) + 1)
            let second = try await MailSender(db: store.db, client: SMTPClient(settings: settings)).sendDue(now: later)
            XCTAssertEqual(second.sent, queued)
            let again = try await MailSender(db: store.db, client: SMTPClient(settings: settings))
                .sendDue(now: later.addingTimeInterval(7200))
            XCTAssertEqual(again.sent, 0, "a sent message is not sent again")

            let mails = try sink.received()
            XCTAssertEqual(mails.count, queued)
            XCTAssertTrue(mails.allSatisfy { $0.from == "opora@example.ru" })
            // Each curator and director was told of its own school's assignment; of the programme only A1's people are.
            XCTAssertEqual(Set(mails.filter { $0.subject.hasPrefix("Назначен куратор") }.flatMap(\.to)),
                           ["director-a1@example.ru", "curator-a1@example.ru", "director-b1@example.ru", "curator-b1@example.ru"])
            let everyone = Set(mails.filter { $0.subject.hasPrefix("Программа") }.flatMap(\.to))
            XCTAssertEqual(everyone, ["director-a1@example.ru", "curator-a1@example.ru", "coord-chern@example.ru"])
            XCTAssertFalse(everyone.contains("director-b1@example.ru"), "another school's director gets nothing")
            XCTAssertFalse(everyone.contains("coord-belev@example.ru"), "another municipality's coordinator gets nothing")
            XCTAssertFalse(everyone.contains("curator-b1@example.ru"), "another school's curator gets nothing")
            XCTAssertFalse(everyone.contains("viewer@example.ru"))

            let submitted = try XCTUnwrap(mails.first { $0.subject.hasPrefix("Программа на проверку") })
            XCTAssertEqual(submitted.subject, "Программа на проверку: МКОУ «Липицкая СОШ»")
            XCTAssertTrue(["curator-a1@example.ru", "coord-chern@example.ru"].contains(submitted.to.first ?? ""))
            XCTAssertTrue(submitted.body.contains("Программа «Программа развития 2027» (МКОУ «Липицкая СОШ») отправлена на проверку"),
                          submitted.body)
            let returned = try XCTUnwrap(mails.first { $0.subject.hasPrefix("Программа возвращена") })
            XCTAssertEqual(returned.to, ["director-a1@example.ru"])
            XCTAssertTrue(returned.body.contains("ответьте на замечания"), returned.body)
            XCTAssertTrue(returned.body.contains("/programmes/\(programme.id!)"))
            XCTAssertEqual(returned.headers["content-transfer-encoding"], "base64")
            XCTAssertTrue(returned.headers["list-unsubscribe"]?.contains("/unsubscribe/") ?? false)
        }
    }

    func testDigestAndOverdueMeasuresAreQueuedOncePerDay() async throws {
        try await TestEngines.withEachStore { store in
            let world = try await self.prepare(store)
            let programme = try await self.programme(store, world)
            try await ProgrammeRepository(db: store.db, actor: world.actor("director-a1")).submit(programme.id!, expectedVersion: 1)
            try await ProgrammeRepository(db: store.db, actor: world.actor("curator-a1"))
                .decide(programme.id!, expectedVersion: 2, action: .returnForRevision)
            let importer = Importer(db: store.db, actor: .commandLine)
            _ = try await importer.importFile(.programmes, bytes: Array("""
            code;name;start;end;level;territory
            CHR;Программа повышения качества образования;01.09.2023;31.08.2024;municipality;Чернский район
            """.utf8), fileName: "programmes.csv")
            _ = try await importer.importFile(.roadmap, bytes: Array("""
            programme;number;measure;deadline;status
            CHR;1;Анализ результатов ВПР;до 01.02.2024;planned
            CHR;2;Семинар для заместителей;до 01.06.2024;planned
            """.utf8), fileName: "roadmap.csv")
            let today = CalendarDay(year: 2024, month: 3, day: 15)
            let queued = try await DailyMail.queue(on: store.db, today: today)
            XCTAssertGreaterThan(queued, 0)
            try await assertEqualAsync(try await self.outbox(store, .measureOverdue), ["coord-chern@example.ru", "analyst@example.ru"])
            let overdue = try await MailOutboxModel.query(on: store.db).filter(\.$event == "measure_overdue").first()!
            XCTAssertEqual(overdue.subject, "Просрочены мероприятия: Программа повышения качества образования")
            XCTAssertTrue(overdue.body.contains("• 1 Анализ результатов ВПР"), overdue.body)
            XCTAssertFalse(overdue.body.contains("Семинар"), "not yet due")

            let digests = try await MailOutboxModel.query(on: store.db).filter(\.$event == "digest").all()
            let director = try XCTUnwrap(digests.first { $0.recipient == "director-a1@example.ru" })
            XCTAssertTrue(director.body.contains("Программы, возвращённые на доработку (1):"), director.body)
            XCTAssertTrue(director.body.contains("/programmes/\(programme.id!)"))
            XCTAssertFalse(digests.contains { $0.recipient == "director-a2@example.ru" }, "nothing waits for A2's director")
            XCTAssertFalse(digests.contains { $0.recipient == "viewer@example.ru" })
            let coordinator = try XCTUnwrap(digests.first { $0.recipient == "coord-chern@example.ru" })
            XCTAssertTrue(coordinator.body.contains("Просроченные мероприятия дорожных карт (1):"), coordinator.body)
            XCTAssertTrue(coordinator.body.contains("/plans/"), coordinator.body)
            XCTAssertFalse(digests.contains { $0.recipient == "coord-belev@example.ru" }, "Белёвский район has nothing of Чернский")

            try await assertEqualAsync(try await DailyMail.queue(on: store.db, today: today), 0, "the same day queues nothing twice")
        }
    }

    func testUnsubscribeLinkWorksOnceAndStopsThatEvent() async throws {
        try await TestEngines.withEachStore { store in
            let world = try await self.prepare(store)
            let programme = try await self.programme(store, world)
            try await ProgrammeRepository(db: store.db, actor: world.actor("director-a1")).submit(programme.id!, expectedVersion: 1)
            let message = try await MailOutboxModel.query(on: store.db).filter(\.$recipient == "curator-a1@example.ru")
                .filter(\.$event == "programme_submitted").first()!
            let token = String(try XCTUnwrap(message.unsubscribeURL).split(separator: "/").last!)
            let preferences = MailPreferences(db: store.db)
            try await assertEqualAsync(try await preferences.unsubscribe(token: token), .programmeSubmitted)
            try await assertEqualAsync(try await preferences.unsubscribe(token: token), nil, "a token works once")
            try await assertEqualAsync(try await preferences.unsubscribe(token: "0" + token.dropFirst()), nil)
            try await assertEqualAsync(try await preferences.disabled(userID: world.users["curator-a1"]!.id!), [.programmeSubmitted])

            try await ProgrammeRepository(db: store.db, actor: world.actor("coord-chern"))
                .decide(programme.id!, expectedVersion: 2, action: .returnForRevision)
            try await ProgrammeRepository(db: store.db, actor: world.actor("director-a1")).submit(programme.id!, expectedVersion: 3)
            try await assertEqualAsync(try await self.outbox(store, .programmeSubmitted),
                                       ["curator-a1@example.ru", "coord-chern@example.ru", "coord-chern@example.ru"])

            // An address is checked: nothing that could add a recipient or a header.
            do {
                try await preferences.setAddress(userID: world.users["viewer"]!.id!, "a@b.ru\r\nRCPT TO:<x@y.ru>", actor: .commandLine)
                XCTFail("refused")
            } catch let error as RepositoryError {
                XCTAssertTrue("\(error)".contains("адрес электронной почты"), "\(error)")
            }
        }
    }

    /// A remark longer than its limit is refused whole by the repository, whoever calls it; never stored cut short.
    func testARemarkOverItsLimitIsRefusedNotCut() async throws {
        try await TestEngines.withEachStore { store in
            let world = try await self.prepare(store)
            let programme = try await self.programme(store, world)
            let curator = ProgrammeRepository(db: store.db, actor: world.actor("curator-a1"))
            let limit = ProgrammeRepository.remarkLimit
            do {
                try await curator.comment(programme, itemKey: "goal", parentID: nil, text: String(repeating: "я", count: limit + 1),
                                          authorName: "Лебедева О. П.")
                XCTFail("a remark over the limit is refused")
            } catch let error as RepositoryError {
                XCTAssertTrue("\(error)".contains(TextInput.tooLongMessage(limit: 4000, length: 4001)), "\(error)")
            }
            // Said as the form says it, and a right-to-left override is refused here too, not only by the form.
            do {
                try await curator.comment(programme, itemKey: "goal", parentID: nil, text: "срок \u{202E}2027",
                                          authorName: "Лебедева О. П.")
                XCTFail("a bidirectional override is refused")
            } catch let error as RepositoryError {
                XCTAssertTrue("\(error)".contains("недопустимый символ"), "\(error)")
            }
            try await assertEqualAsync(try await ProgrammeCommentModel.query(on: store.db).count(), 0)
            let whole = String(repeating: "ё", count: limit)
            let saved = try await curator.comment(programme, itemKey: "goal", parentID: nil, text: "  \(whole)\n",
                                                  authorName: "Лебедева О. П.")
            XCTAssertEqual(saved.text, whole)
            struct Summary: Decodable { let summary: String }
            let audited = try await store.db.sql.raw("SELECT summary FROM audit_log WHERE action = 'comment' ORDER BY id DESC")
                .first(decoding: Summary.self)
            XCTAssertEqual(audited?.summary.hasPrefix("Замечание к программе «Программа развития 2027» (Цель): ёёё"), true,
                           "the item named as the page names it: \(audited?.summary.prefix(80) ?? "")")
            // A key that names no item is refused, however long: it is not cut to one that might.
            do {
                try await curator.comment(programme, itemKey: "goal" + String(repeating: "x", count: 100), parentID: nil, text: "да",
                                          authorName: "Лебедева О. П.")
                XCTFail("an unknown item is refused")
            } catch let error as RepositoryError {
                XCTAssertTrue("\(error)".contains("нет такого пункта программы"), "\(error)")
            }
        }
    }
}
