import Foundation

/// One line of `opora stats`: a school's work with its metrics (CONTRACT.md field names).
public struct StatsLine: Sendable, Hashable, Codable {
    public var school: String
    public var schoolName: String
    public var year: Int
    public var procedure: String
    public var grade: Int
    public var subject: String
    public var participants: Int
    public var successRate: Double?
    public var qualityRate: Double?
    public var meanMark: Double?
    public var sou: Double?
    public var belowMinRate: Double?
    public var meanScore: Double?
    public var highRate: Double?
    public var loweredRate: Double?
    public var confirmedRate: Double?
    public var raisedRate: Double?
    public var smallGroup: Bool

    enum CodingKeys: String, CodingKey {
        case school, schoolName = "school_name", year, procedure, grade, subject, participants
        case successRate = "success_rate", qualityRate = "quality_rate", meanMark = "mean_mark", sou
        case belowMinRate = "below_min_rate", meanScore = "mean_score", highRate = "high_rate"
        case loweredRate = "lowered_rate", confirmedRate = "confirmed_rate", raisedRate = "raised_rate", smallGroup = "small_group"
    }

    public init(
        school: String, schoolName: String, work: WorkKey, metrics m: ResultMetrics, minimumGroup: Int = Metrics.defaultMinimumGroup
    ) {
        self.school = school
        self.schoolName = schoolName
        year = work.year
        procedure = work.procedure.rawValue
        grade = work.grade
        subject = work.subject
        participants = m.participants
        // Kept as computed from the counts: each format rounds once, as it prints (JSON to 2 decimals, the table and
        // CSV to the 0,1 of the reports) — a table rounding the JSON's 2 decimals again printed 12,35 → 12,4 for 12,349.
        successRate = m.successRate; qualityRate = m.qualityRate; meanMark = m.meanMark
        sou = m.sou; belowMinRate = m.belowMinRate; meanScore = m.meanScore
        highRate = m.highRate; loweredRate = m.loweredRate; confirmedRate = m.confirmedRate
        raisedRate = m.raisedRate
        smallGroup = m.isSmallGroup(minimum: minimumGroup)
    }

    /// Two decimals, as CONTRACT.md allows ("rounded to at least 2 decimals"): JSON only, rounded once from the value.
    static func round(_ value: Double?) -> Double? { value.map { DisplayRounding.rounded($0, digits: 2) } }

    // Encode nil as JSON null (the contract lists every key).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(school, forKey: .school); try c.encode(schoolName, forKey: .schoolName); try c.encode(year, forKey: .year)
        try c.encode(procedure, forKey: .procedure); try c.encode(grade, forKey: .grade); try c.encode(subject, forKey: .subject)
        try c.encode(participants, forKey: .participants)
        for (key, value) in [(CodingKeys.successRate, successRate), (.qualityRate, qualityRate), (.meanMark, meanMark), (.sou, sou),
                             (.belowMinRate, belowMinRate), (.meanScore, meanScore), (.highRate, highRate), (.loweredRate, loweredRate),
                             (.confirmedRate, confirmedRate), (.raisedRate, raisedRate)] {
            try c.encode(Self.round(value), forKey: key)
        }
        try c.encode(smallGroup, forKey: .smallGroup)
    }

    /// The JSON array `opora stats --format json` prints: byte for byte what `JSONEncoder` with sorted keys
    /// writes (a test holds it to that), written directly because a region has tens of thousands of lines.
    public static func jsonArray(_ lines: [StatsLine]) -> String {
        var out = "["
        out.reserveCapacity(lines.count * 400)
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "," }
            out += "{\"below_min_rate\":" + json(line.belowMinRate) + ",\"confirmed_rate\":" + json(line.confirmedRate)
            out +=
                ",\"grade\":" + String(line.grade) + ",\"high_rate\":" + json(line.highRate) + ",\"lowered_rate\":" + json(line.loweredRate)
            out +=
                ",\"mean_mark\":" + json(line.meanMark) + ",\"mean_score\":" + json(line.meanScore) + ",\"participants\":"
                + String(line.participants)
            out +=
                ",\"procedure\":" + json(line.procedure) + ",\"quality_rate\":" + json(line.qualityRate) + ",\"raised_rate\":"
                + json(line.raisedRate)
            out += ",\"school\":" + json(line.school) + ",\"school_name\":" + json(line.schoolName)
            out +=
                ",\"small_group\":" + (line.smallGroup ? "true" : "false") + ",\"sou\":" + json(line.sou) + ",\"subject\":"
                + json(line.subject)
            out += ",\"success_rate\":" + json(line.successRate) + ",\"year\":" + String(line.year) + "}"
        }
        return out + "]"
    }

    static func json(_ value: Double?) -> String {
        guard let value = round(value) else { return "null" }
        let text = String(value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static let csvHeader = ["school", "school_name", "year", "procedure", "grade", "subject", "participants", "success_rate",
                                   "quality_rate", "mean_mark", "sou", "below_min_rate", "mean_score", "high_rate", "lowered_rate",
                                   "confirmed_rate", "raised_rate", "small_group"]

    /// The CSV prints what the table and the reports print (rates and scores to 0,1, the mean mark to 0,01), rounded
    /// once from the computed value, with a decimal point.
    public var csvCells: [String] {
        func cell(_ value: Double?, digits: Int = 1) -> String {
            guard let value else { return "" }
            let text = String(DisplayRounding.rounded(value, digits: digits))
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        return [
            school, schoolName, String(year), procedure, String(grade), subject, String(participants), cell(successRate), cell(qualityRate),
            cell(meanMark, digits: 2), cell(sou), cell(belowMinRate), cell(meanScore), cell(highRate), cell(loweredRate),
            cell(confirmedRate), cell(raisedRate), smallGroup ? "1" : "0",
        ]
    }
}
