/// A document officials sign, independent of its format: headings, paragraphs and tables of typed cells. The
/// writers (DOCX, XLSX, HTML) render it; the numbers stay numbers until then.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: [String]
    public var blocks: [ReportBlock]
    /// Wide tables: the Word file is set landscape.
    public var landscape: Bool
    /// The issuing body, date of preparation, executor and approval; set by whoever issues the document (the CLI's
    /// options, the signed-in user), so a document built without one reads as a draft.
    public var signature: DocumentSignature?

    public init(title: String, subtitle: [String] = [], blocks: [ReportBlock] = [], landscape: Bool = true) {
        self.title = title
        self.subtitle = subtitle
        self.blocks = blocks
        self.landscape = landscape
    }

    public mutating func heading(_ text: String, level: Int = 2) { blocks.append(.heading(text, level: level)) }
    public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    public mutating func table(_ table: ReportTable) { blocks.append(.table(table)) }

    /// The notes of every flagged figure, once each, numbered in the order they first appear: «*1» means the same
    /// in every table of the document and in the notes at its end.
    public var flags: [String] {
        var notes: [String] = []
        for block in blocks {
            if case .table(let table) = block { for flag in table.flags where !notes.contains(flag) { notes.append(flag) } }
        }
        return notes
    }
}

public enum ReportBlock: Sendable {
    case heading(String, level: Int)
    case paragraph(String)
    case table(ReportTable)
    case chart(ReportChart)
    /// A new page (the order's appendix starts on its own page).
    case pageBreak
    /// Lines set in the right half of the page: the mark «Приложение к приказу … от … №» over an appendix.
    case aside([String])
}

/// Grouped bars of percentages (a school beside its municipality, region and Russia): drawn as SVG in HTML; in Word
/// and Excel its figures are a small table under the chart's title.
public struct ReportChart: Sendable {
    public var title: String
    public var series: [String]
    public var groups: [(label: String, values: [Double?])]

    public init(title: String, series: [String], groups: [(label: String, values: [Double?])]) {
        self.title = title
        self.series = series
        self.groups = groups
    }

    /// The same figures as a table (for the formats that do not draw).
    public var table: ReportTable {
        ReportTable(title: "Диаграмма: \(title)", header: [""] + series.map { "\($0), %" },
                    rows: groups.map { group in [ReportCell.text(group.label)] + group.values.map { ReportCell.percent($0) } },
                    widths: [4] + series.map { _ in 2 })
    }
}

/// A heading over several columns of a two-level header («Успеваемость, %» over школа / муниципалитет / регион /
/// Россия, as the seeds print them); `title` nil: one column whose own name fills both levels.
public struct HeaderGroup: Sendable, Hashable {
    public var title: String?
    public var span: Int

    public init(_ title: String?, span: Int = 1) {
        self.title = title
        self.span = span
    }

    /// The groups of a header whose leading and trailing columns stand alone and whose middle is grouped.
    public static func grouping(leading: Int, _ groups: [(String, Int)], trailing: Int = 0) -> [HeaderGroup] {
        Array(repeating: HeaderGroup(nil), count: leading) + groups.map { HeaderGroup($0.0, span: $0.1) }
            + Array(repeating: HeaderGroup(nil), count: trailing)
    }
}

public struct ReportTable: Sendable {
    public var title: String?
    /// The column names (with `groups`, the lower level: «школа», «регион» …).
    public var header: [String]
    public var rows: [[ReportCell]]
    /// Relative column widths for the Word file.
    public var widths: [Int]
    /// The upper level of a two-level header, covering every column in order; empty for one level.
    public var groups: [HeaderGroup]

    public init(title: String? = nil, header: [String], rows: [[ReportCell]] = [], widths: [Int] = [], groups: [HeaderGroup] = []) {
        self.title = title
        self.header = header
        self.rows = rows
        self.widths = widths
        self.groups = groups.reduce(0) { $0 + $1.span } == header.count ? groups : []
    }

    /// The notes of the flagged cells, numbered in the order they appear (* 1, * 2 …).
    public var flags: [String] {
        var seen: [String] = []
        for row in rows { for cell in row { if let flag = cell.flag, !seen.contains(flag) { seen.append(flag) } } }
        return seen
    }

