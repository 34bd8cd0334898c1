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

    public init(school: String, schoolName: String, work: WorkKey, metrics m: ResultMetrics, minimumGroup: Int = Metrics.defaultMinimumGroup) {
        self.school = school
        self.schoolName = schoolName
        year = work.year
        procedure = work.procedure.rawValue
        grade = work.grade
        subject = work.subject
        participants = m.participants
        successRate = Self.round(m.successRate); qualityRate = Self.round(m.qualityRate); meanMark = Self.round(m.meanMark)
        sou = Self.round(m.sou); belowMinRate = Self.round(m.belowMinRate); meanScore = Self.round(m.meanScore)
        highRate = Self.round(m.highRate); loweredRate = Self.round(m.loweredRate); confirmedRate = Self.round(m.confirmedRate)
        raisedRate = Self.round(m.raisedRate)
        smallGroup = m.isSmallGroup(minimum: minimumGroup)
    }

    /// Two decimals, as CONTRACT.md allows ("rounded to at least 2 decimals").
    static func round(_ value: Double?) -> Double? { value.map { ($0 * 100).rounded() / 100 } }

    // Encode nil as JSON null (the contract lists every key).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(school, forKey: .school); try c.encode(schoolName, forKey: .schoolName); try c.encode(year, forKey: .year)
        try c.encode(procedure, forKey: .procedure); try c.encode(grade, forKey: .grade); try c.encode(subject, forKey: .subject)
        try c.encode(participants, forKey: .participants)
        for (key, value) in [(CodingKeys.successRate, successRate), (.qualityRate, qualityRate), (.meanMark, meanMark), (.sou, sou),
                             (.belowMinRate, belowMinRate), (.meanScore, meanScore), (.highRate, highRate), (.loweredRate, loweredRate),
                             (.confirmedRate, confirmedRate), (.raisedRate, raisedRate)] {
            try c.encode(value, forKey: key)
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
            out += ",\"grade\":" + String(line.grade) + ",\"high_rate\":" + json(line.highRate) + ",\"lowered_rate\":" + json(line.loweredRate)
            out += ",\"mean_mark\":" + json(line.meanMark) + ",\"mean_score\":" + json(line.meanScore) + ",\"participants\":" + String(line.participants)
            out += ",\"procedure\":" + json(line.procedure) + ",\"quality_rate\":" + json(line.qualityRate) + ",\"raised_rate\":" + json(line.raisedRate)
            out += ",\"school\":" + json(line.school) + ",\"school_name\":" + json(line.schoolName)
            out += ",\"small_group\":" + (line.smallGroup ? "true" : "false") + ",\"sou\":" + json(line.sou) + ",\"subject\":" + json(line.subject)
            out += ",\"success_rate\":" + json(line.successRate) + ",\"year\":" + String(line.year) + "}"
        }
        return out + "]"
    }

    static func json(_ value: Double?) -> String {
        guard let value else { return "null" }
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

    public var csvCells: [String] {
        func cell(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        return [school, schoolName, String(year), procedure, String(grade), subject, String(participants), cell(successRate), cell(qualityRate),
                cell(meanMark), cell(sou), cell(belowMinRate), cell(meanScore), cell(highRate), cell(loweredRate), cell(confirmedRate),
                cell(raisedRate), smallGroup ? "1" : "0"]
    }
}
