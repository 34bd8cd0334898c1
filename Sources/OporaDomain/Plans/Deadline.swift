import Foundation

/// A deadline of a plan, kept exactly as written and read into due dates where it can be (CONTRACT.md,
/// `roadmap`): one reader for the roadmaps and the school programmes.
public struct Deadline: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// One or more due dates.
        case date
        /// A repeating pattern: «ежемесячно», «ежеквартально», «второй вторник месяца».
        case recurring
        /// «Постоянно», «в течение года»: no due date.
        case continuous
        /// A date set elsewhere: «по отдельному графику», «по плану УО».
        case schedule
        /// After an event: «по итогам ВПР».
        case event
        /// «По необходимости».
        case onDemand = "on_demand"
        /// Kept as written, for a person to date.
        case unparsed

        public var russianName: String {
            switch self {
            case .date: "срок"
            case .recurring: "регулярно"
            case .continuous: "постоянно"
            case .schedule: "по графику"
            case .event: "по событию"
            case .onDemand: "по необходимости"
            case .unparsed: "не распознан"
            }
        }
    }

    public let text: String
    public let kind: Kind
    /// Due dates inside the programme's period, ascending.
    public let due: [CalendarDay]
    /// Dates the deadline names (with their year, or the row's) that fall outside the programme's period: left
    /// out of `due`, and an import warns of them by line rather than dropping them silently.
    public let outside: [CalendarDay]

    public init(text: String, kind: Kind, due: [CalendarDay], outside: [CalendarDay] = []) {
        self.text = text
        self.kind = kind
        self.due = due
        self.outside = outside
    }
}

