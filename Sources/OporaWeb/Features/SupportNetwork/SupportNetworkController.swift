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

    @Sendable func addOrganisation(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        return try await SupportBoardController.answer(req, back: "/support/network") {
            guard let kind = form["kind"].flatMap(OrganisationKind.init(rawValue:))
                else { throw RepositoryError.invalid(field: "Вид", message: "выберите вид организации") }
            try await SupportRepository(db: req.db).addOrganisation(
                .init(kind: kind, name: form["name"] ?? "", parentID: try FormInput.optionalRecordID(form["parent"]),
                      baseSchoolID: try FormInput.optionalRecordID(form["base_school"]),
                      note: try FormInput.text(form["note"], "Примечание", limit: 1000)), scope: user.scope, actor: user.actor)
            return "Организация добавлена"
        }
    }

    @Sendable func setMembership(_ req: Request) async throws -> Response {
        let user = try req.require(\.canImport)
        let form = try req.content.decode([String: String].self)
        let member = form["member"] != "0"
        return try await SupportBoardController.answer(req, back: "/support/network") {
            try await SupportRepository(db: req.db).setMembership(organisationID: try req.intParameter("id"),
                                                                  schoolID: try FormInput.recordID(form["school"]), member: member,
                                                                  scope: user.scope, actor: user.actor)
            return member ? "Школа включена" : "Школа исключена"
        }
    }
}
