import OporaDomain

/// A file handed to an import: CSV (any supported encoding and delimiter) or XLSX (first or named sheet).
public enum TabularInput {
    public static func table(_ bytes: [UInt8], fileName: String, sheet: String? = nil) throws -> DelimitedTable {
        guard XLSX.isXLSX(bytes) else { return DelimitedTextReader.read(bytes) }
        do {
            return try XLSX.read(bytes, sheet: sheet)
        } catch let error as XLSXError {
            throw ImportRejected(issues: [ImportIssue(file: fileName, line: 1, column: "—", message: error.description)])
        }
    }

    /// CSV bytes for the streaming parsers: the file itself, or the spreadsheet's sheet rendered as CSV.
    public static func csvBytes(_ bytes: [UInt8], fileName: String, sheet: String? = nil) throws -> [UInt8] {
        XLSX.isXLSX(bytes) ? try table(bytes, fileName: fileName, sheet: sheet).csvBytes() : bytes
    }
}