    /// The cells as text, each flagged one marked with its note's number in `notes` (the document's).
    public func textRows(notes: [String]) -> [[String]] {
        rows.map { row in
            row.map { cell in
                guard let flag = cell.flag, let index = notes.firstIndex(of: flag) else { return cell.text }
                return cell.text + " *\(index + 1)"
            }
        }
    }
}

/// A cell: a text, a percentage, a number or a count — and, if the figure cannot be trusted, why.
public struct ReportCell: Sendable, Hashable, ExpressibleByStringLiteral {
    public enum Value: Sendable, Hashable {
        case text(String)
        /// 0–100, shown with one decimal and a decimal comma (64,3).
        case percent(Double?)
        case number(Double?, digits: Int)
        case integer(Int?)
    }

    public let value: Value
    public let flag: String?

    public init(_ value: Value, flag: String? = nil) {
        self.value = value
        self.flag = flag
    }

    public init(stringLiteral text: String) { self.init(.text(text)) }

    public static func text(_ text: String) -> ReportCell { ReportCell(.text(text)) }
    public static func percent(_ value: Double?, flag: String? = nil) -> ReportCell { ReportCell(.percent(value), flag: flag) }
    public static func number(_ value: Double?, digits: Int = 2, flag: String? = nil) -> ReportCell {
        ReportCell(.number(value, digits: digits), flag: flag)
    }
    public static func integer(_ value: Int?) -> ReportCell { ReportCell(.integer(value)) }

    public var text: String {
        switch value {
        case .text(let text): text
        case .percent(let value): value.map { RussianFormat.number($0, digits: 1) } ?? "—"
        case .number(let value, let digits): value.map { RussianFormat.number($0, digits: digits) } ?? "—"
        case .integer(let value): value.map(RussianFormat.integer) ?? "—"
        }
    }
}

/// Figures that cannot be true are flagged rather than printed silently (issue: a rate from a group too small,
/// quality above success, a benchmark missing).
public enum ReportChecks {
    /// Below this many participants a share moves by more than 20 points with one pupil.
    public static let smallGroup = 5

    public static func share(_ share: Share?) -> ReportCell {
        guard let share, let rate = share.rate else { return .percent(nil) }
        if share.base < smallGroup {
            return .percent(rate, flag: "доля из группы меньше \(smallGroup) участников: один ученик меняет её больше чем на 20 пунктов")
        }
        return .percent(rate)
    }

    /// An imported figure, checked against what it is compared with.
    public static func benchmark(_ rate: Double?, name: String) -> ReportCell {
        guard let rate else { return .percent(nil, flag: "нет данных: \(name) не загружен (вид данных «Показатели для сравнения»)") }
        if !(0...100).contains(rate) { return .percent(rate, flag: "доля вне 0–100 %: проверьте загруженные показатели") }
        return .percent(rate)
    }

    /// Quality above success cannot be (every «4» and «5» is a pass).
    public static func quality(_ quality: Double?, success: Double?) -> String? {
        guard let quality, let success, quality > success + 1e-9 else { return nil }
        return "качество выше успеваемости — так не бывает: проверьте исходные данные"
    }
}

/// FIOKO's recommendations for analysing ВПР (GUIDE §4) where Opora's counts allow them.
public enum FiocoChecks {
    /// «2» over the years (oldest first): a rise of 10 percentage points or more is a negative dynamic.
    public static func failureTrend(_ shares: [Double?]) -> String? {
        let known = shares.compactMap { $0 }
        guard let first = known.first, let last = known.last, known.count >= 2 else { return nil }
        let change = last - first
        if change >= 10 { return "отрицательная динамика: доля «2» выросла на \(RussianFormat.number(change)) п. п." }
        if change <= -10 { return "доля «2» снизилась на \(RussianFormat.number(-change)) п. п." }
        return nil
    }

    /// The weight a sample carries: ≥ 50 informative, 20–49 an approximate estimate, under 20 limited.
    public static func sampleNote(_ participants: Int) -> String? {
        if participants < 20 { return "выборка меньше 20 участников: выводы ограничены (рекомендации ФИОКО)" }
        if participants < 50 { return "выборка 20–49 участников: оценка приблизительная (рекомендации ФИОКО)" }
        return nil
    }
}
