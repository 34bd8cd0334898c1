import Foundation

/// The archive `opora backup` writes and `opora restore` reads (docs/OPERATIONS-BACKUP.md): gzip'd JSON lines.
/// Line 1 is the header (format, version, time, engine, the schema's migrations); then for each table a line
/// `{"kind":"table",…}` with its columns, followed by its rows, one JSON array per line (blobs in base64, times as
/// seconds since 1970); the last line is the trailer with the row counts and the SHA-256 of every byte before it,
/// so a truncated or altered archive is detected before anything is written.
public enum BackupFormat {
    public static let name = "opora-backup"
    public static let version = 1

    /// How a column's values are written, whatever the engine: the restore converts them to the target's own types.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case integer, real, text, bool, blob, timestamp, date, uuid, json
    }

    public struct Column: Codable, Sendable, Hashable {
        public let name: String
        public let kind: Kind
        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// A header, a table's opening line or the trailer (told apart by `kind`).
    public struct Frame: Codable, Sendable, Equatable {
        public var kind: String
        // header
        public var format: String?
        public var version: Int?
        public var createdAt: String?
        public var engine: String?
        public var migrations: [String]?
        // table
        public var table: String?
        public var columns: [Column]?
        // trailer
        public var rows: [String: Int]?
        public var sha256: String?

        public static func header(createdAt: String, engine: String, migrations: [String]) -> Frame {
            Frame(kind: "header", format: BackupFormat.name, version: BackupFormat.version, createdAt: createdAt,
                  engine: engine, migrations: migrations)
        }

        public static func table(_ name: String, columns: [Column]) -> Frame {
            Frame(kind: "table", table: name, columns: columns)
        }

        public static func trailer(rows: [String: Int], sha256: String) -> Frame {
            Frame(kind: "end", rows: rows, sha256: sha256)
        }

        public func line() -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            // Encoding plain strings, numbers and arrays cannot fail.
            let data = (try? encoder.encode(self)) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }

        public static func parse(_ line: Substring) -> Frame? {
            try? JSONDecoder().decode(Frame.self, from: Data(line.utf8))
        }
    }

    /// One value of a row.
    public enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        /// A number with a fraction or an exponent, kept as written (exact decimal text of the source).
        case number(String)
        case text(String)
        case bool(Bool)

        public var double: Double? {
            switch self {
            case .integer(let value): Double(value)
            case .number(let text): Double(text)
            default: nil
            }
        }
    }

    // MARK: rows

    /// A row as one JSON array.
    public static func rowLine(_ values: [Value]) -> String {
        var line = "["
        for (index, value) in values.enumerated() {
            if index > 0 { line += "," }
            switch value {
            case .null: line += "null"
            case .integer(let number): line += String(number)
            case .number(let text): line += text
            case .bool(let flag): line += flag ? "true" : "false"
            case .text(let text): appendQuoted(text, to: &line)
            }
        }
        line += "]"
        return line
    }

    /// A double as a JSON number that reads back to the same double (non-finite numbers have no JSON form).
    public static func number(_ value: Double) -> Value? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(format: "%.1f", value)) }
        return .number("\(value)")
    }

    static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        var plainStart = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? = switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: scalar.value < 0x20 ? String(format: "\\u%04x", scalar.value) : nil
            }
            if let escape {
                line.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                line += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        line.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        line += "\""
    }

    public struct RowError: Error, Sendable, Equatable {
        public let reason: String
    }

    /// Reads a row line: a JSON array of null, true, false, numbers and strings.
    public static func parseRow(_ line: Substring) throws -> [Value] {
        var reader = RowReader(bytes: Array(line.utf8))
        return try reader.row()
    }

    private struct RowReader {
        let bytes: [UInt8]
        var position = 0

        mutating func row() throws -> [Value] {
            skipSpace()
            guard next() == UInt8(ascii: "[") else { throw RowError(reason: "строка данных не начинается с «[»") }
            var values: [Value] = []
            skipSpace()
            if peek() == UInt8(ascii: "]") { position += 1 } else {
                while true {
                    skipSpace()
                    values.append(try value())
                    skipSpace()
                    let separator = next()
                    if separator == UInt8(ascii: "]") { break }
                    guard separator == UInt8(ascii: ",") else { throw RowError(reason: "ожидается «,» или «]»") }
                }
            }
            skipSpace()
            guard position == bytes.count else { throw RowError(reason: "лишние символы после «]»") }
            return values
        }

        mutating func value() throws -> Value {
            switch peek() {
            case UInt8(ascii: "\""): return .text(try string())
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            default: return try number()
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count, Array(bytes[position..<position + expected.count]) == expected else {
                throw RowError(reason: "неизвестное значение")
            }
            position += expected.count
        }

        mutating func number() throws -> Value {
            let start = position
            while let byte = peek(), (48...57).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                position += 1
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if let integer = Int64(text) { return .integer(integer) }
            guard !text.isEmpty, Double(text) != nil else { throw RowError(reason: "неверное число «\(text)»") }
            return .number(text)
        }

        mutating func string() throws -> String {
            position += 1
            var output: [UInt8] = []
            while true {
                guard let byte = next() else { throw RowError(reason: "строка не закрыта кавычкой") }
                if byte == UInt8(ascii: "\"") { break }
                if byte != UInt8(ascii: "\\") { output.append(byte); continue }
                guard let escaped = next() else { throw RowError(reason: "строка не закрыта кавычкой") }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
                case UInt8(ascii: "n"): output.append(10)
                case UInt8(ascii: "r"): output.append(13)
                case UInt8(ascii: "t"): output.append(9)
                case UInt8(ascii: "b"): output.append(8)
                case UInt8(ascii: "f"): output.append(12)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else {
                            throw RowError(reason: "неполная суррогатная пара")
                        }
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw RowError(reason: "неверный символ \\u") }
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw RowError(reason: "неверная escape-последовательность")
                }
            }
            guard let text = String(validating: output, as: UTF8.self) else { throw RowError(reason: "строка не в UTF-8") }
            return text
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count,
                  let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw RowError(reason: "неверная последовательность \\u")
            }
            position += 4
            return value
        }

        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func next() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func skipSpace() {
            while let byte = peek(), byte == 32 || byte == 9 { position += 1 }
        }
    }
}

