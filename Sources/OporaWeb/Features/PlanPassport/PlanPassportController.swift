import Fluent
import OporaData
import OporaDomain
import Vapor

struct PlanPassportController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans", ":id") { req async throws -> HTMLNode in
            PlansView.page(try await PlanPageModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("plans", ":id", "amend", use: amend)
        routes.post("plans", ":id", "bands", use: bands)
        // The passport as the document the authority approves (issue 19), in the user's scope like the page.
        routes.get("plans", ":id", "passport.docx") { req async throws -> Response in
            let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: ReportFormat.docx.mediaType.type, subType: ReportFormat.docx.mediaType.subType)
            headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["passport", plan.code]) + ".docx")
            let document = try await req.signed(try await req.reportBuilder.programmePassport(plan))
            return Response(status: .ok, headers: headers, body: .init(data: try ReportFormat.docx.write(document)))
        }
    }

    struct Amendment: Content {
        var version: String?; var name: String?; var start: String?; var end: String?; var goal: String?; var tasks: String?
        var participants: String?; var expected_results: String?; var funding: String?; var basis: String?
        var order_number: String?; var order_date: String?; var note: String?
    }

    @Sendable func amend(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        let form = try req.content.decode(Amendment.self)
        let back = "/plans/\(plan.id!)"
        guard let start = form.start.cleaned.flatMap(CalendarDay.init(parsing:)), let end = form.end.cleaned.flatMap(CalendarDay.init(parsing:)) else {
            return req.redirect(to: back, flash: .error, "Срок: начало и окончание — даты ДД.ММ.ГГГГ")
        }
        var orderDate: CalendarDay? = nil
        if let text = form.order_date.cleaned {
            guard let day = CalendarDay(parsing: text) else { return req.redirect(to: back, flash: .error, "Дата приказа: ожидается ДД.ММ.ГГГГ") }
            orderDate = day
        }
        do {
            func lines(_ text: String?, _ field: String) throws -> [String] {
                ProgrammePassport.lines(try FormInput.text(text, field, limit: PassportLimits.list) ?? "")
            }
            let passport = ProgrammePassport(name: try FormInput.name(form.name, "Наименование", limit: PassportLimits.name) ?? "",
                                             start: start, end: end,
                                             goal: try FormInput.text(form.goal, "Цель", limit: PassportLimits.goal) ?? "",
                                             tasks: try lines(form.tasks, "Задачи"),
                                             participants: try lines(form.participants, "Участники"),
                                             expectedResults: try lines(form.expected_results, "Ожидаемые результаты"),
                                             funding: try lines(form.funding, "Финансирование"), basis: try lines(form.basis, "Основания"))
            try await PlanRepository(db: req.db).amend(
                plan.id!, expectedVersion: Int(form.version ?? "") ?? 0, passport: passport,
                orderNumber: try FormInput.name(form.order_number, "Номер приказа", limit: PassportLimits.orderNumber) ?? "",
                orderDate: orderDate, note: try FormInput.text(form.note, "Примечание", limit: PassportLimits.note), actor: user.actor)
            return req.redirect(to: back + "#changes", flash: .success, "Изменения сохранены новой редакцией")
        } catch let error as RepositoryError {
            return req.redirect(to: back, flash: .error, error.description)
        }
    }

    struct Bands: Content { var version: String?; var high: String?; var medium: String?; var satisfactory: String? }

    @Sendable func bands(_ req: Request) async throws -> Response {
        let (plan, user) = try await PlansController.changeable(req)
        let form = try req.content.decode(Bands.self)
        let back = "/plans/\(plan.id!)"
        guard let high = form.high.cleaned.flatMap({ Int($0) }), let medium = form.medium.cleaned.flatMap({ Int($0) }),
              let satisfactory = form.satisfactory.cleaned.flatMap({ Int($0) }), [high, medium, satisfactory].allSatisfy({ (0...10_000).contains($0) }) else {
            return req.redirect(to: back, flash: .error, "Уровни: целые числа баллов")
        }
        do {
            try await PlanRepository(db: req.db).setBands(plan.id!, expectedVersion: Int(form.version ?? "") ?? 0,
                                                          bands: ScoreBands(high: high, medium: medium, satisfactory: satisfactory), actor: user.actor)
            return req.redirect(to: back, flash: .success, "Уровни эффективности сохранены")
        } catch let error as RepositoryError {
            return req.redirect(to: back, flash: .error, error.description)
        }
    }
}
