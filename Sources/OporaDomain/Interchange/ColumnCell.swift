import Foundation

/// A column of a file's header found once per file and then read on every row by its position (issue 18: at a
/// million rows a dozen lookups by name per row, and Foundation's trimming of every text, cost more than the rest
/// of the parse). Reads exactly as `RowReader`'s methods by name do, with the same messages.
public struct ColumnCell: Sendable {
    public let name: String
    let position: Int?

    public init(_ name: String, in columns: BoundColumns) {
        self.name = name
        position = columns.positions[name]
    }
}

extension RowReader {
    /// The cell's text, or nil for a missing column or an empty / dash cell ("no value"), as `text(_:)` by name.
    func text(_ column: ColumnCell) -> String? {
        guard let position = column.position, position < cells.count else { return nil }
        let value = cells[position]
        let bytes = value.utf8
        if bytes.isEmpty
            || (bytes.count <= 3 && (bytes.elementsEqual("—".utf8) || bytes.elementsEqual("-".utf8) || bytes.elementsEqual("–".utf8))) {
            return nil
        }
        return value
    }

    func requiredText(_ column: ColumnCell, _ issues: inout IssueCollector) -> String? {
        guard let value = text(column) else {
            issues.error(line: line, column: column.name, "пустое значение в обязательном столбце")
            return nil
        }
        return value
    }

    func integer(_ column: ColumnCell, range: ClosedRange<Int>, _ issues: inout IssueCollector) -> Int? {
        guard let value = text(column) else { return nil }
        // Plain digits, the bulk of a large file, without the general reader.
        if let number = Int(value), range.contains(number) { return number }
        return integer(column.name, range: range, &issues)
    }

    func decimal(_ column: ColumnCell, range: ClosedRange<Double>, _ issues: inout IssueCollector) -> Double? {
        guard let value = text(column) else { return nil }
        if let number = NumberParsing.decimal(value), range.contains(number) { return number }
        return decimal(column.name, range: range, &issues)
    }

    /// A text trimmed of white space and refused (an error naming the limit) when longer than `maximum` characters,
    /// as `ProgrammeFiles.limited`; the characters are counted only when the bytes could exceed the limit.
    func limited(_ column: ColumnCell, _ maximum: Int, _ issues: inout IssueCollector) -> String? {
        guard let raw = text(column) else { return nil }
        let text = FieldText.trimmed(raw)
        guard !text.isEmpty else { return nil }
        if text.utf8.count > maximum && text.count > maximum {
            issues.error(line: line, column: column.name, "текст длиннее \(maximum) символов")
        }
        return text
    }
}

public enum FieldText {
    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`, without Foundation's trimming when neither end is white
    /// space (an ASCII letter or digit at both ends, the bulk of a file, is decided without asking the set).
    public static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isWhitespace(first) && !isWhitespace(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value > 0x20 && scalar.value < 0x7F { return false }
        // The set itself: this Foundation counts U+200B as white space, which Unicode's White_Space does not.
        return CharacterSet.whitespacesAndNewlines.contains(scalar)
    }
}
