import Fluent
import OporaData
import OporaDomain
import Vapor

extension PlanModel {
    /// The programme if the user's scope reads it; otherwise 404, so that other territories' plans stay unseen.
    static func load(_ req: Request, id: Int) async throws -> PlanModel {
        guard let plan = try await PlanRepository(db: req.db).programme(id, scope: try req.user.scope) else {
            throw Abort(.notFound, reason: "Программа не найдена")
        }
        return plan
    }

    func canChange(_ user: CurrentUser) -> Bool { ProgrammeAccess.canChange(place, role: user.role, scope: user.scope) }

    /// «Первоуральск», «Свердловская область» or the school's name.
    func territoryName(on db: any Database) async throws -> String {
        if let school = schoolID, let model = try await SchoolModel.find(school, on: db) { return model.displayName }
        if let municipality = municipalityID, let model = try await MunicipalityModel.find(municipality, on: db) { return model.name }
        if let region = regionID, let model = try await RegionModel.find(region, on: db) { return model.name }
        return ""
    }
}
