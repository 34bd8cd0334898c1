public enum Settlement: String, CaseIterable, Sendable, Codable {
    case urban, rural

    public var russianName: String { self == .urban ? "городская" : "сельская" }

    public init?(parsing text: String) {
        switch HeaderKey.normalize(text) {
        case "urban", "городская", "город", "г": self = .urban
        case "rural", "сельская", "село", "с": self = .rural
        default: return nil
        }
    }
}
