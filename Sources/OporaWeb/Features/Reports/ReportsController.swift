import Fluent
import OporaData
import OporaDomain
import Vapor

struct ReportsController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("reports") { req async throws -> HTMLNode in
            ReportsView.page(try await ReportsModel.build(req), try req.pageContext())
        }
        routes.get("reports", "school", use: school)
        routes.get("reports", "note", use: note)
        routes.get("reports", "appendix.docx", use: appendix)
        registerShapes(routes)
        registerProgrammeResults(routes)
        routes.get("reports", "order.docx", use: order)
    }

    func format(_ req: Request) throws -> ReportFormat {
        ReportFormat(rawValue: try req.queryChoice("format", from: ReportFormat.allCases.map(\.rawValue), default: "docx"))!
    }

    func year(_ req: Request) throws -> Int {
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        return year
    }

    func respond(_ document: ReportDocument, format: ReportFormat, name: String) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: format.mediaType.type, subType: format.mediaType.subType,
                                            parameters: format == .html ? ["charset": "utf-8"] : [:])
        if format != .html { headers.contentDisposition = .init(.attachment, filename: name + "." + format.rawValue) }
        return Response(status: .ok, headers: headers, body: .init(data: try format.write(document)))
    }

    /// A school's card: the school must be in the user's scope (404 otherwise).
    @Sendable func school(_ req: Request) async throws -> Response {
        guard let id = try req.queryInt("school", in: InputRange.id, "школа") else { throw Abort(.badRequest, reason: "Не указана школа") }
        let school = try await req.schoolInScope(id)
        let year = try year(req), format = try format(req)
        let document = try await req.signed(try await req.reportBuilder.schoolCard(schoolID: id, year: year))
        return try respond(document, format: format, name: TableExport.fileName(["school", school.code, String(year)]))
    }

    /// A municipality's note: only for a scope that holds the municipality whole.
    @Sendable func note(_ req: Request) async throws -> Response {
        let user = try req.user
        guard let id = try req.queryInt("municipality", in: InputRange.id, "муниципалитет") else {
            throw Abort(.badRequest, reason: "Не указан муниципалитет")
        }
        guard try await ReportsModel.noteMunicipalities(req, user: user).contains(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "Муниципалитет не найден")
        }
        let year = try year(req), format = try format(req)
        let document = try await req.signed(try await req.reportBuilder.municipalNote(municipalityID: id, year: year))
        return try respond(document, format: format, name: TableExport.fileName(["note", String(id), String(year)]))
    }

    @Sendable func appendix(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ReportsModel.canAppendix(user) else { throw Abort(.forbidden, reason: "Перечень формирует орган управления образованием") }
        let year = try year(req)
        let document = try await req.signed(
            try await req.reportBuilder.identificationAppendix(year: year, scope: user.scope, scopeLabel: user.scopeLabel))
        return try respond(document, format: .docx, name: TableExport.fileName(["appendix", String(year)]))
    }

    /// «Приказ об утверждении перечня …» with its appendix, from the order in force for the user's territory.
    @Sendable func order(_ req: Request) async throws -> Response {
        let user = try req.user
        guard ReportsModel.canAppendix(user) else { throw Abort(.forbidden, reason: "Перечень формирует орган управления образованием") }
        let year = try year(req)
        guard let order = try await req.reportBuilder.listOrder(year: year, scope: user.scope, scopeLabel: user.scopeLabel) else {
            throw Abort(.notFound, reason: ReportBuilder.noOrderMessage(year: year, scopeLabel: user.scopeLabel))
        }
        return try respond(try await req.signed(order), format: .docx, name: TableExport.fileName(["order", String(year)]))
    }
}
