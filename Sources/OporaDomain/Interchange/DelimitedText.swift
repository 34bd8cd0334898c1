import Foundation

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
        // Written as any CSV Opora writes, so that reading it back gives exactly these cells.
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

/// A table's rows handed to a parser one at a time: a spreadsheet already read, or a CSV file read as the parser goes
/// (then a million-row file costs its bytes and the parser's records, never the whole file as cells as well).
public protocol DelimitedRows {
    var header: [String] { get }
    /// At least as many as the data rows, as a reader may reserve room for them: a million keys added to a
    /// dictionary that grows as it goes hash every key again at each doubling.
    var estimatedRows: Int { get }
    /// Calls `body` with every data row in file order (blank rows skipped); a file over a limit throws `ImportRejected`.
    func forEachRow(_ body: (DelimitedTable.Row) throws -> Void) throws
}

extension DelimitedRows {
    /// Not known: nothing reserved.
    public var estimatedRows: Int { 0 }

    /// An empty dictionary with room for a key per row (at most two million: a file of line breaks in one cell must
    /// not take memory for rows it has not got).
    public func dictionaryForRows<Key, Value>() -> [Key: Value] {
        [Key: Value](minimumCapacity: Swift.min(estimatedRows, 2_000_000))
    }

    /// An empty array with room for an element per row, within the same bound: a million records appended to an
    /// array that grows as it goes are copied again at each doubling.
    public func arrayForRows<Element>() -> [Element] {
        var array: [Element] = []
        array.reserveCapacity(Swift.min(estimatedRows, 2_000_000))
        return array
    }
}

extension DelimitedTable: DelimitedRows {
    public var estimatedRows: Int { rows.count }

    public func forEachRow(_ body: (Row) throws -> Void) throws {
        for row in rows { try body(row) }
    }
}

/// A CSV file whose data rows are read only when a parser asks for them (`DelimitedTextReader.stream`).
public struct DelimitedStream: DelimitedRows {
    public let header: [String]
    let bytes: [UInt8]
    let delimiter: UInt8
    let limits: ImportLimits
    let file: String
    /// Where the first data record starts, and its line.
    let dataStart: Int
    let dataLine: Int

    /// The lines after the header that hold anything (a record spans one line or more; blank lines are no rows, and
    /// a file of them must not reserve room for rows it has not got), up to the limit of rows. Counted once, when the
    /// stream is made: a parser asks for it for each of its reserved collections.
    public let estimatedRows: Int

    init(header: [String], bytes: [UInt8], delimiter: UInt8, limits: ImportLimits, file: String, dataStart: Int, dataLine: Int) {
        self.header = header
        self.bytes = bytes
        self.delimiter = delimiter
        self.limits = limits
        self.file = file
        self.dataStart = dataStart
        self.dataLine = dataLine
        estimatedRows = Self.linesHoldingAnything(bytes, from: dataStart, limit: limits.rows)
    }

    static func linesHoldingAnything(_ bytes: [UInt8], from dataStart: Int, limit: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, dataStart < buffer.count else { return 0 }
            var count = 0, at = UnsafeRawPointer(base + dataStart)
            let end = UnsafeRawPointer(base + buffer.count)
            while count < limit, at < end {
                let found = memchr(at, 0x0A, end - at).map { UnsafeRawPointer($0) } ?? end
                let length = found - at
                if length > 1 || (length == 1 && at.load(as: UInt8.self) != 0x0D) { count += 1 }
                at = found + 1
            }
            return count
        }
    }

    public func forEachRow(_ body: (DelimitedTable.Row) throws -> Void) throws {
        var iterator = RecordIterator(bytes: bytes, delimiter: delimiter, limits: limits)
        iterator.index = dataStart
        iterator.line = dataLine
        var rows = 0
        do {
            while let (line, cells) = try iterator.next() {
                if cells.allSatisfy({ $0.isEmpty }) { continue }
                guard rows < limits.rows else { throw ImportLimitExceeded(line: line, message: limits.tooManyRows) }
                rows += 1
                try body(.init(line: line, cells: cells))
            }
        } catch let exceeded as ImportLimitExceeded {
            throw exceeded.rejection(file: file)
        }
    }
}

