import Foundation

/// A subject of the catalogue: a short stable code and its Russian names.
public struct SubjectDefinition: Sendable, Hashable, Codable {
    public let code: String
    public let name: String
    /// Other spellings officials use in their spreadsheets.
    public let aliases: [String]

    public init(code: String, name: String, aliases: [String] = []) {
        self.code = code
        self.name = name
        self.aliases = aliases
    }
}

public enum SubjectCatalogue {
    public static let standard: [SubjectDefinition] = [
        .init(code: "rus", name: "Русский язык", aliases: ["русский", "рус", "рус. яз.", "русский яз."]),
        .init(code: "math", name: "Математика", aliases: ["мат", "матем."]),
        .init(
            code: "math_base", name: "Математика (базовый уровень)", aliases: ["математика базовая", "математика (база)", "математика б"]),
        .init(
            code: "math_prof", name: "Математика (профильный уровень)",
            aliases: ["математика профильная", "математика (профиль)", "математика п"]),
        .init(code: "hist", name: "История", aliases: []),
        .init(code: "bio", name: "Биология", aliases: []),
        .init(code: "geo", name: "География", aliases: []),
        .init(code: "phys", name: "Физика", aliases: []),
        .init(code: "chem", name: "Химия", aliases: []),
        .init(code: "soc", name: "Обществознание", aliases: []),
        .init(code: "lit", name: "Литература", aliases: []),
        .init(code: "eng", name: "Английский язык", aliases: ["английский"]),
        .init(code: "inf", name: "Информатика", aliases: ["информатика и икт"]),
        .init(code: "world", name: "Окружающий мир", aliases: []),
        .init(code: "read", name: "Читательская грамотность", aliases: []),
        .init(code: "sci", name: "Естественнонаучная грамотность", aliases: []),
    ]

    /// Code → Russian name of the standard subjects (looked up for every group an import writes).
    public static let standardNames: [String: String] = Dictionary(uniqueKeysWithValues: standard.map { ($0.code, $0.name) })

    /// Resolves a code or a Russian name (case- and space-insensitive) against a list of subjects.
    public static func resolve(_ text: String, in subjects: [SubjectDefinition] = standard) -> SubjectDefinition? {
        let key = HeaderKey.normalize(text)
        return subjects.first { subject in
            HeaderKey.normalize(subject.code) == key || HeaderKey.normalize(subject.name) == key
                || subject.aliases.contains { HeaderKey.normalize($0) == key }
        }
    }
}
