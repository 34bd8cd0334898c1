import Foundation

/// The `scores` file of CONTRACT.md (one row per student), read into one `ScoreGroup` per school × work.
///
/// A region's file has millions of rows, so a line takes a byte-level fast path when it is ordinary
/// (same work and school as the line before, plain numbers, marks 2–5, no quotes); any other line goes
/// through the general row reader, which is the only place that words a problem. Both paths accept and
/// reject exactly the same lines (the tests read every kind of odd line both ways).
public struct ParsedScores: Sendable {
    public var groups: [ScoreGroup]
    /// Data rows read (blank lines not counted).
    public var rows: Int
    public var warnings: [ImportIssue]
}

extension ResultFiles {
    /// Reads and checks a whole `scores` file; throws `ImportRejected` with every problem if any row is bad.
    /// Files of `parallelAbove` bytes or more (without quotes) are read in two halves at once.
    public func parseScoreGroups(_ bytes: [UInt8], file: String, parallelAbove: Int = 1 << 20,
                                 limits: ImportLimits = .standard) throws -> ParsedScores {
        guard bytes.count <= limits.fileBytes else {
            throw ImportLimitExceeded(line: 1, message: limits.fileTooLarge(bytes.count)).rejection(file: file)
        }
        let (text, _) = TextEncoding.decodeToUTF8(bytes)
        var parser = ScoresFileParser(files: self, file: file, delimiter: DelimitedTextReader.detectDelimiter(text), limits: limits)
        if text.contains(UInt8(ascii: "\"")) {
            // Quoted cells may hold delimiters and line breaks: the RFC 4180 reader splits the records.
            var records = RecordIterator(bytes: text, delimiter: parser.delimiter, limits: limits)
            do {
                while let (line, cells) = try records.next() {
                    guard parser.columns != nil else {
                        if !parser.bindHeader(cells) { break }
                        continue
                    }
                    _ = parser.addRow(line: line, cells: cells)
                    if parser.stopped { break }
                }
            } catch let exceeded as ImportLimitExceeded {
                parser.stop(exceeded)
            }
        } else {
            text.withUnsafeBufferPointer { parser = ScoresFileParser.readUnquoted($0, starting: parser, parallelAbove: parallelAbove) }
        }
        return try parser.finish()
    }
}

struct ScoresFileParser {
    let files: ResultFiles
    let delimiter: UInt8
    let limits: ImportLimits
    var issues: IssueCollector
    /// A limit was crossed: nothing further is read.
    var stopped = false
    var columns: BoundColumns?
    var groups: [ScoreGroup] = []
    var groupIndex: [ScoreGroup.GroupKey: Int] = [:]
    /// Per group: student code → the line it first appeared on, to name both lines of a duplicate.
    var firstLines: [[String: Int32]] = []
    var rows = 0

    init(files: ResultFiles, file: String, delimiter: UInt8, limits: ImportLimits) {
        self.files = files
        self.delimiter = delimiter
        self.limits = limits
        issues = IssueCollector(file: file)
    }

    mutating func stop(_ exceeded: ImportLimitExceeded) {
        issues.error(line: exceeded.line, column: exceeded.column, exceeded.message)
        stopped = true
    }

    /// Binds the header; false when it is unusable (then nothing else is read).
    mutating func bindHeader(_ cells: [String]) -> Bool {
        columns = ResultFiles.scoresSchema.bind(header: cells, issues: &issues)
        return !issues.hasErrors
    }

    func finish() throws -> ParsedScores {
        var issues = issues
        if columns == nil && !stopped { issues.error(line: 1, column: "—", "файл пуст") }
        if rows == 0 && !issues.hasErrors { issues.error(line: 2, column: "—", "в файле нет ни одной строки данных") }
        try issues.throwIfFailed()
        return ParsedScores(groups: groups, rows: rows, warnings: issues.warnings)
    }

    mutating func group(_ work: WorkKey, _ school: String, line: Int) -> Int {
        let key = ScoreGroup.GroupKey(work: work, school: school)
        if let index = groupIndex[key] { return index }
        // Schools are of similar size: room for as many students as the group before saves regrowing.
        let expected = firstLines.last?.count ?? 0
        groupIndex[key] = groups.count
        var group = ScoreGroup(work: work, school: school, firstLine: line)
        group.rows.reserveCapacity(expected)
        groups.append(group)
        firstLines.append(Dictionary(minimumCapacity: expected))
        return groups.count - 1
    }

