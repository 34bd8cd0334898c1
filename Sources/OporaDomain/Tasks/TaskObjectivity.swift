/// Signs of non-objective marking read from task-level results (docs/TASKS.md gives the method).
public struct TaskMarker: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Many more pupils exactly at a mark's lowest score than at the scores beside it.
        case boundaryExcess = "boundary_excess"
        /// Marks that are not what the work's scale gives for the primary score.
        case marksOffScale = "marks_off_scale"
        /// Hard (advanced) tasks done far better than the region while easy (basic) ones are ordinary.
        case hardAboveEasy = "hard_above_easy"

        public var russianName: String {
            switch self {
            case .boundaryExcess: "Пик на границе отметки"
            case .marksOffScale: "Отметки не по шкале перевода"
            case .hardAboveEasy: "Сложные задания выполнены лучше региона при обычных результатах по базовым"
            }
        }
    }

    public var kind: Kind
    public var work: WorkKey
    /// The figures behind the marker, by name (documented in docs/TASKS.md for each kind).
    public var figures: [String: Double]
    /// One Russian sentence with the figures, for the pages and documents.
    public var explanation: String
}

public enum TaskObjectivity {
    /// Boundary: the count at the boundary at least this many times the neighbours' mean…
    public static let boundaryRatio = 2.0
    /// …with at least this many pupils at the boundary…
    public static let boundaryMinimumPupils = 3
    /// …and the excess at least this many pupils and this share of the participants.
    public static let boundaryMinimumExcess = 3.0
    public static let boundaryMinimumShare = 0.05
    /// Marks off the scale: flagged from this share of the marked pupils.
    public static let offScaleShare = 0.05
    /// Hard above easy: advanced tasks at least this many points above the region's…
    public static let advancedGap = 15.0
    /// …while basic tasks are less than this many points above it.
    public static let basicGap = 5.0

    /// Every marker of one work for one school (or any scope): `report` gives the per-task figures against the region,
    /// `tally` the pupils by mark and score, `scale` the work's mark scale (markers that need it are skipped without it).
    public static func markers(report: TaskReport, tally: TaskTally?, scale: MarkScale?) -> [TaskMarker] {
        guard !report.small else { return [] }
        var markers: [TaskMarker] = []
        if let scale {
            markers += boundaryExcess(histogram: report.histogram, scale: scale, work: report.work)
            if let tally, let offScale = marksOffScale(tally: tally, scale: scale) { markers.append(offScale) }
        }
        if let hard = hardAboveEasy(report) { markers.append(hard) }
        return markers
    }

    /// At each boundary b (the lowest score of «3», «4», «5»): expected = the mean of the counts at b − 2, b − 1, b + 1
    /// and b + 2 (those inside the histogram); flagged when count(b) ≥ 3, count(b) ≥ 2 × expected and count(b) − expected
    /// ≥ 3 pupils and ≥ 5 % of the participants (so that a class of twenty is not flagged for one pupil's luck).
    public static func boundaryExcess(histogram: [Int], scale: MarkScale, work: WorkKey) -> [TaskMarker] {
        let participants = histogram.reduce(0, +)
        guard participants > 0 else { return [] }
        var markers: [TaskMarker] = []
        for (mark, boundary) in scale.boundaries where boundary >= 0 && boundary < histogram.count {
            let neighbours = [boundary - 2, boundary - 1, boundary + 1, boundary + 2].filter { histogram.indices.contains($0) }
                .map { histogram[$0] }
            guard !neighbours.isEmpty else { continue }
            let atBoundary = histogram[boundary]
            let expected = Double(neighbours.reduce(0, +)) / Double(neighbours.count)
            let excess = Double(atBoundary) - expected
            guard atBoundary >= boundaryMinimumPupils, Double(atBoundary) >= boundaryRatio * expected,
                  excess >= max(boundaryMinimumExcess, boundaryMinimumShare * Double(participants)) else { continue }
            let text = "На границе отметки «\(mark)» (\(boundary) \(RussianFormat.plural(boundary, "балл", "балла", "баллов"))) — "
                + "\(atBoundary) из \(participants) участников, у соседних баллов в среднем \(RussianFormat.number(expected, digits: 1)): "
                + "лишних около \(RussianFormat.number(excess, digits: 1))."
            markers.append(TaskMarker(kind: .boundaryExcess, work: work, figures: [
                "mark": Double(mark), "boundary": Double(boundary), "at_boundary": Double(atBoundary),
                "expected": expected, "excess": excess, "participants": Double(participants),
            ], explanation: text))
        }
        return markers
    }

    /// Pupils whose mark is not the scale's mark for their primary score; flagged from 5 % of the marked pupils.
    public static func marksOffScale(tally: TaskTally, scale: MarkScale) -> TaskMarker? {
        var marked = 0, raised = 0, lowered = 0
        for slot in 1...4 {
            let mark = slot + 1
            for (score, count) in tally.byMark[slot].enumerated() where count > 0 {
                marked += count
                let due = scale.mark(forPrimary: score)
                if mark > due { raised += count } else if mark < due { lowered += count }
            }
        }
        let off = raised + lowered
        guard marked > 0, off > 0, Double(off) >= offScaleShare * Double(marked) else { return nil }
        let share = Double(off) / Double(marked) * 100
        let text = "У \(off) из \(marked) участников отметка не соответствует шкале перевода "
            + "(\(RussianFormat.number(share, digits: 1)) %): "
            + "выше шкалы — \(raised), ниже — \(lowered)."
        return TaskMarker(kind: .marksOffScale, work: tally.work, figures: [
            "off_scale": Double(off), "marked": Double(marked), "raised": Double(raised), "lowered": Double(lowered), "share": share,
        ], explanation: text)
    }

    /// Completion of advanced and of basic tasks (points over possible, pooled) against the region's (its
    /// `task_benchmarks`, else the region's pupils Opora holds; tasks with neither are left out, the region's
    /// side weighted by maximum points): flagged when advanced is ≥ 15 points above the region's and basic < 5 above.
    public static func hardAboveEasy(_ report: TaskReport) -> TaskMarker? {
        func pooled(_ level: TaskLevel) -> (scope: Double, region: Double)? {
            var points = 0, possible = 0, regionWeighted = 0.0, weight = 0
            for line in report.tasks where line.level == level {
                guard let region = line.region ?? line.regionHeld, line.possible > 0 else { continue }
                points += line.points
                possible += line.possible
                regionWeighted += region * Double(line.maxPoints)
                weight += line.maxPoints
            }
            guard possible > 0, weight > 0 else { return nil }
            return (Double(points) / Double(possible) * 100, regionWeighted / Double(weight))
        }
        guard let advanced = pooled(.advanced), let basic = pooled(.basic) else { return nil }
        let advancedAbove = advanced.scope - advanced.region, basicAbove = basic.scope - basic.region
        guard advancedAbove >= advancedGap, basicAbove < basicGap else { return nil }
        func number(_ value: Double) -> String { RussianFormat.number(value, digits: 1) }
        let text = "Задания повышенного уровня выполнены на \(number(advanced.scope)) % при \(number(advanced.region)) % по региону, "
            + "а базовые — на \(number(basic.scope)) % при \(number(basic.region)) % по региону."
        return TaskMarker(kind: .hardAboveEasy, work: report.work, figures: [
            "advanced": advanced.scope, "advanced_region": advanced.region, "basic": basic.scope, "basic_region": basic.region,
        ], explanation: text)
    }
}
