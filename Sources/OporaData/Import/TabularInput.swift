import Foundation
import OporaDomain

/// A file handed to an import: CSV (any supported encoding and delimiter) or XLSX (first or named sheet).
public enum TabularInput {
    public static func table(
        _ bytes: [UInt8], fileName: String, sheet: String? = nil, limits: ImportLimits = .standard
    ) throws -> DelimitedTable {
        guard XLSX.isXLSX(bytes) else { return try DelimitedTextReader.read(bytes, file: fileName, limits: limits) }
        do {
            return try XLSX.read(bytes, sheet: sheet, limits: limits)
        } catch let error as XLSXError {
            let line: Int
            if case .limit(let at, _) = error { line = at } else { line = 1 }
            throw ImportRejected(issues: [ImportIssue(file: fileName, line: line, column: "—", message: error.description)])
        }
    }

    /// The rows for a parser that reads them one at a time: a CSV is streamed, a spreadsheet read whole.
    public static func rows(_ bytes: [UInt8], fileName: String, sheet: String? = nil, limits: ImportLimits = .standard) throws
        -> any DelimitedRows {
        guard XLSX.isXLSX(bytes) else { return try DelimitedTextReader.stream(bytes, file: fileName, limits: limits) }
        return try table(bytes, fileName: fileName, sheet: sheet, limits: limits)
    }

    /// CSV bytes for the streaming parsers: the file itself, or the spreadsheet's sheet rendered as CSV.
    public static func csvBytes(
        _ bytes: [UInt8], fileName: String, sheet: String? = nil, limits: ImportLimits = .standard
    ) throws -> [UInt8] {
        XLSX.isXLSX(bytes) ? try table(bytes, fileName: fileName, sheet: sheet, limits: limits).csvBytes() : bytes
    }
}

/// Reads a whole file straight into bytes: one buffer, no `Data` in between (an import file can be 100 MB).
public enum FileBytes {
    public static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(status.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let count = Foundation.read(descriptor, buffer.baseAddress! + done, size - done)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                done += count
            }
            failed = done != size
            initialized = done
        }
        return failed ? nil : bytes
    }
}