    /// Records a checked student in its group: a second row for the same student is an error; after the
    /// first error rows are only checked, not kept (the import will be refused anyway).
    mutating func accept(_ row: StudentRow, group: Int, line: Int) {
        if let first = firstLines[group][row.student] {
            issues.error(line: line, column: "student", "ученик «\(row.student)» дважды в одной работе (см. строку \(first))")
            return
        }
        firstLines[group][row.student] = Int32(truncatingIfNeeded: line)
        if !issues.hasErrors { groups[group].rows.append(row) }
    }

    /// The general path: one record's cells through `RowReader`. Returns the row's group when its work
    /// and school are valid (so following lines with the same bytes can skip them).
    mutating func addRow(line: Int, cells: [String]) -> Int? {
        guard let columns else { return nil }
        if cells.allSatisfy(\.isEmpty) { return nil }
        guard rows < limits.rows else {
            stop(ImportLimitExceeded(line: line, message: limits.tooManyRows))
            return nil
        }
        rows += 1
        let reader = RowReader(line: line, cells: cells, columns: columns)
        let work = files.work(reader, &issues)
        let school = reader.requiredText("school", &issues)
        let student = reader.requiredText("student", &issues)
        let mark = reader.integer("mark", &issues)
        if let mark, !(2...5).contains(mark) { issues.error(line: line, column: "mark", "отметка \(mark) вне диапазона 2–5") }
        let termMark = reader.integer("term_mark", &issues)
        if let termMark, !(2...5).contains(termMark) {
            issues.error(line: line, column: "term_mark", "отметка \(termMark) вне диапазона 2–5")
        }
        let score = reader.decimal("score", range: 0...100, &issues)
        let primary = reader.decimal("primary_score", range: 0...1000, &issues)
        guard let work, let school else { return nil }
        let index = group(work, school, line: line)
        guard let student else { return index }
        let result = StudentResult(
            mark: mark.flatMap { (2...5).contains($0) ? $0 : nil },
            termMark: termMark.flatMap { (2...5).contains($0) ? $0 : nil }, score: score, primaryScore: primary)
        accept(
            StudentRow(student: student, className: reader.text("class"), variant: reader.text("variant"), result: result), group: index,
            line: line)
        return index
    }

    // MARK: the fast path (files without quotes: one record per line)

    /// Column positions in a fixed order; -1 when the file has no such column.
    struct Positions {
        var year = -1, procedure = -1, grade = -1, subject = -1, school = -1, student = -1
        var className = -1, variant = -1, primaryScore = -1, score = -1, mark = -1, termMark = -1

        init(_ columns: BoundColumns) {
            func at(_ name: String) -> Int { columns.positions[name] ?? -1 }
            year = at("year"); procedure = at("procedure"); grade = at("grade"); subject = at("subject"); school = at("school")
            student = at("student"); className = at("class"); variant = at("variant"); primaryScore = at("primary_score")
            score = at("score"); mark = at("mark"); termMark = at("term_mark")
        }

        var keyColumns: [Int] { [year, procedure, grade, subject, school] }
        var highest: Int {
            [year, procedure, grade, subject, school, student, className, variant, primaryScore, score, mark, termMark].max()!
        }
    }

    /// Reads a file without quotes: the header, then the data lines in two halves on two cores when the file
    /// is large, merged as if read in one pass (same groups in the same order, same problems on the same lines).
    static func readUnquoted(_ text: UnsafeBufferPointer<UInt8>, starting parser: ScoresFileParser, parallelAbove: Int) -> ScoresFileParser
    {
        var first = parser
        guard !text.isEmpty else { return first }
        let newline = UInt8(ascii: "\n")
        var headerEnd = 0
        while headerEnd < text.count && text[headerEnd] != newline { headerEnd += 1 }
        guard let header = first.limitedCells(text, 0, headerEnd, line: 1), first.bindHeader(header) else { return first }
        let dataStart = min(headerEnd + 1, text.count)
        var middle = dataStart + (text.count - dataStart) / 2
        while middle < text.count && text[middle - 1] != newline { middle += 1 }
        guard text.count >= parallelAbove, middle < text.count else {
            first.read(text, from: dataStart, to: text.count, firstLine: 2)
            return first
        }
        var secondLine = 2
        for index in dataStart..<middle where text[index] == newline { secondLine += 1 }
        var second = first
        second.issues = IssueCollector(file: first.issues.file, limit: first.issues.limit)
        let halves = Halves(text: text, parsers: [first, second], ranges: [(dataStart, middle, 2), (middle, text.count, secondLine)])
        DispatchQueue.concurrentPerform(iterations: 2) { half in halves.read(half) }
        var merged = halves.parsers[0]
        merged.absorb(halves.parsers[1])
        return merged
    }

