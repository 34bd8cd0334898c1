/// How much one import may ask of the machine. A file over a limit is refused with a Russian message that
/// names the limit, before it can take the memory or the time of everyone else's work.
///
/// The defaults leave room for the largest real files (a region's ВПР per-student file is about 100 MB and
/// two million rows; Excel itself stops at 1 048 576 rows and 16 384 columns) and stop hostile ones.
public struct ImportLimits: Sendable, Hashable {
    /// The file as uploaded or read from disk.
    public var fileBytes: Int
    /// Everything read out of one XLSX archive (the sheet, its shared strings, the workbook), decompressed.
    public var decompressedBytes: Int
    /// Data rows of one file.
    public var rows: Int
    /// Columns of one row (the header included).
    public var columns: Int
    /// Characters of one cell.
    public var cellCharacters: Int

    public init(fileBytes: Int = 256 << 20, decompressedBytes: Int = 256 << 20, rows: Int = 5_000_000, columns: Int = 256,
                cellCharacters: Int = 10_000) {
        self.fileBytes = fileBytes
        self.decompressedBytes = decompressedBytes
        self.rows = rows
        self.columns = columns
        self.cellCharacters = cellCharacters
    }

    public static let standard = ImportLimits()

    public func fileTooLarge(_ size: Int) -> String {
        "файл \(Self.megabytes(size)) больше предела \(Self.megabytes(fileBytes)); разбейте его на части"
    }

    public var decompressedTooLarge: String {
        "в распакованном виде таблица больше предела \(Self.megabytes(decompressedBytes)); сохраните её как CSV или разбейте на части"
    }

    public var tooManyRows: String {
        "строк данных больше предела \(RussianFormat.integer(rows)); разбейте файл на части"
    }

    public var tooManyColumns: String {
        "столбцов больше предела \(RussianFormat.integer(columns)); оставьте в файле только нужные столбцы"
    }

    public var cellTooLong: String {
        "ячейка длиннее предела \(RussianFormat.integer(cellCharacters)) символов"
    }

    /// Control characters other than tab, line feed and carriage return never occur in real tables, and a NUL
    /// would cut a stored text short: a cell holding one is damage, named by its code.
    @inline(__always)
    public static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }

    /// The first character of a UTF-8 cell that `TextInput.isForbidden` refuses: a control byte, or one of
    /// the three-byte separators and direction marks (E2 80 8E–8F, E2 80 A8–AE, E2 81 A6–A9), found in the
    /// same single pass over the bytes so the fast readers stay fast.
    public static func forbiddenControl(in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while none of them can start a refused character: most of every cell.
            if index + 8 <= count, !mayHoldForbidden(EightBytes.word(bytes, at: index)) {
                index += 8
                continue
            }
            let byte = bytes[index]
            if byte < 0x80 {
                if isForbiddenControl(byte) { return Unicode.Scalar(byte) }
            } else if byte == 0xE2, index + 2 < count {
                let second = bytes[index + 1], third = bytes[index + 2]
                if (second == 0x80 && (third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third)))
                    || (second == 0x81 && (0xA6...0xA9).contains(third)) {
                    return Unicode.Scalar(0x2000 + (UInt32(second & 0x3F) << 6) + UInt32(third & 0x3F))
                }
            }
            index += 1
        }
        return nil
    }

    /// Whether one of eight bytes is below 0x20, 0x7F or 0xE2 (which begins the refused separators and marks).
    @inline(__always)
    static func mayHoldForbidden(_ word: UInt64) -> Bool {
        EightBytes.below(0x20, in: word) | EightBytes.equal(0x7F, in: word) | EightBytes.equal(0xE2, in: word) != 0
    }

    public static func forbiddenControl(in text: String) -> Unicode.Scalar? {
        var text = text
        return text.withUTF8 { forbiddenControl(in: $0) }
    }

    public static func controlCharacter(_ scalar: Unicode.Scalar) -> String {
        guard scalar.isASCII else { return "в ячейке " + TextInput.forbiddenMessage(scalar) }
        return "в ячейке управляющий символ (код \(scalar.value)), которого не бывает в данных: файл повреждён или сохранён не как таблица"
    }

    public static func megabytes(_ bytes: Int) -> String {
        let (value, unit) = bytes < 1 << 20 ? (Double(bytes) / 1024, "КБ") : (Double(bytes) / Double(1 << 20), "МБ")
        return (value < 10 ? RussianFormat.number(value, digits: 1) : RussianFormat.integer(Int(value.rounded()))) + " " + unit
    }

    /// Whether a cell of `byteCount` UTF-8 bytes may hold more characters than allowed: a cheap test first,
    /// the exact count only for the rare long cell.
    @inline(__always)
    public func cellExceeds(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > cellCharacters else { return false }
        var characters = 0
        for byte in bytes where byte & 0xC0 != 0x80 { characters += 1 }
        return characters > cellCharacters
    }

    public func cellExceeds(_ text: String) -> Bool {
        guard text.utf8.count > cellCharacters else { return false }
        return text.unicodeScalars.count > cellCharacters
    }
}

/// A limit of `ImportLimits` crossed at a line of a file; the reader stops there.
public struct ImportLimitExceeded: Error, Sendable, Hashable {
    public let line: Int
    public let column: String
    public let message: String

    public init(line: Int, column: String = "—", message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public func rejection(file: String) -> ImportRejected {
        ImportRejected(issues: [ImportIssue(file: file, line: line, column: column, message: message)])
    }
}
