/// Spreadsheet formula injection: a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
/// may be run as a formula when the file is opened in Excel. Every CSV Opora writes protects such cells with
/// a leading apostrophe, and every CSV Opora reads takes that apostrophe off again, so an exported table
/// imports back unchanged.
///
/// The two rules are exact inverses: `unprotect(protect(x)) == x` for every text, including texts that
/// themselves start with apostrophes, and a plain number such as «-5,3» is left alone both ways.
public enum FormulaGuard {
    static func isTrigger(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "=" || scalar == "+" || scalar == "-" || scalar == "@" || scalar == "\t" || scalar == "\r"
    }

    /// Would a spreadsheet read this text as a formula (ignoring apostrophes in front)?
    static func needsProtection(_ text: Substring.UnicodeScalarView) -> Bool {
        guard let first = text.first(where: { $0 != "'" }), isTrigger(first) else { return false }
        // Numbers («-5», «+3,2») are read as numbers, not formulas: they keep their value in Excel.
        if text.first != "'", NumberParsing.decimal(String(String.UnicodeScalarView(text))) != nil { return false }
        return true
    }

    public static func protect(_ text: String) -> String {
        needsProtection(Substring(text).unicodeScalars) ? "'" + text : text
    }

    public static func unprotect(_ text: String) -> String {
        guard text.utf8.first == UInt8(ascii: "'") else { return text }
        let rest = Substring(text).unicodeScalars.dropFirst()
        return needsProtection(rest) ? String(String.UnicodeScalarView(rest)) : text
    }
}
