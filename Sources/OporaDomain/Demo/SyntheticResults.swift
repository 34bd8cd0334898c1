import Foundation

/// Deterministic synthetic per-student results for the demo and the benchmark: ВПР grades 4–8, ОГЭ, ЕГЭ.
/// Each school has a latent level and a habit of inflating term marks, so the data shows what the
/// analysis pages are for: weak schools, unstable years, marks that ВПР does not confirm.
public struct SyntheticResults: Sendable {
    public struct Work: Sendable { public let procedure: ProcedureCode; public let grade: Int; public let subject: String }

    /// The works of the demo: ВПР 4–8 (Russian, mathematics, plus окружающий мир in grade 4), ОГЭ and ЕГЭ.
    public static let demoWorks: [Work] = [
        Work(procedure: .vpr, grade: 4, subject: "rus"), Work(procedure: .vpr, grade: 4, subject: "math"),
        Work(procedure: .vpr, grade: 4, subject: "world"),
        Work(procedure: .vpr, grade: 5, subject: "rus"), Work(procedure: .vpr, grade: 5, subject: "math"),
        Work(procedure: .vpr, grade: 6, subject: "rus"), Work(procedure: .vpr, grade: 6, subject: "math"),
        Work(procedure: .vpr, grade: 7, subject: "rus"), Work(procedure: .vpr, grade: 7, subject: "math"),
        Work(procedure: .vpr, grade: 8, subject: "rus"), Work(procedure: .vpr, grade: 8, subject: "math"),
        Work(procedure: .oge, grade: 9, subject: "rus"), Work(procedure: .oge, grade: 9, subject: "math"),
        Work(procedure: .ege, grade: 11, subject: "rus"), Work(procedure: .ege, grade: 11, subject: "math_prof"),
    ]

    /// ВПР grades 4–8 in four subjects: the benchmark's region.
    public static let benchmarkWorks: [Work] = [4, 5, 6, 7, 8].flatMap { grade in
        ["rus", "math", "hist", "bio"].map { Work(procedure: .vpr, grade: grade, subject: $0) }
    }

    public static let egeThresholds: [(subject: String, threshold: ScoreThreshold)] = [
        ("rus", ScoreThreshold(minScore: 24, highScore: 81)), ("math_prof", ScoreThreshold(minScore: 27, highScore: 81)),
    ]

    public struct SchoolProfile: Sendable {
        public let code: String
        public let students: Int
        public let level: Double
        public let inflation: Double
    }

    /// Latent level and mark inflation per school (seeded by its code, so adding a school changes no other).
    public static func profile(code: String, students: Int, rural: Bool, selective: Bool = false) -> SchoolProfile {
        var random = SeededRandom(
            seed: UInt64(truncatingIfNeeded: code.unicodeScalars.reduce(1469598103934665603) { ($0 ^ UInt64($1.value)) &* 1099511628211 }))
        var level = random.double(-0.3...0.6) - (rural ? 0.15 : 0) + (selective ? 0.6 : 0)
        var inflation = random.double(0.0...0.35)
        // A few schools stand out, as in every real municipality.
        if !selective && random.chance(0.14) { level -= 0.7 }
        if random.chance(0.12) { inflation += 0.8 }
        return SchoolProfile(code: code, students: students, level: level, inflation: inflation)
    }

    /// Calls `emit` for every student row, in a stable order.
    public static func generate(profiles: [SchoolProfile], years: [Int], works: [Work], seed: UInt64,
                                _ emit: (ScoreRecord) throws -> Void) rethrows {
        for profile in profiles {
            var random = SeededRandom(seed: seed ^ UInt64(truncatingIfNeeded: profile.code.hashValueStable))
            let perGrade = max(1, Int((Double(profile.students) / 11).rounded()))
            for year in years {
                let yearShift = random.double(-0.25...0.25)
                for work in works {
                    // Small schools often have no pupils in a given grade; ЕГЭ only where there is a senior school.
                    var size = max(
                        0, perGrade + random.int(-perGrade / 5...perGrade / 5) - (work.grade >= 10 && profile.students < 90 ? perGrade : 0))
                    if profile.students < 20 && work.grade > 4 { size = 0 }  // a primary school (НОШ) has grades 1–4 only
                    let subjectShift = work.subject == "math" || work.subject == "math_prof" ? -0.15 : 0.05
                    for index in 0..<size {
                        let z = profile.level + yearShift + subjectShift + gaussian(&random)
                        let result = student(z: z, work: work, inflation: profile.inflation, random: &random)
                        try emit(ScoreRecord(work: WorkKey(year: year, procedure: work.procedure, grade: work.grade, subject: work.subject),
                                             school: profile.code, student: "\(profile.code)-\(year % 100)\(work.grade)-\(index + 1)",
                                             className: "\(work.grade)\(["А", "Б", "В"][index % (size > 25 ? 3 : 1)])",
                                             variant: String(1 + index % 2), result: result))
                    }
                }
            }
        }
    }

    static func student(z: Double, work: Work, inflation: Double, random: inout SeededRandom) -> StudentResult {
        func mark(_ value: Double) -> Int { value < -1.15 ? 2 : value < -0.1 ? 3 : value < 0.9 ? 4 : 5 }
        switch work.procedure {
        case .ege:
            let score = min(100, max(5, (62 + 16 * z).rounded()))
            return StudentResult(mark: nil, termMark: mark(z + inflation + 0.3 * gaussian(&random)), score: score, primaryScore: nil)
        default:
            let markValue = mark(z)
            let term = mark(z + inflation + 0.35 * gaussian(&random))
            let maxPrimary = work.procedure == .oge ? 33.0 : 20.0
            let primary = min(maxPrimary, max(0, ((z + 2.2) / 4.4 * maxPrimary).rounded()))
            return StudentResult(mark: markValue, termMark: term, score: work.procedure == .oge ? primary : nil, primaryScore: primary)
        }
    }

    static func gaussian(_ random: inout SeededRandom) -> Double {
        let u1 = max(1e-12, random.double(0...1)), u2 = random.double(0...1)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    public static let scoresHeader = "year,procedure,grade,subject,school,student,class,variant,primary_score,score,mark,term_mark"

    public static func csvLine(_ record: ScoreRecord) -> String {
        func number(_ value: Double?) -> String { value.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "" }
        let r = record.result
        return
            "\(record.work.year),\(record.work.procedure.rawValue),\(record.work.grade),\(record.work.subject),\(record.school)," +
            "\(record.student),\(record.className ?? ""),\(record.variant ?? ""),\(number(r.primaryScore)),\(number(r.score))," +
            "\(r.mark.map(String.init) ?? ""),\(r.termMark.map(String.init) ?? "")"
    }
}

extension String {
    /// FNV-1a: a hash that is the same in every process (Swift's `hashValue` is randomised per run).
    public var hashValueStable: UInt64 {
        unicodeScalars.reduce(14695981039346656037) { ($0 ^ UInt64($1.value)) &* 1099511628211 }
    }
}
