/// One problem found in an interchange file, printed as `FILE:LINE: column: message`.
public struct ImportIssue: Error, Sendable, Hashable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public let file: String
    public let line: Int
    public let column: String
    public let message: String
    public let severity: Severity

    public init(file: String, line: Int, column: String, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    public var description: String {
        let prefix = severity == .warning ? "предупреждение: " : ""
        return "\(file):\(line): \(column): \(prefix)\(message)"
    }
}

/// Thrown when a file cannot be imported; carries every error (and the warnings) found.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public let issues: [ImportIssue]
    /// How many errors were found in total, even if `issues` was cut at the reporting limit.
    public let errorCount: Int

    public init(issues: [ImportIssue], errorCount: Int? = nil) {
        self.issues = issues
        self.errorCount = errorCount ?? issues.filter { $0.severity == .error }.count
    }

    public var errors: [ImportIssue] { issues.filter { $0.severity == .error } }

    public var description: String {
        var lines = issues.map(\.description)
        let shown = errors.count
        if errorCount > shown { lines.append("… и ещё ошибок: \(errorCount - shown)") }
        lines.append("Файл не загружен: ошибок \(errorCount). Ничего не изменено.")
        return lines.joined(separator: "\n")
    }
}

/// Collects issues while a file is checked, keeping at most `limit` errors for the report.
public struct IssueCollector: Sendable {
    public let file: String
    public let limit: Int
    public private(set) var issues: [ImportIssue] = []
    public private(set) var errorCount = 0

    public init(file: String, limit: Int = 200) {
        self.file = file
        self.limit = limit
    }

    public mutating func error(line: Int, column: String, _ message: String) {
        errorCount += 1
        if errorCount <= limit { issues.append(ImportIssue(file: file, line: line, column: column, message: message)) }
    }

    public mutating func warning(line: Int, column: String, _ message: String) {
        if issues.count < limit * 2 {
            issues.append(ImportIssue(file: file, line: line, column: column, message: message, severity: .warning))
        }
    }

    /// Takes in the problems another collector found (in a part of the same file), keeping line order and the limit.
    public mutating func absorb(_ other: IssueCollector) {
        guard !other.issues.isEmpty || other.errorCount > 0 else { return }
        let all = (issues + other.issues).enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        var errors = 0, warnings = 0
        issues = all.filter { issue in
            if issue.severity == .warning { warnings += 1; return warnings <= limit }
            errors += 1
            return errors <= limit
        }
        errorCount += other.errorCount
    }

    public var hasErrors: Bool { errorCount > 0 }
    public var warnings: [ImportIssue] { issues.filter { $0.severity == .warning } }

    /// Throws the collected errors, if any.
    public func throwIfFailed() throws {
        if hasErrors { throw ImportRejected(issues: issues, errorCount: errorCount) }
    }
}