/// One storage for each distinct text of a file: a log repeats its titles, organisers and topics on every row, and
/// a million records each with its own copy of them cost more memory than the file.
public struct TextPool {
    var texts: Set<ByteKey> = []

    public init() {}

    public mutating func shared(_ text: String?) -> String? {
        guard let text else { return nil }
        // Short texts live inside the String itself: nothing to share.
        guard text.utf8.count > 15 else { return text }
        return texts.insert(ByteKey(text)).memberAfterInsert.text
    }
}

/// A text as a key compared and hashed by its UTF-8 bytes, as the databases compare a key column: a `String` key
/// hashes its Unicode normal form, which for Cyrillic text took a tenth of a roadmap's import (issue 18).
public struct ByteKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public static func == (lhs: ByteKey, rhs: ByteKey) -> Bool { sameBytes(lhs.text, rhs.text) }

    public func hash(into hasher: inout Hasher) { Self.combine(text, into: &hasher) }

    /// The two texts' UTF-8 bytes are the same. Read in place: a `var` copy of each (to call `withUTF8`) retained and
    /// released both texts at every comparison, a twentieth of a roadmap import's processor time.
    @inline(__always)
    public static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8, right = rhs.utf8
        guard left.count == right.count else { return false }
        let compared = left.withContiguousStorageIfAvailable { a in
            right.withContiguousStorageIfAvailable { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
        if let compared, let equal = compared { return equal }
        return left.elementsEqual(right)
    }

    /// Feeds the text's UTF-8 bytes to `hasher`, as `hash(into:)` does.
    @inline(__always)
    public static func combine(_ text: String, into hasher: inout Hasher) {
        let bytes = text.utf8
        let done: Void? = bytes.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}

/// Reads CSV in UTF-8 or Windows-1251 with `,`, `;` or tab delimiters and RFC 4180 quoting.
public enum DelimitedTextReader {
    /// Reads a whole file; a file over one of `limits` is refused (`ImportRejected`) at the line where it crosses it.
    public static func read(_ raw: [UInt8], file: String = "файл", limits: ImportLimits = .standard) throws -> DelimitedTable {
        guard raw.count <= limits.fileBytes else {
            throw ImportLimitExceeded(line: 1, message: limits.fileTooLarge(raw.count)).rejection(file: file)
        }
        let (bytes, encoding) = TextEncoding.decodeToUTF8(raw)
        let delimiter = detectDelimiter(bytes)
        var header: [String]? = nil
        var rows: [DelimitedTable.Row] = []
        var iterator = RecordIterator(bytes: bytes, delimiter: delimiter, limits: limits)
        do {
            while let (line, cells) = try iterator.next() {
                if header == nil {
                    header = cells
                    continue
                }
                if cells.allSatisfy({ $0.isEmpty }) { continue }
                guard rows.count < limits.rows else { throw ImportLimitExceeded(line: line, message: limits.tooManyRows) }
                rows.append(.init(line: line, cells: cells))
            }
        } catch let exceeded as ImportLimitExceeded {
            throw exceeded.rejection(file: file)
        }
        return DelimitedTable(header: header ?? [], rows: rows, delimiter: delimiter, encoding: encoding)
    }

    /// Reads the header only; the data rows are read as the parser walks them (`DelimitedStream`).
    public static func stream(_ raw: [UInt8], file: String = "файл", limits: ImportLimits = .standard) throws -> DelimitedStream {
        guard raw.count <= limits.fileBytes else {
            throw ImportLimitExceeded(line: 1, message: limits.fileTooLarge(raw.count)).rejection(file: file)
        }
        let (bytes, _) = TextEncoding.decodeToUTF8(raw)
        let delimiter = detectDelimiter(bytes)
        var iterator = RecordIterator(bytes: bytes, delimiter: delimiter, limits: limits)
        let header: [String]
        do {
            header = try iterator.next()?.cells ?? []
        } catch let exceeded as ImportLimitExceeded {
            throw exceeded.rejection(file: file)
        }
        return DelimitedStream(header: header, bytes: bytes, delimiter: delimiter, limits: limits, file: file,
                               dataStart: iterator.index, dataLine: iterator.line)
    }

    /// Picks the delimiter that occurs most often in the first line, outside quotes.
    public static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var semicolons = 0, commas = 0, tabs = 0
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ";") {
                semicolons += 1
            } else if byte == UInt8(ascii: ",") {
                commas += 1
            } else if byte == UInt8(ascii: "\t") {
                tabs += 1
            }
        }
        if tabs > semicolons && tabs > commas { return UInt8(ascii: "\t") }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }
}

