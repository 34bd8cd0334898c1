/// The fixed tables and shapes of ISO/IEC 18004 that the encoder reads: error correction per version and level,
/// the alignment pattern centres, how many modules carry data. Versions 1–40 are all here (the tables are cheap);
/// the round trip through a real decoder (zbarimg) in the tests is what checks them.
public enum QRErrorCorrection: Int, CaseIterable, Sendable, Comparable {
    /// Recovers about 7 %, 15 %, 25 % and 30 % of the codewords.
    case low = 0, medium, quartile, high

    /// The two bits written into the format information (the standard's order is M, L, H, Q → 00, 01, 10, 11).
    var formatBits: Int {
        switch self {
        case .low: return 1
        case .medium: return 0
        case .quartile: return 3
        case .high: return 2
        }
    }

    public var letter: String { ["L", "M", "Q", "H"][rawValue] }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

enum QRTables {
    static let versions = 1...40

    /// Error correction codewords in each block, indexed [level][version] (index 0 unused).
    static let eccPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Error correction blocks, indexed [level][version] (index 0 unused).
    static let blockCount: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    static func size(of version: Int) -> Int { version * 4 + 17 }

    /// Modules left for data and error correction once every function pattern is drawn (remainder bits included).
    static func rawDataModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }  // the two version information blocks
        }
        return result
    }

    /// Data codewords (before error correction) a version holds at a level.
    static func dataCodewords(_ version: Int, _ level: QRErrorCorrection) -> Int {
        rawDataModules(version) / 8 - eccPerBlock[level.rawValue][version] * blockCount[level.rawValue][version]
    }

    /// The rows/columns of the alignment pattern centres, evenly spaced from 6 to size − 7 (even steps).
    static func alignmentCentres(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        var result = [Int](repeating: 6, count: count)
        var position = size(of: version) - 7
        for index in stride(from: count - 1, through: 1, by: -1) {
            result[index] = position
            position -= step
        }
        return result
    }

    /// Bits of the byte mode's character count: 8 up to version 9, 16 from version 10.
    static func byteCountBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }
}
