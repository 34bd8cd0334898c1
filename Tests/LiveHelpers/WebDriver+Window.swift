import Foundation

extension WebDriver {
    /// Sets the window's size (WebDriver «Set Window Rect»), to see a page as a phone or a laptop shows it.
    public func resize(width: Int, height: Int) async throws {
        try await command("POST", "/window/rect", ["width": width, "height": height])
    }
}