/// Reads deadlines as the programmes write them (CONTRACT.md, `roadmap`; the rules in docs/PROGRAMMES.md, «Как
/// читаются сроки»). `period` is the programme's start and end dates; `year` is the calendar year a deadline without
/// a year refers to (a roadmap repeated per year); without it such a deadline falls in every year where it lies
/// inside the period.
public enum DeadlineReader {
    public static func read(_ text: String, year: Int? = nil, period: DatePeriod) -> Deadline {
        let normal = daysOfPeriods(academicYears(isoDates(normalise(text))))
        // Dates the text or the row's year names: any of them outside the period is reported, never dropped silently.
        var written: [CalendarDay] = []
        func result(_ kind: Deadline.Kind, _ due: [CalendarDay] = []) -> Deadline {
            let outside = kind == .date ? Set(written.filter { !period.contains($0) }) : []
            return Deadline(text: text, kind: kind, due: Array(Set(due.filter(period.contains))).sorted(), outside: outside.sorted())
        }
        guard normal.contains(where: \.isLetter) || normal.contains(where: \.isNumber) else { return result(.unparsed) }
        // «2023-2025 гг. в соответствии с ежегодным планом…»: the dates are before the reference to another plan.
        let tokens = tokenise(find(normal, "в соответствии с").map { String(decoding: normal.utf8.prefix($0), as: UTF8.self) } ?? normal)
        let writtenYears = tokens.compactMap { if case .year(let year) = $0 { year } else { nil } }
        let years: [Int] = writtenYears.isEmpty ? (year.map { [$0] } ?? Array(period.years))
            : Array(writtenYears.min()!...writtenYears.max()!)
        func monthEnds(_ months: [Int], in years: [Int]) -> [CalendarDay] {
            years.flatMap { year in months.map { CalendarDay.lastDay(month: $0, year: year) } }
        }

        if has(normal, ["по необходимости", "по мере необходимости", "по запросу", "при необходимости", "по необходимо"]) {
            return result(.onDemand)
        }
        if let (n, weekday, month) = nthWeekday(normal) {
            // «Второй вторник марта 2024»: that day of the month named, a date of the years written (or the row's, or
            // every year of the period); otherwise that day of every month.
            guard let month else {
                return result(.recurring, years.flatMap { year in
                    (1...12).map { CalendarDay.nthWeekday(n, weekday: weekday, month: $0, year: year) }
                })
            }
            let dates = years.map { CalendarDay.nthWeekday(n, weekday: weekday, month: month, year: $0) }
            if !writtenYears.isEmpty || year != nil { written = dates }
            return result(.date, dates)
        }
        // «до 25 числа каждого месяца», «ежемесячно до 5 числа»: that day of every month.
        if let day = dayOfEveryMonth(normal) {
            return result(.recurring, years.flatMap { year in
                (1...12).map { CalendarDay(year: year, month: $0, day: min(day, CalendarDay.daysIn(month: $0, year: year))) }
            })
        }
        let (dated, expanded, understood, openStart) = dates(tokens, rowYear: year, period: period)
        written = dated
        // «Январь 2024 (далее ежемесячно)»: from the first date named to the period's end.
        if contains(normal, "далее"), let first = dated.min() {
            let every = has(normal, ["ежеквартальн", "каждый квартал"]) ? 3 : has(normal, ["ежемесячн", "каждый месяц"]) ? 1 : 0
            if every > 0 {
                var ends: [CalendarDay] = [], month = first.month, year = first.year
                while CalendarDay(year: year, month: month, day: 1) <= period.upperBound {
                    // The month written is the first due date; then the end of every month or quarter.
                    if every == 1 || month % 3 == 0 || ends.isEmpty { ends.append(CalendarDay.lastDay(month: month, year: year)) }
                    (month, year) = month == 12 ? (1, year + 1) : (month + 1, year)
                }
                written = []
                return result(.recurring, ends)
            }
        }
        if let (times, unit) = frequency(normal) {
            // «1 раз в месяц», «два раза в год»: the ends of equal parts of each unit; «2 раза в год (май, декабрь)»: the
            // months named.
            written = []
            if unit == "год" || unit == "полугодие", !(dated + expanded).isEmpty { return result(.recurring, dated + expanded) }
            switch unit {
            case "месяц": return result(.recurring, monthEnds(Array(1...12), in: years))
            case "квартал": return result(.recurring, monthEnds([3, 6, 9, 12], in: years))
            case "полугодие": return result(.recurring, monthEnds([6, 12], in: years))
            case "год" where 12 % times == 0:
                return result(.recurring, monthEnds(Array(stride(from: 12 / times, through: 12, by: 12 / times)), in: years))
            default: return result(.recurring)
            }
        }
        if has(normal, ["ежемесячн", "каждый месяц"]) { written = []; return result(.recurring, monthEnds(Array(1...12), in: years)) }
        if has(normal, ["ежеквартальн", "каждый квартал"]) { written = []; return result(.recurring, monthEnds([3, 6, 9, 12], in: years)) }
        if has(normal, ["еженедельн", "ежедневн", "каждую неделю", "каждый день", "каждый понедельник", "каждый вторник", "каждую среду",
                        "каждый четверг", "каждую пятницу", "каждую субботу"]) {
            return result(.recurring)
        }
        if has(normal, ["по графику", "по отдельному графику", "по плану", "согласно плану", "согласно графику", "по утвержденному",
                        "каникул", "по календарю", "по отдельному плану", "плану уо", "плану моуо"]) {
            return result(.schedule)
        }
        // «В соответствии с планом ИРО»: set elsewhere, unless the row also names its years («2023-2025 гг. в
        // соответствии с ежегодным планом…» ends with its last year, read below).
        if has(normal, ["в соответствии с план", "в соответствии с график", "в соответствии с ежегодн"])
            && !tokens.contains(where: \.isDateLike)
        {
            return result(.schedule)
        }
        if has(
            normal, ["по итогам", "по результатам", "после ", "при ", "по окончании", "по завершении", "по мере поступления", "по факту"])
        {
            return result(.event)
        }
        if has(normal, ["ежегодно"]) {
            // «Ежегодно в мае», «ежегодно до 1 сентября»: that day in every year of the period; «ежегодно» alone: each
            // year's end.
            written = []
            let named = understood && !(dated + expanded).isEmpty
            return result(.recurring, named ? dated + expanded : years.map { CalendarDay.lastDay(month: 12, year: $0) })
        }
        if has(normal, ["постоянно", "весь период", "на протяжении", "в течение всего", "в течении всего", "систематически", "регулярно",
                        "в течение периода", "в течении периода"]) || openStart {
            return result(.continuous)
        }
        let all = dated + expanded
        if has(normal, ["в течение", "в течении"]) && (all.isEmpty || !tokens.contains(where: \.isDateLike)) { return result(.continuous) }
        guard understood, !all.isEmpty else { written = []; return result(.unparsed) }
        return result(.date, all)
    }