    /// Two parsers working on disjoint halves of one read-only buffer; each writes only its own slot.
    final class Halves: @unchecked Sendable {
        let text: UnsafeBufferPointer<UInt8>
        /// One slot per half, allocated once: each thread writes only its own, with no shared array to copy on write.
        let parsers: UnsafeMutableBufferPointer<ScoresFileParser>
        let ranges: [(start: Int, end: Int, line: Int)]

        init(text: UnsafeBufferPointer<UInt8>, parsers: [ScoresFileParser], ranges: [(Int, Int, Int)]) {
            self.text = text
            self.parsers = .allocate(capacity: parsers.count)
            _ = self.parsers.initialize(from: parsers)
            self.ranges = ranges.map { (start: $0.0, end: $0.1, line: $0.2) }
        }

        deinit {
            parsers.baseAddress!.deinitialize(count: parsers.count)
            parsers.deallocate()
        }

        func read(_ half: Int) {
            parsers[half].read(text, from: ranges[half].start, to: ranges[half].end, firstLine: ranges[half].line)
        }
    }

    /// Appends what a parser of the following lines found: its groups merge into equal ones here (a student
    /// in both is a duplicate, named at the later line), its rows and problems add up, problems in line order.
    mutating func absorb(_ later: ScoresFileParser) {
        rows += later.rows
        var crossIssues = IssueCollector(file: issues.file, limit: issues.limit)
        for (index, group) in later.groups.enumerated() {
            let key = ScoreGroup.GroupKey(work: group.work, school: group.school)
            guard let mine = groupIndex[key] else {
                groupIndex[key] = groups.count
                groups.append(group)
                firstLines.append(later.firstLines[index])
                continue
            }
            let lines = later.firstLines[index]
            for (student, line) in lines.sorted(by: { $0.value < $1.value }) {
                if let first = firstLines[mine][student] {
                    crossIssues.error(line: Int(line), column: "student", "ученик «\(student)» дважды в одной работе (см. строку \(first))")
                }
            }
            let kept = group.rows.filter { firstLines[mine][$0.student] == nil }
            for (student, line) in lines where firstLines[mine][student] == nil { firstLines[mine][student] = line }
            groups[mine].rows += kept
        }
        issues.absorb(later.issues)
        issues.absorb(crossIssues)
    }

    /// Bounds of one line's cells (trimmed), as far as the highest column Opora reads; reused line after line.
    struct LineFields {
        let starts: UnsafeMutablePointer<Int>
        let ends: UnsafeMutablePointer<Int>
        let width: Int
        var count = 0

        init(width: Int) {
            self.width = width
            starts = .allocate(capacity: width)
            ends = .allocate(capacity: width)
        }

        func release() {
            starts.deallocate()
            ends.deallocate()
        }

        @inline(__always) func range(_ column: Int) -> (Int, Int)? {
            column >= 0 && column < count ? (starts[column], ends[column]) : nil
        }
    }

