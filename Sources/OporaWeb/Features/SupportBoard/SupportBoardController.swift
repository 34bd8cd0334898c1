import Fluent
import OporaData
import OporaDomain
import Vapor

/// The support board (`/support`): its export, its JSON and the forms on it — a curator assigned, a mentor pair
/// formed, a programme's forecast set.
struct SupportBoardController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("support") { req async throws -> HTMLNode in
            SupportBoardView.page(try await req.cachedModel(SupportBoardModel.build), try req.pageContext())
        }
        routes.get("support", "export.xlsx") { req async throws -> Response in
            let model = try await req.cachedModel(SupportBoardModel.build)
            return try TableExport.response(model.sheet, format: .xlsx, name: TableExport.fileName(["support", String(model.year)]),
                                            sheet: "Сопровождение")
        }
        routes.get("api", "support") { req async throws -> SupportAPI in SupportAPI(try await req.cachedModel(SupportBoardModel.build)) }
        routes.post("support", "pairs", use: addPair)
        routes.post("support", "curators", use: assignCurator)
        routes.post("support", "forecasts", use: setForecast)
    }

    /// The board as JSON for other software: the same rows and scope as the page.
    struct SupportAPI: Content {
        struct Row: Content {
            let code: String, school: String, status: String?, curators: [String], mentor: String?
            let lastVisit: String?, nextFollowUp: String?, overdue: Int, people: Int, personHours: Double, teamMeetsRule: Bool
        }
        let year: Int
        let teams: Int
        let teamPeople: Int
        let withoutMentor: [String]
        let schools: [Row]

        init(_ model: SupportBoardModel) {
            year = model.year
            teams = model.teams.teams
            teamPeople = model.teams.people
            withoutMentor = model.withoutMentor
            schools = model.rows.map {
                Row(code: $0.code, school: $0.school, status: $0.status?.rawValue, curators: $0.curators, mentor: $0.mentor,
                    lastVisit: $0.lastVisit?.iso,
                    nextFollowUp: $0.nextFollowUp?.iso, overdue: $0.overdue, people: $0.people, personHours: $0.personHours,
                        teamMeetsRule: $0.teamMeetsRule)
            }
        }
    }

    /// A refused form of the board — or of a school's tab when `school` is given — shown again with every value as
    /// typed: 422, or 409 when someone else saved first.
    static func refused(_ req: Request, _ echo: FormEcho, school: Int? = nil, status: HTTPStatus = .unprocessableEntity)
    async throws -> Response {
        if let school {
            var model = try await SchoolSupportModel.build(req, id: school)
            model.vprDeficits = try await VprAnalysisRepository(db: req.db).deficits(place: .school(school)).byRequirement
            model.echo = echo
            return try await SchoolSupportView.page(model, try req.pageContext()).encodeResponse(status: status, for: req)
        }
        var model = try await SupportBoardModel.build(req)
        model.echo = echo
        return try await SupportBoardView.page(model, try req.pageContext()).encodeResponse(status: status, for: req)
    }

    /// A curator and a school chosen by name; from today by default, until an optional day not before it.
    @Sendable func assignCurator(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        var check = FormCheck(req.formValues(), today: req.today)
        let curatorID = check.record("curator", "Выберите куратора")
        let schoolID = check.school("school")
        // A school outside the scope is a 404 before anything typed is looked at, as on every page.
        if let schoolID { _ = try await req.schoolInScope(schoolID) }
        let from = check.day("from", required: true)
        let until = check.day("until")
        if let from, let until, until < from { check.refuse("until", "раньше начала (\(from.russian))") }
        let direction = check.name("direction", limit: 200)
        let action = SupportBoardView.curatorAction
        guard check.passed, let curatorID, let schoolID, let from else { return try await Self.refused(req, check.echo(action: action)) }
        do {
            try await SupportRepository(db: req.db).assignCurator(
                .init(curatorID: curatorID, schoolID: schoolID, from: from, until: until, direction: direction),
                scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Куратор": "curator"])
            return try await Self.refused(req, check.echo(action: action, message: message))
        }
        return req.redirect(to: "/schools/\(schoolID)/support", flash: .success, "Куратор закреплён")
    }

    /// A programme's forecast figures for a year: whole numbers from 0 to 100 000; a refused or stale form comes back
    /// in its programme's block as typed (422, or 409 when someone else saved first).
    @Sendable func setForecast(_ req: Request) async throws -> Response {
        let user = try req.user
        var check = FormCheck(req.formValues(), today: req.today)
        guard let year = check["year"].flatMap({ Int($0) }), InputRange.year.contains(year)
            else { throw Abort(.badRequest, reason: "Год: от 2000 до 2100") }
        guard let programme = try await PlanRepository(db: req.db).programme(try FormInput.recordID(check["programme"]),
                                                                             scope: user.scope) else { throw Abort(.notFound) }
        guard ProgrammeAccess.canChange(programme.place, role: user.role, scope: user.scope)
            else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        var figures = SupportFigures()
        for field in SupportFigures.fields { figures[keyPath: field.key] = check.integer(field.code, in: 0...100_000) }
        let action = SupportBoardView.forecastAction
        guard check.passed else { return try await Self.refused(req, check.echo(action: action)) }
        do {
            let version = check["version"].flatMap { Int($0) } ?? -1
            try await SupportRepository(db: req.db).setForecast(programme: programme, year: year, figures: figures,
                                                                expectedVersion: version, actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let inputs = Dictionary(uniqueKeysWithValues: SupportFigures.fields.map { ($0.name, $0.code) })
            let message = check.absorb(error, inputs: inputs)
            var status = HTTPStatus.unprocessableEntity
            if case .conflict = error { status = .conflict }
            return try await Self.refused(req, check.echo(action: action, message: message), status: status)
        }
        return req.redirect(to: "/support?year=\(year)", flash: .success, "Прогноз сохранён")
    }

    /// Two schools chosen by name: a school is never its own mentor (refused beside the mentor's field), the period
    /// runs forward, the agreement's date is a date.
    @Sendable func addPair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        var check = FormCheck(req.formValues(), today: req.today)
        let supportedID = check.school("supported")
        if let supportedID { _ = try await req.schoolInScope(supportedID) }
        let mentorID = check.school("mentor")
        if let supportedID, supportedID == mentorID {
            check.refuse("mentor", "Школа не может быть наставником самой себе: выберите другую школу")
        }
        let start = check.integer("start_year", in: InputRange.year, required: true)
        let end = check.integer("end_year", in: InputRange.year, required: true)
        if let start, let end, end < start { check.refuse("end_year", "раньше начала (\(start))") }
        let number = check.name("agreement_number", limit: 100)
        let agreementDate = check.day("agreement_date")
        let subject = check.text("subject", limit: 1000)
        let link = check.name("link", limit: 1000)
        let action = SupportBoardView.pairAction
        guard check.passed, let supportedID, let mentorID, let start, let end else {
            return try await Self.refused(req, check.echo(action: action))
        }
        let warnings: [String]
        do {
            warnings = try await SupportRepository(db: req.db).addPair(
                .init(supportedID: supportedID, mentorID: mentorID, period: start...end, agreementNumber: number,
                      agreementDate: agreementDate, subject: subject, link: link), scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Пара": "mentor", "Ссылка на соглашение": "link"])
            return try await Self.refused(req, check.echo(action: action, message: message))
        }
        return req.redirect(to: "/support", flash: .success,
                            "Наставник закреплён" + (warnings.isEmpty ? "" : ". Внимание: " + warnings.joined(separator: "; ")))
    }
}
