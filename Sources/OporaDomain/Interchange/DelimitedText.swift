/// A table read from CSV: header and rows, each row with the file line it starts on.
public struct DelimitedTable: Sendable {
    public struct Row: Sendable {
        public let line: Int
        public let cells: [String]

        public init(line: Int, cells: [String]) {
            self.line = line
            self.cells = cells
        }
    }

    public let header: [String]
    public let rows: [Row]
    public let delimiter: UInt8
    public let encoding: TextEncoding

    public init(header: [String], rows: [Row], delimiter: UInt8, encoding: TextEncoding) {
        self.header = header
        self.rows = rows
        self.delimiter = delimiter
        self.encoding = encoding
    }

    /// The table as UTF-8 CSV (for the streaming parsers when the input was a spreadsheet).
    public func csvBytes() -> [UInt8] {
        var text = CSVText.line(header) + "\n"
        var line = 1
        for row in rows {
            // Blank lines keep the spreadsheet's row numbers as the CSV's line numbers.
            while line + 1 < row.line { text += "\n"; line += 1 }
            text += CSVText.line(row.cells) + "\n"
            line += 1
        }
        return Array(text.utf8)
    }
}

/// Reads CSV in UTF-8 or Windows-1251 with `,`, `;` or tab delimiters and RFC 4180 quoting.
public enum DelimitedTextReader {
    public static func read(_ raw: [UInt8]) -> DelimitedTable {
        let (bytes, encoding) = TextEncoding.decodeToUTF8(raw)
        let delimiter = detectDelimiter(bytes)
        var header: [String]? = nil
        var rows: [DelimitedTable.Row] = []
        forEachRecord(bytes, delimiter: delimiter) { line, cells in
            if header == nil {
                header = cells
            } else if !(cells.count == 1 && cells[0].isEmpty) || cells.count > 1 {
                if cells.allSatisfy({ $0.isEmpty }) { return }
                rows.append(.init(line: line, cells: cells))
            }
        }
        return DelimitedTable(header: header ?? [], rows: rows, delimiter: delimiter, encoding: encoding)
    }

    /// Picks the delimiter that occurs most often in the first line, outside quotes.
    public static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") { break }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        let semicolons = counts[UInt8(ascii: ";")]!, commas = counts[UInt8(ascii: ",")]!, tabs = counts[UInt8(ascii: "\t")]!
        if tabs > semicolons && tabs > commas { return UInt8(ascii: "\t") }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Calls `body` for each record with the 1-based line it starts on. Cells are trimmed of spaces.
    public static func forEachRecord(_ bytes: [UInt8], delimiter: UInt8, _ body: (Int, [String]) -> Void) {
        var iterator = RecordIterator(bytes: bytes, delimiter: delimiter)
        while let record = iterator.next() { body(record.line, record.cells) }
    }
}

/// Pulls CSV records one at a time (RFC 4180 quoting, CRLF or LF), so huge files stream in constant memory.
public struct RecordIterator {
    let bytes: [UInt8]
    let delimiter: UInt8
    var index = 0
    var line = 1
    var cells: [String] = []
    var field: [UInt8] = []

    public init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        field.reserveCapacity(64)
    }

    public mutating func next() -> (line: Int, cells: [String])? {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        let count = bytes.count
        guard index < count else { return nil }
        cells.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        let recordLine = line
        var inQuotes = false, wasQuoted = false

        func finishField(_ cells: inout [String], _ field: inout [UInt8]) {
            var slice = field[...]
            if !wasQuoted {
                while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
                while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
            }
            cells.append(String(decoding: slice, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }

        while index < count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < count, bytes[index] == quote { field.append(quote); index += 1; continue }
                    inQuotes = false
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.allSatisfy({ $0 == 0x20 }):
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                wasQuoted = true
            case delimiter:
                finishField(&cells, &field)
            case newline:
                finishField(&cells, &field)
                line += 1
                return (recordLine, cells)
            case carriage:
                break
            default:
                field.append(byte)
            }
        }
        finishField(&cells, &field)
        return (recordLine, cells)
    }
}
