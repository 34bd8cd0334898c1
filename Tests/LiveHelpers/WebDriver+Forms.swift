import Foundation
import XCTest

extension WebDriver {
    /// The reason beside a refused form's `input` (its `<input>-note`) is shown, says `text`, and lies inside the
    /// window, the page not scrolling sideways (issue 24, «Forms»).
    public func assertNote(_ input: String, _ text: String, width: Int, file: StaticString = #filePath, line: UInt = #line)
        async throws {
        let found = try await execute("""
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
