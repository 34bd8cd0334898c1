/// The one escaper for everything Opora writes as markup: HTML pages and HTML reports, the XML inside XLSX and
/// DOCX files, SVG charts. `HTMLNode.escape`, `XLSX.escape` and `WordDocument.escape` only choose a rule here.
public enum MarkupEscape {
    /// HTML text and attribute values: the five characters that could end a text or an attribute.
    public static func html(_ value: String) -> String {
        // Byte by byte: the five characters to escape are ASCII, and most texts contain none of them.
        let utf8 = value.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return value }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: bytes.append(contentsOf: "&amp;".utf8)
            case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
            case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
            case 0x22: bytes.append(contentsOf: "&quot;".utf8)
            case 0x27: bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// XML 1.0 text for Office files: the entities, and none of the characters XML forbids (controls other than tab,
    /// line feed and carriage return; U+FFFE, U+FFFF) — Excel and Word refuse a file holding one.
    /// `singleLine` also turns a tab into a space and drops line breaks, as a Word run carries neither.
    public static func xml(_ text: String, singleLine: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t" where singleLine: out += " "
            case "\t", "\n", "\r":
                if !singleLine { out.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
