import Foundation
import OporaDomain
import ZIPFoundation

/// A cell written to a spreadsheet.
public enum SheetCell: Sendable, Hashable {
    case text(String)
    case number(Double)
    /// A share 0–100, stored as the number and shown with one decimal (64,3 in a Russian Excel).
    case percent(Double)
    /// A date, stored as Excel's day number and shown as 28.02.2023, so it sorts and filters as a date.
    case date(CalendarDay)
    case empty

    public static func integer(_ value: Int?) -> SheetCell { value.map { .number(Double($0)) } ?? .empty }
    public static func day(_ value: CalendarDay?) -> SheetCell { value.map(SheetCell.date) ?? .empty }
}

/// One sheet of a workbook. `headerRows` are the rows at the top that stay in view while scrolling and are printed
/// again on every page; `landscape` nil turns the page when the columns are too wide for a portrait A4.
public struct Worksheet: Sendable {
    public var name: String
    public var rows: [[SheetCell]]
    public var headerRows: Int
    public var landscape: Bool?
    /// Rows below the top that head a table of their own (a report's sheet holds several): styled as headers.
    public var headingRows: Set<Int>
    /// Rows of one text (a title, a paragraph, a caption): written across the sheet's width, wrapped, their height
    /// set for the lines they take; they do not widen the first column.
    public var textRows: Set<Int>
    /// Charts drawn over the sheet, each from a table of the sheet (its figures by cell reference).
    public var charts: [SheetChart] = []
    /// Merged ranges («C5:F5»): a two-level header's group titles, its lone columns down both rows.
    public var merges: [String] = []
    /// The widest a column grows (in characters); longer text wraps inside it. A sheet holding many tables keeps its
    /// columns narrower, since one long text would widen the column for every table below.
    public var widestColumn = XLSX.widestColumn

    public init(name: String, rows: [[SheetCell]], headerRows: Int = 1, headingRows: Set<Int> = [], textRows: Set<Int> = [],
                landscape: Bool? = nil) {
        self.name = name
        self.rows = rows
        self.headerRows = max(0, min(headerRows, rows.count))
        self.headingRows = headingRows
        self.textRows = textRows
        self.landscape = landscape
    }

    func isHeader(_ row: Int) -> Bool { row < headerRows || headingRows.contains(row) }
}

/// A chart on a sheet: drawn from the table whose header is at `headerRow` (0-based), placed over the empty rows
/// `rows` (0-based, the writer leaves them for it) across `columns` columns.
public struct SheetChart: Sendable {
    public var chart: ReportChart
    public var headerRow: Int
    public var rows: Range<Int>
    public var columns: Int

    public init(chart: ReportChart, headerRow: Int, rows: Range<Int>, columns: Int = 8) {
        self.chart = chart
        self.headerRow = headerRow
        self.rows = rows
        self.columns = columns
    }
}

/// The rules every spreadsheet Opora writes keeps, so that Excel opens it without a repair and it prints as a person
/// expects: sheet names as Excel allows them, numbers and dates as typed cells, headers that wrap between words,
/// A4 pages fitted to the width with the header repeated, and page numbers in the footer.
extension XLSX {
    public static func write(sheetName: String, rows: [[SheetCell]], headerRows: Int = 1) throws -> Data {
        try write([Worksheet(name: sheetName, rows: rows, headerRows: headerRows)])
    }

