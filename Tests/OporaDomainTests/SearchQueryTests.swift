import XCTest
@testable import OporaDomain

final class SearchQueryTests: XCTestCase {
    func testEveryWordMustOccurWhateverTheCaseAndTheLetterYo() {
        let cases: [(query: String, texts: [String], matches: Bool)] = [
            ("сош 5 берёз", ["Берёзовская СОШ № 5"], true),
            ("березовская", ["Берёзовская СОШ № 5"], true),
            ("БЕРЁЗОВСКАЯ", ["Березовская СОШ"], true),
            ("гимназия 7", ["Гимназия № 5"], false),
            ("KR015", ["Берёзовская СОШ", "KR015"], true),
            ("«Точка роста»", ["Открытие центра «Точка роста»"], true),
            ("   ", ["что угодно"], false),
            ("кадры", [], false),
        ]
        for c in cases {
            XCTAssertEqual(SearchQuery(c.query).matches(c.texts), c.matches, "\(c.query) in \(c.texts)")
        }
    }

    func testAQueryNeedsTwoCharacters() {
        XCTAssertTrue(SearchQuery("а").isTooShort)
        XCTAssertTrue(SearchQuery("  № ").isTooShort)
        XCTAssertFalse(SearchQuery("аб").isTooShort)
    }
}
