import Foundation
import OporaDomain

/// A chart drawn as SVG for the HTML reports (Word and Excel files carry it as a `NativeChart`).
public enum ChartPicture {
    static let palette: [(UInt8, UInt8, UInt8)] = [
        (0x1f, 0x5f, 0xa8), (0x8a, 0x97, 0xa6), (0xd4, 0xa0, 0x17), (0x2e, 0x8b, 0x57), (0xc0, 0x39, 0x2b),
    ]

    /// The geometry both renderings share: grouped horizontal bars from 0 to 100 %.
    struct Layout {
        static let bar = 12, gap = 10, labelWidth = 220, plotWidth = 520, top = 44
        static func height(_ chart: ReportChart) -> Int { top + chart.groups.count * groupHeight(chart) + 24 }
        static func groupHeight(_ chart: ReportChart) -> Int { chart.series.count * bar + gap }
        static var width: Int { labelWidth + plotWidth + 70 }
        static func barWidth(_ value: Double) -> Int { Int(Double(plotWidth) * min(max(value, 0), 100) / 100) }
    }

    /// Grouped horizontal bars with the values at the bars' ends and a legend (HTML draws it inline).
    public static func svg(_ chart: ReportChart) -> String {
        let bar = Layout.bar, labelWidth = Layout.labelWidth
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Layout.width)\" height=\"\(Layout.height(chart))\" role=\"img\" " +
            "aria-label=\"\(escape(chart.title))\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        svg += "<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"14\" font-family=\"sans-serif\">\(escape(chart.title))</text>"
        for (index, name) in chart.series.enumerated() {
            let x = index * 150
            svg +=
                "<rect x=\"\(x)\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(hex(index))\"/><text x=\"\(x + 14)\" y=\"33\" " +
                "font-size=\"12\" font-family=\"sans-serif\">\(escape(name))</text>"
        }
        for (row, group) in chart.groups.enumerated() {
            let top = Layout.top + row * Layout.groupHeight(chart)
            svg +=
                "<text x=\"0\" y=\"\(top + chart.series.count * bar / 2 + 4)\" font-size=\"12\" " +
                "font-family=\"sans-serif\">\(escape(String(group.label.prefix(34))))</text>"
            for (index, value) in group.values.enumerated() {
                let y = top + index * bar
                guard let value else {
                    svg +=
                        "<text x=\"\(labelWidth)\" y=\"\(y + 10)\" font-size=\"10\" fill=\"#8a97a6\" font-family=\"sans-serif\">нет " +
                        "данных</text>"
                    continue
                }
                let width = Layout.barWidth(value)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(width)\" height=\"\(bar - 2)\" fill=\"\(hex(index))\"/>"
                svg +=
                    "<text x=\"\(labelWidth + width + 4)\" y=\"\(y + 10)\" font-size=\"10\" " +
                    "font-family=\"sans-serif\">\(RussianFormat.number(value))</text>"
            }
        }
        return svg + "</svg>"
    }

    static func hex(_ index: Int) -> String {
        let (r, g, b) = palette[index % palette.count]
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    static func escape(_ text: String) -> String { ReportWriters.escape(text) }
}
