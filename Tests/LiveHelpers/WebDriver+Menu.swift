import Foundation

extension WebDriver {
    /// Presses keys on an element as a keyboard user does (WebDriver «Element Send Keys» focuses it first);
    /// `WebDriver.enter` is the Enter key.
    public func press(_ selector: String, _ keys: String) async throws {
        try await command("POST", "/element/\(try await element(selector))/value", ["text": keys])
    }

    public static let enter = "\u{E007}"
    public static let escape = "\u{E00C}"

    /// Follows a link of the grouped menu as a user does: «Меню» on a phone, then the link's group, then the link.
    public func follow(menuLink href: String) async throws {
        let folded = try await execute("return getComputedStyle(document.getElementById('main-menu')).display === 'none';") as? Bool
        if folded == true { try await click(".menu-toggle") }
        let closed = try await execute("""
            const link = document.querySelector("#main-menu a[href='\(href)']");
            const group = link && link.closest('details');
            return group ? !group.open : false;
            """) as? Bool
        if closed == true { try await click("#main-menu details:has(a[href='\(href)']) > summary") }
        try await click("#main-menu a[href='\(href)']")
    }

    /// The page as printed: WebDriver's «Print Page» (`POST /session/{id}/print`), an A4 PDF's bytes.
    public func printPDF() async throws -> Data {
        let encoded = try await command("POST", "/print", ["orientation": "portrait", "background": false]) as? String
        guard let encoded, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "«Print Page» returned no PDF")
        }
        return data
    }
}
