import Foundation
import OporaDomain
import ZIPFoundation

/// A Word document (WordprocessingML) built from blocks: headings, paragraphs and tables with a header row
/// that repeats on every page, portrait or landscape. Small on purpose: the programmes and the reports use it.
/// Typeset as Russian documents are: non-breaking spaces before «%» and units, figures aligned right, a caption
/// kept with its table, rows never split across pages, and a table row of one cell spanning the table (a section).
public struct WordDocument: Sendable {
    public enum Block: Sendable, Hashable {
        case heading(String, level: Int)
        case paragraph(String, bold: Bool = false, centred: Bool = false)
        /// Column widths are relative; a row shorter than the header is padded.
        case table(header: [String], rows: [[String]], widths: [Int], groups: [HeaderGroup] = [])
        case pageBreak
        /// A chart kept as the office suite's own (`NativeChart`), drawn with its title, legend, axes and values.
        case chart(NativeChartPart)
        /// Lines set in the right half of the page, kept together: an «УТВЕРЖДАЮ» block.
        case aside([String])
    }

    public var landscape: Bool
    public var blocks: [Block]

    public init(landscape: Bool = false, blocks: [Block] = []) {
        self.landscape = landscape
        self.blocks = blocks
    }

    public mutating func add(_ block: Block) { blocks.append(block) }

