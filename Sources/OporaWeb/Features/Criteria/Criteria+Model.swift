import Fluent
import OporaData
import OporaDomain
import Vapor

/// Criteria sets per scope and year: the text (YAML or JSON), validated on save, with every version kept.
struct CriteriaPageModel {
    let year: Int
    let text: String
    let versions: [CriteriaSetModel]
    let inherited: Bool
    let canEdit: Bool
    let error: String?

    static func build(_ req: Request, text: String? = nil, error: String? = nil) async throws -> CriteriaPageModel {
        let user = try req.user
        let year = try req.queryYear() ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let repository = CriteriaRepository(db: req.db)
        let versions = try await repository.versions(year: year, scope: user.scope)
        let effective = try await repository.effective(year: year, scope: user.scope)
        let current = try text ?? versions.first?.body ?? effective?.1.body ?? CriteriaFile.yaml(.pervouralsk)
        let canEdit = user.role.canImport && { if case .schools = user.scope { return false } else { return true } }()
        return CriteriaPageModel(year: year, text: current, versions: versions, inherited: versions.isEmpty && effective != nil, canEdit: canEdit, error: error)
    }
}
