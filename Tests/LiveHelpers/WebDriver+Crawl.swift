import Foundation

extension WebDriver {
    /// How long a script given to `execute` may run (WebDriver's «script» timeout, 30 s unless set): a script that walks
    /// a role's pages with `fetch` returns a promise the driver waits for.
    public func setScriptTimeout(seconds: Int) async throws {
        try await command("POST", "/timeouts", ["script": seconds * 1000])
    }

    /// Closes a JavaScript dialog (`confirm`, `alert`) if one is open; whether there was one.
    @discardableResult
    public func dismissDialog() async -> Bool {
        do {
            try await command("POST", "/alert/dismiss", [:])
            return true
        } catch {
            return false
        }
    }
}
