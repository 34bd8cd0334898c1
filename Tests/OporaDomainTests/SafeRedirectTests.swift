import OporaDomain
import XCTest

/// Every Referer or `next` a hostile page can make a browser send: none of them may lead off the site.
final class SafeRedirectTests: XCTestCase {
    static let hostileReferers: [String] = [
        "https://evil.example//evil.example/x",
        "http://evil.example//evil.example",
        "https://opora.local//evil.example/x",
        "https://opora.local/\\evil.example",
        "https://opora.local/\\\\evil.example/x",
        "https://opora.local\\\\evil.example",
        "https://opora.local/\t/evil.example",
        "https://opora.local/\n/evil.example",
        "https://opora.local/\r\n/evil.example",
        "https://opora.local/ /evil.example",
        "https://opora.local/\u{0}/evil.example",
        "https://opora.local/\u{7F}/evil.example",
        "https://opora.local/\u{85}/evil.example",
        "https://opora.local/\u{2028}/evil.example",
        "https://opora.local/\u{3000}/evil.example",
        "https://user@evil.example/x",
        "https://opora.local@evil.example//x",
        "//evil.example",
        "//evil.example/support",
        "///evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "javascript:alert(1)",
        "JavaScript://%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example/x",
        "ftp://evil.example/x",
        "https:evil.example",
        "https:/\\evil.example",
        "/" + String(repeating: "a", count: 2_100),
        "",
    ]

    func testNoHostileRefererLeavesTheSite() {
        XCTAssertEqual(Self.hostileReferers.count, 36)
        for referer in Self.hostileReferers {
            let path = SafeRedirect.referringPath(referer)
            XCTAssertNil(path, "«\(referer.debugDescription)» → \(path ?? "nil")")
            XCTAssertNil(SafeRedirect.path(referer), "next «\(referer.debugDescription)»")
        }
    }

    func testOwnPagesAreKept() {
        let cases: [(String, String)] = [
            ("https://opora.local/support?year=2024", "/support?year=2024"),
            ("http://127.0.0.1:8080/schools/12/support#visits", "/schools/12/support"),
            ("https://opora.local", "/"),
            ("https://opora.local?year=2024", "/?year=2024"),
            ("/support/mine", "/support/mine"),
            ("/schools/3/support?from=%2F%2Fx", "/schools/3/support?from=%2F%2Fx"),
        ]
        for (referer, expected) in cases { XCTAssertEqual(SafeRedirect.referringPath(referer), expected, referer) }
        XCTAssertEqual(SafeRedirect.path("/"), "/")
        XCTAssertEqual(SafeRedirect.path("/plans/4?tab=roadmap"), "/plans/4?tab=roadmap")
        XCTAssertNil(SafeRedirect.path(nil))
    }
}
