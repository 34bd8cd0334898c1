/// A column an import kind understands: its English name, the Russian names accepted, and whether it is required.
public struct ColumnSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let required: Bool
    /// The name and every alias, normalised once (a header is matched by lookup, not by search).
    let keys: [String]

    public init(_ name: String, required: Bool = false, aliases: [String] = []) {
        self.name = name
        self.required = required
        self.aliases = aliases
        keys = ([name] + aliases).map(HeaderKey.normalize)
    }
}

/// The columns of one import kind, bound to a file's header.
public struct TableSchema: Sendable {
    public let kind: String
    public let columns: [ColumnSpec]

    /// Normalised header text → the column it names.
    let lookup: [String: ColumnSpec]

    public init(kind: String, columns: [ColumnSpec]) {
        self.kind = kind
        self.columns = columns
        var lookup: [String: ColumnSpec] = [:]
        for spec in columns { for key in spec.keys where lookup[key] == nil { lookup[key] = spec } }
        self.lookup = lookup
    }

    /// Maps the header to column positions; unknown columns become warnings, missing required ones errors.
    public func bind(header: [String], issues: inout IssueCollector) -> BoundColumns {
        var positions: [String: Int] = [:]
        for (index, title) in header.enumerated() {
            let key = HeaderKey.normalize(title)
            if key.isEmpty { continue }
            if let spec = lookup[key] {
                if positions[spec.name] != nil {
                    issues.error(line: 1, column: title, "столбец «\(spec.name)» указан дважды")
                } else {
                    positions[spec.name] = index
                }
            } else {
                issues.warning(line: 1, column: title, "неизвестный столбец, пропущен")
            }
        }
        for spec in columns where spec.required && positions[spec.name] == nil {
            let russian = spec.aliases.first.map { " («\($0)»)" } ?? ""
            issues.error(line: 1, column: spec.name, "нет обязательного столбца\(russian)")
        }
        return BoundColumns(positions: positions)
    }
}

public struct BoundColumns: Sendable {
    public let positions: [String: Int]
    /// The same, as a list: a row's reader looks a column up for every cell, and comparing a dozen short names costs
    /// less than hashing one (a million rows of a dozen cells).
    let list: [(name: String, position: Int)]

    public init(positions: [String: Int]) {
        self.positions = positions
        list = positions.map { (name: $0.key, position: $0.value) }
    }

    public func has(_ column: String) -> Bool { positions[column] != nil }

    public func position(_ column: String) -> Int? {
        // Lengths first: `==` of two different short names takes String's slow comparison, for every column a row reads.
        let length = column.utf8.count
        for entry in list where entry.name.utf8.count == length && entry.name == column { return entry.position }
        return nil
    }
}

/// Typed access to one row's cells, recording problems against the row's line.
public struct RowReader {
    public let line: Int
    let cells: [String]
    let columns: BoundColumns

    public init(line: Int, cells: [String], columns: BoundColumns) {
        self.line = line
        self.cells = cells
        self.columns = columns
    }

    /// The cell's text, or nil for a missing column or an empty / dash cell ("no value").
    public func text(_ column: String) -> String? {
        guard let position = columns.position(column), position < cells.count else { return nil }
        let value = cells[position]
        let bytes = value.utf8
        // "No value" markers compared as bytes: String's == normalises Unicode and is slow on hot paths.
        if bytes.isEmpty
            || (bytes.count <= 3 && (bytes.elementsEqual("—".utf8) || bytes.elementsEqual("-".utf8) || bytes.elementsEqual("–".utf8)))
        {
            return nil
        }
        return value
    }

    public func requiredText(_ column: String, _ issues: inout IssueCollector) -> String? {
        guard let value = text(column) else {
            issues.error(line: line, column: column, "пустое значение в обязательном столбце")
            return nil
        }
        return value
    }

    public func integer(_ column: String, range: ClosedRange<Int>? = nil, _ issues: inout IssueCollector) -> Int? {
        guard let value = text(column) else { return nil }
        guard let number = NumberParsing.integer(value) else {
            issues.error(line: line, column: column, "«\(value)» — не целое число")
            return nil
        }
        if let range, !range.contains(number) {
            issues.error(line: line, column: column, "\(number) вне допустимого диапазона \(range.lowerBound)–\(range.upperBound)")
            return nil
        }
        return number
    }

    public func decimal(_ column: String, range: ClosedRange<Double>? = nil, _ issues: inout IssueCollector) -> Double? {
        guard let value = text(column) else { return nil }
        guard let number = NumberParsing.decimal(value) else {
            issues.error(line: line, column: column, "«\(value)» — не число")
            return nil
        }
        if let range, !range.contains(number) {
            issues.error(
                line: line, column: column,
                "\(RussianFormat.number(number)) вне допустимого диапазона "
                    + "\(RussianFormat.number(range.lowerBound))–\(RussianFormat.number(range.upperBound))"
            )
            return nil
        }
        return number
    }
}

public enum NumberParsing {
    /// Accepts "94,5", "94.5", "1 500", "1 500,25"; rejects anything else.
    public static func decimal(_ text: String) -> Double? {
        // Fast path for plain numbers ("12", "3.5"), the bulk of large files.
        if let direct = Double(text), direct.isFinite,
            text.utf8.allSatisfy({
                $0 != UInt8(ascii: "n") && $0 != UInt8(ascii: "i") && $0 != UInt8(ascii: "N") && $0 != UInt8(ascii: "I")
            })
        {
            return direct
        }
        var cleaned = ""
        cleaned.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\u{00A0}", "\u{202F}": continue
            case ",": cleaned.append(".")
            case "%": continue
            default: cleaned.unicodeScalars.append(scalar)
            }
        }
        guard !cleaned.isEmpty, let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }

    public static func integer(_ text: String) -> Int? {
        if let direct = Int(text) { return direct }
        guard let value = decimal(text), value == value.rounded(), abs(value) < 1e12 else { return nil }
        return Int(value)
    }
}
