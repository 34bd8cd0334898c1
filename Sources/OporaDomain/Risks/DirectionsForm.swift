import Foundation

/// Management directions as the rows of a form (code, name, factors as checkboxes), the YAML being the advanced
/// view: the fields a list fills in, and the list read back — or, per field, what is wrong in Russian. A row left
/// wholly empty is no direction (so the form offers empty rows to add one, and clearing a row removes it).
public enum DirectionsForm {
    public static let rowsField = "rows"

    public static func codeField(_ row: Int) -> String { "code_\(row)" }
    public static func nameField(_ row: Int) -> String { "name_\(row)" }
    public static func factorField(_ row: Int, _ factor: Int) -> String { "factor_\(row)_\(factor)" }
    /// Where a row's factor problem is shown (the checkboxes share it).
    public static func factorsField(_ row: Int) -> String { "factors_\(row)" }

    /// Empty rows offered below the list, to add directions.
    public static let spareRows = 2

    public static func fields(_ directions: [ManagementDirection]) -> [String: String] {
        var fields = [rowsField: String(directions.count + spareRows)]
        for (row, direction) in directions.enumerated() {
            fields[codeField(row)] = direction.code
            fields[nameField(row)] = direction.name
            for factor in direction.factors { fields[factorField(row, factor)] = "1" }
        }
        return fields
    }

    /// The number of rows a form holds (refused forms come back with as many as were sent).
    public static func rowCount(_ fields: [String: String]) -> Int {
        min(max(Int(fields[rowsField] ?? "") ?? 0, 0), 200)
    }

    public static func read(_ fields: [String: String]) -> Result<[ManagementDirection], CriteriaForm.Refused> {
        var errors: [String: String] = [:]
        var directions: [ManagementDirection] = []
        var seen: [String: Int] = [:]
        func text(_ field: String) -> String { (fields[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        for row in 0..<rowCount(fields) {
            let code = text(codeField(row)), name = text(nameField(row))
            let factors = RiskFactor.numbers.filter { !text(factorField(row, $0)).isEmpty }
            if code.isEmpty && name.isEmpty && factors.isEmpty { continue }
            if code.isEmpty {
                errors[codeField(row)] = "укажите код направления (латинские строчные буквы, например staff_shortage)"
            } else if code.range(of: "^[a-z][a-z0-9_]{0,63}$", options: .regularExpression) == nil {
                errors[codeField(row)] = "«\(code)» — код пишется латинскими строчными буквами, цифрами и «_», например staff_shortage"
            } else if let first = seen[code] {
                errors[codeField(row)] = "код «\(code)» уже есть в строке \(first + 1)"
            } else {
                seen[code] = row
            }
            if name.isEmpty { errors[nameField(row)] = "укажите название направления" } else if name.count > 300 {
                errors[nameField(row)] = "название длиннее 300 знаков"
            }
            if factors.isEmpty { errors[factorsField(row)] = "отметьте хотя бы один фактор риска" }
            directions.append(ManagementDirection(code: code, name: name, factors: Array(factors)))
        }
        if directions.isEmpty && errors.isEmpty { errors[codeField(0)] = "нужно хотя бы одно направление" }
        return errors.isEmpty ? .success(directions) : .failure(CriteriaForm.Refused(errors))
    }
}
