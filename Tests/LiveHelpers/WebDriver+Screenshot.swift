import Foundation

extension WebDriver {
    /// The visible window as PNG, written to `path` (to look at a page as a person sees it).
    public func screenshot(to path: String) async throws {
        guard let encoded = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "no screenshot")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
