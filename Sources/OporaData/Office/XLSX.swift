import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import OporaDomain
import ZIPFoundation

/// A cell written to a spreadsheet.
public enum SheetCell: Sendable, Hashable {
    case text(String)
    case number(Double)
    /// A share 0–100, stored as the number and shown with one decimal (64,3 in a Russian Excel).
    case percent(Double)
    case empty
}

/// XLSX is zipped XML: a minimal writer (one sheet, inline strings, bold header) and a reader
/// (first or named sheet → the same table the CSV reader gives, with spreadsheet row numbers as lines).
public enum XLSX {
    public static func write(sheetName: String, rows: [[SheetCell]]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """)
        try add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """)
        try add("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\(escape(String(sheetName.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>
        """)
        try add("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """)
        try add("xl/styles.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="165" formatCode="0.0"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf fontId="0"/><xf fontId="1" applyFont="1"/><xf fontId="0" numFmtId="165" applyNumberFormat="1"/></cellXfs></styleSheet>
        """)
        // The header row stays in view while scrolling; columns are as wide as their longest value (within reason).
        var widths: [Int: Int] = [:]
        for row in rows.prefix(2_000) {
            for (c, cell) in row.enumerated() {
                let length: Int
                switch cell {
                case .text(let text): length = min(60, text.split(separator: "\n").map(\.count).max() ?? 0)
                case .number, .percent: length = 10
                case .empty: length = 0
                }
                widths[c] = max(widths[c] ?? 8, length + 2)
            }
        }
        var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        sheet += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        if !widths.isEmpty {
            sheet += "<cols>" + widths.keys.sorted().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\(widths[$0]!)\" customWidth=\"1\"/>" }.joined() + "</cols>"
        }
        sheet += "<sheetData>"
        for (r, row) in rows.enumerated() {
            sheet += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = columnName(c) + String(r + 1)
                let style = r == 0 ? " s=\"1\"" : ""
                switch cell {
                case .text(let text): sheet += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
                case .number(let value) where value.isFinite: sheet += "<c r=\"\(ref)\"\(style)><v>\(value)</v></c>"
                case .percent(let value) where value.isFinite: sheet += "<c r=\"\(ref)\" s=\"\(r == 0 ? 1 : 2)\"><v>\(value)</v></c>"
                case .number, .percent, .empty: break
                }
            }
            sheet += "</row>"
        }
        try add("xl/worksheets/sheet1.xml", sheet + "</sheetData></worksheet>")
        guard let data = archive.data else { throw XLSXError.unreadable("не удалось собрать файл") }
        return data
    }

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

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // Control characters are not allowed in XML 1.0.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
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
        return try rows(sheetData, shared: shared)
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
    func rows(_ data: [UInt8], shared: [String]) throws -> DelimitedTable {
        var scanner = XMLScanner(data)
        var rows: [DelimitedTable.Row] = []
        var header: [String]? = nil
        var cells: [String] = []
        var rowNumber = 0, column = 0, type = "", value = ""
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
                    if let number = Double(value), number.isFinite, number == number.rounded(), abs(number) < 1e15 { text = String(Int(number)) }
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
