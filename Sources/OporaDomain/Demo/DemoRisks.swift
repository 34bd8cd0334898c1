/// Risk profiles for the demo's schools on the list (and for generated regions): the factors rated as in the seed programme's tables,
/// the earlier year a little worse on some factors, so a profile's history shows what changed.
public enum DemoRisks {
    public static func ratings(schools: [String], years: [Int], factors: ClosedRange<Int> = 1...10, seed: UInt64 = 500) -> [RiskRating] {
        var ratings: [RiskRating] = []
        for school in schools {
            var random = SeededRandom(seed: seed &+ UInt64(school.unicodeScalars.reduce(11) { $0 &* 31 &+ UInt64($1.value) }))
            var levels: [Int: RiskLevel] = [:]
            for factor in factors {
                let roll = random.double(0...1)
                levels[factor] = roll < 0.3 ? .high : roll < 0.6 ? .medium : roll < 0.92 ? .low : .notRelevant
            }
            for (index, year) in years.sorted().reversed().enumerated() {
                if index > 0 {
                    // A year earlier: one or two factors that have since improved.
                    for factor in [random.int(factors), random.int(factors)] where levels[factor] == .medium || levels[factor] == .low {
                        levels[factor] = levels[factor] == .low ? .medium : .high
                    }
                }
                for factor in factors {
                    let source = factor == 6 || factor == 7 ? "статистика школы" : "анкета «500+»"
                    ratings.append(RiskRating(year: year, school: school, factor: factor, level: levels[factor]!, source: source))
                }
            }
        }
        return ratings
    }
}
