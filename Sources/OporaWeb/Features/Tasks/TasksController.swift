import OporaData
import OporaDomain
import Vapor

/// `/tasks`: «Анализ ВПР» of a school, a municipality or a region; `/tasks/objectivity`: the schools showing signs of
/// non-objectivity; `/tasks/report.docx|.xlsx`: «Анализ результатов ВПР» of a school or a municipality.
struct TasksController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("tasks") { req async throws -> HTMLNode in
            TasksView.page(try await TasksModel.build(req), try req.pageContext())
        }
        routes.get("tasks", "objectivity") { req async throws -> HTMLNode in
            TasksView.objectivity(try await TasksObjectivityModel.build(req), try req.pageContext())
        }
        routes.get("tasks", "course") { req async throws -> HTMLNode in
            TasksView.course(try await TasksCourseModel.build(req), try req.pageContext())
        }
        routes.post("tasks", "course") { req async throws -> Response in try await TasksCourseModel.save(req) }
        routes.post("programmes", ":id", "vpr-measures") { req async throws -> Response in try await addMeasure(req) }
        for format in [ReportFormat.docx, .xlsx] {
            routes.get("tasks", "report.\(format.rawValue)") { req async throws -> Response in
                try await report(req, format: format)
            }
        }
    }

    struct MeasureForm: Content { var requirement: String?; var version: String? }

    /// «Дефициты ВПР» on a school's programme: one click adds the measure `DeficitMeasure` words for a requirement the
    /// school has not mastered — only one of its deficits, only by who may edit, guarded by the programme's version.
    func addMeasure(_ req: Request) async throws -> Response {
        let user = try req.user
        let programme = try await ProgrammeModel.load(req, id: try req.intParameter("id"))
        guard ProgrammeWorkflow.allows(.edit, programme.programmeStatus, by: user.programmeParticipant) else {
            throw Abort(.forbidden, reason: "Изменить программу вам нельзя (\(programme.programmeStatus.russianName))")
        }
        let form = try req.content.decode(MeasureForm.self)
        let back = "/programmes/\(programme.id!)"
        // A refusal comes back as the programme's page with the reason in the deficits' box, beside the buttons.
        func refused(_ error: any Error, _ message: String) async throws -> Response {
            let echo = FormEcho(action: back + "/vpr-measures", values: req.formValues(), message: message)
            return try await ProgrammesController.refused(req, programme.id!, error, echo: echo)
        }
        let deficits = try await VprAnalysisRepository(db: req.db).deficits(place: .school(programme.$school.id)).byRequirement
        guard let group = deficits.first(where: { $0.name == form.requirement }) else {
            let message = "Не добавлено: у школы нет такого дефицита ВПР"
            return try await refused(Abort(.unprocessableEntity, reason: message), message)
        }
        var content = programme.content
        content.measures.append(DeficitMeasure.measure(requirement: group.name, where: group.tasks, year: programme.endYear))
        do {
            try await ProgrammeRepository(db: req.db, actor: user.actor)
                .save(programme.id!, expectedVersion: form.version.flatMap { Int($0) } ?? -1, content: content)
            return req.redirect(to: back, flash: .success, "Мероприятие по дефициту «\(group.name)» добавлено")
        } catch let error as RepositoryError {
            return try await refused(error, "Не добавлено: " + error.description)
        }
    }

    /// The document of the place in the query (404 outside the scope), for the year asked.
    func report(_ req: Request, format: ReportFormat) async throws -> Response {
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        let (place, label) = try await TasksModel.resolvePlace(req)
        let analysis = try await VprAnalysisRepository(db: req.db).analysis(place: place, title: label, year: year)
        let document = try await req.signed(ReportBuilder.vprAnalysis(analysis, place: place))
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: format.mediaType.type, subType: format.mediaType.subType)
        let name = TableExport.fileName(["vpr", label, String(year)])
        headers.contentDisposition = .init(.attachment, filename: name + "." + format.rawValue)
        return Response(status: .ok, headers: headers, body: .init(data: try format.write(document)))
    }
}

extension VprAnalysisRepository.Place {
    /// «% школы», «% муниципалитета», «% региона».
    var genitive: String {
        switch self {
        case .school: "школы"
        case .municipality: "муниципалитета"
        case .region: "региона"
        }
    }
}
