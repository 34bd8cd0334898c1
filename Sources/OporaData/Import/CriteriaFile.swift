import Foundation
import OporaDomain
import Yams

/// Reads a criteria set (docs/CRITERIA.md) from YAML or JSON, or names a preset ("preset:pervouralsk").
public enum CriteriaFile {
    public static func load(_ argument: String) throws -> CriteriaSet {
        if argument.hasPrefix("preset:") {
            let key = String(argument.dropFirst("preset:".count))
            guard let preset = CriteriaSet.preset(key) else {
                throw CriteriaError.unreadable("нет набора «\(key)»; есть: \(CriteriaSet.presets.keys.sorted().joined(separator: ", "))")
            }
            return preset
        }
        guard let data = FileManager.default.contents(atPath: argument) else {
            throw CriteriaError.unreadable("\(argument): файл не найден")
        }
        return try decode(String(decoding: data, as: UTF8.self), name: argument)
    }

    public static func decode(_ text: String, name: String = "критерии") throws -> CriteriaSet {
        let criteria: CriteriaSet
        do {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
                criteria = try JSONDecoder().decode(CriteriaSet.self, from: Data(text.utf8))
            } else {
                criteria = try YAMLDecoder().decode(CriteriaSet.self, from: text)
            }
        } catch let error as DecodingError {
            throw CriteriaError.unreadable("\(name): \(describe(error))")
        } catch {
            throw CriteriaError.unreadable("\(name): \(error)")
        }
        try criteria.validate()
        return criteria
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "весь текст" : "«" + context.codingPath.map(\.stringValue).joined(separator: ".") + "»"
        }
        /// What a person should have written there, by the type the key holds.
        func expected(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type, is Double.Type, is Int?.Type, is Double?.Type: return "ожидается число"
            case is String.Type, is String?.Type: return "ожидается текст"
            case is Bool.Type, is Bool?.Type: return "ожидается true или false"
            default:
                return String(describing: type).hasPrefix("Array") ? "ожидается список"
                    : "ожидается набор строк «ключ: значение», а не одно значение"
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "нет ключа «\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))»"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context)): \(expected(type))"
        case .dataCorrupted(let context): return "\(path(context).isEmpty ? "файл" : path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The set as YAML a person reads: Cyrillic as it is, not as \u escapes.
    public static func yaml(_ criteria: CriteriaSet) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.sortKeys = false
        return plainNumbers(try encoder.encode(criteria))
    }

    /// YAML numbers as a person writes them: `threshold: 30`, not the encoder's `3e+1` (issue 24, point 4).
    static func plainNumbers(_ yaml: String) -> String {
        let pattern = #"(?<=: |- |\[|, )-?[0-9]+(\.[0-9]+)?e[+-]?[0-9]+(?=$|,|\])"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return yaml }
        var text = yaml
        for match in regex.matches(in: yaml, range: NSRange(yaml.startIndex..., in: yaml)).reversed() {
            guard let range = Range(match.range, in: text), let value = Double(text[range]) else { continue }
            var plain = String(value)
            if plain.hasSuffix(".0") { plain.removeLast(2) }
            text.replaceSubrange(range, with: plain)
        }
        return text
    }
}
