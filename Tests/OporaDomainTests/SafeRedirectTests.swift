import OporaDomain
import XCTest

/// Every return address (`next`) a hostile page can make a browser send: none of them may lead off the site.
final class SafeRedirectTests: XCTestCase {
    static let hostileAddresses: [String] = [
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

    func testNoHostileAddressLeavesTheSite() {
        XCTAssertEqual(Self.hostileAddresses.count, 36)
        for address in Self.hostileAddresses {
            XCTAssertNil(SafeRedirect.path(address), "«\(address.debugDescription)»")
        }
    }

    func testOwnPagesAreKept() {
        for own in ["/support/mine", "/schools/3/support?from=%2F%2Fx", "/support?year=2024"] {
            XCTAssertEqual(SafeRedirect.path(own), own)
        }
        XCTAssertEqual(SafeRedirect.path("/"), "/")
        XCTAssertEqual(SafeRedirect.path("/plans/4?tab=roadmap"), "/plans/4?tab=roadmap")
        XCTAssertNil(SafeRedirect.path(nil))
    }
}
