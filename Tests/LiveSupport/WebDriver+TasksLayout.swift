import Foundation

extension WebDriver {
    /// Resizes the browser window (a phone's 390 px, a desktop's 1280 px) — WebDriver's «Set Window Rect».
    public func resizeWindow(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Runs a script in the page and answers its value (numbers as Double, text as String).
    public func evaluate(_ script: String) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": [] as [Any]])
    }
}