    mutating func read(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, firstLine: Int) {
        guard let columns else { return }
        let newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r"), delimiter = delimiter
        let bound = Positions(columns)
        let keyColumns = bound.keyColumns
        var fields = LineFields(width: bound.highest + 1)
        defer { fields.release() }
        // The previous accepted line's work and school cells, and their group.
        var cachedKey: [(Int, Int)] = []
        var cachedGroup = -1
        var position = start, line = firstLine

        while position < end {
            defer { line += 1 }
            // One pass: cells split at the delimiter and trimmed of spaces and tabs, up to the line's end.
            let lineStart = position
            var field = 0, fieldStart = position, carriages = 0, longest = 0, controls = false
            var index = position
            while true {
                let atEnd = index == end
                let byte = atEnd ? newline : text[index]
                if byte == newline || byte == delimiter {
                    longest = max(longest, index - fieldStart)
                    if field < fields.width {
                        var first = fieldStart, last = index
                        if byte == newline && last > first && text[last - 1] == carriage { last -= 1; carriages -= 1 }
                        while first < last && (text[first] == 0x20 || text[first] == 0x09) { first += 1 }
                        while last > first && (text[last - 1] == 0x20 || text[last - 1] == 0x09) { last -= 1 }
                        fields.starts[field] = first
                        fields.ends[field] = last
                    } else if byte == newline && index > fieldStart && text[index - 1] == carriage {
                        carriages -= 1
                    }
                    field += 1
                    fieldStart = index + 1
                    if byte == newline { break }
                } else if byte < 0x20 || byte == 0x7F {
                    if byte == carriage { carriages += 1 } else if ImportLimits.isForbiddenControl(byte) { controls = true }
                } else if byte == 0xE2 {
                    // Perhaps a line separator or a direction mark (U+2028, U+202E, …): the exact check decides.
                    controls = true
                }
                index += 1
            }
            let lineEnd = min(index, end)
            position = index + 1
            fields.count = field
            if field > limits.columns || longest > limits.cellCharacters || controls {
                // Rare: the exact check (and its message) on this one line.
                guard limitedCells(text, lineStart, lineEnd, line: line) != nil else { return }
            }
            // A carriage return inside the line (not the CRLF ending) sends the line the general way.
            let odd = carriages > 0

            var fast = !odd && cachedGroup >= 0
            if fast {
                for slot in 0..<keyColumns.count {
                    guard let cell = fields.range(keyColumns[slot]), Self.same(text, cell, cachedKey[slot]) else { fast = false; break }
                }
            }
            if fast, rows < limits.rows, let row = fastRow(text, bound, fields) {
                if let earlier = firstLines[cachedGroup].updateValue(Int32(truncatingIfNeeded: line), forKey: row.student) {
                    firstLines[cachedGroup][row.student] = earlier   // a duplicate: the general path words it
                } else {
                    rows += 1
                    if !issues.hasErrors { groups[cachedGroup].rows.append(row) }
                    continue
                }
            }
            // The general path words every problem; it also refreshes the cached work and school.
            let group = addRow(line: line, cells: cells(text, lineStart, lineEnd))
            if stopped { return }
            if let group, !odd {
                cachedKey = keyColumns.map { fields.range($0) ?? (0, 0) }
                cachedGroup = group
            } else if group == nil {
                cachedGroup = -1
            }
        }
    }

    @inline(__always) static func same(_ text: UnsafeBufferPointer<UInt8>, _ a: (Int, Int), _ b: (Int, Int)) -> Bool {
        let length = a.1 - a.0
        guard length == b.1 - b.0 else { return false }
        var offset = 0
        while offset < length {
            if text[a.0 + offset] != text[b.0 + offset] { return false }
            offset += 1
        }
        return true
    }

    /// The student part of an ordinary line, or nil when anything needs the general path.
    func fastRow(_ text: UnsafeBufferPointer<UInt8>, _ bound: Positions, _ fields: LineFields) -> StudentRow? {
        let range = fields.range
        guard let student = range(bound.student), student.1 > student.0, !isNoValue(text, student) else { return nil }
        // A cell protected against formulas («'=…») is unprotected by the general reader only.
        func protected(_ column: Int) -> Bool {
            guard let cell = range(column), cell.1 > cell.0 else { return false }
            return text[cell.0] == UInt8(ascii: "'")
        }
        if protected(bound.student) || protected(bound.className) || protected(bound.variant) { return nil }
        guard let mark = fastMark(text, range(bound.mark)), let termMark = fastMark(text, range(bound.termMark)),
              let score = fastDecimal(text, range(bound.score), maximum: 100),
              let primary = fastDecimal(text, range(bound.primaryScore), maximum: 1000) else { return nil }
        var row = StudentRow(student: string(text, student), className: optionalText(text, range(bound.className)),
                             variant: optionalText(text, range(bound.variant)), result: StudentResult())
        row.markByte = mark
        row.termMarkByte = termMark
        row.scoreValue = score
        row.primaryScoreValue = primary
        return row
    }