    public func data() throws -> Data {
        let chartTypes = charts.indices.map {
            "<Override PartName=\"/word/charts/chart\($0 + 1).xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
        }.joined()
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(data: Data, _ path: String) throws {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        func add(_ path: String, _ text: String) throws { try add(data: Data(text.utf8), path) }
        try add(
            "[Content_Types].xml",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
            <Override PartName="/word/styles.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
            <Override PartName="/word/footer1.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\(chartTypes)</Types>
            """)
        try add(
            "_rels/.rels",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="word/document.xml"/></Relationships>
            """)
        var relationships =
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" " +
            "Target=\"styles.xml\"/><Relationship Id=\"rId2\" " +
            "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
        for (index, chart) in charts.enumerated() {
            relationships += "<Relationship Id=\"rIdChart\(index)\" "
                + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" "
                + "Target=\"charts/chart\(index + 1).xml\"/>"
            try add("word/charts/chart\(index + 1).xml", chart.xml)
        }
        try add("word/_rels/document.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(relationships)</Relationships>
        """)
        try add("word/styles.xml", Self.styles)
        try add("word/document.xml", documentXML())
        // Page numbers, centred at the foot of every page (a PAGE field Word and LibreOffice fill in).
        try add(
            "word/footer1.xml",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r>\
            <w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>\
            <w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>
            """)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// The charts in the order they appear (their parts are numbered so).
    var charts: [NativeChartPart] {
        blocks.compactMap { if case .chart(let chart) = $0 { chart } else { nil } }
    }

    /// Text width in twentieths of a point: A4 less 2 cm margins on each side.
    var textWidth: Int { landscape ? 16838 - 2 * 1134 : 11906 - 2 * 1134 }

    func documentXML() -> String {
        var body = ""
        var chartIndex = 0
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                body += "<w:p><w:pPr><w:pStyle w:val=\"Heading\(min(max(level, 1), 3))\"/></w:pPr>\(run(text))</w:p>"
            case .paragraph(let text, let bold, let centred):
                let alignment = centred ? "<w:jc w:val=\"center\"/>" : ""
                // A bold line is a caption: it stays on the page of what follows it.
                let keep = bold ? "<w:keepNext/>" : ""
                body += text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    "<w:p><w:pPr>\(keep)\(alignment)</w:pPr>\(run(String(line), bold: bold))</w:p>"
                }.joined()
            case .table(let header, let rows, let widths, let groups):
                body += table(header: header, rows: rows, widths: widths, groups: groups)
            case .pageBreak:
                body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
            case .chart(let chart):
                body += drawing(chart, index: chartIndex)
                chartIndex += 1
            case .aside(let lines):
                body += lines.enumerated().map { index, line in
                    // Kept together, with a blank line's space after the block before what follows it.
                    let last = index == lines.count - 1
                    let spacing = "<w:spacing w:after=\"\(last ? 360 : 0)\"/>"
                    let keep = last ? "" : "<w:keepNext/>"
                    return "<w:p><w:pPr>\(keep)\(spacing)<w:ind w:left=\"\(textWidth / 2)\"/></w:pPr>\(run(line))</w:p>"
                }.joined()
            }
        }
        let size = landscape ? "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>" : "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
            xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
            xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
            xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>\(body)<w:sectPr>\
            <w:footerReference w:type="default" r:id="rId2"/>\
            \(size)<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="708" w:footer="708" w:gutter="0"/>\
            </w:sectPr></w:body></w:document>
            """
    }

    /// A chart inline, as wide as the text, kept on the page of the caption before it.
    func drawing(_ chart: NativeChartPart, index: Int) -> String {
        let cx = textWidth * 635, cy = chart.height
        return "<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            + "<wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:docPr id=\"\(index + 1)\" name=\"\(Self.escape(chart.title))\"/>"
            + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
            + "<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rIdChart\(index)\"/>"
            + "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    }

    func run(_ text: String, bold: Bool = false) -> String {
        "<w:r>\(bold ? "<w:rPr><w:b/></w:rPr>" : "")<w:t xml:space=\"preserve\">\(Self.escape(Typography.nonBreaking(text)))</w:t></w:r>"
    }

    /// About the width of a character of the table's 11-point type, in twentieths of a point, bold included.
    static let characterTwips = 125
    /// A cell's left and right margins (`tblCellMar` in the styles).
    static let cellMarginTwips = 2 * 85 + 30

    /// Column widths in twips from the relative `weights`, each at least as wide as the longest word of its header,
    /// so that a wrapped header breaks between words (the width taken from the widest columns).
    func columnTwips(header: [String], rows: [[String]] = [], weights: [Int]) -> [Int] {
        let total = weights.reduce(0, +)
        var twips = weights.map { textWidth * $0 / total }
        func longestWord(_ text: String) -> Int {
            text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "/" }).map(\.count).max() ?? 0
        }
        // A body word counts up to a dozen letters: longer ones (a school's full name) may wrap inside themselves.
        let needed = header.indices.map { column in
            max(longestWord(header[column]), rows.prefix(200).map { $0.count > column ? min(12, longestWord($0[column])) : 0 }.max() ?? 0)
                * Self.characterTwips + Self.cellMarginTwips
        }
        for index in twips.indices where twips[index] < needed[index] {
            var missing = needed[index] - twips[index]
            while missing > 0 {
                let spare = twips.indices.filter { twips[$0] > needed[$0] }
                guard let donor = spare.max(by: { twips[$0] - needed[$0] < twips[$1] - needed[$1] }) else { break }
                let taken = min(missing, twips[donor] - needed[donor])
                twips[donor] -= taken
                twips[index] += taken
                missing -= taken
            }
        }
        return twips
    }

    func table(header: [String], rows: [[String]], widths: [Int], groups: [HeaderGroup] = []) -> String {
        let columns = max(header.count, 1)
        let weights = widths.count == columns ? widths.map { max($0, 1) } : Array(repeating: 1, count: columns)
        let twips = columnTwips(header: header, rows: rows.filter { $0.count > 1 }, weights: weights)
        var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(textWidth)\" w:type=\"dxa\"/>"
            + "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
        xml += twips.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        func paragraphs(_ cell: String, bold: Bool, alignment: String) -> String {
            cell.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "<w:p><w:pPr>\(alignment)</w:pPr>\(run(String($0), bold: bold))</w:p>" }.joined()
        }
        func row(_ cells: [String], header: Bool) -> String {
            let properties = header ? "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>"
            if cells.count == 1, columns > 1, !header {
                // A section of the table: one cell across every column, on the page of the rows it heads.
                return "<w:tr>\(properties)<w:tc><w:tcPr><w:tcW w:w=\"\(textWidth)\" w:type=\"dxa\"/><w:gridSpan w:val=\"\(columns)\"/>"
                    + "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/></w:tcPr>"
                    + paragraphs(cells[0], bold: true, alignment: "<w:keepNext/>") + "</w:tc></w:tr>"
            }
            let padded = Array((cells + Array(repeating: "", count: max(0, columns - cells.count))).prefix(columns))
            var text = "<w:tr>\(properties)"
            for (index, cell) in padded.enumerated() {
                let alignment = header ? "<w:jc w:val=\"center\"/>" : (Typography.isFigure(cell) ? "<w:jc w:val=\"right\"/>" : "")
                let centred = header ? "<w:vAlign w:val=\"center\"/>" : ""
                text += "<w:tc><w:tcPr><w:tcW w:w=\"\(twips[index])\" w:type=\"dxa\"/>\(centred)</w:tcPr>"
                    + paragraphs(cell, bold: header, alignment: alignment) + "</w:tc>"
            }
            return text + "</w:tr>"
        }
        if groups.isEmpty {
            xml += row(header, header: true)
        } else {
            xml += groupedHeader(header, groups: groups, twips: twips) { paragraphs($0, bold: $1, alignment: $2) }
        }
        for cells in rows { xml += row(cells, header: false) }
        return xml + "</w:tbl><w:p/>"
    }

    /// Two header rows: a group's title over its columns, a lone column's name down both rows (merged vertically).
    func groupedHeader(_ header: [String], groups: [HeaderGroup], twips: [Int],
                       paragraphs: (String, Bool, String) -> String) -> String {
        let properties = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        var upper = "<w:tr>\(properties)", lower = "<w:tr>\(properties)"
        var column = 0
        func cell(_ text: String, width: Int, extra: String) -> String {
            "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>\(extra)<w:vAlign w:val=\"center\"/></w:tcPr>"
                + paragraphs(text, true, "<w:jc w:val=\"center\"/>") + "</w:tc>"
        }
        for group in groups {
            let columns = column..<min(column + group.span, header.count)
            let width = columns.map { twips[$0] }.reduce(0, +)
            if let title = group.title {
                upper += cell(title, width: width, extra: group.span > 1 ? "<w:gridSpan w:val=\"\(group.span)\"/>" : "")
                for index in columns { lower += cell(header[index], width: twips[index], extra: "") }
            } else {
                upper += cell(header[column], width: width, extra: "<w:vMerge w:val=\"restart\"/>")
                lower += cell("", width: width, extra: "<w:vMerge/>")
            }
            column += group.span
        }
        return upper + "</w:tr>" + lower + "</w:tr>"
    }

    /// XML text for a Word run (`MarkupEscape.xml`, one line).
    static func escape(_ text: String) -> String { MarkupEscape.xml(text, singleLine: true) }

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr>\
        <w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="ru-RU"/>\
        </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60"/></w:pPr></w:pPrDefault></w:docDefaults>\
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>\
        <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/>\
        <w:spacing w:before="240" w:after="120"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/>\
        </w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr>\
        <w:keepNext/><w:spacing w:before="200" w:after="100"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr>\
        </w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:pPr>\
        <w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid">\
        <w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
        <w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
        <w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>\
        <w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/>\
        <w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:rPr><w:sz w:val="22"/></w:rPr></w:style></w:styles>
        """
}
