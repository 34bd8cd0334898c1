import Fluent
import OporaData
import OporaDomain
import Vapor

struct SupportController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("support") { req async throws -> HTMLNode in
            SupportView.board(try await req.cachedModel(SupportBoardModel.build), try req.pageContext())
        }
        routes.get("schools", ":id", "support") { req async throws -> HTMLNode in
            var model = try await SchoolSupportModel.build(req, id: try req.intParameter("id"))
            model.vprDeficits = try await VprAnalysisRepository(db: req.db).deficits(place: .school(model.school.id!)).byRequirement
            return SupportView.school(model, try req.pageContext())
        }
        routes.get("support", "export.xlsx") { req async throws -> Response in
            let model = try await req.cachedModel(SupportBoardModel.build)
            return try TableExport.response(model.sheet, format: .xlsx, name: TableExport.fileName(["support", String(model.year)]), sheet: "Сопровождение")
        }
        routes.get("api", "support") { req async throws -> SupportAPI in SupportAPI(try await req.cachedModel(SupportBoardModel.build)) }
        routes.get("support", "network") { req async throws -> HTMLNode in
            SupportView.network(try await SupportNetworkModel.build(req), try req.pageContext())
        }
        routes.get("support", "mine") { req async throws -> HTMLNode in SupportView.mine(try await CuratorWorkModel.build(req), try req.pageContext()) }
        routes.post("support", "pairs", use: addPair)
        routes.post("support", "pairs", ":id", use: updatePair)
        routes.post("support", "visits", use: addVisit)
        routes.post("support", "visits", ":id", "done", use: done)
        routes.post("support", "curators", use: assignCurator)
        routes.post("support", "curators", ":id", "end", use: endAssignment)
        routes.post("support", "organisations", use: addOrganisation)
        routes.post("support", "organisations", ":id", "schools", use: setMembership)
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
                Row(code: $0.code, school: $0.school, status: $0.status?.rawValue, curators: $0.curators, mentor: $0.mentor, lastVisit: $0.lastVisit?.iso,
                    nextFollowUp: $0.nextFollowUp?.iso, overdue: $0.overdue, people: $0.people, personHours: $0.personHours, teamMeetsRule: $0.teamMeetsRule)
            }
        }
    }

    /// A form's answer: back to `path` with the change's message or the refusal's, 404 for what the scope does not hold.
    static func answer(_ req: Request, back path: String, _ change: () async throws -> String) async throws -> Response {
        do {
            return req.redirect(to: path, flash: .success, try await change())
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            return req.redirect(to: path, flash: .error, error.description)
        }
    }

    /// The page the form was sent from (a path of this site only, `SafeRedirect`), or `fallback`.
    static func referringPath(_ req: Request, fallback: String) -> String {
        SafeRedirect.referringPath(req.headers.first(name: .referer)) ?? fallback
    }

    @Sendable func assignCurator(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let schoolID = try FormInput.recordID(form["school"])
        return try await Self.answer(req, back: "/schools/\(schoolID)/support") {
            guard let from = try FormInput.day(form["from"], "С") else { throw RepositoryError.invalid(field: "С", message: "обязательно") }
            try await SupportRepository(db: req.db).assignCurator(
                .init(curatorID: try FormInput.recordID(form["curator"]), schoolID: schoolID, from: from, until: try FormInput.day(form["until"], "По"),
                      direction: try FormInput.name(form["direction"], "Направление", limit: 200)), scope: user.scope, actor: user.actor)
            return "Куратор закреплён"
        }
    }

    @Sendable func endAssignment(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let id = try req.intParameter("id")
        return try await Self.answer(req, back: Self.referringPath(req, fallback: "/support")) {
            guard let day = try FormInput.day(form["until"], "Дата окончания") else { throw RepositoryError.invalid(field: "Дата окончания", message: "обязательна") }
            try await SupportRepository(db: req.db).endAssignment(id, on: day, expectedVersion: Int(form["version"] ?? "") ?? 0, scope: user.scope, actor: user.actor)
            return "Куратор откреплён"
        }
    }

    @Sendable func addOrganisation(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        return try await Self.answer(req, back: "/support/network") {
            guard let kind = form["kind"].flatMap(OrganisationKind.init(rawValue:)) else { throw RepositoryError.invalid(field: "Вид", message: "выберите вид организации") }
            try await SupportRepository(db: req.db).addOrganisation(
                .init(kind: kind, name: form["name"] ?? "", parentID: try FormInput.optionalRecordID(form["parent"]), baseSchoolID: try FormInput.optionalRecordID(form["base_school"]),
                      note: try FormInput.text(form["note"], "Примечание", limit: 1000)), scope: user.scope, actor: user.actor)
            return "Организация добавлена"
        }
    }

    @Sendable func setMembership(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let member = form["member"] != "0"
        return try await Self.answer(req, back: "/support/network") {
            try await SupportRepository(db: req.db).setMembership(organisationID: try req.intParameter("id"), schoolID: try FormInput.recordID(form["school"]), member: member,
                                                                  scope: user.scope, actor: user.actor)
            return member ? "Школа включена" : "Школа исключена"
        }
    }

    @Sendable func setForecast(_ req: Request) async throws -> Response {
        let user = try req.user
        let form = try req.content.decode([String: String].self)
        guard let year = form["year"].cleaned.flatMap({ Int($0) }), InputRange.year.contains(year) else { throw Abort(.badRequest, reason: "Год: от 2000 до 2100") }
        guard let programme = try await PlanRepository(db: req.db).programme(try FormInput.recordID(form["programme"]), scope: user.scope) else { throw Abort(.notFound) }
        guard ProgrammeAccess.canChange(programme.place, role: user.role, scope: user.scope) else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        return try await Self.answer(req, back: "/support?year=\(year)") {
            var figures = SupportFigures()
            for field in SupportFigures.fields {
                guard let text = form[field.code].cleaned else { continue }
                guard let value = Int(text) else { throw RepositoryError.invalid(field: field.name, message: "ожидается целое число") }
                figures[keyPath: field.key] = value
            }
            try await SupportRepository(db: req.db).setForecast(programme: programme, year: year, figures: figures,
                                                                expectedVersion: Int(form["version"] ?? "") ?? -1, actor: user.actor)
            return "Прогноз сохранён"
        }
    }

    @Sendable func updatePair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let id = try req.intParameter("id")
        let back = Self.referringPath(req, fallback: "/support")
        return try await Self.answer(req, back: back) {
            guard let status = form["status"].flatMap(MentorPairStatus.init(rawValue:)) else { throw RepositoryError.invalid(field: "Состояние", message: "выберите из списка") }
            try await SupportRepository(db: req.db).updatePair(id, status: status, activities: form["activities"].cleaned, expectedVersion: Int(form["version"] ?? "") ?? 0,
                                                               scope: user.scope, actor: user.actor)
            return "Сохранено"
        }
    }

    @Sendable func addPair(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        return try await Self.answer(req, back: "/support") {
            guard let start = form["start_year"].cleaned.flatMap({ Int($0) }), let end = form["end_year"].cleaned.flatMap({ Int($0) }),
                  InputRange.year.contains(start), InputRange.year.contains(end) else {
                throw RepositoryError.invalid(field: "Период", message: "годы от 2000 до 2100")
            }
            guard start <= end else { throw RepositoryError.invalid(field: "Период", message: "окончание раньше начала") }
            let warnings = try await SupportRepository(db: req.db).addPair(
                .init(supportedID: try FormInput.recordID(form["supported"]), mentorID: try FormInput.recordID(form["mentor"]), period: start...end,
                      agreementNumber: try FormInput.name(form["agreement_number"], "Номер соглашения", limit: 100),
                      agreementDate: try FormInput.day(form["agreement_date"], "Дата соглашения"),
                      subject: try FormInput.text(form["subject"], "Предмет соглашения", limit: 1000),
                      link: try FormInput.name(form["link"], "Ссылка", limit: 1000)), scope: user.scope, actor: user.actor)
            return "Наставник закреплён" + (warnings.isEmpty ? "" : ". Внимание: " + warnings.joined(separator: "; "))
        }
    }

    @Sendable func addVisit(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let form = try req.content.decode([String: String].self)
        let schoolID = try FormInput.recordID(form["school"])
        return try await Self.answer(req, back: "/schools/\(schoolID)/support") {
            guard let day = try FormInput.day(form["date"], "Дата") else { throw RepositoryError.invalid(field: "Дата", message: "обязательна") }
            try await SupportRepository(db: req.db).addVisit(
                .init(schoolID: schoolID, day: day, visitor: try FormInput.name(form["visitor"], "Кто", limit: 300) ?? "",
                      format: form["format"].flatMap(VisitFormat.init(rawValue:)) ?? .onSite,
                      topic: try FormInput.text(form["topic"], "Тема", limit: 1000) ?? "",
                      findings: try FormInput.text(form["findings"], "Выводы", limit: 5000),
                      recommendations: try FormInput.text(form["recommendations"], "Рекомендации", limit: 5000),
                      followUp: try FormInput.text(form["follow_up"], "Поручение", limit: 2000),
                      followUpDue: try FormInput.day(form["follow_up_due"], "Срок")),
                scope: user.scope, actor: user.actor)
            return "Визит записан"
        }
    }

    @Sendable func done(_ req: Request) async throws -> Response {
        let user = try req.user
        guard user.role != .viewer else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        let id = try req.intParameter("id")
        let version = Int(try req.content.decode([String: String].self)["version"] ?? "") ?? 0
        return try await Self.answer(req, back: Self.referringPath(req, fallback: "/support")) {
            try await SupportRepository(db: req.db).closeFollowUp(id, expectedVersion: version, scope: user.scope, actor: user.actor)
            return "Отмечено исполненным"
        }
    }
}
