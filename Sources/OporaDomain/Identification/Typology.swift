/// Seed 004's typology: social-wellbeing index group (ИСБШ, 1–11) × quality group (1–11) → five types.
public enum SchoolType: String, CaseIterable, Sendable, Codable {
    case unfavourable, resilient, failing, conditionallyFavourable = "conditionally_favourable", favourable

    public var russianName: String {
        switch self {
        case .unfavourable: "неблагополучные"
        case .resilient: "резильентные"
        case .failing: "несправляющиеся"
        case .conditionallyFavourable: "условно благополучные"
        case .favourable: "благополучные"
        }
    }

    /// The colours the seed marks the types with.
    public var colour: String {
        switch self {
        case .unfavourable: "#e6b800"
        case .resilient: "#3a8fd6"
        case .failing: "#c0392b"
        case .conditionallyFavourable: "#8a97a6"
        case .favourable: "#2e8b57"
        }
    }
}

public struct TypologyRule: Sendable, Hashable, Codable {
    /// ИСБШ groups up to this are "low social wellbeing" (seed 004: 1–4).
    public var lowSocialMax: Int
    /// Quality groups up to this are "low quality" (seed 004: ≤ 5).
    public var lowQualityMax: Int
    /// Favourable: ИСБШ at least this and quality at least `favourableQualityMin` (seed 004: 8 and 7).
    public var favourableSocialMin: Int
    public var favourableQualityMin: Int

    enum CodingKeys: String, CodingKey {
        case lowSocialMax = "low_social_max", lowQualityMax = "low_quality_max"
        case favourableSocialMin = "favourable_social_min", favourableQualityMin = "favourable_quality_min"
    }

    public static let pervouralsk = TypologyRule(lowSocialMax: 4, lowQualityMax: 5, favourableSocialMin: 8, favourableQualityMin: 7)

    public init(lowSocialMax: Int, lowQualityMax: Int, favourableSocialMin: Int, favourableQualityMin: Int) {
        self.lowSocialMax = lowSocialMax
        self.lowQualityMax = lowQualityMax
        self.favourableSocialMin = favourableSocialMin
        self.favourableQualityMin = favourableQualityMin
    }

    public func type(isbsGroup: Int, qualityGroup: Int) -> SchoolType {
        let lowSocial = isbsGroup <= lowSocialMax, lowQuality = qualityGroup <= lowQualityMax
        switch (lowSocial, lowQuality) {
        case (true, true): return .unfavourable
        case (true, false): return .resilient
        case (false, true): return .failing
        default:
            return isbsGroup >= favourableSocialMin && qualityGroup >= favourableQualityMin ? .favourable : .conditionallyFavourable
        }
    }
}
