import XCTest
@testable import OporaDomain

final class MarkupEscapeTests: XCTestCase {
    func testHTMLEscapesTheFiveCharactersAndKeepsTheRest() {
        let cases: [(String, String)] = [
            ("Школа № 5", "Школа № 5"),
            (#"<script>alert("x")</script>"#, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
            ("Tom & Jerry's", "Tom &amp; Jerry&#39;s"),
            ("строка\nвторая", "строка\nвторая"),
            ("", ""),
        ]
        for (text, escaped) in cases { XCTAssertEqual(MarkupEscape.html(text), escaped, text) }
    }

    func testXMLDropsWhatXMLForbidsAndWordRunsAreOneLine() {
        let cases: [(text: String, singleLine: Bool, escaped: String)] = [
            ("a & b < c", false, "a &amp; b &lt; c"),
            ("звонок\u{07}", false, "звонок"),
            ("\u{FFFE}текст\u{FFFF}", false, "текст"),
            ("таб\tи\nстрока\r", false, "таб\tи\nстрока\r"),
            ("таб\tи\nстрока\r", true, "таб истрока"),
            ("«кавычки» и 'апостроф'", false, "«кавычки» и 'апостроф'"),
        ]
        for c in cases { XCTAssertEqual(MarkupEscape.xml(c.text, singleLine: c.singleLine), c.escaped, c.text) }
    }
}
