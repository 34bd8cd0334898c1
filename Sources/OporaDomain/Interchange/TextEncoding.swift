/// Detects UTF-8 (with or without BOM) versus Windows-1251 and yields UTF-8 bytes.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case windows1251 = "Windows-1251"

    /// Returns UTF-8 bytes of the text and the encoding it was found in.
    public static func decodeToUTF8(_ bytes: [UInt8]) -> (bytes: [UInt8], encoding: TextEncoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (Array(bytes.dropFirst(3)), .utf8) }
        if isValidUTF8(bytes) { return (bytes, .utf8) }
        return (windows1251ToUTF8(bytes), .windows1251)
    }

    public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        let count = bytes.count
        return bytes.withUnsafeBufferPointer { buffer in
            while index < count {
                // Eight ASCII bytes, or four Cyrillic letters, at a time: the bulk of any import file.
                if index + 8 <= count {
                    let word = EightBytes.word(buffer, at: index)
                    if EightBytes.isASCII(word) || EightBytes.isTwoByteCharacters(word) {
                        index += 8
                        continue
                    }
                }
                let byte = buffer[index]
                if byte < 0x80 { index += 1; continue }
                // Two bytes (Cyrillic, «», №'s neighbours) checked at once: the bulk of a Russian file's other bytes.
                if byte >= 0xC2, byte <= 0xDF {
                    guard index + 1 < count, buffer[index + 1] & 0xC0 == 0x80 else { return false }
                    index += 2
                    continue
                }
                let length: Int
                if byte & 0xF0 == 0xE0 { length = 3 }
                else if byte & 0xF8 == 0xF0, byte <= 0xF4 { length = 4 }
                else { return false }
                guard index + length <= count else { return false }
                for offset in 1..<length where buffer[index + offset] & 0xC0 != 0x80 { return false }
                index += length
            }
            return true
        }
    }

    /// Unicode scalars of Windows-1251 bytes 0x80...0xBF (0xC0...0xFF map to А...я directly).
    private static let upperHalf: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]

    public static func windows1251ToUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            if byte < 0x80 { output.append(byte); continue }
            let scalar: UInt32 = byte >= 0xC0 ? 0x0410 + UInt32(byte - 0xC0) : upperHalf[Int(byte - 0x80)]
            appendUTF8(scalar, to: &output)
        }
        return output
    }

    /// Encodes UTF-8 text as Windows-1251 (for tests and for exports officials open in old Excel).
    public static func utf8ToWindows1251(_ text: String) -> [UInt8] {
        var reverse: [UInt32: UInt8] = [:]
        for (offset, scalar) in upperHalf.enumerated() { reverse[scalar] = UInt8(0x80 + offset) }
        return text.unicodeScalars.map { scalar in
            if scalar.value < 0x80 { return UInt8(scalar.value) }
            if (0x0410...0x044F).contains(scalar.value) { return UInt8(0xC0 + scalar.value - 0x0410) }
            return reverse[scalar.value] ?? UInt8(ascii: "?")
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        if scalar < 0x800 {
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
