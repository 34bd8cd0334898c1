import Foundation

/// A QR code drawn for people and printers: SVG (one path, scales to any size) and PNG (1 bit per pixel, written
/// here: signature, IHDR, IDAT with zlib stored blocks and Adler-32, IEND, each chunk with its CRC-32).
/// Both keep the standard's quiet zone of four light modules around the code.
public enum QRImage {
    public static let quietZone = 4

    /// `<svg>` with a white background and the dark modules as one `<path>`; one unit is one module.
    public static func svg(_ code: QRCode, quietZone: Int = QRImage.quietZone) -> String {
        let side = code.size + 2 * quietZone
        var path = ""
        for row in 0..<code.size {
            var column = 0
            while column < code.size {
                guard code[row, column] else { column += 1; continue }
                // One rectangle per horizontal run keeps the path short.
                var end = column
                while end < code.size && code[row, end] { end += 1 }
                path += "M\(column + quietZone),\(row + quietZone)h\(end - column)v1h-\(end - column)z"
                column = end
            }
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * 8)" height="\(side * 8)" \
        shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/>\
        <path d="\(path)" fill="#000"/></svg>
        """
    }

    /// A black-and-white PNG, `scale` pixels per module.
    public static func png(_ code: QRCode, scale: Int = 8, quietZone: Int = QRImage.quietZone) -> [UInt8] {
        precondition(scale >= 1 && scale <= 64, "a PNG scale is 1…64 pixels per module")
        let side = (code.size + 2 * quietZone) * scale
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        for y in 0..<side {
            raw.append(0)  // filter: none
            let moduleRow = y / scale - quietZone
            var row = [UInt8](repeating: 0xFF, count: rowBytes)  // 1 = white in 1-bit greyscale
            if (0..<code.size).contains(moduleRow) {
                for x in 0..<side {
                    let moduleColumn = x / scale - quietZone
                    if (0..<code.size).contains(moduleColumn) && code[moduleRow, moduleColumn] {
                        row[x / 8] &= ~(0x80 >> UInt8(x % 8))
                    }
                }
            }
            raw += row
        }
        var header: [UInt8] = []
        header += bigEndian(UInt32(side))
        header += bigEndian(UInt32(side))
        header += [1, 0, 0, 0, 0]  // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
        var result: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        result += chunk("IHDR", header)
        result += chunk("IDAT", zlibStored(raw))
        result += chunk("IEND", [])
        return result
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(CRC32.checksum(typeBytes + data))
    }

    /// A zlib stream of uncompressed deflate blocks (at most 65,535 bytes each) and the Adler-32 of the data.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var result: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let length = min(65_535, data.count - start)
            let isLast = start + length == data.count
            result.append(isLast ? 1 : 0)
            result += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            result += data[start..<start + length]
            start += length
        } while start < data.count
        return result + bigEndian(adler32(data))
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// CRC-32 (ISO-HDLC, polynomial 0xEDB88320 reflected), as PNG chunks carry it.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    public static func checksum(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
