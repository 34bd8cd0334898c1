import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import OporaDomain
import ZIPFoundation

/// XLSX is zipped XML: the writer is in `XLSXWriter.swift`; here the reader (first or named sheet → the same table
/// the CSV reader gives, with spreadsheet row numbers as lines).
public enum XLSX {
    public static func isXLSX(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// Reads the first sheet (or the one named `sheet`) as a table; row numbers become line numbers.
    /// Whatever the file holds, the answer is a table or an `XLSXError` in Russian, within `limits`.
    public static func read(_ bytes: [UInt8], sheet: String? = nil, limits: ImportLimits = .standard) throws -> DelimitedTable {
        guard bytes.count <= limits.fileBytes else { throw XLSXError.limit(line: 1, limits.fileTooLarge(bytes.count)) }
        do {
            var file = try SpreadsheetFile(bytes: bytes, limits: limits)
            return try file.table(sheet: sheet)
        } catch let failure as ZipArchiveReader.Failure {
            switch failure {
            case .damaged(let reason): throw XLSXError.unreadable("файл повреждён или это не XLSX (\(reason))")
            case .tooLarge: throw XLSXError.limit(line: 1, limits.decompressedTooLarge)
            }
        } catch let damaged as XMLScanner.Damaged {
            throw XLSXError.unreadable("файл повреждён (\(damaged.reason))")
        }
    }

    static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(65 + r)!) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Excel's widest sheet ends at column XFD (16 384).
    static let maximumColumns = 16_384
    static let maximumRows = 1_048_576

    /// The 0-based column of a reference such as "B12" or "XFD1", or nil when it is not a reference Excel can write.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        var sawDigit = false
        for scalar in reference.unicodeScalars {
            switch scalar.value {
            case 65...90 where !sawDigit, 97...122 where !sawDigit:
                letters += 1
                guard letters <= 3 else { return nil }
                index = index * 26 + Int((scalar.value & ~0x20) - 64)
            case 48...57:
                sawDigit = true
            case 36:   // "$" of an absolute reference
                continue
            default:
                return nil
            }
        }
        guard letters > 0, index <= maximumColumns else { return nil }
        return index - 1
    }

    static func escape(_ text: String) -> String { MarkupEscape.xml(text) }
}

public enum XLSXError: Error, CustomStringConvertible, Sendable {
    case unreadable(String)
    /// A limit of `ImportLimits` crossed at a sheet row.
    case limit(line: Int, String)

    public var description: String {
        switch self {
        case .unreadable(let reason): "XLSX: \(reason)"
        case .limit(_, let reason): reason
        }
    }
}

/// One uploaded workbook: its parts read within one decompression budget.
private struct SpreadsheetFile {
    let archive: ZipArchiveReader
    let limits: ImportLimits
    var budget: Int

    init(bytes: [UInt8], limits: ImportLimits) throws {
        archive = try ZipArchiveReader(bytes: bytes)
        self.limits = limits
        budget = limits.decompressedBytes
    }

    mutating func part(_ path: String) throws -> [UInt8]? {
        guard let entry = archive.entry(path) else { return nil }
        return try archive.extract(entry, budget: &budget)
    }

    mutating func table(sheet wanted: String?) throws -> DelimitedTable {
        // The workbook is where the package relationships say (xl/workbook.xml in every writer we know).
        var workbookPath = "xl/workbook.xml"
        if let rels = try part("_rels/.rels") {
            for (type, target) in try Self.relationships(rels).values where type.hasSuffix("/officeDocument") {
                workbookPath = Self.resolve(target, base: "")
            }
        }
        guard let workbook = try part(workbookPath) else { throw XLSXError.unreadable("нет описания книги (\(workbookPath))") }
        let folder = workbookPath.contains("/") ? String(workbookPath[..<workbookPath.lastIndex(of: "/")!]) + "/" : ""
        let relsPath = folder + "_rels/" + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
        guard let workbookRels = try part(relsPath) else { throw XLSXError.unreadable("нет связей книги (\(relsPath))") }
        let sheets = try Self.sheets(workbook)
        let targets = try Self.relationships(workbookRels)
        let chosen: (name: String, id: String)
        if let wanted {
            guard let found = sheets.first(where: { HeaderKey.normalize($0.name) == HeaderKey.normalize(wanted) }) else {
                throw XLSXError.unreadable("нет листа «\(wanted)»; листы: \(sheets.map(\.name).joined(separator: ", "))")
            }
            chosen = found
        } else {
            guard let first = sheets.first else { throw XLSXError.unreadable("в книге нет листов") }
            chosen = first
        }
        guard let target = targets[chosen.id]?.target, let sheetData = try part(Self.resolve(target, base: folder)) else {
            throw XLSXError.unreadable("лист «\(chosen.name)» не найден в архиве")
        }
        var shared: [String] = []
        for (type, target) in targets.values where type.hasSuffix("/sharedStrings") {
            if let data = try part(Self.resolve(target, base: folder)) { shared = try sharedStrings(data) }
        }
        if shared.isEmpty, targets.isEmpty || !targets.values.contains(where: { $0.type.hasSuffix("/sharedStrings") }),
           let data = try part(folder + "sharedStrings.xml") {
            shared = try sharedStrings(data)
        }
        var dateStyles: Set<Int> = []
        for (type, target) in targets.values where type.hasSuffix("/styles") {
            if let data = try part(Self.resolve(target, base: folder)) { dateStyles = try Self.dateStyles(data) }
        }
        return try rows(sheetData, shared: shared, dateStyles: dateStyles)
    }

