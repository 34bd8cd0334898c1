/// Where a page may send the browser after a form: only a path of this site. A browser reads `//host/x`,
/// `/\host/x` and `\\host` as another site, drops tabs and line breaks inside an address and treats `\` as `/`,
/// so anything but a plain path that starts with one `/` is refused and the caller's fallback is used.
public enum SafeRedirect {
    public static let maximumLength = 2_000

    /// `text` when it is a path of this site (with its query); nil otherwise.
    public static func path(_ text: String?) -> String? {
        guard let text, text.utf8.count <= maximumLength, text.hasPrefix("/") else { return nil }
        let scalars = Array(text.unicodeScalars)
        if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return nil }
        // Printable ASCII only (a browser sends a path percent-encoded): no control characters, no spaces, no
        // backslashes, nothing a browser might silently drop or turn into a slash.
        guard scalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }) else { return nil }
        return text
    }
}
