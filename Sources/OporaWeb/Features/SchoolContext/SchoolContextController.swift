import Fluent
import OporaData
import OporaDomain
import Vapor

struct SchoolContextController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("schools", ":id", "context") { req async throws -> HTMLNode in
            SchoolContextView.page(try await SchoolContextModel.build(req, id: try req.intParameter("id")), try req.pageContext())
        }
        routes.post("schools", ":id", "context", use: save)
    }

    @Sendable func save(_ req: Request) async throws -> Response {
        let user = try req.require(\.canEditSchools)
        let id = try req.intParameter("id")
        let school = try await req.schoolInScope(id)
        guard let year = try req.queryYear() else { throw Abort(.badRequest, reason: "Не указан год") }
        let form = try req.content.decode([String: String].self)
        // The form becomes a `context` file, so the same checks and messages apply as to an import.
        var lines = ["year,school,indicator,value"]
        let cell = { (text: String) in CSVText.cell(text) }
        for (key, value) in form.sorted(by: { $0.key < $1.key }) where key.hasPrefix("v_") {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            lines.append([String(year), cell(school.code), cell(String(key.dropFirst(2))), cell(trimmed)].joined(separator: ","))
        }
        if let code = form["new_code"].cleaned, let value = form["new_value"].cleaned {
            lines.append([String(year), cell(school.code), cell(code), cell(value)].joined(separator: ","))
        }
        let back = "/schools/\(id)/context?year=\(year)"
        guard lines.count > 1 else { return req.redirect(to: back, flash: .error, "Нечего сохранять") }
        do {
            _ = try await Importer(db: req.db, actor: user.actor, scope: user.scope)
                .importFile(.context, bytes: Array(lines.joined(separator: "\n").utf8), fileName: "форма")
            return req.redirect(to: back, flash: .success, "Сохранено")
        } catch let rejected as ImportRejected {
            return req.redirect(to: back, flash: .error, rejected.errors.map { "\($0.column): \($0.message)" }.joined(separator: "; "))
        }
    }
}
