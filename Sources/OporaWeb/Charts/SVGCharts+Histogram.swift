import OporaDomain

extension SVGCharts {
    /// The primary scores' histogram: the place's share of pupils at each score as bars, the region's as a line over
    /// them, and the scale's mark boundaries as dashed verticals («3», «4», «5» at the first score of each mark).
    static func scoreHistogram(_ shares: [Double], comparison: [Double]?, comparisonName: String,
                               boundaries: [(mark: Int, from: Int)], width: Int = 640, height: Int = 240) -> HTMLNode {
        guard !shares.isEmpty else { return .empty }
        let left = 36.0, right = 10.0, top = 18.0, bottom = 44.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let top100 = max((shares + (comparison ?? [])).max() ?? 0, 10)
        let maxY = (top100 / 10).rounded(.up) * 10
        let slot = plotW / Double(shares.count)
        func y(_ value: Double) -> Double { top + plotH * (1 - min(max(value / maxY, 0), 1)) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" "
            + "style=\"max-width:100%\" role=\"img\" class=\"chart tasks-histogram\">"
        for tick in stride(from: 0.0, through: maxY, by: maxY / 4) {
            svg += "<line x1=\"\(left)\" x2=\"\(Double(width) - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#e3e8ee\"/>"
            svg += "<text x=\"\(left - 5)\" y=\"\(y(tick) + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6b7c\">"
                + "\(RussianFormat.number(tick, digits: 0))</text>"
        }
        let labelStep = max(1, shares.count / 20)
        for (score, share) in shares.enumerated() {
            let x = left + slot * Double(score)
            let barH = plotH * min(share / maxY, 1)
            svg += "<rect class=\"bar\" x=\"\(x + slot * 0.1)\" y=\"\(y(share))\" width=\"\(slot * 0.8)\" height=\"\(barH)\" "
                + "fill=\"#2f6fb3\"><title>\(score) б.: \(RussianFormat.number(share)) %</title></rect>"
            if score % labelStep == 0 {
                svg += "<text x=\"\(x + slot / 2)\" y=\"\(top + plotH + 14)\" font-size=\"10\" text-anchor=\"middle\" "
                    + "fill=\"#5b6b7c\">\(score)</text>"
            }
        }
        if let comparison, comparison.count == shares.count {
            let points = comparison.enumerated().map { "\(left + slot * (Double($0.offset) + 0.5)),\(y($0.element))" }
            svg += "<polyline class=\"comparison\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" "
                + "points=\"\(points.joined(separator: " "))\"/>"
        }
        for boundary in boundaries where boundary.from < shares.count {
            let x = left + slot * Double(boundary.from)
            svg += "<line class=\"boundary\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(top - 6)\" y2=\"\(top + plotH)\" stroke=\"#1d2733\" "
                + "stroke-dasharray=\"4 3\"/><text x=\"\(x + 3)\" y=\"\(top + 4)\" font-size=\"11\" fill=\"#1d2733\">"
                + "«\(boundary.mark)»</text>"
        }
        var legend = "<rect x=\"\(left)\" y=\"\(Double(height) - 14)\" width=\"12\" height=\"8\" fill=\"#2f6fb3\"/>"
            + "<text x=\"\(left + 16)\" y=\"\(Double(height) - 6)\" font-size=\"11\">% участников по первичному баллу</text>"
        if comparison != nil {
            legend += "<rect x=\"\(left + 250)\" y=\"\(Double(height) - 12)\" width=\"14\" height=\"3\" fill=\"#c0392b\"/>"
                + "<text x=\"\(left + 268)\" y=\"\(Double(height) - 6)\" font-size=\"11\">\(HTMLNode.escape(comparisonName))</text>"
        }
        return .trusted(svg + legend + "</svg>")
    }
}
