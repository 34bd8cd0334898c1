import Fluent
import OporaData
import OporaDomain
import Vapor

struct SchoolsController {
    func register(_ routes: any RoutesBuilder) {
        let schools = routes.grouped("schools")
        schools.get(use: list)
        schools.get("export.csv", use: exportCSV)
        schools.get("export.xlsx", use: exportXLSX)
        schools.get("new", use: newForm)
        schools.post(use: create)
        schools.get(":id", use: card)
        schools.get(":id", "edit", use: editForm)
        schools.post(":id", use: update)
    }

    @Sendable func list(_ req: Request) async throws -> HTMLNode {
        SchoolsView.list(try await req.cachedModel(SchoolsListModel.build), try req.pageContext())
    }

    @Sendable func card(_ req: Request) async throws -> HTMLNode {
        SchoolsView.card(try await SchoolCardModel.build(req, id: try req.intParameter("id")), try req.pageContext())
    }

    @Sendable func newForm(_ req: Request) async throws -> HTMLNode {
        let user = try req.require(\.canCreateSchools)
        let municipalities = try await municipalityOptions(user, req)
        var values = SchoolForm()
        values.municipality_id = municipalities.count == 1 ? municipalities[0].id : nil
        return SchoolsView.form(.init(id: nil, version: 0, values: values, municipalities: municipalities), try req.pageContext())
    }

    /// A new school: every problem beside its field, every value as typed (422); a municipality outside the scope is
    /// refused (403).
    @Sendable func create(_ req: Request) async throws -> Response {
        let user = try req.require(\.canCreateSchools)
        let municipalities = try await municipalityOptions(user, req)
        var check = FormCheck(req.formValues(), today: req.today)
        let fields = SchoolForm.fields(&check)
        if let fields, !municipalities.contains(where: { $0.id == fields.municipalityID }) {
            throw Abort(.forbidden, reason: "Муниципалитет вне вашей области доступа")
        }
        func refused(_ message: String?) async throws -> Response {
            let echo = check.echo(action: "/schools", message: message)
            return try await SchoolsView.form(.init(id: nil, version: 0, values: SchoolForm(values: check.values),
                                                    municipalities: municipalities, error: echo.message, fieldErrors: echo.fieldErrors),
                                              try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard let fields else { return try await refused(nil) }
        do {
            let school = try await RegistryRepository(db: req.db, actor: user.actor).createSchool(fields)
            return req.redirect(to: "/schools/\(school.id!)", flash: .success, "Школа добавлена")
        } catch let error as RepositoryError {
            return try await refused(check.absorb(error, inputs: SchoolForm.inputs))
        }
    }

    @Sendable func editForm(_ req: Request) async throws -> HTMLNode {
        let user = try req.require(\.canEditSchools)
        let school = try await req.schoolInScope(try req.intParameter("id"))
        let row = SchoolsListModel.Row(school)
        return SchoolsView.form(.init(id: row.id, version: row.version, values: SchoolForm(row),
                                      municipalities: try await municipalityOptions(user, req),
                                      mayChangeCode: SchoolCode.mayChange(role: user.role)),
                                try req.pageContext())
    }

    /// A school's card changed: every problem beside its field, every value as typed (422, or 409 when someone else
    /// saved first — the version stays the one the user started from, so a blind second submit conflicts again).
    @Sendable func update(_ req: Request) async throws -> Response {
        let user = try req.require(\.canEditSchools)
        let id = try req.intParameter("id")
        let school = try await req.schoolInScope(id)
        var check = FormCheck(req.formValues(), today: req.today)
        let form = SchoolForm(values: check.values)
        let municipalities = try await municipalityOptions(user, req)
        let mayChangeCode = SchoolCode.mayChange(role: user.role)
        let codeChanged = form.code.cleaned.map { $0 != school.code } ?? false
        if codeChanged && !mayChangeCode { throw Abort(.forbidden, reason: "Код ОО: " + SchoolCode.notAllowed) }
        let fields = SchoolForm.fields(&check)
        if let fields, !municipalities.contains(where: { $0.id == fields.municipalityID }) {
            throw Abort(.forbidden, reason: "Муниципалитет вне вашей области доступа")
        }
        func page(_ message: String?, _ status: HTTPStatus, confirmFrom: String? = nil) async throws -> Response {
            let echo = check.echo(action: "/schools/\(id)", message: message)
            return try await SchoolsView.form(.init(id: id, version: form.version ?? 0, values: form, municipalities: municipalities,
                                                    error: confirmFrom == nil ? echo.message : nil,
                                                    fieldErrors: echo.fieldErrors, mayChangeCode: mayChangeCode,
                                                    confirmCodeChangeFrom: confirmFrom),
                                              try req.pageContext()).encodeResponse(status: status, for: req)
        }
        guard let fields else { return try await page(nil, .unprocessableEntity) }
        if codeChanged && form.confirm_code != "1" {
            // The second step: the same form with what was typed, the warning and a box to confirm the new code.
            return try await page(nil, .conflict, confirmFrom: school.code)
        }
        do {
            try await RegistryRepository(db: req.db, actor: user.actor)
                .updateSchool(id: id, expectedVersion: form.version ?? 0, fields, role: user.role, codeConfirmed: form.confirm_code == "1")
            return req.redirect(to: "/schools/\(id)", flash: .success, "Изменения сохранены")
        } catch let error as RepositoryError {
            let status: HTTPStatus = error == .conflict(entity: "schools") ? .conflict : .unprocessableEntity
            return try await page(check.absorb(error, inputs: SchoolForm.inputs), status)
        }
    }

    @Sendable func exportCSV(_ req: Request) async throws -> Response {
        let rows = try await SchoolsListModel.rows(req)
        return TableExport.csv(SchoolsExport.table(rows), name: "schools")
    }

    @Sendable func exportXLSX(_ req: Request) async throws -> Response {
        let rows = try await SchoolsListModel.rows(req)
        return try TableExport.response(SchoolsExport.sheet(rows), format: .xlsx, name: "schools", sheet: "Школы")
    }

    func municipalityOptions(_ user: CurrentUser, _ req: Request) async throws -> [(id: Int, name: String)] {
        try await ScopeQueries.municipalities(user.scope, on: req.db).sort(\.$name).all().map { ($0.id!, $0.name) }
    }
}

/// The schools table in the `schools` import format, so an export can be edited and imported back.
enum SchoolsExport {
    static func table(_ rows: [SchoolsListModel.Row]) -> [[String]] {
        var table = [["code", "name", "municipality", "region", "short_name", "number", "settlement", "address", "director", "students",
                      "students_ovz"]]
        for row in rows {
            table.append([row.code, row.name, row.municipality, row.region, row.shortName ?? "", row.number ?? "", row.settlement ?? "",
                          row.address ?? "", row.director ?? "", row.students.map(String.init) ?? "",
                          row.studentsOVZ.map(String.init) ?? ""])
        }
        return table
    }

    /// The same table for a spreadsheet: pupil counts as numbers, so they sum and sort.
    static func sheet(_ rows: [SchoolsListModel.Row]) -> [[SheetCell]] {
        let counted = 9
        return table(rows).enumerated().map { index, row in
            row.enumerated().map { column, cell in
                index > 0 && column >= counted ? (Int(cell).map { .integer($0) } ?? .empty) : .text(cell)
            }
        }
    }
}
