import Foundation
import OporaDomain
import Yams

/// Reads exit criteria (docs/EXITS.md) from YAML or JSON; a malformed text is refused with every problem in Russian.
public enum ExitCriteriaFile {
    public static func decode(_ text: String, name: String = "критерии выхода") throws -> ExitCriteria {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ExitCriteriaError.unreadable("\(name): текст пуст")
        }
        let criteria: ExitCriteria
        do {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
                criteria = try JSONDecoder().decode(ExitCriteria.self, from: Data(text.utf8))
            } else {
                criteria = try YAMLDecoder().decode(ExitCriteria.self, from: text)
            }
        } catch let error as DecodingError {
            throw ExitCriteriaError.unreadable("\(name): \(CriteriaFile.describe(error))")
        } catch {
            throw ExitCriteriaError.unreadable("\(name): не YAML и не JSON (\(String(describing: error).prefix(200)))")
        }
        try criteria.validate()
        return criteria
    }

    /// The criteria as YAML a person reads and edits (Cyrillic as it is).
    public static func yaml(_ criteria: ExitCriteria) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.sortKeys = false
        return try encoder.encode(criteria)
    }
}