/// Pulls CSV records one at a time (RFC 4180 quoting, CRLF or LF), so huge files stream in constant memory.
/// A record with more columns, or a cell with more characters, than `limits` allow stops the reading.
public struct RecordIterator {
    let bytes: [UInt8]
    let delimiter: UInt8
    let limits: ImportLimits
    var index = 0
    var line = 1
    var cells: [String] = []
    var field: [UInt8] = []

    public init(bytes: [UInt8], delimiter: UInt8, limits: ImportLimits = .standard) {
        self.bytes = bytes
        self.delimiter = delimiter
        self.limits = limits
        field.reserveCapacity(64)
    }

    public mutating func next() throws -> (line: Int, cells: [String])? {
        let bytes = self.bytes
        guard index < bytes.count else { return nil }
        return try bytes.withUnsafeBufferPointer { try record(in: $0) }
    }

    mutating func record(in bytes: UnsafeBufferPointer<UInt8>) throws -> (line: Int, cells: [String]) {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        let count = bytes.count
        cells.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        let recordLine = line
        var inQuotes = false, wasQuoted = false
        // Only spaces so far in this field: a quote may still open it.
        var blankSoFar = true

        func finishField() throws {
            guard cells.count < limits.columns else {
                throw ImportLimitExceeded(line: recordLine, message: limits.tooManyColumns)
            }
            let quoted = wasQuoted, limits = limits, column = cells.count + 1
            let text = try field.withUnsafeBufferPointer {
                try Self.cell($0, quoted: quoted, limits: limits, line: recordLine, column: column)
            }
            cells.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            blankSoFar = true
        }

        while index < count {
            if !inQuotes, !wasQuoted, field.isEmpty {
                // A field's start: a plain field (no quote, no carriage return) is made from the file's bytes at once,
                // not copied a byte at a time.
                var end = index
                while end < count {
                    let byte = bytes[end]
                    if byte == delimiter || byte == newline || byte == quote || byte == carriage { break }
                    end += 1
                }
                if end == count || bytes[end] == delimiter || bytes[end] == newline {
                    guard cells.count < limits.columns else {
                        throw ImportLimitExceeded(line: recordLine, message: limits.tooManyColumns)
                    }
                    let text = try Self.cell(UnsafeBufferPointer(rebasing: bytes[index..<end]), quoted: false, limits: limits,
                                             line: recordLine, column: cells.count + 1)
                    cells.append(text)
                    index = end
                    if end == count { return (recordLine, cells) }
                    index += 1
                    if bytes[end] == newline {
                        line += 1
                        return (recordLine, cells)
                    }
                    continue
                }
            }
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
            case quote where blankSoFar:
                field.removeAll(keepingCapacity: true)
                inQuotes = true
                wasQuoted = true
                blankSoFar = false
            case delimiter:
                try finishField()
            case newline:
                try finishField()
                line += 1
                return (recordLine, cells)
            case carriage:
                break
            default:
                if byte != 0x20 { blankSoFar = false }
                field.append(byte)
            }
        }
        try finishField()
        return (recordLine, cells)
    }

    /// A cell's text: trimmed of spaces and tabs unless it was quoted, checked against `limits`, a formula's guard
    /// taken off.
    static func cell(_ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool, limits: ImportLimits, line: Int, column: Int) throws
        -> String {
        var start = 0, end = bytes.count
        if !quoted {
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if limits.cellExceeds(slice) { throw ImportLimitExceeded(line: line, column: "№ \(column)", message: limits.cellTooLong) }
        if let control = ImportLimits.forbiddenControl(in: slice) {
            throw ImportLimitExceeded(line: line, column: "№ \(column)", message: ImportLimits.controlCharacter(control))
        }
        let text = String(decoding: slice, as: UTF8.self)
        return slice.first == UInt8(ascii: "'") ? FormulaGuard.unprotect(text) : text
    }
}
