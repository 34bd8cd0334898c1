import Foundation

extension WebDriver {
    /// Sets the window's size (WebDriver «Set Window Rect»), to see a page as a phone or a laptop shows it.
    public func resize(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Runs a script in the page and returns its value (numbers as Double, booleans as Bool).
    public func execute(_ script: String) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": [Any]()])
    }
}
