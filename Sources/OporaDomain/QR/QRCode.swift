/// A QR code (ISO/IEC 18004, model 2) of bytes in byte mode: the smallest version that fits at the chosen error
/// correction, Reed–Solomon blocks interleaved, the mask of least penalty. The result is a module matrix;
/// `QRImage` draws it as SVG or PNG. Written here rather than taken from a library: it is small, and the
/// printable campaign sheets must not depend on anything but Foundation.
public struct QRCode: Equatable, Sendable {
    public let version: Int
    public let errorCorrection: QRErrorCorrection
    public let mask: Int
    /// Modules by row then column; `true` is dark.
    public let modules: [[Bool]]

    public var size: Int { modules.count }

    public subscript(row: Int, column: Int) -> Bool { modules[row][column] }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooLong(bytes: Int, maximum: Int)
        case invalidVersionRange

        public var description: String {
            switch self {
            case let .tooLong(bytes, maximum):
                return "Ссылка слишком длинная для QR-кода: \(bytes) байт, помещается не больше \(maximum)"
            case .invalidVersionRange:
                return "Версия QR-кода должна быть от 1 до 40"
            }
        }
    }

    /// A text (a link) as UTF-8 bytes.
    public static func encode(
        _ text: String, errorCorrection: QRErrorCorrection = .medium, versions: ClosedRange<Int> = 1...40, mask: Int? = nil
    ) throws -> QRCode {
        try encode(bytes: Array(text.utf8), errorCorrection: errorCorrection, versions: versions, mask: mask)
    }

    /// `mask` fixes the mask pattern (0–7, for tests); by default the one with the least penalty is chosen.
    public static func encode(
        bytes: [UInt8], errorCorrection level: QRErrorCorrection = .medium, versions: ClosedRange<Int> = 1...40,
        mask fixedMask: Int? = nil
    ) throws -> QRCode {
        guard versions.lowerBound >= 1, versions.upperBound <= 40 else { throw Failure.invalidVersionRange }
        precondition(fixedMask.map { (0..<8).contains($0) } ?? true, "a QR mask is 0…7")
        guard let version = versions.first(where: { fits(bytes.count, version: $0, level: level) }) else {
            let top = versions.upperBound
            let maximum = (QRTables.dataCodewords(top, level) * 8 - 4 - QRTables.byteCountBits(top)) / 8
            throw Failure.tooLong(bytes: bytes.count, maximum: maximum)
        }
        let data = dataCodewords(bytes, version: version, level: level)
        let codewords = withErrorCorrection(data, version: version, level: level)
        var canvas = QRCanvas(version: version)
        canvas.drawFunctionPatterns()
        canvas.drawCodewords(codewords)
        let candidates = fixedMask.map { [$0] } ?? Array(0..<8)
        let masked = candidates.map { canvas.masked($0, level: level) }
        let penalties = masked.map(\.penalty)
        let best = penalties.indices.min { penalties[$0] < penalties[$1] }!
        return QRCode(version: version, errorCorrection: level, mask: candidates[best], modules: masked[best].dark)
    }

    static func fits(_ byteCount: Int, version: Int, level: QRErrorCorrection) -> Bool {
        let countBits = QRTables.byteCountBits(version)
        guard byteCount < 1 << countBits else { return false }
        return 4 + countBits + byteCount * 8 <= QRTables.dataCodewords(version, level) * 8
    }

    /// Mode indicator 0100 (byte), the count, the bytes, a terminator of up to four zeros, zero bits to a whole
    /// byte, then the pad bytes 0xEC 0x11 alternating up to the version's data capacity.
    static func dataCodewords(_ bytes: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        let capacityBits = QRTables.dataCodewords(version, level) * 8
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: QRTables.byteCountBits(version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var result = bits.bytes
        var pad: UInt8 = 0xEC
        while result.count * 8 < capacityBits {
            result.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return result
    }

    /// Splits the data into blocks (the short ones first), adds each block's error correction and interleaves:
    /// the data codewords column by column across blocks, then the error correction codewords likewise.
    static func withErrorCorrection(_ data: [UInt8], version: Int, level: QRErrorCorrection) -> [UInt8] {
        let blocks = QRTables.blockCount[level.rawValue][version]
        let eccLength = QRTables.eccPerBlock[level.rawValue][version]
        let rawCodewords = QRTables.rawDataModules(version) / 8
        let shortBlocks = blocks - rawCodewords % blocks
        let shortLength = rawCodewords / blocks
        let generator = ReedSolomon.generator(degree: eccLength)
        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blocks {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(of: block, generator: generator))
        }
        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for column in 0..<(shortLength - eccLength + 1) {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }

    /// The 15 format bits: level and mask, a BCH(15,5) remainder, XOR 101010000010010.
    public static func formatBits(_ level: QRErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits (versions 7 and up): the version and a BCH(18,6) remainder.
    public static func versionBits(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, offset in
                let index = start + offset
                return byte << 1 | (index < bits.count && bits[index] ? 1 : 0)
            }
        }
    }
}
