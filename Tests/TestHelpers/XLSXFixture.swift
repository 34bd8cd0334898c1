import Foundation
import ZIPFoundation

/// Workbooks with hand-written parts, for tests of what the XLSX reader does with odd and hostile files.
public enum XLSXFixture {
    public static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/></Types>
        """
    public static let rootRels = """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/></Relationships>
        """
    public static let workbook = """
        <?xml version="1.0" encoding="UTF-8"?>\
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        <sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    public static let workbookRels = """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" \
        Target="sharedStrings.xml"/></Relationships>
        """

    /// A sheet from rows of already-written `<c>` elements.
    public static func sheet(_ rows: [String]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " +
        "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + rows.enumerated().map { "<row r=\"\($0.offset + 1)\">\($0.element)</row>" }.joined() + "</sheetData></worksheet>"
    }

    public static func sharedStrings(_ strings: [String]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " +
        "count=\"\(strings.count)\">"
            + strings.map { "<si><t>\($0)</t></si>" }.joined() + "</sst>"
    }

    /// A workbook whose sheet (and shared strings) are exactly the given XML.
    public static func workbook(sheet: String, sharedStrings: String? = nil) throws -> [UInt8] {
        var parts: [(String, Data)] = [
            ("[Content_Types].xml", Data(contentTypes.utf8)), ("_rels/.rels", Data(rootRels.utf8)),
            ("xl/workbook.xml", Data(workbook.utf8)), ("xl/_rels/workbook.xml.rels", Data(workbookRels.utf8)),
            ("xl/worksheets/sheet1.xml", Data(sheet.utf8)),
        ]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", Data(sharedStrings.utf8))) }
        return try archive(parts.map { ($0.0, .bytes($0.1)) })
    }

    public enum Content {
        case bytes(Data)
        /// `size` bytes produced in chunks, never held whole (for zip bombs).
        case repeated(byte: UInt8, size: Int)
    }

    public static func archive(_ parts: [(String, Content)]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, content) in parts {
            switch content {
            case .bytes(let data):
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                    position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            case .repeated(let byte, let total):
                let chunk = Data(repeating: byte, count: 1 << 20)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(total), compressionMethod: .deflate,
                                     bufferSize: 1 << 20) { position, size in
                    size == chunk.count ? chunk : Data(repeating: byte, count: min(size, total - Int(position)))
                }
            }
        }
        return [UInt8](archive.data ?? Data())
    }
}