/// Which schema an archive was taken at, against the migrations this program knows (`OporaMigrations`, in order).
public enum ArchiveSchema: Equatable, Sendable {
    /// The same migrations as this program's.
    case current
    /// The first `count` migrations: restored by creating that schema, loading, then migrating the rest.
    case older(count: Int)
    /// Migrations this program does not know: a newer version made it.
    case newer(unknown: [String])
    /// Known migrations with gaps: no released version produced it.
    case inconsistent

    public static func match(archive: [String], known: [String]) -> ArchiveSchema {
        let knownSet = Set(known)
        let unknown = archive.filter { !knownSet.contains($0) }
        if !unknown.isEmpty { return .newer(unknown: unknown) }
        let applied = Set(archive)
        let count = applied.count
        guard count > 0, Set(known.prefix(count)) == applied else { return .inconsistent }
        return count == known.count ? .current : .older(count: count)
    }
}

/// Which scheduled backups to keep: the newest `keep`, by the time in their names (which sort as text).
public enum BackupRetention {
    public static let prefix = "opora-backup-"
    public static let suffix = ".jsonl.gz"

    /// A file name for a backup taken at `date` (UTC, sortable).
    public static func fileName(at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return prefix + formatter.string(from: date) + suffix
    }

    /// When a scheduled backup was taken, read from its file name; nil for any other file.
    public static func takenAt(_ name: String) -> Date? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: String(name.dropFirst(prefix.count).dropLast(suffix.count)))
    }

    /// How long to wait before the next scheduled backup: the rest of the interval since the newest one in the folder,
    /// so a server restarted more often than the interval still takes its backups; a minute after the start when
    /// the folder holds none (or the newest is overdue), so a start never competes with its own first requests.
    public static func delay(names: [String], now: Date, interval: TimeInterval) -> TimeInterval {
        let newest = names.compactMap(takenAt).max()
        guard let newest else { return firstDelay }
        return max(firstDelay, interval - now.timeIntervalSince(newest))
    }

    public static let firstDelay: TimeInterval = 60

    /// The scheduled backups among `names` to delete so that the newest `keep` remain; other files are never touched.
    public static func toDelete(_ names: [String], keep: Int) -> [String] {
        let ours = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.sorted(by: >)
        return Array(ours.dropFirst(max(keep, 1)))
    }
}