    /// The cell styles (indexes into `cellXfs`) that show a number as a date: Excel keeps a typed date as a day
    /// number, and only its format says it is one. Built-in formats 14–17 and 22, or a custom format with a day,
    /// month or year part (outside quotes and brackets).
    static func dateStyles(_ data: [UInt8]) throws -> Set<Int> {
        var scanner = XMLScanner(data)
        var custom: [Int: String] = [:]
        var styles: Set<Int> = []
        var inCellFormats = false, index = 0
        while let token = try scanner.next() {
            switch token {
            case .start("numFmt", let attributes, _):
                if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] { custom[id] = code }
            case .start("cellXfs", _, let selfClosing):
                inCellFormats = !selfClosing
            case .end("cellXfs"):
                inCellFormats = false
            case .start("xf", let attributes, _) where inCellFormats:
                let id = attributes["numFmtId"].flatMap { Int($0) } ?? 0
                if (14...17).contains(id) || id == 22 || custom[id].map(isDateFormat) == true { styles.insert(index) }
                index += 1
            default:
                break
            }
        }
        return styles
    }

    static func isDateFormat(_ code: String) -> Bool {
        var inQuotes = false, inBrackets = false
        for character in code.lowercased() {
            switch character {
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            case "d", "y", "д", "г": if !inQuotes && !inBrackets { return true }
            default: continue
            }
        }
        return false
    }

    /// "worksheets/sheet1.xml" against "xl/" → "xl/worksheets/sheet1.xml"; "/xl/…" is absolute; ".." climbs.
    static func resolve(_ target: String, base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    static func sheets(_ data: [UInt8]) throws -> [(name: String, id: String)] {
        var scanner = XMLScanner(data)
        var sheets: [(name: String, id: String)] = []
        while let token = try scanner.next() {
            if case .start("sheet", let attributes, _) = token, let name = attributes["name"], let id = attributes["id"] {
                sheets.append((name, id))
            }
        }
        return sheets
    }

    /// Relationship id → (type, target).
    static func relationships(_ data: [UInt8]) throws -> [String: (type: String, target: String)] {
        var scanner = XMLScanner(data)
        var targets: [String: (type: String, target: String)] = [:]
        while let token = try scanner.next() {
            if case .start("Relationship", let attributes, _) = token, let id = attributes["Id"], let target = attributes["Target"] {
                targets[id] = (attributes["Type"] ?? "", target)
            }
        }
        return targets
    }

    /// The shared strings: each `si` is the text of its `t` runs (phonetic hints in `rPh` left out).
    func sharedStrings(_ data: [UInt8]) throws -> [String] {
        var scanner = XMLScanner(data)
        var strings: [String] = []
        var current = "", inText = false, inPhonetic = false
        while let token = try scanner.next() {
            switch token {
            case .start("si", _, let selfClosing):
                current = ""
                if selfClosing { strings.append("") }
            case .start("rPh", _, let selfClosing):
                inPhonetic = !selfClosing
            case .end("rPh"):
                inPhonetic = false
            case .start("t", _, let selfClosing):
                inText = !selfClosing && !inPhonetic
            case .end("t"):
                inText = false
            case .text(let text) where inText:
                current += text.string
                guard !limits.cellExceeds(current) else { throw XLSXError.limit(line: 1, limits.cellTooLong) }
            case .end("si"):
                strings.append(current)
            default:
                break
            }
        }
        return strings
    }

    /// The sheet's rows as cells; empty rows are left out, the header is the first row present.
    func rows(_ data: [UInt8], shared: [String], dateStyles: Set<Int> = []) throws -> DelimitedTable {
        var scanner = XMLScanner(data)
        var rows: [DelimitedTable.Row] = []
        var header: [String]? = nil
        var cells: [String] = []
        var rowNumber = 0, column = 0, type = "", value = "", style = 0
        var inRow = false, inCell = false, collecting = false, inInline = false
        var lastRow = 0

        func finishRow() throws {
            defer { cells.removeAll(keepingCapacity: true); inRow = false }
            guard !cells.allSatisfy(\.isEmpty) else { return }
            if header == nil { header = cells; return }
            guard rows.count < limits.rows else { throw XLSXError.limit(line: rowNumber, limits.tooManyRows) }
            rows.append(DelimitedTable.Row(line: rowNumber, cells: cells))
        }

        while let token = try scanner.next() {
            switch token {
            case .start("row", let attributes, let selfClosing):
                if inRow { try finishRow() }
                if let written = attributes["r"] {
                    guard let number = Int(written), number > lastRow, number <= XLSX.maximumRows else {
                        throw XLSXError.unreadable("файл повреждён: неверный номер строки «\(written.prefix(20))»")
                    }
                    rowNumber = number
                } else {
                    rowNumber = lastRow + 1
                }
                guard rowNumber <= XLSX.maximumRows else { throw XLSXError.unreadable("файл повреждён: больше строк, чем бывает в Excel") }
                lastRow = rowNumber
                inRow = !selfClosing
            case .end("row"):
                if inRow { try finishRow() }
            case .start("c", let attributes, let selfClosing):
                guard inRow else { throw XLSXError.unreadable("файл повреждён: ячейка вне строки") }
                if let reference = attributes["r"] {
                    guard let index = XLSX.columnIndex(reference) else {
                        throw XLSXError.unreadable("файл повреждён: неверная ссылка на ячейку «\(reference.prefix(20))»")
                    }
                    column = index
                } else {
                    column = cells.count
                }
                type = attributes["t"] ?? ""
                style = attributes["s"].flatMap { Int($0) } ?? 0
                value = ""
                inCell = !selfClosing
            case .start("is", _, _):
                inInline = true
            case .end("is"):
                inInline = false
            case .start("v", _, let selfClosing) where inCell:
                collecting = !selfClosing
            case .start("t", _, let selfClosing) where inCell && inInline:
                collecting = !selfClosing
            case .end("v"), .end("t"):
                collecting = false
            case .text(let text) where collecting:
                value += text.string
                guard !limits.cellExceeds(value) else { throw XLSXError.limit(line: rowNumber, limits.cellTooLong) }
            case .end("c"):
                guard inCell else { break }
                inCell = false
                var text = value
                switch type {
                case "s":
                    guard let index = Int(value.trimmingCharacters(in: .whitespaces)), index >= 0, index < shared.count else {
                        throw XLSXError.unreadable("файл повреждён: ссылка на несуществующую строку «\(value.prefix(20))»")
                    }
                    text = shared[index]
                case "b":
                    text = value == "1" ? "1" : "0"
                case "", "n":
                    // Excel stores 94,5 as 94.5 and integers as 14: both read back as numbers by the parsers.
                    if let number = Double(value), number.isFinite, number == number.rounded(), abs(number) < 1e15 {
                        text = String(Int(number))
                    }
                    // A typed date is a day number in a date format: read as the date a person sees, 28.02.2023.
                    if dateStyles.contains(style), let number = Double(value), number.isFinite, abs(number) < 1e7,
                       let day = CalendarDay(spreadsheetSerial: Int(number.rounded(.down))) {
                        text = day.russian
                    }
                default:
                    break
                }
                // Formatted but empty cells far to the right are common and harmless: only values count.
                guard !text.isEmpty else { break }
                guard column < limits.columns else { throw XLSXError.limit(line: rowNumber, limits.tooManyColumns) }
                guard !limits.cellExceeds(text) else { throw XLSXError.limit(line: rowNumber, limits.cellTooLong) }
                if let control = ImportLimits.forbiddenControl(in: text) {
                    throw XLSXError.limit(line: rowNumber, ImportLimits.controlCharacter(control))
                }
                if cells.count <= column {
                    cells.append(contentsOf: repeatElement("", count: column - cells.count))
                    cells.append(text)
                } else {
                    cells[column] = text
                }
            default:
                break
            }
        }
        if inRow { try finishRow() }
        return DelimitedTable(header: header ?? [], rows: rows, delimiter: 0, encoding: .utf8)
    }
}
