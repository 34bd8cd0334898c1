/// Writing CSV: the one quoting rule every exporter and generator uses (RFC 4180).
public enum CSVText {
    /// Quotes a cell when it holds the delimiter, a quote or a line break.
    public static func cell(_ text: String, delimiter: Character = ",") -> String {
        guard text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ cells: [String], delimiter: Character = ",") -> String {
        cells.map { cell($0, delimiter: delimiter) }.joined(separator: String(delimiter))
    }
}
