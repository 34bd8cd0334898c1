import Foundation
import OporaDomain
import Yams

/// Reads management directions (YAML or JSON): a list of `{code, name, factors}`, or the same list under
/// `directions:`, the shape `opora directions --format json` prints (its `schools` are ignored: they are derived).
public enum DirectionsFile {
    struct Wrapped: Decodable { let directions: [ManagementDirection] }

    public static func load(_ path: String) throws -> [ManagementDirection] {
        guard let data = FileManager.default.contents(atPath: path) else { throw DirectionsFileError("\(path): файл не найден") }
        return try decode(String(decoding: data, as: UTF8.self), name: path)
    }

    public static func decode(_ text: String, name: String = "направления") throws -> [ManagementDirection] {
        let directions: [ManagementDirection]
        do {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("[") {
                directions = try JSONDecoder().decode([ManagementDirection].self, from: Data(text.utf8))
            } else if trimmed.hasPrefix("{") {
                directions = try JSONDecoder().decode(Wrapped.self, from: Data(text.utf8)).directions
            } else if trimmed.hasPrefix("directions:") {
                directions = try YAMLDecoder().decode(Wrapped.self, from: text).directions
            } else {
                directions = try YAMLDecoder().decode([ManagementDirection].self, from: text)
            }
        } catch let error as DecodingError {
            throw DirectionsFileError("\(name): \(CriteriaFile.describe(error))")
        } catch {
            throw DirectionsFileError("\(name): \(error)")
        }
        let problems = ManagementDirection.problems(directions)
        guard problems.isEmpty else { throw DirectionsFileError("\(name): " + problems.joined(separator: "; ")) }
        return directions
    }
}

extension DirectionsFile {
    /// Directions as YAML a person edits: Cyrillic as it is, keys in the documented order.
    public static func yaml(_ directions: [ManagementDirection]) throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.sortKeys = false
        return try encoder.encode(directions)
    }
}

public struct DirectionsFileError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "Направления не читаются: \(reason)" }
}
