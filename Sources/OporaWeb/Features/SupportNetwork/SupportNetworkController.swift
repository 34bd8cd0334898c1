import Fluent
import OporaData
import OporaDomain
import Vapor

/// The support network (`/support/network`): organisations, their schools and the diagram.
struct SupportNetworkController {
    func register(_ routes: any RoutesBuilder) {
        routes.get("support", "network") { req async throws -> HTMLNode in
            SupportNetworkView.page(try await SupportNetworkModel.build(req), try req.pageContext())
        }
        routes.post("support", "organisations", use: addOrganisation)
        routes.post("support", "organisations", ":id", "schools", use: setMembership)
    }

    /// A new organisation of the network; a refused one comes back as typed, each problem beside its field.
    @Sendable func addOrganisation(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        var check = FormCheck(req.formValues(), today: req.today)
        let kind = check.choice("kind", OrganisationKind.self)
        let name = check.name("name", limit: 300, required: true)
        let parentID = check.record("parent", "Выберите организацию", required: false)
        let baseSchoolID = check.school("base_school", required: false)
        let note = check.text("note", limit: 1000)
        let action = SupportNetworkView.organisationAction
        guard check.passed, let kind, let name else { return try await refused(req, check.echo(action: action)) }
        do {
            try await SupportRepository(db: req.db).addOrganisation(
                .init(kind: kind, name: name, parentID: parentID, baseSchoolID: baseSchoolID, note: note), scope: user.scope,
                    actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Наименование": "name", "Входит в": "parent", "Организация": "kind"])
            return try await refused(req, check.echo(action: action, message: message))
        }
        return req.redirect(to: "/support/network", flash: .success, "Организация добавлена")
    }

    /// The network page again with the refused form: 422.
    func refused(_ req: Request, _ echo: FormEcho) async throws -> Response {
        var model = try await SupportNetworkModel.build(req)
        model.echo = echo
        return try await SupportNetworkView.page(model, try req.pageContext()).encodeResponse(status: .unprocessableEntity, for: req)
    }

    /// A school of the scope put into an organisation or taken out of it: no school chosen comes back in that
    /// organisation's row with the message beside the chooser; an organisation or school the scope does not see is a 404.
    @Sendable func setMembership(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let organisationID = try req.intParameter("id")
        var check = FormCheck(req.formValues(), today: req.today)
        let schoolID = check.school("school")
        let member = check["member"] != "0"
        let action = SupportNetworkView.membershipAction(organisationID)
        guard check.passed, let schoolID else { return try await refused(req, check.echo(action: action)) }
        do {
            try await SupportRepository(db: req.db).setMembership(organisationID: organisationID, schoolID: schoolID, member: member,
                                                                  scope: user.scope, actor: user.actor)
        } catch let error as RepositoryError {
            if case .notFound = error { throw Abort(.notFound) }
            let message = check.absorb(error, inputs: ["Школа": "school"])
            return try await refused(req, check.echo(action: action, message: message))
        }
        return req.redirect(to: "/support/network", flash: .success, member ? "Школа включена" : "Школа исключена")
    }
}
