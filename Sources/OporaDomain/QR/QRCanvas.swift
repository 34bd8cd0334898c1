/// The module grid while a code is being drawn: which modules are dark, and which belong to a function pattern
/// (finders, separators, timing, alignment, format and version information, the dark module) and so are never
/// data nor masked.
struct QRCanvas {
    let version: Int
    let size: Int
    var dark: [[Bool]]
    var isFunction: [[Bool]]

    init(version: Int) {
        self.version = version
        size = QRTables.size(of: version)
        dark = Array(repeating: Array(repeating: false, count: size), count: size)
        isFunction = dark
    }

    private mutating func setFunction(row: Int, column: Int, _ isDark: Bool) {
        dark[row][column] = isDark
        isFunction[row][column] = true
    }

    mutating func drawFunctionPatterns() {
        for index in 0..<size {
            setFunction(row: 6, column: index, index % 2 == 0)
            setFunction(row: index, column: 6, index % 2 == 0)
        }
        drawFinder(row: 3, column: 3)
        drawFinder(row: 3, column: size - 4)
        drawFinder(row: size - 4, column: 3)
        let centres = QRTables.alignmentCentres(version)
        let last = centres.count - 1
        for (i, row) in centres.enumerated() {
            for (j, column) in centres.enumerated() {
                // The three corners hold finders.
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(row: row + dy, column: column + dx, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Reserve the format areas now (their bits depend on the mask); the version blocks are fixed.
        drawFormat(0)
        drawVersion()
    }

    /// A 7×7 finder with its light separator (clipped at the edges).
    private mutating func drawFinder(row: Int, column: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let (y, x) = (row + dy, column + dx)
                guard (0..<size).contains(y), (0..<size).contains(x) else { continue }
                let distance = max(abs(dx), abs(dy))
                setFunction(row: y, column: x, distance != 2 && distance != 4)
            }
        }
    }

    /// Both copies of the 15 format bits, and the dark module beside the bottom-left finder.
    mutating func drawFormat(_ bits: Int) {
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
        for index in 0...5 { setFunction(row: index, column: 8, bit(index)) }
        setFunction(row: 7, column: 8, bit(6))
        setFunction(row: 8, column: 8, bit(7))
        setFunction(row: 8, column: 7, bit(8))
        for index in 9..<15 { setFunction(row: 8, column: 14 - index, bit(index)) }
        for index in 0..<8 { setFunction(row: 8, column: size - 1 - index, bit(index)) }
        for index in 8..<15 { setFunction(row: size - 15 + index, column: 8, bit(index)) }
        setFunction(row: size - 8, column: 8, true)
    }

    private mutating func drawVersion() {
        guard version >= 7 else { return }
        let bits = QRCode.versionBits(version)
        for index in 0..<18 {
            let isDark = (bits >> index) & 1 == 1
            let (a, b) = (size - 11 + index % 3, index / 3)
            setFunction(row: b, column: a, isDark)
            setFunction(row: a, column: b, isDark)
        }
    }

    /// Codewords bit by bit in the zigzag: two-module columns from the right, up then down, skipping column 6.
    mutating func drawCodewords(_ codewords: [UInt8]) {
        var bitIndex = 0
        let totalBits = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let row = upward ? size - 1 - step : step
                for offset in 0..<2 {
                    let column = right - offset
                    guard !isFunction[row][column], bitIndex < totalBits else { continue }
                    dark[row][column] = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    static func maskApplies(_ mask: Int, row y: Int, column x: Int) -> Bool {
        switch mask {
        case 0: return (x + y) % 2 == 0
        case 1: return y % 2 == 0
        case 2: return x % 3 == 0
        case 3: return (x + y) % 3 == 0
        case 4: return (x / 3 + y / 2) % 2 == 0
        case 5: return x * y % 2 + x * y % 3 == 0
        case 6: return (x * y % 2 + x * y % 3) % 2 == 0
        default: return ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// A copy with the mask applied to the data modules and the format bits of that mask drawn.
    func masked(_ mask: Int, level: QRErrorCorrection) -> QRCanvas {
        var copy = self
        for row in 0..<size {
            for column in 0..<size where !isFunction[row][column] && Self.maskApplies(mask, row: row, column: column) {
                copy.dark[row][column].toggle()
            }
        }
        copy.drawFormat(QRCode.formatBits(level, mask: mask))
        return copy
    }

    /// The standard's four penalty rules: runs of five or more, 2×2 blocks, finder-like 1:1:3:1:1 patterns
    /// with four light modules on one side, and the distance of the dark share from 50 %.
    /// Works on one flat array: it runs eight times per code, and array-of-array copies were the encoder's cost.
    var penalty: Int {
        let flat = dark.flatMap { $0 }
        var result = 0
        var line = [Bool](repeating: false, count: size)
        for horizontal in [true, false] {
            for index in 0..<size {
                for position in 0..<size {
                    line[position] = horizontal ? flat[index * size + position] : flat[position * size + index]
                }
                result += Self.runPenalty(line) + 40 * Self.finderLikeCount(line)
            }
        }
        for row in 0..<(size - 1) {
            for column in 0..<(size - 1) {
                let at = row * size + column
                let colour = flat[at]
                if flat[at + 1] == colour && flat[at + size] == colour && flat[at + size + 1] == colour { result += 3 }
            }
        }
        let darkCount = flat.reduce(0) { $0 + ($1 ? 1 : 0) }
        let percent = darkCount * 100 / (size * size)
        result += 10 * (abs(percent - 50) / 5)
        return result
    }

    /// 3 for a run of five modules of one colour, one more for each module beyond five.
    static func runPenalty(_ line: [Bool]) -> Int {
        var result = 0
        var runLength = 1
        for index in 1..<line.count {
            if line[index] == line[index - 1] {
                runLength += 1
            } else {
                if runLength >= 5 { result += runLength - 2 }
                runLength = 1
            }
        }
        if runLength >= 5 { result += runLength - 2 }
        return result
    }

    /// Dark-light-dark×3-light-dark with four light modules before or after it (both count when both hold).
    static func finderLikeCount(_ line: [Bool]) -> Int {
        let finder: [Bool] = [true, false, true, true, true, false, true]
        guard line.count >= 11 else { return 0 }
        var count = 0
        for start in 0...(line.count - 11) {
            let lightBefore = !line[start] && !line[start + 1] && !line[start + 2] && !line[start + 3]
            let lightAfter = !line[start + 7] && !line[start + 8] && !line[start + 9] && !line[start + 10]
            if lightBefore && (0..<7).allSatisfy({ line[start + 4 + $0] == finder[$0] }) { count += 1 }
            if lightAfter && (0..<7).allSatisfy({ line[start + $0] == finder[$0] }) { count += 1 }
        }
        return count
    }
}
