import OporaDomain

/// Charts drawn on the server as SVG (no JavaScript). Labels go through `HTMLNode.escape`.
enum SVGCharts {
    struct Series {
        let name: String
        let color: String
        let points: [(x: String, y: Double?)]
    }

    /// A line chart of percentages over years (dynamics).
    static func lines(_ series: [Series], width: Int = 640, height: Int = 260, maxY: Double = 100, unit: String = "%") -> HTMLNode {
        let legendRows = (series.count + 1) / 2
        let left = 44.0, right = 16.0, top = 14.0, bottom = 30.0 + 16.0 * Double(legendRows)
        let labels = series.first?.points.map(\.x) ?? []
        guard !labels.isEmpty else { return .empty }
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        func x(_ i: Int) -> Double { labels.count == 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(labels.count - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - min(max(v / maxY, 0), 1)) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" style=\"max-width:100%\" " +
            "role=\"img\" class=\"chart\">"
        for tick in stride(from: 0.0, through: maxY, by: maxY / 4) {
            svg += "<line x1=\"\(left)\" x2=\"\(Double(width) - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#e3e8ee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(y(tick) + 4)\" font-size=\"11\" text-anchor=\"end\" " +
                "fill=\"#5b6b7c\">\(RussianFormat.number(tick, digits: 0))</text>"
        }
        for (i, label) in labels.enumerated() {
            svg +=
                "<text x=\"\(x(i))\" y=\"\(Double(height) - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\" " +
                "fill=\"#5b6b7c\">\(HTMLNode.escape(label))</text>"
        }
        for (index, item) in series.enumerated() {
            let points = item.points.enumerated().compactMap { i, p in p.y.map { (x(i), y($0), $0) } }
            if points.count > 1 {
                svg +=
                    "<polyline fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"2.5\" " +
                    "points=\"\(points.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>"
            }
            for point in points {
                svg +=
                    "<circle cx=\"\(point.0)\" cy=\"\(point.1)\" r=\"3.5\" fill=\"\(item.color)\"><title>\(HTMLNode.escape(item.name)): " +
                    "\(RussianFormat.number(point.2)) \(unit)</title></circle>"
            }
            let legendX = left + Double(index % 2) * 290
            let legendY = Double(height) - bottom + 34 + Double(index / 2) * 16
            svg += "<rect x=\"\(legendX)\" y=\"\(legendY - 6)\" width=\"12\" height=\"4\" fill=\"\(item.color)\"/>"
            svg += "<text x=\"\(legendX + 16)\" y=\"\(legendY)\" font-size=\"11\" fill=\"#1d2733\">\(HTMLNode.escape(item.name))</text>"
        }
        return .trusted(svg + "</svg>")
    }

    /// Bars of the mark distribution «2»…«5» (shares), optionally against a comparison group.
    static func markDistribution(
        _ counts: ResultCounts, comparison: ResultCounts?, comparisonName: String, width: Int = 420, height: Int = 220
    ) -> HTMLNode {
        guard counts.hasMarks, counts.participants > 0 else { return .empty }
        let marks: [(String, KeyPath<ResultCounts, Int?>, String)] = [
            ("«2»", \.m2, "#c0392b"), ("«3»", \.m3, "#d4a017"), ("«4»", \.m4, "#2f6fb3"), ("«5»", \.m5, "#2e8b57"),
        ]
        let left = 36.0, bottom = 40.0, top = 12.0
        let plotH = Double(height) - bottom - top
        let slot = (Double(width) - left - 10) / 4
        func share(_ c: ResultCounts, _ key: KeyPath<ResultCounts, Int?>) -> Double {
            c.participants > 0 ? Double(c[keyPath: key] ?? 0) / Double(c.participants) * 100 : 0
        }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" style=\"max-width:100%\" " +
            "role=\"img\" class=\"chart\">"
        for tick in [0.0, 25, 50, 75, 100] {
            let y = top + plotH * (1 - tick / 100)
            svg +=
                "<line x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#e3e8ee\"/><text x=\"\(left - 5)\" " +
                "y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6b7c\">\(Int(tick))</text>"
        }
        for (i, mark) in marks.enumerated() {
            let value = share(counts, mark.1)
            let barW = slot * (comparison == nil ? 0.6 : 0.38)
            let x = left + slot * Double(i) + slot * 0.12
            let h = plotH * value / 100
            svg +=
                "<rect x=\"\(x)\" y=\"\(top + plotH - h)\" width=\"\(barW)\" height=\"\(h)\" fill=\"\(mark.2)\"><title>\(mark.0): " +
                "\(RussianFormat.number(value)) %</title></rect>"
            svg +=
                "<text x=\"\(x + barW / 2)\" y=\"\(top + plotH - h - 3)\" font-size=\"10\" " +
                "text-anchor=\"middle\">\(RussianFormat.number(value, digits: 0))</text>"
            if let comparison {
                let other = share(comparison, mark.1), oh = plotH * other / 100
                svg +=
                    "<rect x=\"\(x + barW + 3)\" y=\"\(top + plotH - oh)\" width=\"\(barW)\" height=\"\(oh)\" fill=\"\(mark.2)\" " +
                    "fill-opacity=\"0.35\"><title>\(HTMLNode.escape(comparisonName)) \(mark.0): \(RussianFormat.number(other)) " +
                    "%</title></rect>"
            }
            svg +=
                "<text x=\"\(left + slot * Double(i) + slot / 2)\" y=\"\(Double(height) - bottom + 16)\" font-size=\"12\" " +
                "text-anchor=\"middle\">\(mark.0)</text>"
        }
        if comparison != nil {
            svg +=
                "<text x=\"\(left)\" y=\"\(height - 6)\" font-size=\"11\" fill=\"#5b6b7c\">яркие — школа, бледные — " +
                "\(HTMLNode.escape(comparisonName)), % участников</text>"
        }
        return .trusted(svg + "</svg>")
    }

    /// Horizontal stacked bars: lowered / confirmed / raised per school.
    static func objectivity(_ rows: [(name: String, lowered: Double, confirmed: Double, raised: Double)], width: Int = 760) -> HTMLNode {
        guard !rows.isEmpty else { return .empty }
        let rowH = 22.0, labelW = 230.0, top = 8.0
        let height = Int(top + rowH * Double(rows.count) + 30)
        let plotW = Double(width) - labelW - 20
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" class=\"chart\">"
        for (i, row) in rows.enumerated() {
            let y = top + rowH * Double(i)
            svg +=
                "<text x=\"\(labelW - 6)\" y=\"\(y + 14)\" font-size=\"11\" " +
                "text-anchor=\"end\">\(HTMLNode.escape(String(row.name.prefix(34))))</text>"
            var x = labelW
            for (value, color, label) in [
                (row.lowered, "#c0392b", "понизили"), (row.confirmed, "#2e8b57", "подтвердили"), (row.raised, "#2f6fb3", "повысили"),
            ] {
                let w = plotW * value / 100
                svg +=
                    "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowH - 6)\" fill=\"\(color)\"><title>\(label): " +
                    "\(RussianFormat.number(value)) %</title></rect>"
                x += w
            }
        }
        let legendY = top + rowH * Double(rows.count) + 18
        for (i, (label, color)) in [("понизили отметку по журналу", "#c0392b"), ("подтвердили", "#2e8b57"), ("повысили", "#2f6fb3")]
            .enumerated()
        {
            let x = labelW + Double(i) * 190
            svg +=
                "<rect x=\"\(x)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(x + 14)\" " +
                "y=\"\(legendY)\" font-size=\"11\">\(label)</text>"
        }
        return .trusted(svg + "</svg>")
    }
}
