import COporaZlib
import Foundation
import OporaDomain

/// A chart as a picture for Word: the SVG (which Word draws, labels and all) with a PNG of the same bars as the
/// fallback every reader understands. The PNG has no text — the figures are in the table under the chart.
public struct ChartPicture: Sendable, Hashable {
    public let svg: Data
    public let png: Data
    public let width: Int
    public let height: Int

    static let palette: [(UInt8, UInt8, UInt8)] = [(0x1f, 0x5f, 0xa8), (0x8a, 0x97, 0xa6), (0xd4, 0xa0, 0x17), (0x2e, 0x8b, 0x57), (0xc0, 0x39, 0x2b)]

    /// The geometry both renderings share: grouped horizontal bars from 0 to 100 %.
    struct Layout {
        static let bar = 12, gap = 10, labelWidth = 220, plotWidth = 520, top = 44
        static func height(_ chart: ReportChart) -> Int { top + chart.groups.count * groupHeight(chart) + 24 }
        static func groupHeight(_ chart: ReportChart) -> Int { chart.series.count * bar + gap }
        static var width: Int { labelWidth + plotWidth + 70 }
        static func barWidth(_ value: Double) -> Int { Int(Double(plotWidth) * min(max(value, 0), 100) / 100) }
    }

    public init(_ chart: ReportChart) {
        width = Layout.width
        height = Layout.height(chart)
        svg = Data(ChartPicture.svg(chart).utf8)
        png = ChartPicture.png(chart, width: width, height: height)
    }

    /// Grouped horizontal bars with the values at the bars' ends and a legend (HTML draws it inline).
    public static func svg(_ chart: ReportChart) -> String {
        let bar = Layout.bar, labelWidth = Layout.labelWidth
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Layout.width)\" height=\"\(Layout.height(chart))\" role=\"img\" aria-label=\"\(escape(chart.title))\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        svg += "<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"14\" font-family=\"sans-serif\">\(escape(chart.title))</text>"
        for (index, name) in chart.series.enumerated() {
            let x = index * 150
            svg += "<rect x=\"\(x)\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(hex(index))\"/><text x=\"\(x + 14)\" y=\"33\" font-size=\"12\" font-family=\"sans-serif\">\(escape(name))</text>"
        }
        for (row, group) in chart.groups.enumerated() {
            let top = Layout.top + row * Layout.groupHeight(chart)
            svg += "<text x=\"0\" y=\"\(top + chart.series.count * bar / 2 + 4)\" font-size=\"12\" font-family=\"sans-serif\">\(escape(String(group.label.prefix(34))))</text>"
            for (index, value) in group.values.enumerated() {
                let y = top + index * bar
                guard let value else {
                    svg += "<text x=\"\(labelWidth)\" y=\"\(y + 10)\" font-size=\"10\" fill=\"#8a97a6\" font-family=\"sans-serif\">нет данных</text>"
                    continue
                }
                let width = Layout.barWidth(value)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(width)\" height=\"\(bar - 2)\" fill=\"\(hex(index))\"/>"
                svg += "<text x=\"\(labelWidth + width + 4)\" y=\"\(y + 10)\" font-size=\"10\" font-family=\"sans-serif\">\(RussianFormat.number(value))</text>"
            }
        }
        return svg + "</svg>"
    }

    static func hex(_ index: Int) -> String {
        let (r, g, b) = palette[index % palette.count]
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    static func escape(_ text: String) -> String { ReportWriters.escape(text) }

    /// The bars and the legend's swatches on white, as an 8-bit RGB PNG.
    static func png(_ chart: ReportChart, width: Int, height: Int) -> Data {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        func fill(x: Int, y: Int, w: Int, h: Int, _ colour: (UInt8, UInt8, UInt8)) {
            for row in max(0, y)..<min(height, y + h) {
                for column in max(0, x)..<min(width, x + w) {
                    let offset = (row * width + column) * 3
                    pixels[offset] = colour.0
                    pixels[offset + 1] = colour.1
                    pixels[offset + 2] = colour.2
                }
            }
        }
        for index in chart.series.indices { fill(x: index * 150, y: 24, w: 10, h: 10, palette[index % palette.count]) }
        for (row, group) in chart.groups.enumerated() {
            let top = Layout.top + row * Layout.groupHeight(chart)
            for (index, value) in group.values.enumerated() {
                guard let value else { continue }
                fill(x: Layout.labelWidth, y: top + index * Layout.bar, w: Layout.barWidth(value), h: Layout.bar - 2, palette[index % palette.count])
            }
            // A thin axis line at 0 %.
            fill(x: Layout.labelWidth - 1, y: top, w: 1, h: chart.series.count * Layout.bar, (0x55, 0x55, 0x55))
        }
        return PNG.encode(rgb: pixels, width: width, height: height)
    }
}

/// A minimal PNG encoder (8-bit RGB, no interlace) on zlib.
enum PNG {
    static func encode(rgb: [UInt8], width: Int, height: Int) -> Data {
        // Each scanline starts with filter type 0 (none).
        var raw = [UInt8]()
        raw.reserveCapacity((width * 3 + 1) * height)
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: rgb[(row * width * 3)..<((row + 1) * width * 3)])
        }
        var bound = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(bound))
        _ = compress2(&compressed, &bound, raw, uLong(raw.count), 9)
        compressed.removeSubrange(Int(bound)...)
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func chunk(_ type: String, _ body: [UInt8]) {
            var length = UInt32(body.count).bigEndian
            data.append(Data(bytes: &length, count: 4))
            let typed = Array(type.utf8) + body
            data.append(contentsOf: typed)
            var crc = UInt32(crc32(0, typed, uInt(typed.count))).bigEndian
            data.append(Data(bytes: &crc, count: 4))
        }
        func be(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(value).bigEndian, Array.init) }
        chunk("IHDR", be(width) + be(height) + [8, 2, 0, 0, 0])
        chunk("IDAT", compressed)
        chunk("IEND", [])
        return data
    }
}
