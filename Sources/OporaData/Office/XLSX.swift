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
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>
        """)
        var sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        for (r, row) in rows.enumerated() {
            sheet += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = columnName(c) + String(r + 1)
                let style = r == 0 ? " s=\"1\"" : ""
                switch cell {
                case .text(let text): sheet += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
                case .number(let value) where value.isFinite: sheet += "<c r=\"\(ref)\"\(style)><v>\(value)</v></c>"
                case .number, .empty: break
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
    public static func read(_ bytes: [UInt8], sheet: String? = nil) throws -> DelimitedTable {
        let archive: Archive
        do { archive = try Archive(data: Data(bytes), accessMode: .read) } catch { throw XLSXError.unreadable("файл повреждён или это не XLSX") }
        func entry(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return data
        }
        let shared = try entry("xl/sharedStrings.xml").map { SharedStringsParser.parse($0) } ?? []
        guard let workbook = try entry("xl/workbook.xml"), let rels = try entry("xl/_rels/workbook.xml.rels") else {
            throw XLSXError.unreadable("нет описания книги (xl/workbook.xml)")
        }
        let sheets = WorkbookParser.sheets(workbook)
        let targets = WorkbookParser.relationships(rels)
        let chosen: (name: String, id: String)
        if let sheet {
            guard let found = sheets.first(where: { HeaderKey.normalize($0.name) == HeaderKey.normalize(sheet) }) else {
                throw XLSXError.unreadable("нет листа «\(sheet)»; листы: \(sheets.map(\.name).joined(separator: ", "))")
            }
            chosen = found
        } else {
            guard let first = sheets.first else { throw XLSXError.unreadable("в книге нет листов") }
            chosen = first
        }
        guard let target = targets[chosen.id] else { throw XLSXError.unreadable("лист «\(chosen.name)» не найден в архиве") }
        let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard let sheetData = try entry(path) else { throw XLSXError.unreadable("лист «\(chosen.name)» не найден в архиве") }
        let rows = SheetParser.parse(sheetData, shared: shared)
        guard let header = rows.first else { return DelimitedTable(header: [], rows: [], delimiter: 0, encoding: .utf8) }
        let body = rows.dropFirst().filter { !$0.cells.allSatisfy(\.isEmpty) }.map { DelimitedTable.Row(line: $0.number, cells: $0.cells) }
        return DelimitedTable(header: header.cells, rows: Array(body), delimiter: 0, encoding: .utf8)
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

    static func columnIndex(_ reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
        }
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
    public var description: String {
        switch self { case .unreadable(let reason): "XLSX: \(reason)" }
    }
}

private final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false

    static func parse(_ data: Data) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "si" { current = "" }
        if name == "t" { inText = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "t" { inText = false }
        if name == "si" { strings.append(current) }
    }
}

private final class WorkbookParser: NSObject, XMLParserDelegate {
    var sheets: [(name: String, id: String)] = []
    var targets: [String: String] = [:]

    static func sheets(_ data: Data) -> [(name: String, id: String)] {
        let delegate = WorkbookParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.sheets
    }

    static func relationships(_ data: Data) -> [String: String] {
        let delegate = WorkbookParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.targets
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "sheet", let sheetName = attributes["name"], let id = attributes["r:id"] ?? attributes.first(where: { $0.key.hasSuffix(":id") })?.value {
            sheets.append((sheetName, id))
        }
        if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

private final class SheetParser: NSObject, XMLParserDelegate {
    struct Row { var number: Int; var cells: [String] }
    let shared: [String]
    var rows: [Row] = []
    var row: Row? = nil
    var column = 0
    var type = ""
    var value = ""
    var collecting = false

    init(shared: [String]) { self.shared = shared }

    static func parse(_ data: Data, shared: [String]) -> [Row] {
        let delegate = SheetParser(shared: shared)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.rows
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            row = Row(number: Int(attributes["r"] ?? "") ?? (rows.last?.number ?? 0) + 1, cells: [])
        case "c":
            column = attributes["r"].map(XLSX.columnIndex) ?? (row?.cells.count ?? 0)
            type = attributes["t"] ?? ""
            value = ""
        case "v", "t":
            collecting = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if collecting { value += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": collecting = false
        case "c":
            guard var current = row, column >= 0 else { return }
            var text = value
            if type == "s", let index = Int(value), index < shared.count { text = shared[index] }
            if type == "b" { text = value == "1" ? "1" : "0" }
            // Excel stores 94,5 as 94.5 and integers as 14 — both read back as numbers by the parsers.
            if type.isEmpty || type == "n", let number = Double(value), number == number.rounded(), abs(number) < 1e15 { text = String(Int(number)) }
            while current.cells.count < column { current.cells.append("") }
            if current.cells.count == column { current.cells.append(text) } else { current.cells[column] = text }
            row = current
        case "row":
            if let current = row { rows.append(current) }
            row = nil
        default: break
        }
    }
}
