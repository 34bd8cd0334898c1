import Foundation
import OporaDomain

/// A chart as office suites keep their own (DrawingML, `word/charts/chartN.xml`): grouped horizontal bars with the
/// title, the legend, both axes and the values at the bars, drawn by Word, LibreOffice, МойОфис and Р7-Офис alike
/// from the figures cached in the part — the same figures as the table printed under it.
public enum NativeChart {
    static let colours = ["1F5FA8", "8A97A6", "D4A017", "2E8B57", "C0392B"]

    /// Where a chart's figures stand in a workbook: the sheet and the row of the table's header (1-based); the labels
    /// are in column A under it, each series in the next columns. A Word chart has no workbook: it names a nominal one.
    public struct Source: Sendable, Hashable {
        public var sheet: String
        public var headerRow: Int
        public init(sheet: String, headerRow: Int) {
            self.sheet = sheet
            self.headerRow = headerRow
        }
        public static let nominal = Source(sheet: "Лист1", headerRow: 1)
        var quotedSheet: String { "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'" }
    }

    /// The chart part's XML.
    public static func xml(_ chart: ReportChart, source: Source = .nominal) -> String {
        let groups = chart.groups
        let sheet = source.quotedSheet, top = source.headerRow + 1, bottom = source.headerRow + groups.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        xml += "<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" "
            + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        xml += "<c:lang val=\"ru-RU\"/><c:roundedCorners val=\"0\"/><c:chart>"
        xml += "<c:title>\(richText(chart.title, size: 1200, bold: true))<c:overlay val=\"0\"/></c:title>"
        xml += "<c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/>"
        xml += "<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>"
        let column = { (index: Int) in XLSX.columnName(index + 1) }
        for (index, name) in chart.series.enumerated() {
            xml += "<c:ser><c:idx val=\"\(index)\"/><c:order val=\"\(index)\"/>"
            xml += "<c:tx><c:strRef><c:f>\(escape(sheet))!$\(column(index))$\(source.headerRow)</c:f><c:strCache><c:ptCount val=\"1\"/>"
                + "<c:pt idx=\"0\"><c:v>\(escape(name))</c:v></c:pt></c:strCache></c:strRef></c:tx>"
            xml += "<c:spPr><a:solidFill><a:srgbClr val=\"\(colours[index % colours.count])\"/></a:solidFill></c:spPr>"
            xml += "<c:invertIfNegative val=\"0\"/>"
            xml += "<c:dLbls><c:numFmt formatCode=\"[$-419]0.0\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
                + "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"800\"/></a:pPr><a:endParaRPr lang=\"ru-RU\"/></a:p></c:txPr>"
                + "<c:dLblPos val=\"outEnd\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>"
                + "<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
            xml += "<c:cat><c:strRef><c:f>\(escape(sheet))!$A$\(top):$A$\(bottom)</c:f><c:strCache><c:ptCount val=\"\(groups.count)\"/>"
            for (row, group) in groups.enumerated() { xml += "<c:pt idx=\"\(row)\"><c:v>\(escape(group.label))</c:v></c:pt>" }
            xml += "</c:strCache></c:strRef></c:cat>"
            xml += "<c:val><c:numRef><c:f>\(escape(sheet))!$\(column(index))$\(top):$\(column(index))$\(bottom)</c:f>"
                + "<c:numCache><c:formatCode>0.0</c:formatCode><c:ptCount val=\"\(groups.count)\"/>"
            for (row, group) in groups.enumerated() {
                // A missing figure is left out: the bar is absent, never drawn as 0.
                guard index < group.values.count, let value = group.values[index], value.isFinite else { continue }
                xml += "<c:pt idx=\"\(row)\"><c:v>\(XLSX.numberText((value * 10).rounded() / 10))</c:v></c:pt>"
            }
            xml += "</c:numCache></c:numRef></c:val></c:ser>"
        }
        xml += "<c:gapWidth val=\"60\"/><c:axId val=\"5001\"/><c:axId val=\"5002\"/></c:barChart>"
        // The first group at the top, as the table under the chart reads.
        xml += "<c:catAx><c:axId val=\"5001\"/><c:scaling><c:orientation val=\"maxMin\"/></c:scaling><c:delete val=\"0\"/>"
            + "<c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/>"
            + "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"5002\"/><c:crosses val=\"autoZero\"/>"
            + "<c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
        xml += "<c:valAx><c:axId val=\"5002\"/><c:scaling><c:orientation val=\"minMax\"/><c:max val=\"100\"/><c:min val=\"0\"/>"
            + "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/><c:majorGridlines><c:spPr><a:ln w=\"3175\"><a:solidFill>"
            + "<a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"
            + "<c:title>\(richText("%", size: 900, bold: false))<c:overlay val=\"0\"/></c:title>"
            + "<c:numFmt formatCode=\"0\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>"
            + "<c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"5001\"/><c:crosses val=\"max\"/><c:crossBetween val=\"between\"/>"
            + "<c:majorUnit val=\"20\"/></c:valAx>"
        xml += "</c:plotArea><c:legend><c:legendPos val=\"t\"/><c:overlay val=\"0\"/></c:legend>"
        xml += "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
        xml += "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"900\"/></a:pPr><a:endParaRPr lang=\"ru-RU\"/></a:p></c:txPr>"
        return xml + "</c:chartSpace>"
    }

    /// The drawn height in EMU (914 400 to the inch): tall enough for every bar and its label.
    public static func height(_ chart: ReportChart) -> Int {
        let bars = chart.groups.count * max(1, chart.series.count)
        let inches = 1.3 + Double(bars) * 0.17 + Double(chart.groups.count) * 0.12
        return Int(min(inches, 9) * 914_400)
    }

    static func richText(_ text: String, size: Int, bold: Bool) -> String {
        "<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"\(size)\" b=\"\(bold ? 1 : 0)\"/></a:pPr>"
            + "<a:r><a:rPr lang=\"ru-RU\" sz=\"\(size)\" b=\"\(bold ? 1 : 0)\"/><a:t>\(escape(text))</a:t></a:r></a:p></c:rich></c:tx>"
    }

    static func escape(_ text: String) -> String { WordDocument.escape(text) }
}

/// A chart ready for a Word file: its part's XML, its title (the drawing's name) and its height in EMU.
public struct NativeChartPart: Sendable, Hashable {
    public let xml: String
    public let title: String
    public let height: Int

    public init(_ chart: ReportChart) {
        xml = NativeChart.xml(chart)
        title = chart.title
        height = NativeChart.height(chart)
    }
}