    func string(_ text: UnsafeBufferPointer<UInt8>, _ range: (Int, Int)) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: text[range.0..<range.1]), as: UTF8.self)
    }

    /// "—", "-" and "–" mean "no value", as in `RowReader.text`.
    func isNoValue(_ text: UnsafeBufferPointer<UInt8>, _ range: (Int, Int)) -> Bool {
        switch range.1 - range.0 {
        case 1: return text[range.0] == UInt8(ascii: "-")
        case 3: return text[range.0] == 0xE2 && text[range.0 + 1] == 0x80 && (text[range.0 + 2] == 0x94 || text[range.0 + 2] == 0x93)
        default: return false
        }
    }

    func optionalText(_ text: UnsafeBufferPointer<UInt8>, _ range: (Int, Int)?) -> String? {
        guard let range, range.1 > range.0, !isNoValue(text, range) else { return nil }
        return string(text, range)
    }

    /// 0 for an empty cell, the mark for "2"…"5"; nil for anything else.
    func fastMark(_ text: UnsafeBufferPointer<UInt8>, _ range: (Int, Int)?) -> UInt8? {
        guard let range, range.1 > range.0 else { return 0 }
        guard range.1 - range.0 == 1 else { return nil }
        let digit = text[range.0] &- UInt8(ascii: "0")
        return (2...5).contains(digit) ? digit : nil
    }

    static let powersOfTen: [Double] = (0...15).map { power in (0..<power).reduce(1.0) { value, _ in value * 10 } }

    /// NaN for an empty cell, the value of plain "12", "12.5" or "12,5" within 0…maximum; nil for anything else.
    /// Digits over 10ⁿ: both are exact doubles, so the quotient is the correctly rounded value `Double(String)` gives.
    func fastDecimal(_ text: UnsafeBufferPointer<UInt8>, _ range: (Int, Int)?, maximum: Double) -> Double? {
        guard let range, range.1 > range.0 else { return .nan }
        guard range.1 - range.0 <= 16 else { return nil }
        var mantissa = 0, fractionDigits = 0, digits = 0, separator = false
        for index in range.0..<range.1 {
            let byte = text[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                mantissa = mantissa * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if separator { fractionDigits += 1 }
            } else if (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")) && !separator && digits > 0 {
                separator = true
            } else {
                return nil
            }
        }
        guard digits > 0, !separator || fractionDigits > 0 else { return nil }
        let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
        return value <= maximum ? value : nil
    }

    /// One line's cells, or nil (and the reading stopped) when the line crosses a limit.
    mutating func limitedCells(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, line: Int) -> [String]? {
        var count = 1
        for index in start..<end where text[index] == delimiter { count += 1 }
        guard count <= limits.columns else {
            stop(ImportLimitExceeded(line: line, message: limits.tooManyColumns))
            return nil
        }
        let cells = cells(text, start, end)
        if let long = cells.firstIndex(where: limits.cellExceeds) {
            stop(ImportLimitExceeded(line: line, column: "№ \(long + 1)", message: limits.cellTooLong))
            return nil
        }
        for (index, cell) in cells.enumerated() {
            if let control = ImportLimits.forbiddenControl(in: cell) {
                stop(ImportLimitExceeded(line: line, column: "№ \(index + 1)", message: ImportLimits.controlCharacter(control)))
                return nil
            }
        }
        return cells
    }

    /// One line's cells as the RFC 4180 reader gives them for a line without quotes.
    func cells(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [String] {
        var cells: [String] = []
        var field: [UInt8] = []
        func finish() {
            var slice = field[...]
            while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
            while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
            let cell = String(decoding: slice, as: UTF8.self)
            cells.append(slice.first == UInt8(ascii: "'") ? FormulaGuard.unprotect(cell) : cell)
            field.removeAll(keepingCapacity: true)
        }
        for index in start..<end {
            let byte = text[index]
            if byte == delimiter { finish() } else if byte != UInt8(ascii: "\r") { field.append(byte) }
        }
        finish()
        return cells
    }
}
