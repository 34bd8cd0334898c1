import Fluent
import OporaData
import OporaDomain
import Vapor

/// Criteria sets per scope and year as a form (thresholds, procedures, subjects, grades, the branches, the
/// typology), with the YAML text as the advanced view; every version kept.
struct CriteriaPageModel {
    let year: Int
    /// The form's values: the set in force, or what was typed into a refused form (`echo`).
    let fields: [String: String]
    /// A refused form: what was typed, and what is wrong beside each field.
    let echo: FormEcho?
    /// The advanced view: the set as YAML, or the text typed into a refused editor.
    let text: String
    let textError: String?
    /// Subjects offered as checkboxes: the catalogue's, then those of the set outside it.
    let subjects: [(code: String, name: String)]
    let versions: [CriteriaSetModel]
    /// Where the set shown comes from, in words («версия 3», «набор вышестоящего уровня», «правило по умолчанию»).
    let source: String
    let inherited: Bool
    let canEdit: Bool

    static let formAction = "/criteria/form"

    static func build(_ req: Request, year typedYear: Int? = nil, echo: FormEcho? = nil, text typedText: String? = nil,
                      textError: String? = nil) async throws -> CriteriaPageModel {
        let user = try req.user
        let year = try typedYear ?? req.queryYear() ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        let repository = CriteriaRepository(db: req.db)
        let versions = try await repository.versions(year: year, scope: user.scope)
        let effective = try await repository.effective(year: year, scope: user.scope)
        let criteria = effective?.0 ?? CriteriaSet.defaultRule(territory: user.scopeLabel)
        let source: String
        if let own = versions.first {
            source = "сохранённая версия \(own.version) (\(own.createdBy), \(RussianFormat.dateTime(own.createdAt)))"
        } else if let inherited = effective?.1 {
            source = "набор вышестоящего уровня «\(inherited.name)», версия \(inherited.version)"
        } else {
            source = CriteriaSet.defaultRuleName(territory: user.scopeLabel)
        }
        let names = try await ResultLabels.subjects(on: req.db)
        let catalogue = SubjectCatalogue.standard.map(\.code)
        let codes = catalogue + names.keys.filter { !catalogue.contains($0) }.sorted()
        let canEdit = user.role.canImport && { if case .schools = user.scope { return false } else { return true } }()
        return CriteriaPageModel(
            year: year, fields: echo?.values ?? CriteriaForm.fields(criteria, subjectCodes: codes), echo: echo,
            text: try typedText ?? versions.first?.body ?? effective?.1.body ?? CriteriaFile.yaml(criteria), textError: textError,
            subjects: codes.map { ($0, names[$0] ?? SubjectCatalogue.standardNames[$0] ?? $0) },
            versions: versions, source: source, inherited: versions.isEmpty && effective != nil, canEdit: canEdit)
    }
}
