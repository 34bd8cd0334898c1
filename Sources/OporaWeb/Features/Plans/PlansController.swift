import Fluent
import OporaData
import OporaDomain
import Vapor

struct PlansController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("plans") { req async throws -> HTMLNode in
            PlansView.list(try await PlansListModel.build(req), try req.pageContext())
        }
        routes.post("plans", use: create)
        routes.get("plans", ":id") { req async throws -> HTMLNode in
            PlansView.page(try await PlanPageModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("plans", ":id", "amend", use: amend)
        routes.post("plans", ":id", "bands", use: bands)
        routes.get("plans", ":id", "roadmap") { req async throws -> HTMLNode in
            let id = try req.intParameter("id")
            return PlansView.roadmap(try await req.cachedModel { try await RoadmapPageModel.build($0, id: id) }, try req.pageContext())
        }
        routes.get("plans", ":id", "roadmap", "export.xlsx", use: exportXLSX)
        routes.get("plans", ":id", "roadmap", "export.docx", use: exportDOCX)
        routes.get("plans", ":id", "calendar") { req async throws -> HTMLNode in
            let id = try req.intParameter("id")
            return PlansView.calendar(try await req.cachedModel { try await RoadmapCalendarModel.build($0, id: id) }, try req.pageContext())
        }
        routes.get("plans", ":id", "measures", ":measure") { req async throws -> HTMLNode in
            let (plan, row) = try await measure(req)
            return PlansView.measure(plan, row, canChange: plan.canChange(try req.user), try req.pageContext())
        }
        routes.post("plans", ":id", "measures", ":measure", use: saveMeasure)
        routes.get("plans", ":id", "indicators") { req async throws -> HTMLNode in
            PlansView.indicators(try await IndicatorsPageModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("plans", ":id", "values", use: saveValue)
        for format in [ReportFormat.docx, .xlsx] {
            routes.get("plans", ":id", "indicators", "export.\(format.rawValue)") { req async throws -> Response in
                let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
                var headers = HTTPHeaders()
                headers.contentType = HTTPMediaType(type: format.mediaType.type, subType: format.mediaType.subType)
                headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["indicators", plan.code]) + "." + format.rawValue)
                let document = try await req.signed(try await req.reportBuilder.indicatorReport(plan))
                return Response(status: .ok, headers: headers, body: .init(data: try format.write(document)))
            }
        }
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

    /// The programme, refused with 403 unless the user may change it (the scope check of `load` comes first: 404).
    func changeable(_ req: Request) async throws -> (PlanModel, CurrentUser) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        let user = try req.user
        guard plan.canChange(user) else { throw Abort(.forbidden, reason: "Изменять эту программу может её ответственный орган") }
        return (plan, user)
    }

    func measure(_ req: Request) async throws -> (PlanModel, RoadmapRow) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        let measureID = try req.intParameter("measure")
        guard let model = try await MeasureModel.find(measureID, on: req.db), model.programmeID == plan.id else {
            throw Abort(.notFound, reason: "Мероприятие не найдено")
        }
        return (plan, RoadmapRow.rows([MeasureRow(model)], period: plan.period, today: .today())[0])
    }

    static func csv(_ header: [String], _ cells: [String]) -> [UInt8] {
        Array((CSVText.line(header) + "\n" + cells.map { CSVText.cell($0) }.joined(separator: ",")).utf8)
    }

    static func message(_ rejected: ImportRejected) -> String {
        rejected.errors.map { "\($0.column): \($0.message)" }.joined(separator: "; ")
    }

    // MARK: create and amend

    struct NewPlan: Content { var code: String?; var name: String?; var municipality: String?; var start: String?; var end: String?; var order_number: String?; var order_date: String? }

    /// The form becomes a `programmes` file, so the same checks, scope and audit apply as to an import.
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode(NewPlan.self)
        var territory = "", level = ProgrammeLevel.region
        if let text = form.municipality.cleaned {
            guard let id = Int(text), let municipality = try await ScopeQueries.municipalities(user.scope, on: req.db).filter(\.$id == id).first() else {
                throw Abort(.notFound, reason: "Муниципалитет не найден")
            }
            territory = municipality.name
            level = .municipality
        } else if case .region(let id) = user.scope, let region = try await RegionModel.find(id, on: req.db) {
            territory = region.name
        }
        do {
            let bytes = Self.csv(["code", "name", "start", "end", "level", "territory", "order_number", "order_date"],
                                 [try FormInput.name(form.code, "Код программы", limit: 64) ?? "",
                                  try FormInput.name(form.name, "Наименование", limit: PassportLimits.name) ?? "",
                                  form.start.cleaned ?? "", form.end.cleaned ?? "", level.rawValue, territory,
                                  try FormInput.name(form.order_number, "Номер приказа", limit: PassportLimits.orderNumber) ?? "",
                                  form.order_date.cleaned ?? ""])
            let parsed = try ImportParser.parse(.programmes, bytes: bytes, fileName: "форма", catalogues: .standard)
            guard case .programmes(let records) = parsed.content, let code = records.first?.code else { throw Abort(.badRequest) }
            if try await PlanRepository(db: req.db).programme(code: code) != nil {
                return req.redirect(to: "/plans", flash: .error, "Код программы: " + ProgrammeCode.taken(code))
            }
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope).write(parsed)
            guard let plan = try await PlanRepository(db: req.db).programme(code: code) else { throw Abort(.internalServerError) }
            return req.redirect(to: "/plans/\(plan.id!)", flash: .success, "Программа заведена")
        } catch let rejected as ImportRejected {
            return req.redirect(to: "/plans", flash: .error, Self.message(rejected))
        } catch let invalid as RepositoryError {
            return req.redirect(to: "/plans", flash: .error, invalid.description)
        }
    }

    struct Amendment: Content {
        var version: String?; var name: String?; var start: String?; var end: String?; var goal: String?; var tasks: String?
        var participants: String?; var expected_results: String?; var funding: String?; var basis: String?
        var order_number: String?; var order_date: String?; var note: String?
    }

    @Sendable func amend(_ req: Request) async throws -> Response {
        let (plan, user) = try await changeable(req)
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
        let (plan, user) = try await changeable(req)
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

    // MARK: measures

    @Sendable func saveMeasure(_ req: Request) async throws -> Response {
        let (plan, user) = try await changeable(req)
        let (_, row) = try await measure(req)
        let form = try req.content.decode([String: String].self)
        do {
            guard let status = form["status"].flatMap(MeasureStatus.init(rawValue:)) else {
                throw RepositoryError.invalid(field: "Статус", message: "ожидается \(MeasureStatus.accepted)")
            }
            let update = PlanRepository.MeasureUpdate(status: status, doneOn: try FormInput.day(form["done_on"], "Дата выполнения"), datedOn: try FormInput.day(form["dated_on"], "Назначенная дата"),
                                                      evidence: form["evidence"].cleaned, comment: form["comment"].cleaned)
            try await PlanRepository(db: req.db).updateMeasure(row.id, programme: plan, expectedVersion: Int(form["version"] ?? "") ?? 0, update, actor: user.actor)
            return req.redirect(to: "/plans/\(plan.id!)/roadmap#m\(row.id)", flash: .success, "Мероприятие № \(row.measure.number) сохранено")
        } catch let error as RepositoryError {
            // What was typed stays on the page; a stale form is a conflict, not a silent overwrite.
            let status: HTTPStatus = error == .conflict(entity: MeasureModel.schema) ? .conflict : .unprocessableEntity
            return try await PlansView.measure(plan, row, canChange: true, form: form, error: error.description, try req.pageContext())
                .encodeResponse(status: status, for: req)
        }
    }

    // MARK: indicator values

    @Sendable func saveValue(_ req: Request) async throws -> Response {
        let (plan, user) = try await changeable(req)
        let form = try req.content.decode([String: String].self)
        let back = "/plans/\(plan.id!)/indicators"
        let columns = ["indicator", "year", "phase", "value", "target", "presence", "dynamics", "documentation", "comment"]
        let bytes = Self.csv(["programme"] + columns, [plan.code] + columns.map { form[$0].cleaned ?? "" })
        do {
            let parsed = try ImportParser.parse(.indicatorValues, bytes: bytes, fileName: "форма", catalogues: .standard)
            guard case .indicatorValues(let records) = parsed.content else { throw Abort(.badRequest) }
            _ = try await PlanImporter(db: req.db, actor: user.actor, scope: user.scope, role: user.role).writeValues(records, fileName: "форма")
            return req.redirect(to: back, flash: .success, "Значение сохранено")
        } catch let rejected as ImportRejected {
            return req.redirect(to: back, flash: .error, Self.message(rejected))
        }
    }

    // MARK: exports

    func exportRows(_ req: Request) async throws -> (PlanModel, [RoadmapRow]) {
        let plan = try await PlanModel.load(req, id: try req.intParameter("id"))
        return (plan, RoadmapRow.rows(try await PlanRepository(db: req.db).measures(plan.id!), period: plan.period, today: .today()))
    }

    @Sendable func exportXLSX(_ req: Request) async throws -> Response {
        let (plan, rows) = try await exportRows(req)
        return try TableExport.response(RoadmapDocument.sheet(rows), format: .xlsx, name: TableExport.fileName(["roadmap", plan.code]), sheet: "Дорожная карта")
    }

    @Sendable func exportDOCX(_ req: Request) async throws -> Response {
        let (plan, rows) = try await exportRows(req)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.wordprocessingml.document")
        headers.contentDisposition = .init(.attachment, filename: TableExport.fileName(["roadmap", plan.code]) + ".docx")
        let signature = try await req.signature(issuer: try await req.reportBuilder.issuer(of: plan))
        let document = RoadmapDocument.word(plan, rows: rows, today: req.today, signature: signature)
        return Response(status: .ok, headers: headers, body: .init(data: try document.data()))
    }
}
