/// Writing CSV: the one rule every exporter, command and generator uses — cells protected against formula
/// injection (`FormulaGuard`, undone by the reader, so a written table imports back unchanged), then quoted
/// per RFC 4180 when they hold the delimiter, a quote or a line break.
public enum CSVText {
    public static func cell(_ text: String, delimiter: Character = ",") -> String {
        let protected = FormulaGuard.protect(text)
        guard protected.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return protected }
        return "\"" + protected.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ cells: [String], delimiter: Character = ",") -> String {
        cells.map { cell($0, delimiter: delimiter) }.joined(separator: String(delimiter))
    }
}
