/// Normalises column names and values for comparison: case, spaces, ё, and typographic quotes.
public enum HeaderKey {
    public static func normalize(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isWhitespace || character == "_" {
                pendingSpace = !result.isEmpty
                continue
            }
            if "«»\"“”„'".contains(character) { continue }
            if pendingSpace { result.append(" "); pendingSpace = false }
            result.append(character == "ё" ? "е" : character)
        }
        return result
    }
}
