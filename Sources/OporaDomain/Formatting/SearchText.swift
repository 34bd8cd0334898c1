import Foundation

/// How a typed query matches a name: case, «ё»/«е», repeated spaces and the order of words do not matter; every
/// word of the query must occur in the text («сош 5 берёз» finds «Берёзовская СОШ № 5»).
public struct SearchQuery: Sendable, Hashable {
    public let words: [String]

    public init(_ typed: String) {
        words = Self.fold(typed).split(whereSeparator: { $0.isWhitespace || "№«»\"',.;:()".contains($0) }).map(String.init)
    }

    public var isEmpty: Bool { words.isEmpty }
    /// One letter finds half the registry; a query needs two characters in all.
    public var isTooShort: Bool { words.joined().count < 2 }

    public func matches(_ texts: String?...) -> Bool { matches(texts.compactMap { $0 }) }

    public func matches(_ texts: [String]) -> Bool {
        guard !isEmpty else { return false }
        let haystack = texts.map(Self.fold).joined(separator: " ")
        return words.allSatisfy { haystack.contains($0) }
    }

    static func fold(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "ё", with: "е")
    }
}
