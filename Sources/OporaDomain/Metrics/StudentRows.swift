/// One student's row of one school's work, stored compactly: millions of these are held while a
/// region's file is imported, so marks are bytes and missing scores NaN rather than optionals.
public struct StudentRow: Sendable, Hashable {
    public var student: String
    public var className: String?
    public var variant: String?
    var markByte: UInt8
    var termMarkByte: UInt8
    var scoreValue: Double
    var primaryScoreValue: Double

    public init(student: String, className: String? = nil, variant: String? = nil, result: StudentResult) {
        self.student = student
        self.className = className
        self.variant = variant
        markByte = result.mark.map { UInt8(clamping: $0) } ?? 0
        termMarkByte = result.termMark.map { UInt8(clamping: $0) } ?? 0
        scoreValue = result.score ?? .nan
        primaryScoreValue = result.primaryScore ?? .nan
    }

    public var result: StudentResult {
        StudentResult(mark: markByte == 0 ? nil : Int(markByte), termMark: termMarkByte == 0 ? nil : Int(termMarkByte),
                      score: scoreValue.isNaN ? nil : scoreValue, primaryScore: primaryScoreValue.isNaN ? nil : primaryScoreValue)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.student == b.student && a.className == b.className && a.variant == b.variant && a.result == b.result
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(student)
        hasher.combine(result)
    }
}

/// One school's students in one work: the unit Opora stores, merges and summarises.
public struct ScoreGroup: Sendable, Hashable {
    public var work: WorkKey
    public var school: String
    /// The first file line of the group (where a problem with the whole group is reported).
    public var firstLine: Int
    public var rows: [StudentRow]

    public init(work: WorkKey, school: String, firstLine: Int = 0, rows: [StudentRow] = []) {
        self.work = work
        self.school = school
        self.firstLine = firstLine
        self.rows = rows
    }

    /// Groups loose records (generated data) the way a file is grouped: first appearance order, one row per student.
    public static func grouping(_ records: [ScoreRecord]) -> [ScoreGroup] {
        var groups: [ScoreGroup] = []
        var index: [GroupKey: Int] = [:]
        for record in records {
            let key = GroupKey(work: record.work, school: record.school)
            let row = StudentRow(student: record.student, className: record.className, variant: record.variant, result: record.result)
            if let position = index[key] {
                groups[position].rows.append(row)
            } else {
                index[key] = groups.count
                groups.append(ScoreGroup(work: record.work, school: record.school, firstLine: record.line, rows: [row]))
            }
        }
        return groups
    }

    struct GroupKey: Hashable { let work: WorkKey; let school: String }

    /// The counts of these students under the work's threshold: what the results pages read.
    public func counts(threshold: ScoreThreshold?) -> ResultCounts {
        Self.counts(rows, work: work, threshold: threshold)
    }

    public static func counts(_ rows: [StudentRow], work: WorkKey, threshold: ScoreThreshold?) -> ResultCounts {
        var accumulator = StudentAccumulator(procedure: work.procedure, subject: work.subject, threshold: threshold)
        for row in rows { accumulator.add(row.result) }
        return accumulator.counts
    }

    /// Upserts `incoming` into `stored` by student code: a student already stored is replaced in place,
    /// a new one appended, the others kept (CONTRACT.md: a re-import replaces, it does not double).
    /// `replaced` counts stored students the group names again, `unchanged` those of them with exactly the same row.
    public static func merge(stored: [StudentRow], incoming: [StudentRow]) -> (rows: [StudentRow], replaced: Int, unchanged: Int) {
        var merged = stored
        var position: [String: Int] = [:]
        position.reserveCapacity(stored.count)
        for (index, row) in stored.enumerated() { position[row.student] = index }
        var replaced = 0, unchanged = 0
        for row in incoming {
            if let index = position[row.student] {
                if merged[index] == row { unchanged += 1 }
                merged[index] = row
                replaced += 1
            } else {
                position[row.student] = merged.count
                merged.append(row)
            }
        }
        return (merged, replaced, unchanged)
    }
}

