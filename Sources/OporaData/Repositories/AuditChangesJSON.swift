/// The audit log's `changes` column written by hand: the JSON `JSONEncoder` gives for `[FieldChange]` (an absent
/// value left out, slashes escaped; the keys always in declaration order), at a fraction of its cost. An import that rates
/// a million risk factors records a million changes, and encoding them took a fifth of the import (issue 18).
enum AuditChangesJSON {
    static func text(_ changes: [FieldChange]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(2 + changes.count * 64)
        out.append(UInt8(ascii: "["))
        for (index, change) in changes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"field":"#.utf8)
            append(change.field, to: &out)
            if let old = change.old {
                out.append(contentsOf: #","old":"#.utf8)
                append(old, to: &out)
            }
            if let new = change.new {
                out.append(contentsOf: #","new":"#.utf8)
                append(new, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes, slashes and control characters escaped, everything else as it is.
    static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "/"): out.append(contentsOf: #"\/"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
