import Foundation
@testable import OporaDomain
import XCTest

/// The QR encoder against the standard's worked examples, then every version and level read back by a real
/// decoder (zbarimg). Without zbarimg the round trip is skipped locally; `.ci/run` installs zbar-tools, sets
/// OPORA_REQUIRE_QR_DECODER=1 and fails when no «QR decoder ran:» line was printed.
final class QRCodeTests: XCTestCase {
    func testReedSolomonOfHelloWorldAtOneM() {
        // The data codewords of «HELLO WORLD» at 1-M (alphanumeric) and their ten error correction codewords,
        // as worked in ISO/IEC 18004 annex and the thonky.com tutorial.
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        let ecc = ReedSolomon.remainder(of: data, generator: ReedSolomon.generator(degree: 10))
        XCTAssertEqual(ecc, [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    func testFieldMultiplication() {
        let cases: [(UInt8, UInt8, UInt8)] = [(0, 7, 0), (1, 0x53, 0x53), (2, 0x80, 0x1D), (0x80, 0x80, 0x13)]
        for (x, y, product) in cases {
            XCTAssertEqual(ReedSolomon.multiply(x, y), product, "\(x)·\(y)")
        }
    }

    func testFormatAndVersionBits() {
        let format: [(QRErrorCorrection, Int, String)] = [
            (.low, 0, "111011111000100"), (.low, 4, "110011000101111"),
            (.medium, 0, "101010000010010"), (.medium, 5, "100000011001110"),
            (.quartile, 0, "011010101011111"), (.high, 0, "001011010001001"), (.high, 7, "000100000111011"),
        ]
        for (level, mask, bits) in format {
            XCTAssertEqual(String(QRCode.formatBits(level, mask: mask), radix: 2).leftPadded(15), bits, "\(level.letter)\(mask)")
        }
        XCTAssertEqual(QRCode.versionBits(7), 0x07C94)
        XCTAssertEqual(QRCode.versionBits(40), 0x28C69)
    }

    func testCapacitiesAndAlignment() {
        // Data codewords at M for versions 1–10 (the standard's table 7).
        let medium = [16, 28, 44, 64, 86, 108, 124, 154, 182, 216]
        XCTAssertEqual((1...10).map { QRTables.dataCodewords($0, .medium) }, medium)
        XCTAssertEqual(QRTables.dataCodewords(40, .low), 2956)
        XCTAssertEqual(QRTables.dataCodewords(40, .high), 1276)
        XCTAssertEqual(QRTables.alignmentCentres(2), [6, 18])
        XCTAssertEqual(QRTables.alignmentCentres(7), [6, 22, 38])
        XCTAssertEqual(QRTables.alignmentCentres(32), [6, 34, 60, 86, 112, 138])
        XCTAssertEqual(QRTables.alignmentCentres(40), [6, 30, 58, 86, 114, 142, 170])
    }

    func testAnEightyCharacterLinkTakesVersionFiveAtM() throws {
        let link = "https://opora.example.ru/s/" + String(repeating: "a", count: 53)
        XCTAssertEqual(link.utf8.count, 80)
        let code = try QRCode.encode(link)
        XCTAssertEqual(code.version, 5)
        XCTAssertEqual(code.size, 37)
        XCTAssertEqual(code.errorCorrection, .medium)
    }

    func testDataCodewordsArePaddedAndFunctionPatternsDrawn() throws {
        let data = QRCode.dataCodewords(Array("ab".utf8), version: 1, level: .medium)
        // 0100 00000010 01100001 01100010 0000 → 0x40 0x26 0x16 0x20, then 0xEC 0x11 …
        XCTAssertEqual(Array(data.prefix(6)), [0x40, 0x26, 0x16, 0x20, 0xEC, 0x11])
        XCTAssertEqual(data.count, 16)
        let code = try QRCode.encode("ab")
        XCTAssertEqual(code.version, 1)
        // The finder's corners, the timing row and the dark module.
        XCTAssertTrue(code[0, 0] && code[0, 14] && code[0, 20] && code[14, 0] && code[20, 0] && code[20, 6])
        XCTAssertFalse(code[7, 7] || code[7, 13] || code[13, 7])
        XCTAssertEqual((8...12).map { code[6, $0] }, [true, false, true, false, true])
        XCTAssertTrue(code[code.size - 8, 8])
    }

    func testTooLongIsRefusedInRussian() {
        XCTAssertThrowsError(try QRCode.encode(String(repeating: "x", count: 300), versions: 1...10)) { error in
            XCTAssertEqual(error as? QRCode.Failure, .tooLong(bytes: 300, maximum: 213))
            XCTAssertEqual("\(error)", "Ссылка слишком длинная для QR-кода: 300 байт, помещается не больше 213")
        }
        XCTAssertThrowsError(try QRCode.encode(String(repeating: "x", count: 2954), errorCorrection: .low))
        XCTAssertNoThrow(try QRCode.encode(String(repeating: "x", count: 2953), errorCorrection: .low))
    }

    func testPenaltyRulesCountRunsBlocksAndFinderLikes() {
        XCTAssertEqual(QRCanvas.finderLikeCount([false, false, false, false, true, false, true, true, true, false, true]), 1)
        XCTAssertEqual(QRCanvas.finderLikeCount([true, false, true, true, true, false, true, false, false, false, false]), 1)
        XCTAssertEqual(QRCanvas.finderLikeCount([true, false, true, true, false, false, true, false, false, false, false]), 0)
        // The chosen mask is the one of least penalty.
        let code = try! QRCode.encode("https://opora.example.ru/s/abc")
        let penalties = (0..<8).map { try! QRCode.encode("https://opora.example.ru/s/abc", mask: $0).penaltyForTests }
        XCTAssertEqual(penalties[code.mask], penalties.min())
    }

    func testPNGIsWellFormed() throws {
        let code = try QRCode.encode("https://opora.example.ru/s/abc")
        let png = QRImage.png(code, scale: 4)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(png[12..<16]), Array("IHDR".utf8))
        let side = (code.size + 8) * 4
        XCTAssertEqual(Array(png[16..<24]), QRImage.bigEndian(UInt32(side)) + QRImage.bigEndian(UInt32(side)))
        XCTAssertEqual(Array(png.suffix(12)), [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(QRImage.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        // A stored block holds at most 65,535 bytes: 70,000 bytes take two, the first not final.
        let stream = QRImage.zlibStored([UInt8](repeating: 7, count: 70_000))
        XCTAssertEqual(stream.count, 2 + 5 + 65_535 + 5 + 4_465 + 4)
        XCTAssertEqual(stream[2], 0)
        XCTAssertEqual(stream[2 + 5 + 65_535], 1)
    }

    func testSVGHasQuietZoneAndOnePath() throws {
        let code = try QRCode.encode("https://opora.example.ru/s/abc")
        let svg = QRImage.svg(code)
        let side = code.size + 8
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""))
        XCTAssertEqual(svg.components(separatedBy: "<path").count - 1, 1)
        XCTAssertTrue(svg.contains("<path d=\"M4,4h7v1h-7z"), "the top-left finder starts after four light modules")
        // Drawn back from the path, the SVG holds exactly the code's dark modules.
        let path = svg.components(separatedBy: "<path d=\"")[1].components(separatedBy: "\"")[0]
        var drawn = Array(repeating: Array(repeating: false, count: code.size), count: code.size)
        for run in path.split(separator: "z") {
            let parts = run.dropFirst().split(whereSeparator: { "h,v".contains($0) }).map { Int($0)! }
            for column in parts[0]..<(parts[0] + parts[2]) { drawn[parts[1] - 4][column - 4] = true }
        }
        XCTAssertEqual(drawn, code.modules)
    }

    /// Versions 1–10 at every level, 14–40 at L and H, each mask at one version: written as PNG, read by zbarimg.
    func testZbarimgDecodesEveryVersionAndLevel() throws {
        guard let zbarimg = Self.zbarimg else {
            if ProcessInfo.processInfo.environment["OPORA_REQUIRE_QR_DECODER"] == "1" {
                XCTFail("OPORA_REQUIRE_QR_DECODER=1 but zbarimg is not installed")
            }
            throw XCTSkip("zbarimg is not installed (apt-get install zbar-tools)")
        }
        print("QR decoder ran: \(name)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opora-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var cases: [(text: String, level: QRErrorCorrection, mask: Int?, version: Int?)] = []
        // Every version a campaign link can take at every level, and larger ones at the extreme levels
        // (zbarimg takes about a second on a version-40 image, so not all 160).
        let versions = [(1...10).map { ($0, QRErrorCorrection.allCases) }, [14, 20, 27, 33, 40].map { ($0, [.low, .high]) }]
        for (version, levels) in versions.joined() {
            for level in levels {
                // The longest text that still fits this version: the code must be exactly that version.
                let length = (QRTables.dataCodewords(version, level) * 8 - 4 - QRTables.byteCountBits(version)) / 8
                let link = "https://opora.example.ru/s/"
                let text = length >= link.count
                    ? link + Self.filler(length - link.count, seed: version) : Self.filler(length, seed: version)
                cases.append((text, level, nil, version))
            }
        }
        for mask in 0..<8 { cases.append(("https://opora.example.ru/s/маска-\(mask)", .medium, mask, nil)) }
        cases.append(("Школа № 5, группа «родители»: https://опора.рф/s/xyz", .quartile, nil, 7))
        var paths: [URL] = []
        for (index, item) in cases.enumerated() {
            let code = try QRCode.encode(item.text, errorCorrection: item.level, mask: item.mask)
            if let version = item.version {
                XCTAssertEqual(code.version, version, "\(item.level.letter) \(item.text.utf8.count) bytes")
            }
            let file = directory.appendingPathComponent(String(format: "%03d.png", index))
            try Data(QRImage.png(code, scale: code.version > 10 ? 3 : 4)).write(to: file)
            paths.append(file)
        }
        // One zbarimg for all files (it prints one line per file, in order): a process per file costs minutes.
        let decoded = try Self.run(zbarimg, ["--raw", "-q", "-Sdisable", "-Sqrcode.enable"] + paths.map(\.path))
            .components(separatedBy: "\n")
        XCTAssertEqual(decoded.count, cases.count)
        for (index, item) in cases.enumerated() where index < decoded.count {
            XCTAssertEqual(decoded[index], item.text, "case \(index): \(item.level.letter), \(item.text.utf8.count) bytes")
        }
        print("QR decoder read \(paths.count) codes")
    }

    static var zbarimg: String? {
        ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func filler(_ count: Int, seed: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var state = UInt64(seed) &* 6_364_136_223_846_793_005 &+ 1
        return String((0..<max(0, count)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int(state >> 33) % alphabet.count]
        })
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension QRCode {
    /// The penalty of the final matrix, recomputed (tests only).
    var penaltyForTests: Int {
        var canvas = QRCanvas(version: version)
        canvas.dark = modules
        return canvas.penalty
    }
}