/// The stored form of a group's student rows: a compact binary record list, so that a region's
/// two million rows are twenty thousand database rows (see docs/DECISIONS.md, "Student rows").
///
/// Layout (version 1): one version byte, then per student: the code, class and variant as
/// length-prefixed UTF-8 (length + 1, 0 for no value, for the optional two), a flags byte
/// (1 mark, 2 term mark, 4 score, 8 primary score), then the present marks as bytes and the
/// present scores: a score that is an exact number of hundredths (nearly all) as a varint of hundredths
/// (flag 16 for the score, 32 for the primary score), any other as a little-endian IEEE 754 double.
public enum StudentRowsCodec {
    public static let version: UInt8 = 1

    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func encode(_ rows: [StudentRow]) -> [UInt8] {
        // Written through a pointer into a buffer sized for the worst case: millions of rows per import.
        var capacity = 1
        for row in rows {
            capacity += row.student.utf8.count + (row.className?.utf8.count ?? 0) + (row.variant?.utf8.count ?? 0) + 3 * 10 + 1 + 2 + 2 * 10
        }
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var writer = ByteWriter(base: buffer.baseAddress!)
            writer.byte(version)
            for row in rows {
                writer.text(row.student, lengthOffset: 0)
                if let className = row.className { writer.text(className, lengthOffset: 1) } else { writer.byte(0) }
                if let variant = row.variant { writer.text(variant, lengthOffset: 1) } else { writer.byte(0) }
                var flags: UInt8 = 0
                if row.markByte != 0 { flags |= 1 }
                if row.termMarkByte != 0 { flags |= 2 }
                let score = hundredths(row.scoreValue), primary = hundredths(row.primaryScoreValue)
                if !row.scoreValue.isNaN { flags |= score == nil ? 4 : 4 | 16 }
                if !row.primaryScoreValue.isNaN { flags |= primary == nil ? 8 : 8 | 32 }
                writer.byte(flags)
                if row.markByte != 0 { writer.byte(row.markByte) }
                if row.termMarkByte != 0 { writer.byte(row.termMarkByte) }
                if let score { writer.varint(score) } else if !row.scoreValue.isNaN { writer.double(row.scoreValue) }
                if let primary { writer.varint(primary) } else if !row.primaryScoreValue.isNaN { writer.double(row.primaryScoreValue) }
            }
            count = writer.count
        }
    }

    struct ByteWriter {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        @inline(__always) mutating func byte(_ value: UInt8) {
            base[count] = value
            count += 1
        }

        /// LEB128: one byte for every real student code's length.
        @inline(__always) mutating func varint(_ value: Int) {
            var rest = UInt(value)
            while rest >= 0x80 {
                byte(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            byte(UInt8(rest))
        }

        mutating func text(_ value: String, lengthOffset: Int) {
            var value = value
            value.withUTF8 { utf8 in
                varint(utf8.count + lengthOffset)
                if let source = utf8.baseAddress { (base + count).update(from: source, count: utf8.count) }
                count += utf8.count
            }
        }

        mutating func double(_ value: Double) {
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { raw in
                for offset in 0..<8 { base[count + offset] = raw[offset] }
            }
            count += 8
        }
    }

    public static func decode<Bytes: Collection<UInt8>>(_ data: Bytes) throws -> [StudentRow] {
        let bytes = Array(data)
        guard let first = bytes.first else { return [] }
        guard first == version else { throw Malformed(description: "неизвестная версия записи учеников: \(first)") }
        var rows: [StudentRow] = []
        var reader = ByteReader(bytes: bytes, index: 1)
        while !reader.atEnd {
            let student = try reader.text(length: try reader.length())
            let classLength = try reader.length()
            let className = classLength == 0 ? nil : try reader.text(length: classLength - 1)
            let variantLength = try reader.length()
            let variant = variantLength == 0 ? nil : try reader.text(length: variantLength - 1)
            let flags = try reader.byte()
            var row = StudentRow(student: student, className: className, variant: variant, result: StudentResult())
            if flags & 1 != 0 { row.markByte = try reader.byte() }
            if flags & 2 != 0 { row.termMarkByte = try reader.byte() }
            if flags & 4 != 0 { row.scoreValue = flags & 16 != 0 ? Double(try reader.length()) / 100 : try reader.double() }
            if flags & 8 != 0 { row.primaryScoreValue = flags & 32 != 0 ? Double(try reader.length()) / 100 : try reader.double() }
            rows.append(row)
        }
        return rows
    }

    /// The value as a whole number of hundredths when that gives back exactly the same double.
    static func hundredths(_ value: Double) -> Int? {
        guard value.isFinite, value >= 0, value < 1e12 else { return nil }
        let count = Int((value * 100).rounded())
        return Double(count) / 100 == value ? count : nil
    }

    struct ByteReader {
        let bytes: [UInt8]
        var index: Int

        var atEnd: Bool { index >= bytes.count }

        mutating func byte() throws -> UInt8 {
            guard index < bytes.count else { throw Malformed(description: "запись учеников обрывается") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func length() throws -> Int {
            var value = 0, shift = 0
            while true {
                let next = try byte()
                value |= Int(next & 0x7F) << shift
                if next & 0x80 == 0 { return value }
                shift += 7
                guard shift < 35 else { throw Malformed(description: "неверная длина в записи учеников") }
            }
        }

        mutating func text(length: Int) throws -> String {
            guard length >= 0, index + length <= bytes.count else { throw Malformed(description: "запись учеников обрывается") }
            defer { index += length }
            return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
        }

        mutating func double() throws -> Double {
            guard index + 8 <= bytes.count else { throw Malformed(description: "запись учеников обрывается") }
            var bits: UInt64 = 0
            for offset in 0..<8 { bits |= UInt64(bytes[index + offset]) << (8 * offset) }
            index += 8
            return Double(bitPattern: bits)
        }
    }
}
