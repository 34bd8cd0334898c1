import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads a DOCX the way a test checks it: unzips `word/document.xml` and parses it into paragraphs and
/// tables of cell texts, so tests assert what a reader of the document sees, not only that a file exists.
public struct WordContent {
    public var paragraphs: [String] = []
    public var tables: [[[String]]] = []
    public var landscape = false
    /// Header rows marked to repeat on every page, per table.
    public var repeatedHeaders: [Int] = []
    public var nonBreakingSpaces = 0

    public init(_ data: Data) throws {
        let archive = try Archive(data: data, accessMode: .read)
        guard let entry = archive["word/document.xml"] else { throw CocoaError(.fileReadCorruptFile) }
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        let delegate = Delegate()
        let parser = XMLParser(data: xml)
        parser.delegate = delegate
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        paragraphs = delegate.paragraphs
        tables = delegate.tables
        landscape = delegate.landscape
        repeatedHeaders = delegate.repeatedHeaders
        nonBreakingSpaces = delegate.nonBreakingSpaces
    }

    final class Delegate: NSObject, XMLParserDelegate {
        var paragraphs: [String] = []
        var tables: [[[String]]] = []
        var landscape = false
        var repeatedHeaders: [Int] = []
        var nonBreakingSpaces = 0
        var depth = 0
        var row: [String]?
        var cell: [String]?
        var paragraph: String?
        var inText = false

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "w:tbl": depth += 1; if depth == 1 { tables.append([]); repeatedHeaders.append(0) }
            case "w:tr": row = []
            case "w:tblHeader": repeatedHeaders[repeatedHeaders.count - 1] += 1
            case "w:tc": cell = []
            case "w:p": paragraph = ""
            case "w:t": inText = true
            case "w:pgSz": landscape = attributes["w:orient"] == "landscape"
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            // Non-breaking spaces read as spaces (what a reader sees); `nonBreakingSpaces` counts them.
            if inText {
                nonBreakingSpaces += string.filter { $0 == "\u{00A0}" }.count
                paragraph? += string.replacingOccurrences(of: "\u{00A0}", with: " ")
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:t": inText = false
            case "w:p":
                if let text = paragraph {
                    if cell != nil { cell?.append(text) } else if !text.isEmpty { paragraphs.append(text) }
                }
                paragraph = nil
            case "w:tc": row?.append((cell ?? []).joined(separator: "\n")); cell = nil
            case "w:tr": if let row { tables[tables.count - 1].append(row) }; row = nil
            case "w:tbl": depth -= 1
            default: break
            }
        }
    }
}
