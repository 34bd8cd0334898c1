import Foundation
import OporaDomain

/// The formats a report is written in: Word (edited and signed), Excel (figured with), HTML (read and printed).
public enum ReportFormat: String, Sendable, CaseIterable {
    case docx, xlsx, html

    public init?(fileName: String) {
        guard let format = ReportFormat(rawValue: (fileName as NSString).pathExtension.lowercased()) else { return nil }
        self = format
    }

    public var mediaType: (type: String, subType: String) {
        switch self {
        case .docx: ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
        case .xlsx: ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        case .html: ("text", "html")
        }
    }

    public func write(_ document: ReportDocument) throws -> Data {
        switch self {
        case .docx: try ReportWriters.word(document).data()
        case .xlsx: try XLSX.write([ReportWriters.worksheet(document)])
        case .html: Data(ReportWriters.html(document).utf8)
        }
    }
}

public enum ReportWriters {
    public static func word(_ report: ReportDocument) -> WordDocument {
        var document = WordDocument(landscape: report.landscape)
        let notes = report.flags
        if let signature = report.signature {
            if !signature.approvalLines.isEmpty { document.add(.aside(signature.approvalLines)) }
            document.add(.paragraph(signature.issuer, bold: true, centred: true))
        }
        document.add(.heading(report.title, level: 1))
        for line in report.subtitle { document.add(.paragraph(line, centred: true)) }
        for block in report.blocks {
            switch block {
            case .heading(let text, let level): document.add(.heading(text, level: level))
            case .paragraph(let text): document.add(.paragraph(text))
            case .pageBreak: document.add(.pageBreak)
            case .aside(let lines): document.add(.aside(lines))
            case .table(let table):
                if let title = table.title { document.add(.paragraph(title, bold: true)) }
                document.add(.table(header: table.header, rows: table.textRows(notes: notes), widths: table.widths, groups: table.groups))
            case .chart(let chart):
                let table = chart.table
                document.add(.chart(NativeChartPart(chart)))
                document.add(.paragraph(table.title ?? "", bold: true))
                document.add(.table(header: table.header, rows: table.textRows(notes: notes), widths: table.widths, groups: table.groups))
            }
        }
        if let signature = report.signature {
            document.add(.paragraph(""))
            for line in signature.footerLines { document.add(.paragraph(line)) }
        }
        return document
    }

    /// The report as one sheet: each table's header row styled as a header, the title rows repeated on printed pages.
    public static func worksheet(_ report: ReportDocument) -> Worksheet {
        let (rows, headers, charts, merges) = sheetRows(report)
        // «Паспорт школы: МКОУ …» names its sheet «Паспорт школы»: the words before a colon say what the sheet is.
        let name = report.title.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? report.title
        let texts = Set(rows.indices.filter { rows[$0].count == 1 && !headers.contains($0) })
        var sheet = Worksheet(name: name, rows: rows, headerRows: 1 + report.subtitle.count, headingRows: headers,
                              textRows: texts, landscape: report.landscape)
        sheet.charts = charts
        sheet.merges = merges
        sheet.widestColumn = 30
        return sheet
    }

    /// One sheet: the title, then each table under its heading with a blank row between; numbers stay numbers
    /// (percentages as 64.29, not text), text cells as text.
    public static func sheet(_ report: ReportDocument) -> [[SheetCell]] { sheetRows(report).rows }


    /// Rows left empty under a chart's table for the chart drawn over them.
    static let chartRows = 18

    static func sheetRows(_ report: ReportDocument)
        -> (rows: [[SheetCell]], headers: Set<Int>, charts: [SheetChart], merges: [String]) {
        var rows: [[SheetCell]] = [[.text(report.title)]] + report.subtitle.map { [.text($0)] }
        // The issuer and the approval follow the title rows (which repeat on printed pages); they print once.
        if let signature = report.signature {
            rows.append([.text(signature.issuer)])
            rows += signature.approvalLines.map { [.text($0)] }
        }
        var headers: Set<Int> = []
        var charts: [SheetChart] = []
        var merges: [String] = []
        var heading: String? = nil
        let notes = report.flags
        for block in report.blocks {
            let table: ReportTable
            switch block {
            case .heading(let text, _): heading = text; continue
            case .paragraph(let text): rows.append([.text(text)]); continue
            case .pageBreak: rows.append([]); continue
            case .aside(let lines): rows += lines.map { [.text($0)] }; continue
            case .table(let plain): table = plain
            case .chart(let chart): table = chart.table
            }
            rows.append([])
            if let title = [heading, table.title].compactMap({ $0 }).joined(separator: " — ").nilIfEmpty { rows.append([.text(title)]) }
            heading = nil
            if !table.groups.isEmpty {
                // The upper level of a two-level header: a group's title across its columns, a lone column down both.
                let upper = rows.count + 1
                var upperRow: [SheetCell] = [], lowerRow: [SheetCell] = []
                var column = 0
                for group in table.groups {
                    let last = column + group.span - 1
                    if let title = group.title {
                        upperRow += [.text(title)] + Array(repeating: .empty, count: group.span - 1)
                        lowerRow += table.header[column...last].map(SheetCell.text)
                        if group.span > 1 { merges.append("\(XLSX.columnName(column))\(upper):\(XLSX.columnName(last))\(upper)") }
                    } else {
                        upperRow.append(.text(table.header[column]))
                        lowerRow.append(.empty)
                        merges.append("\(XLSX.columnName(column))\(upper):\(XLSX.columnName(column))\(upper + 1)")
                    }
                    column += group.span
                }
                headers.insert(rows.count)
                rows.append(upperRow)
                headers.insert(rows.count)
                rows.append(lowerRow)
            }
            let headerRow = rows.count
            if table.groups.isEmpty {
                headers.insert(headerRow)
                rows.append(table.header.map(SheetCell.text))
            }
            for row in table.rows {
                rows.append(row.map { cell in
                    let value: SheetCell
                    switch cell.value {
                    case .text(let text): value = .text(text)
                    case .percent(let number): value = number.map(SheetCell.percent) ?? .empty
                    case .number(let number, _): value = number.map(SheetCell.number) ?? .empty
                    case .integer(let number): value = number.map { .number(Double($0)) } ?? .empty
                    }
                    return value
                } + marks(row, notes: notes))
            }
            if case .chart(let chart) = block {
                // The chart goes under its table, over rows left empty for it.
                charts.append(SheetChart(chart: chart, headerRow: headerRow, rows: rows.count..<(rows.count + chartRows)))
                rows += Array(repeating: [], count: chartRows)
            }
        }
        if let signature = report.signature { rows += [[]] + signature.footerLines.map { [.text($0)] } }
        return (rows, headers, charts, merges)
    }

