import OporaData
import OporaDomain
import Vapor

/// Every table a page shows exports to CSV (for Excel: UTF-8 with BOM, `;`, decimal comma, cells protected
/// against formulas) and XLSX (numbers as numbers).
enum TableExport {
    enum Format: String, CaseIterable { case csv, xlsx }

    static func response(_ rows: [[SheetCell]], format: Format, name: String, sheet: String) throws -> Response {
        switch format {
        case .xlsx:
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            headers.contentDisposition = .init(.attachment, filename: name + ".xlsx")
            return Response(status: .ok, headers: headers, body: .init(data: try XLSX.write(sheetName: sheet, rows: rows)))
        case .csv:
            return csv(rows.map { row in
                row.map { cell -> String in
                    switch cell {
                    case .text(let text): return text
                    case .number(let value), .percent(let value): return RussianFormat.spreadsheetNumber(value)
                    case .date(let day): return day.russian
                    case .empty: return ""
                    }
                }
            }, name: name)
        }
    }

    /// Streamed in pieces of about 64 KB as the lines are written: a region's export starts at once and is never
    /// held whole a second time as text.
    static func csv(_ table: [[String]], name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.contentDisposition = .init(.attachment, filename: name + ".csv")
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            var buffer = ByteBuffer()
            buffer.writeString("\u{FEFF}")
            for row in table {
                buffer.writeString(CSVText.line(row, delimiter: ";"))
                buffer.writeStaticString("\r\n")
                if buffer.readableBytes >= streamPiece {
                    try await writer.write(.buffer(buffer))
                    buffer = ByteBuffer()
                }
            }
            try await writer.write(.buffer(buffer))
            try await writer.write(.end)
        }))
    }

    static let streamPiece = 64 * 1024

    /// `results-2025-VPR-5-math.csv`: only characters that are safe in a file name of any system.
    static func fileName(_ parts: [String]) -> String {
        parts.joined(separator: "-").unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? String($0) : "_"
        }.joined()
    }
}
