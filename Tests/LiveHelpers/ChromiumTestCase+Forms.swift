import Foundation
import XCTest

/// Filling in and reading back a form as a user leaves it, and checking a refused field's reason — shared by the
/// browser tests of the forms (issue 24).
extension ChromiumTestCase {
    /// Sets the field `selector` as a user would have left it: a select chosen (with its change event), a text typed.
    public func fill(_ selector: String, _ value: String) async throws {
        let tag = try await browser.execute("return document.querySelector(\"\(selector)\").tagName;") as? String
        if tag == "SELECT" {
            _ = try await browser.execute("""
                const s = document.querySelector("\(selector)"); s.value = '\(value)';
                s.dispatchEvent(new Event('change', {bubbles: true}));
                """)
        } else {
            try await browser.type(selector, value)
        }
    }

    /// The current value of the field `selector` (what the page holds now, not its HTML attribute).
    public func filled(_ selector: String) async throws -> String {
        (try await browser.execute("return document.querySelector(\"\(selector)\").value;") as? String) ?? ""
    }

    /// The reason beside `input` is shown, says `text`, and lies inside the window (no sideways scroll needed).
    public func assertNote(_ input: String, _ text: String, width: Int, file: StaticString = #filePath,
                           line: UInt = #line) async throws {
        let found = try await browser.execute("""
            const n = document.getElementById('\(input)-note'); if (!n) return null;
            const r = n.getBoundingClientRect();
            return {text: n.textContent, inside: r.width > 0 && r.left >= -1 && r.right <= window.innerWidth + 1,
                    page: document.documentElement.scrollWidth <= window.innerWidth + 1};
            """) as? [String: Any]
        XCTAssertEqual(found?["text"] as? String, text, "the reason beside «\(input)»", file: file, line: line)
        XCTAssertEqual(found?["inside"] as? Bool, true, "the reason is visible at \(width) px", file: file, line: line)
        XCTAssertEqual(found?["page"] as? Bool, true, "the page does not scroll sideways at \(width) px", file: file, line: line)
    }
}