    /// The header rows of an HTML table: one, or two with the groups' titles over their columns.
    static func htmlHeader(_ table: ReportTable) -> String {
        guard !table.groups.isEmpty else { return "<tr>" + table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>" }
        var upper = "<tr>", lower = "<tr>", column = 0
        for group in table.groups {
            if let title = group.title {
                upper += "<th colspan=\"\(group.span)\">\(escape(title))</th>"
                lower += table.header[column..<(column + group.span)].map { "<th>\(escape($0))</th>" }.joined()
            } else {
                upper += "<th rowspan=\"2\">\(escape(table.header[column]))</th>"
            }
            column += group.span
        }
        return upper + "</tr>" + lower + "</tr>"
    }

    /// A row's note marks in one narrow cell («*1 *3»); the notes themselves are listed at the end of the report.
    static func marks(_ row: [ReportCell], notes: [String]) -> [SheetCell] {
        let marks = row.compactMap(\.flag).map { "*\((notes.firstIndex(of: $0) ?? 0) + 1)" }
        return marks.isEmpty ? [] : [.text(marks.joined(separator: " "))]
    }

    public static func html(_ report: ReportDocument) -> String {
        var html = """
        <!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>\(escape(report.title))</title><style>
        body { font: 14px/1.4 "PT Serif", "Times New Roman", serif; margin: 2rem auto; max-width: 1100px; color: #111; }
        h1 { font-size: 1.4rem; text-align: center; } h2 { font-size: 1.15rem; margin-top: 1.6rem; page-break-after: avoid; }
        .subtitle { text-align: center; margin: .2rem 0; } .issuer { text-align: center; font-weight: bold; }
        .approval { margin: 0 0 1rem 55%; } .approval p, .signature p { margin: .1rem 0; } .signature { margin-top: 1.5rem; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; page-break-inside: auto; }
        th, td { border: 1px solid #555; padding: .25rem .4rem; vertical-align: top; } th { background: #eee; }
        thead { display: table-header-group; } tr { page-break-inside: avoid; }
        td.num { text-align: right; white-space: nowrap; } .caption { font-weight: bold; margin-top: .8rem; } sup { color: #a00; }
        @page { size: A4 landscape; margin: 1.5cm; }
        @media print { body { margin: 0; max-width: none; } }
        </style></head><body>
        """
        if let signature = report.signature {
            if !signature.approvalLines.isEmpty {
                html += "<div class=\"approval\">" + signature.approvalLines.map { "<p>\(escape($0))</p>" }.joined() + "</div>"
            }
            html += "<p class=\"issuer\">\(escape(signature.issuer))</p>"
        }
        html += "<h1>\(escape(report.title))</h1>"
        let notes = report.flags
        for line in report.subtitle { html += "<p class=\"subtitle\">\(escape(line))</p>" }
        for block in report.blocks {
            switch block {
            case .heading(let text, let level): html += "<h\(min(max(level, 2), 3))>\(escape(text))</h\(min(max(level, 2), 3))>"
            case .paragraph(let text): html += "<p>\(escape(text))</p>"
            case .pageBreak: html += "<div style=\"page-break-before: always\"></div>"
            case .aside(let lines): html += "<div class=\"approval\">" + lines.map { "<p>\(escape($0))</p>" }.joined() + "</div>"
            case .chart(let chart):
                html += "<figure>" + ChartPicture.svg(chart) + "</figure>"
            case .table(let table):
                if let title = table.title { html += "<p class=\"caption\">\(escape(title))</p>" }
                html += "<table><thead>" + htmlHeader(table) + "</thead><tbody>"
                for row in table.rows {
                    html +=
                        "<tr>"
                        + row.map { cell in
                            let numeric: Bool
                            switch cell.value {
                            case .text: numeric = false;
                            default: numeric = true
                            }
                            let mark =
                                cell.flag.map { flag in "<sup title=\"\(escape(flag))\">*\((notes.firstIndex(of: flag) ?? 0) + 1)</sup>" }
                                ?? ""
                            return "<td\(numeric ? " class=\"num\"" : "")>\(escape(cell.text))\(mark)</td>"
                        }.joined() + "</tr>"
                }
                html += "</tbody></table>"
            }
        }
        if let signature = report.signature {
            html += "<div class=\"signature\">" + signature.footerLines.map { "<p>\(escape($0))</p>" }.joined() + "</div>"
        }
        return html + "</body></html>"
    }

    static func escape(_ text: String) -> String { MarkupEscape.html(text) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
