import Fluent
import OporaData
import OporaDomain
import Vapor

/// A territory's management directions for a year as a form (code, name, factors), the YAML text as the
/// advanced view; its versions, and whether the user may save.
struct DirectionsPageModel: Sendable {
    let year: Int
    /// The form's values: the directions in force, or what was typed into a refused form (`echo`).
    let fields: [String: String]
    let echo: FormEcho?
    let text: String
    let textError: String?
    let factors: [RiskFactor]
    let versions: [DirectionSetModel]
    /// Where the directions shown come from, in words.
    let source: String
    let inherited: Bool
    let canEdit: Bool

    static let formAction = "/risks/directions/form"

    static func build(_ req: Request, year typedYear: Int? = nil, echo: FormEcho? = nil, text typedText: String? = nil,
                      textError: String? = nil) async throws -> DirectionsPageModel {
        let user = try req.user
        let year = try typedYear ?? req.queryYear() ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let repository = DirectionsRepository(db: req.db)
        let versions = try await repository.versions(year: year, scope: user.scope)
        let effective = try await repository.effective(year: year, scope: user.scope)
        let source: String
        if let own = versions.first {
            source = "сохранённая версия \(own.version) (\(own.createdBy), \(RussianFormat.dateTime(own.createdAt)))"
        } else if let saved = effective.saved {
            source = "направления вышестоящего уровня, версия \(saved.version)"
        } else {
            source = CriteriaSet.isPervouralsk(user.scopeLabel)
                ? "направления по умолчанию (программа Первоуральска 2023–2025)" : "направления по умолчанию"
        }
        let canEdit = user.role.canImport && { if case .schools = user.scope { return false } else { return true } }()
        return DirectionsPageModel(
            year: year, fields: echo?.values ?? DirectionsForm.fields(effective.directions), echo: echo,
            text: try typedText ?? versions.first?.body ?? effective.saved?.body ?? DirectionsFile.yaml(effective.directions),
            textError: textError, factors: try await RiskRepository(db: req.db).factors(), versions: versions, source: source,
            inherited: versions.isEmpty, canEdit: canEdit)
    }
}
