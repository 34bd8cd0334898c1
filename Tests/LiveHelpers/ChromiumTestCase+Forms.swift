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
        try await browser.assertNote(input, text, width: width, file: file, line: line)
    }
}
