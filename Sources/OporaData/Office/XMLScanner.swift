/// A pull reader for the XML inside office files: start tags with their attributes, end tags and text, one at
/// a time, in one pass over the bytes and without recursion. It reads what spreadsheet and word-processor
/// writers produce (namespaces prefixes, CDATA, comments, character references) and refuses the rest
/// (a DOCTYPE, whose entity definitions are how XML bombs work, or anything unterminated) as damage.
struct XMLScanner {
    enum Token {
        /// `name` is the local name (any `prefix:` removed).
        case start(name: String, attributes: XMLAttributes, selfClosing: Bool)
        case end(name: String)
        case text(XMLText)
    }

    struct Damaged: Error, Equatable { let reason: String }

    let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() throws -> Token? {
        let count = bytes.count
        while index < count {
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                while index < count && bytes[index] != UInt8(ascii: "<") { index += 1 }
                return .text(XMLText(bytes: bytes, range: start..<index, isRaw: false))
            }
            // Markup.
            guard index + 1 < count else { throw Damaged(reason: "XML обрывается") }
            switch bytes[index + 1] {
            case UInt8(ascii: "?"):
                index = try skip(past: [UInt8(ascii: "?"), UInt8(ascii: ">")], from: index + 2, what: "инструкция")
            case UInt8(ascii: "!"):
                if starts(with: "<!--") {
                    index = try skip(past: Array("-->".utf8), from: index + 4, what: "комментарий")
                } else if starts(with: "<![CDATA[") {
                    let start = index + 9
                    let end = try skip(past: Array("]]>".utf8), from: start, what: "CDATA")
                    index = end
                    return .text(XMLText(bytes: bytes, range: start..<(end - 3), isRaw: true))
                } else {
                    throw Damaged(reason: "недопустимое объявление в XML (DOCTYPE)")
                }
            case UInt8(ascii: "/"):
                let nameStart = index + 2
                var cursor = nameStart
                while cursor < count && bytes[cursor] != UInt8(ascii: ">") { cursor += 1 }
                guard cursor < count else { throw Damaged(reason: "XML обрывается внутри тега") }
                let name = Self.localName(bytes, nameStart, Self.trimmedEnd(bytes, nameStart, cursor))
                index = cursor + 1
                return .end(name: name)
            default:
                let nameStart = index + 1
                var cursor = nameStart
                while cursor < count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"), bytes[cursor] != UInt8(ascii: "/") {
                    cursor += 1
                }
                guard cursor > nameStart else { throw Damaged(reason: "тег без имени") }
                let name = Self.localName(bytes, nameStart, cursor)
                let attributesStart = cursor
                // Find the tag's end, skipping quoted attribute values (they may contain '>').
                var quote: UInt8 = 0
                while cursor < count {
                    let byte = bytes[cursor]
                    if quote != 0 {
                        if byte == quote { quote = 0 }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: ">") {
                        break
                    }
                    cursor += 1
                }
                guard cursor < count else { throw Damaged(reason: "XML обрывается внутри тега") }
                let selfClosing = cursor > attributesStart && bytes[cursor - 1] == UInt8(ascii: "/")
                let attributesEnd = selfClosing ? cursor - 1 : cursor
                index = cursor + 1
                return .start(
                    name: name, attributes: XMLAttributes(bytes: bytes, range: attributesStart..<attributesEnd), selfClosing: selfClosing)
            }
        }
        return nil
    }

    private func starts(with prefix: String) -> Bool {
        let utf8 = Array(prefix.utf8)
        guard index + utf8.count <= bytes.count else { return false }
        for offset in 0..<utf8.count where bytes[index + offset] != utf8[offset] { return false }
        return true
    }

    /// The position just after `terminator`, searching from `from`.
    private func skip(past terminator: [UInt8], from: Int, what: String) throws -> Int {
        var cursor = from
        let last = bytes.count - terminator.count
        while cursor <= last {
            if bytes[cursor] == terminator[0] {
                var matches = true
                for offset in 1..<terminator.count where bytes[cursor + offset] != terminator[offset] { matches = false; break }
                if matches { return cursor + terminator.count }
            }
            cursor += 1
        }
        throw Damaged(reason: "XML обрывается: не закрыт(а) \(what)")
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func trimmedEnd(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        return end
    }

    static func localName(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        var nameStart = start
        for position in start..<end where bytes[position] == UInt8(ascii: ":") { nameStart = position + 1 }
        return String(decoding: bytes[nameStart..<end], as: UTF8.self)
    }
}

/// The attributes of one start tag, read on demand.
struct XMLAttributes {
    let bytes: [UInt8]
    let range: Range<Int>

    /// The value of the attribute with this local name (`r:id` is found as `id`), entities decoded.
    subscript(_ wanted: String) -> String? {
        let target = Array(wanted.utf8)
        var cursor = range.lowerBound
        let end = range.upperBound
        while cursor < end {
            while cursor < end && XMLScanner.isSpace(bytes[cursor]) { cursor += 1 }
            let nameStart = cursor
            while cursor < end && bytes[cursor] != UInt8(ascii: "=") && !XMLScanner.isSpace(bytes[cursor]) { cursor += 1 }
            let nameEnd = cursor
            while cursor < end && XMLScanner.isSpace(bytes[cursor]) { cursor += 1 }
            guard cursor < end, bytes[cursor] == UInt8(ascii: "=") else { return nil }
            cursor += 1
            while cursor < end && XMLScanner.isSpace(bytes[cursor]) { cursor += 1 }
            guard cursor < end, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") else { return nil }
            let quote = bytes[cursor]
            cursor += 1
            let valueStart = cursor
            while cursor < end && bytes[cursor] != quote { cursor += 1 }
            guard cursor < end else { return nil }
            let valueEnd = cursor
            cursor += 1
            var localStart = nameStart
            for position in nameStart..<nameEnd where bytes[position] == UInt8(ascii: ":") { localStart = position + 1 }
            if nameEnd - localStart == target.count, bytes[localStart..<nameEnd].elementsEqual(target) {
                return XMLText(bytes: bytes, range: valueStart..<valueEnd, isRaw: false).string
            }
        }
        return nil
    }
}

/// Character data between tags, decoded only when asked for.
struct XMLText {
    let bytes: [UInt8]
    let range: Range<Int>
    /// CDATA: no entities to decode.
    let isRaw: Bool

    var count: Int { range.count }

    /// The text with `&lt;`, `&amp;`, `&#1055;`, `&#x41F;` … decoded; an unknown entity is kept as written.
    var string: String {
        if isRaw || !bytes[range].contains(UInt8(ascii: "&")) { return String(decoding: bytes[range], as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var cursor = range.lowerBound
        let end = range.upperBound
        while cursor < end {
            let byte = bytes[cursor]
            guard byte == UInt8(ascii: "&") else { output.append(byte); cursor += 1; continue }
            var semicolon = cursor + 1
            while semicolon < end && semicolon - cursor <= 12 && bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
            guard semicolon < end, bytes[semicolon] == UInt8(ascii: ";") else { output.append(byte); cursor += 1; continue }
            let name = String(decoding: bytes[(cursor + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar? = nil
            switch name {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                cursor = semicolon + 1
            } else {
                output.append(byte)
                cursor += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
