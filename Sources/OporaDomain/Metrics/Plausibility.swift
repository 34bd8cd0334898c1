/// Checks that catch numbers no count can produce — the kind of error seed 000 prints (0 % success, 100 % quality).
public enum Plausibility {
    /// Problems with a counts row, as (column, message). Every one is an error: such a row cannot be true.
    public static func problems(in counts: ResultCounts) -> [(column: String, message: String)] {
        var found: [(String, String)] = []
        let n = counts.participants
        if counts.markTotal > n {
            found.append(("m2", "сумма отметок «2»–«5» (\(counts.markTotal)) больше числа участников (\(n))"))
        }
        if let below = counts.belowMin, below > n {
            found.append(("below_min", "не преодолели порог \(below) — больше, чем участников (\(n))"))
        }
        if let high = counts.high, high > n {
            found.append(("high", "высокобалльников \(high) — больше, чем участников (\(n))"))
        }
        if counts.objectivityTotal > n {
            found.append(("confirmed", "понизили + подтвердили + повысили (\(counts.objectivityTotal)) больше числа участников (\(n))"))
        }
        return found
    }

    /// Problems with printed rates (benchmarks): quality above success, and rates no whole count of N can give.
    public static func problems(
        successRate: Double?, qualityRate: Double?, participants: Int?, decimals: Int = 1
    ) -> [(column: String, message: String)] {
        var found: [(String, String)] = []
        if let success = successRate, let quality = qualityRate, quality > success + 1e-9 {
            found.append(
                (
                    "quality_rate",
                    "качество \(RussianFormat.number(quality)) % выше успеваемости \(RussianFormat.number(success)) % — так не бывает: " +
                    "каждый с «4» и «5» успевает"
                ))
        }
        if let n = participants, n > 0 {
            for (column, rate) in [("success_rate", successRate), ("quality_rate", qualityRate)] {
                guard let rate else { continue }
                if count(forRate: rate, of: n) == nil {
                    found.append(
                        (column, "\(RussianFormat.number(rate, digits: 2)) % не получается ни из какого целого числа учеников из \(n)"))
                }
            }
        }
        return found
    }

    /// The whole number k of n whose share matches a printed rate, allowing for the rounding of print
    /// (to whole percent or to 0,1); nil when there is none.
    public static func count(forRate rate: Double, of n: Int) -> Int? {
        guard n > 0, rate.isFinite else { return nil }
        let printedDecimals = rate == rate.rounded() ? 0 : 1
        var scale = 1.0
        for _ in 0..<printedDecimals { scale *= 10 }
        func matches(_ k: Int) -> Bool {
            let share = Double(k) / Double(n) * 100
            // Printed values are rounded, truncated or rounded to whole percent in the seeds: accept any of these.
            let candidates = [(share * scale).rounded() / scale, (share * scale).rounded(.down) / scale, share.rounded()]
            return candidates.contains(where: { abs($0 - rate) < 1e-6 })
        }
        // Each way of printing accepts shares in an interval; the first whole count in each interval (and its
        // neighbours, against floating error) is checked — constant work, whatever N is (it can be millions).
        let intervals = [(rate - 0.5 / scale, rate + 0.5 / scale), (rate, rate + 1 / scale), (rate - 0.5, rate + 0.5)]
        var found: Int? = nil
        for (low, _) in intervals {
            let first = Int((max(0, low) * Double(n) / 100).rounded(.up))
            for k in (first - 1)...(first + 1) where (0...n).contains(k) && matches(k) {
                found = min(found ?? k, k)
            }
        }
        return found
    }
}