    // MARK: reading

    static func normalise(_ text: String) -> String {
        var normal = ""
        normal.reserveCapacity(text.utf8.count)
        for character in text.lowercased() {
            switch character {
            case "ё": normal.append("е")
            case "–", "—", "‑", "−": normal.append("-")
            default: normal.append(character)
            }
        }
        return normal.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Weeks and decades of a month, written as the day they end on so the date reading below takes them with or
    /// without a year: «2 неделя февраля» → «14.02.», «1 декада сентября» → «10.09.», «2 декада» → «20.»; the last
    /// week or decade («последняя неделя», «3 декада») ends with the month, so it becomes the month itself.
    static func daysOfPeriods(_ text: String) -> String {
        guard contains(text, "недел") || contains(text, "декад") else { return text }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var output: [String] = []
        var index = 0
        while index < words.count {
            // «1-я», «вторая», «последней»: the number or the ordinal's stem.
            let word = words[index].trimmingCharacters(in: CharacterSet(charactersIn: "-яйюе("))
                .trimmingCharacters(in: .punctuationCharacters)
            let unit = index + 1 < words.count ? words[index + 1] : ""
            let n = Int(word) ?? ordinal(Substring(word)) ?? (word.hasPrefix("последн") ? 0 : nil)
            if index + 2 < words.count, unit.hasPrefix("недел") || unit.hasPrefix("декад"), let n,
               let month = month(Substring(words[index + 2].trimmingCharacters(in: .punctuationCharacters))) {
                let trailing = words[index + 2].hasSuffix(",") ? "," : ""
                let week = unit.hasPrefix("недел")
                if n == 0 || (week && n >= 5) || (!week && n >= 3) {
                    output.append(monthNames[month - 1] + trailing)
                } else if n >= 1 {
                    output.append(String(format: "%02d.%02d.", week ? 7 * n : 10 * n, month) + trailing)
                } else {
                    output.append(words[index])
                    index += 1
                    continue
                }
                index += 3
                continue
            }
            output.append(words[index])
            index += 1
        }
        return output.joined(separator: " ")
    }

    /// «2024-09-10» (CONTRACT's other date form) written as «10.09.2024», so it is not read as years and a range.
    static func isoDates(_ text: String) -> String {
        guard text.contains("-") else { return text }
        var scalars = Array(text.unicodeScalars)
        func isDigit(_ index: Int) -> Bool { index >= 0 && index < scalars.count && ("0"..."9").contains(scalars[index]) }
        var index = 0
        while index + 10 <= scalars.count {
            let shape = (0..<10).allSatisfy { offset in
                offset == 4 || offset == 7 ? scalars[index + offset] == "-" : isDigit(index + offset)
            }
            if shape, !isDigit(index - 1), !isDigit(index + 10) {
                let year = Array(scalars[index..<(index + 4)]), month = Array(scalars[(index + 5)..<(index + 7)])
                let dotted = Array(scalars[(index + 8)..<(index + 10)]) + ["."] + month + ["."] + year
                scalars.replaceSubrange(index..<(index + 10), with: dotted)
                index += 10
            } else {
                index += 1
            }
        }
        var output = String.UnicodeScalarView()
        output.append(contentsOf: scalars)
        return String(output)
    }

    /// «2023-2024 учебный год», «2023/2024 уч. год», «2023-24 учебного года»: an academic year ends on 31 August of its
    /// second year (the plans «на учебный год» run from September to August), written as that date.
    static func academicYears(_ text: String) -> String {
        guard contains(text, "уч") else { return text }
        let scalars = Array(text.unicodeScalars)
        func digits(_ from: Int) -> (value: Int, end: Int)? {
            var end = from
            while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
            guard end > from, end - from <= 4 else { return nil }
            return (Int(String(String.UnicodeScalarView(scalars[from..<end])))!, end)
        }
        func skipSpaces(_ from: Int) -> Int { var at = from; while at < scalars.count, scalars[at] == " " { at += 1 }; return at }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index == 0 || !("0"..."9").contains(scalars[index - 1]), let first = digits(index), first.end - index == 4 {
                var at = skipSpaces(first.end)
                if at < scalars.count, scalars[at] == "-" || scalars[at] == "/" {
                    at = skipSpaces(at + 1)
                    if let second = digits(at), second.end - at == 4 || second.end - at == 2 {
                        let secondYear = second.end - at == 2 ? first.value / 100 * 100 + second.value : second.value
                        let rest = String(String.UnicodeScalarView(scalars[skipSpaces(second.end)...]))
                        if ["уч", "г. уч", "гг. уч"].contains(where: rest.hasPrefix), secondYear == first.value + 1 {
                            output.append(contentsOf: "31.08.\(secondYear)".unicodeScalars)
                            index = second.end
                            continue
                        }
                    }
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    /// «до 25 числа каждого месяца», «25 числа ежемесячно»: the day of every month.
    static func dayOfEveryMonth(_ text: String) -> Int? {
        guard contains(text, "числа"), has(text, ["каждого месяца", "ежемесячн", "каждый месяц"]) else { return nil }
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        for (index, word) in words.enumerated() where index + 1 < words.count && words[index + 1] == "числа" {
            if let day = Int(word), (1...31).contains(day) { return day }
        }
        return nil
    }

    /// Byte search: Foundation's `contains` folds Unicode on every call and was most of a 10 000-measure roadmap's time.
    static func has(_ text: String, _ phrases: [String]) -> Bool { phrases.contains { contains(text, $0) } }

    static func contains(_ text: String, _ phrase: String) -> Bool { find(text, phrase) != nil }

    /// The byte offset of `phrase` in `text` (both already normalised), or nil.
    static func find(_ text: String, _ phrase: String) -> Int? {
        let haystack = Array(text.utf8), needle = Array(phrase.utf8)
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty ? 0 : nil }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] { matched = false; break }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    enum Token: Equatable {
        case date(CalendarDay)
        case dayMonth(day: Int, month: Int)
        case month(Int)
        case quarter(Int)
        case half(Int)
        case year(Int)
        case dash
        case from, to, until
        case separator
        case unknown(String)

        var isDateLike: Bool {
            switch self {
            case .date, .dayMonth, .month, .quarter, .half, .year: true
            default: false
            }
        }
    }

    static let monthStems: [(String, Int)] = [
        ("январ", 1), ("янв", 1), ("феврал", 2), ("фев", 2), ("март", 3), ("мар", 3), ("апрел", 4), ("апр", 4), ("май", 5), ("мая", 5),
        ("мае", 5),
        ("июн", 6), ("июл", 7), ("август", 8), ("авг", 8), ("сентябр", 9), ("сен", 9), ("октябр", 10), ("окт", 10), ("ноябр", 11),
        ("ноя", 11),
        ("декабр", 12), ("дек", 12),
    ]

    static let monthNames = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
                             "декабрь"]

    static func month(_ word: Substring) -> Int? {
        monthStems.first { word.hasPrefix($0.0) && (word.count <= $0.0.count + 3) }?.1
    }

    static func ordinal(_ word: Substring) -> Int? {
        if let number = Int(word) { return number }
        switch word {
        case "i": return 1
        case "ii": return 2
        case "iii": return 3
        case "iv": return 4
        default: break
        }
        let stems: [(String, Int)] = [("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4)]
        return stems.first { word.hasPrefix($0.0) }?.1
    }

    /// Words that carry no date of their own.
    static let fillers: Set<String> = [
        "г", "гг", "год", "года", "годы", "годах", "году", "в", "и", "на", "к", "запланировано", "срок", "сроки", "течение", "течении",
        "уч", "учебный", "учебного", "(далее", "далее", "а", "также", "не", "позднее", "позже", "числа",
        "ежегодно", "ежегодное", "ежегодного", "каждый", "каждого", "года.", "конца", "конец",
    ]

    static func tokenise(_ text: String) -> [Token] {
        // Split into words and punctuation, keeping «01.06.» and «2022-23» whole for the date patterns below.
        var pieces: [Substring] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "." {
                // «2025гг.», «2021г.»: digits and letters are separate words.
                if let last = current.last, (last.isNumber && character.isLetter) || (last.isLetter && character.isNumber) {
                    pieces.append(Substring(current)); current = ""
                }
                current.append(character)
            } else {
                if !current.isEmpty { pieces.append(Substring(current)); current = "" }
                if character == "-" || character == "," || character == ";" || character == "/" {
                    pieces.append(Substring(String(character)))
                }
            }
        }
        if !current.isEmpty { pieces.append(Substring(current)) }

        // «29.04. 2022» and «03.10. 2022»: a date whose year was typed after a space.
        var merged: [Substring] = []
        for piece in pieces {
            if let last = merged.last, last.hasSuffix("."), last.split(separator: ".").count == 2, Int(piece) != nil, piece.count == 4 {
                merged[merged.count - 1] = Substring(String(last) + piece)
            } else {
                merged.append(piece)
            }
        }

        var tokens: [Token] = []
        var index = 0
        while index < merged.count {
            let piece = merged[index]
            let word = piece.hasSuffix(".") && !piece.dropLast().contains(".") ? piece.dropLast() : piece
            defer { index += 1 }
            switch word {
            case "-": tokens.append(.dash); continue
            case ",", ";", "/": tokens.append(.separator); continue
            case "с", "со", "от": tokens.append(.from); continue
            case "по": tokens.append(.to); continue
            case "до": tokens.append(.until); continue
            default: break
            }
            let parts = word.split(separator: ".", omittingEmptySubsequences: false)
            // «10.09.2024», and «10.09.24» with the century left out.
            if parts.count >= 3, let d = Int(parts[0]), let m = Int(parts[1]), let written = Int(parts[2]),
               parts[2].count == 4 || parts[2].count == 2 {
                let y = parts[2].count == 2 ? 2000 + written : written
                // «16-18.10.2024»: the days before the dash start the range the date ends.
                if tokens.count >= 2, tokens.last == .dash, case .unknown(let text) = tokens[tokens.count - 2], let first = Int(text),
                    (1...31).contains(first)
                {
                    tokens.removeLast(2)
                }
                if let day = CalendarDay.valid(year: y, month: m, day: d) {
                    tokens.append(.date(day))
                } else {
                    tokens.append(.unknown(String(word)))
                }
                continue
            }
            if parts.count == 2 || (parts.count == 3 && parts[2].isEmpty), let d = Int(parts[0]), let m = Int(parts[1]),
                (1...12).contains(m), (1...31).contains(d)
            {
                tokens.append(.dayMonth(day: d, month: m)); continue
            }
            if let number = Int(word) {
                if word.count == 4, InputRange.year.contains(number) { tokens.append(.year(number)); continue }
                // «2022-23»: the second year of an academic year.
                if word.count == 2, tokens.last == .dash, tokens.count >= 2, case .year(let first) = tokens[tokens.count - 2] {
                    tokens.append(.year(first / 100 * 100 + number)); continue
                }
                let next = index + 1 < merged.count ? merged[index + 1] : ""
                if (1...31).contains(number), let m = month(next) { tokens.append(.dayMonth(day: number, month: m)); index += 1; continue }
                if next.hasPrefix("квартал"), (1...4).contains(number) { tokens.append(.quarter(number)); index += 1; continue }
                if next.hasPrefix("полугод"), (1...2).contains(number) { tokens.append(.half(number)); index += 1; continue }
                tokens.append(.unknown(String(word)))
                continue
            }
            if let m = month(word) { tokens.append(.month(m)); continue }
            if let n = ordinal(word), index + 1 < merged.count {
                let next = merged[index + 1]
                if next.hasPrefix("квартал"), (1...4).contains(n) { tokens.append(.quarter(n)); index += 1; continue }
                if next.hasPrefix("полугод"), (1...2).contains(n) { tokens.append(.half(n)); index += 1; continue }
            }
            // «1-й квартал», «2-е полугодие»: the ending was split off by the dash.
            if ["й", "ый", "ой", "ий", "е", "ое"].contains(word), tokens.count >= 2, tokens.last == .dash,
                case .unknown(let text) = tokens[tokens.count - 2],
                let n = Int(text), index + 1 < merged.count
            {
                let next = merged[index + 1]
                if next.hasPrefix("квартал"), (1...4).contains(n) { tokens.removeLast(2); tokens.append(.quarter(n)); index += 1; continue }
                if next.hasPrefix("полугод"), (1...2).contains(n) { tokens.removeLast(2); tokens.append(.half(n)); index += 1; continue }
            }
            if fillers.contains(String(word)) { continue }
            tokens.append(.unknown(String(word)))
        }
        return tokens
    }

    /// The due dates the tokens name; whether every token was understood; whether it is an open start («с мая»).
    /// `dated` have a year (written, or the row's); `expanded` are those without one, put in every year of the period.
    static func dates(_ tokens: [Token], rowYear: Int?, period: DatePeriod)
        -> (dated: [CalendarDay], expanded: [CalendarDay], understood: Bool, openStart: Bool) {
        // A pending item waits for the year written after it («май, сентябрь 2022»).
        enum Item { case day(CalendarDay), dayMonth(Int, Int), month(Int), quarter(Int), half(Int), year(Int) }
        let understood = !tokens.contains { if case .unknown = $0 { true } else { false } }
        var groups: [[Item]] = [[]]
        var pending: [Item] = []
        var sawFrom = false, sawTo = false
        // Items joined by a dash or «с … по …» form a range: only its end counts.
        var joinNext = false

        func push(_ item: Item) {
            if joinNext, !pending.isEmpty { pending.removeLast() }
            else if joinNext, let lastGroup = groups.last, !lastGroup.isEmpty, pending.isEmpty { groups[groups.count - 1].removeLast() }
            pending.append(item)
            joinNext = false
        }
        func closeWithYear(_ year: Int?) {
            var closed: [Item] = []
            for item in pending {
                switch item {
                case .day(let day): closed.append(.day(day))
                case .dayMonth(let d, let m):
                    closed.append(year.flatMap { CalendarDay.valid(year: $0, month: m, day: d) }.map { .day($0) } ?? .dayMonth(d, m))
                case .month(let m): closed.append(year.map { .day(CalendarDay.lastDay(month: m, year: $0)) } ?? .month(m))
                case .quarter(let q): closed.append(year.map { .day(CalendarDay.lastDay(month: q * 3, year: $0)) } ?? .quarter(q))
                case .half(let h): closed.append(year.map { .day(CalendarDay.lastDay(month: h * 6, year: $0)) } ?? .half(h))
                case .year(let y): closed.append(.year(y))
                }
            }
            groups[groups.count - 1] += closed
            pending = []
        }

        for token in tokens {
            switch token {
            case .date(let day): push(.day(day))
            case .dayMonth(let d, let m): push(.dayMonth(d, m))
            case .month(let m): push(.month(m))
            case .quarter(let q): push(.quarter(q))
            case .half(let h): push(.half(h))
            case .year(let y):
                let waiting = pending.contains { if case .day = $0 { false } else if case .year = $0 { false } else { true } }
                if waiting && !joinNext { closeWithYear(y) } else { push(.year(y)); closeWithYear(nil) }
            case .dash:
                joinNext = true
            case .from:
                sawFrom = true
            case .to:
                if sawFrom { joinNext = true; sawTo = true }
            case .until, .separator, .unknown:
                break
            }
        }
        closeWithYear(nil)
        // «с мая 2024 года», not «ГАОУ ДПО СО «ИРО»» (an unread text is no open start).
        let openStart = sawFrom && !sawTo && understood

        // Items still without a year fall in the row's year, else in every year of the period (the caller keeps those
        // inside it).
        let years = rowYear.map { [$0] } ?? Array(period.years)
        var dated: [CalendarDay] = [], yearless: [CalendarDay] = []
        for item in groups.flatMap({ $0 }) {
            switch item {
            case .day(let day): dated.append(day)
            case .dayMonth(let d, let m): yearless += years.compactMap { CalendarDay.valid(year: $0, month: m, day: d) }
            case .month(let m): yearless += years.map { CalendarDay.lastDay(month: m, year: $0) }
            case .quarter(let q): yearless += years.map { CalendarDay.lastDay(month: q * 3, year: $0) }
            case .half(let h): yearless += years.map { CalendarDay.lastDay(month: h * 6, year: $0) }
            case .year(let y): dated.append(CalendarDay.lastDay(month: 12, year: y))
            }
        }
        return rowYear == nil ? (dated, yearless, understood, openStart) : (dated + yearless, [], understood, openStart)
    }

    /// «1 раз в месяц», «два раза в год», «раз в квартал»: how many times in which unit.
    static func frequency(_ text: String) -> (Int, String)? {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard let index = words.firstIndex(where: { $0 == "раз" || $0 == "раза" }), index + 2 < words.count, words[index + 1] == "в" else {
            return nil
        }
        let unit = words[index + 2]
        let units = ["месяц", "квартал", "полугодие", "год", "неделю"]
        guard let matched = units.first(where: { unit.hasPrefix($0) }) else { return nil }
        let numbers = ["один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "шесть": 6]
        let times = index > 0 ? (Int(words[index - 1]) ?? numbers[words[index - 1]] ?? 1) : 1
        return (max(1, times), matched)
    }

    /// «Второй вторник месяца», «последняя пятница каждого месяца».
    /// «Второй вторник месяца», «последняя пятница каждого месяца», «каждый второй вторник»: the ordinal and the weekday;
    /// with the month when one is named after them («второй вторник марта»).
    static func nthWeekday(_ text: String) -> (Int, Int, Int?)? {
        let ordinals: [(String, Int)] = [("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4), ("последн", -1)]
        let weekdays: [(String, Int)] = [("понедельник", 1), ("вторник", 2), ("сред", 3), ("четверг", 4), ("пятниц", 5), ("суббот", 6)]
        let words = text.split(whereSeparator: { !$0.isLetter })
        for (index, word) in words.enumerated() where index + 1 < words.count {
            // «вторник» begins like «второй»: a weekday is no ordinal.
            guard !weekdays.contains(where: { word.hasPrefix($0.0) }), let n = ordinals.first(where: { word.hasPrefix($0.0) })?.1,
                  let weekday = weekdays.first(where: { words[index + 1].hasPrefix($0.0) })?.1 else { continue }
            let month = index + 2 < words.count ? self.month(words[index + 2]) : nil
            return (n, weekday, month)
        }
        return nil
    }
}
