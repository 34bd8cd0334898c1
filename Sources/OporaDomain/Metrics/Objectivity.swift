/// Signals that marks may not be objective (GUIDE §4, FIOKO's ВПР recommendations): a signal to look
/// closer, never a verdict. One rule for every page that shows them.
public enum ObjectivitySignal: Sendable, Hashable {
    /// ВПР confirms the journal mark for fewer than half of the works compared.
    case fewConfirmed(rate: Double)
    /// The ВПР success rate exceeds the ОГЭ one by this many percentage points or more.
    case vprAboveOGE(points: Double)
    /// Too few works compared for a rate to mean much.
    case fewCompared

    public static let minimumConfirmedRate = 50.0
    public static let vprAboveOGEPoints = 15.0

    public static func signals(confirmedRate: Double?, compared: Int, vprSuccess: Double?, ogeSuccess: Double?,
                               minimumGroup: Int = Metrics.defaultMinimumGroup) -> [ObjectivitySignal] {
        var found: [ObjectivitySignal] = []
        if let confirmedRate, confirmedRate < minimumConfirmedRate { found.append(.fewConfirmed(rate: confirmedRate)) }
        if let vprSuccess, let ogeSuccess, vprSuccess - ogeSuccess >= vprAboveOGEPoints {
            found.append(.vprAboveOGE(points: vprSuccess - ogeSuccess))
        }
        if compared < minimumGroup { found.append(.fewCompared) }
        return found
    }

    public var russianName: String {
        switch self {
        case .fewConfirmed: "подтверждено меньше половины"
        case .vprAboveOGE(let points): "ВПР выше ОГЭ на \(RussianFormat.number(points, digits: 0)) п.п."
        case .fewCompared: "мало работ"
        }
    }
}