    public static func write(_ sheets: [Worksheet]) throws -> Data {
        let sheets = sheets.isEmpty ? [Worksheet(name: "Лист1", rows: [])] : sheets
        var names: [String] = []
        for sheet in sheets { names.append(sheetName(sheet.name, taken: names)) }
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        var sheetParts = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        // Charts are numbered across the workbook; each sheet with charts has one drawing part.
        var chartNumber = 0
        var drawings: [(sheet: Int, charts: [(number: Int, chart: SheetChart)])] = []
        for (index, sheet) in sheets.enumerated() where !sheet.charts.isEmpty {
            drawings.append((index, sheet.charts.map { chartNumber += 1; return (chartNumber, $0) }))
        }
        for drawing in drawings {
            sheetParts += "<Override PartName=\"/xl/drawings/drawing\(drawing.sheet + 1).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.drawing+xml\"/>"
            for (number, _) in drawing.charts {
                sheetParts += "<Override PartName=\"/xl/charts/chart\(number).xml\" "
                    + "ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
            }
        }
        try add("[Content_Types].xml", header + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        \(sheetParts)\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """)
        try add("_rels/.rels", header + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/></Relationships>
        """)
        let sheetList = names.enumerated().map { index, name in
            "<sheet name=\"\(escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }.joined()
        // Print titles: the header rows of each sheet again at the top of every printed page.
        let titles = sheets.enumerated().filter { $0.element.headerRows > 0 }.map { index, sheet in
            let quoted = "'" + names[index].replacingOccurrences(of: "'", with: "''") + "'"
            return "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(index)\">"
                + escape("\(quoted)!$1:$\(sheet.headerRows)") + "</definedName>"
        }.joined()
        try add("xl/workbook.xml", header + """
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets>\(sheetList)</sheets>\(titles.isEmpty ? "" : "<definedNames>\(titles)</definedNames>")</workbook>
        """)
        let relationships = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        try add("xl/_rels/workbook.xml.rels", header + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relationships)\
        <Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/></Relationships>
        """)
        try add("xl/styles.xml", header + styles)
        for (index, sheet) in sheets.enumerated() {
            let hasDrawing = !sheet.charts.isEmpty
            try add("xl/worksheets/sheet\(index + 1).xml", header + worksheet(sheet, drawing: hasDrawing))
        }
        let relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        for drawing in drawings {
            let number = drawing.sheet + 1
            try add("xl/worksheets/_rels/sheet\(number).xml.rels", header
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rIdDrawing\" Type=\"\(relationship)/drawing\" Target=\"../drawings/drawing\(number).xml\"/>"
                + "</Relationships>")
            try add("xl/drawings/_rels/drawing\(number).xml.rels", header
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + drawing.charts.map {
                    "<Relationship Id=\"rIdChart\($0.number)\" Type=\"\(relationship)/chart\" Target=\"../charts/chart\($0.number).xml\"/>"
                }.joined()
                + "</Relationships>")
            try add("xl/drawings/drawing\(number).xml", header + drawingXML(drawing.charts))
            for (chartNumber, placed) in drawing.charts {
                let source = NativeChart.Source(sheet: names[drawing.sheet], headerRow: placed.headerRow + 1)
                try add("xl/charts/chart\(chartNumber).xml", NativeChart.xml(placed.chart, source: source))
            }
        }
        guard let data = archive.data else { throw XLSXError.unreadable("не удалось собрать файл") }
        return data
    }

    /// Style indexes of `styles` below.
    enum Style: Int {
        case plain = 0, header, percent, date, wrapped, headerPercent, decimal
    }

    static let styles = """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="3"><numFmt numFmtId="165" formatCode="0.0"/><numFmt numFmtId="166" formatCode="dd\\.mm\\.yyyy"/>\
    <numFmt numFmtId="167" formatCode="0.0#"/></numFmts>\
    <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
    <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
    <fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="7">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><alignment vertical="top"/></xf>\
    <xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">\
    <alignment vertical="center" wrapText="1"/></xf>\
    <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment vertical="top"/></xf>\
    <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment vertical="top"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
    <xf numFmtId="165" fontId="1" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>\
    <xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"><alignment vertical="top"/></xf>\
    </cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
    """

    /// The widest a column grows (in characters); longer text wraps inside it.
    static let widestColumn = 50
    /// About what fits across a portrait A4 at 100 % (in characters); wider sheets are printed landscape.
    static let portraitWidth = 95

    /// The drawing part of a sheet: each chart anchored over the empty rows left for it.
    static func drawingXML(_ charts: [(number: Int, chart: SheetChart)]) -> String {
        var xml = "<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" "
            + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
        for (index, (number, placed)) in charts.enumerated() {
            xml += "<xdr:twoCellAnchor editAs=\"oneCell\">"
                + "<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>\(placed.rows.lowerBound)</xdr:row>"
                + "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
                + "<xdr:to><xdr:col>\(placed.columns)</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>\(placed.rows.upperBound)</xdr:row>"
                + "<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr>"
                + "<xdr:cNvPr id=\"\(index + 2)\" name=\"\(escape(placed.chart.title))\"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
                + "<xdr:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></xdr:xfrm><a:graphic>"
                + "<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
                + "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rIdChart\(number)\"/>"
                + "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
        }
        return xml + "</xdr:wsDr>"
    }

    static func worksheet(_ sheet: Worksheet, drawing: Bool = false) -> String {
        let widths = columnWidths(sheet)
        let landscape = sheet.landscape ?? (widths.reduce(0, +) > portraitWidth)
        var xml = "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        xml += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
        if sheet.headerRows > 0 {
            let top = "A\(sheet.headerRows + 1)"
            xml += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(sheet.headerRows)\" topLeftCell=\"\(top)\" "
                + "activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"\(top)\" sqref=\"\(top)\"/>"
                + "</sheetView></sheetViews>"
        } else {
            xml += "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>"
        }
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !widths.isEmpty {
            xml += "<cols>" + widths.enumerated().map { column, width in
                "<col min=\"\(column + 1)\" max=\"\(column + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
            }.joined() + "</cols>"
        }
        xml += "<sheetData>"
        let across = max(1, widths.reduce(0, +))
        var merged = sheet.merges
        for (r, row) in sheet.rows.enumerated() {
            let isHeader = sheet.isHeader(r)
            if sheet.textRows.contains(r), row.count == 1, case .text(let text) = row[0] {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { max(1, ($0.count + across - 1) / across) }.reduce(0, +)
                let last = columnName(max(widths.count, 1) - 1) + String(r + 1)
                if widths.count > 1 { merged.append("A\(r + 1):\(last)") }
                let style: Style = isHeader ? .header : .wrapped
                xml += "<row r=\"\(r + 1)\" ht=\"\(15 * lines)\" customHeight=\"1\">"
                    + "<c r=\"A\(r + 1)\" s=\"\(style.rawValue)\" t=\"inlineStr\">"
                    + "<is><t xml:space=\"preserve\">\(escape(text))</t></is></c></row>"
                continue
            }
            // Rows whose text wraps get the height of their lines: not every reader grows a row by itself.
            let lines = row.enumerated().map { column, cell -> Int in
                guard case .text(let text) = cell else { return 1 }
                return text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { max(1, ($0.count + widths[column] - 3) / max(1, widths[column] - 2)) }.reduce(0, +)
            }.max() ?? 1
            xml += lines > 1 ? "<row r=\"\(r + 1)\" ht=\"\(15 * min(lines, 20))\" customHeight=\"1\">" : "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = columnName(c) + String(r + 1)
                switch cell {
                case .text(let text):
                    let style: Style = isHeader ? .header : (longestLine(text) > widths[c] || text.contains("\n") ? .wrapped : .plain)
                    xml += "<c r=\"\(ref)\" s=\"\(style.rawValue)\" t=\"inlineStr\">"
                        + "<is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
                case .number(let value) where value.isFinite:
                    let style: Style = isHeader ? .header : (value == value.rounded() ? .plain : .decimal)
                    xml += "<c r=\"\(ref)\" s=\"\(style.rawValue)\"><v>\(numberText(value))</v></c>"
                case .percent(let value) where value.isFinite:
                    xml += "<c r=\"\(ref)\" s=\"\((isHeader ? Style.headerPercent : .percent).rawValue)\"><v>\(numberText(value))</v></c>"
                case .date(let day):
                    xml += "<c r=\"\(ref)\" s=\"\(Style.date.rawValue)\"><v>\(day.spreadsheetSerial)</v></c>"
                case .number, .percent, .empty: break
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if !merged.isEmpty {
            xml += "<mergeCells count=\"\(merged.count)\">" + merged.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        }
        xml += "<pageMargins left=\"0.6\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        xml += "<pageSetup paperSize=\"9\" orientation=\"\(landscape ? "landscape" : "portrait")\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        xml += "<headerFooter><oddFooter>&amp;CСтраница &amp;P из &amp;N</oddFooter></headerFooter>"
        if drawing { xml += "<drawing r:id=\"rIdDrawing\"/>" }
        return xml + "</worksheet>"
    }

    /// Widths in characters: as wide as the longest value (up to `widestColumn`, beyond which text wraps) and never
    /// narrower than the longest word of a header, so a wrapped header breaks between words, not inside one.
    static func columnWidths(_ sheet: Worksheet) -> [Int] {
        var widths: [Int] = []
        for (r, row) in sheet.rows.prefix(2_000).enumerated() where !sheet.textRows.contains(r) {
            for (c, cell) in row.enumerated() {
                while widths.count <= c { widths.append(8) }
                let needed: Int
                switch cell {
                case .text(let text) where sheet.isHeader(r):
                    needed = (text.split(whereSeparator: { $0.isWhitespace || $0 == "/" }).map(\.count).max() ?? 0) + 2
                case .text(let text): needed = min(sheet.widestColumn, longestLine(text) + 2)
                case .number(let value), .percent(let value): needed = min(18, RussianFormat.number(value, digits: 2).count + 3)
                case .date: needed = 12
                case .empty: needed = 0
                }
                widths[c] = max(widths[c], needed)
            }
        }
        return widths
    }

    static func longestLine(_ text: String) -> Int { text.split(separator: "\n").map(\.count).max() ?? 0 }

    /// Whole numbers without «.0» (a count reads back as 14, not 14.0); others as Swift prints a Double.
    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A sheet name Excel accepts: at most 31 characters, none of `: \ / ? * [ ]`, not empty, not starting or ending
    /// with an apostrophe, not «History», and different (ignoring case) from the names already taken.
    public static func sheetName(_ proposed: String, taken: [String] = []) -> String {
        let forbidden: Set<Character> = [":", "\\", "/", "?", "*", "[", "]"]
        var name = String(proposed.map { forbidden.contains($0) || $0.isNewline ? " " : $0 })
        name = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        while name.hasPrefix("'") { name.removeFirst() }
        name = limited(name, 31)
        while name.hasSuffix("'") || name.hasSuffix(" ") { name.removeLast() }
        if name.isEmpty { name = "Лист" }
        if name.lowercased() == "history" { name = "History 1" }
        let lowered = Set(taken.map { $0.lowercased() })
        guard lowered.contains(name.lowercased()) else { return name }
        for counter in 2... {
            let suffix = " (\(counter))"
            let candidate = limited(name, 31 - suffix.utf16.count).trimmingCharacters(in: .whitespaces) + suffix
            if !lowered.contains(candidate.lowercased()) { return candidate }
        }
        return name
    }

    /// Excel counts a name's length in UTF-16 units.
    static func limited(_ text: String, _ units: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf16.count + String(character).utf16.count <= units else { break }
            result.append(character)
        }
        return result
    }
}
