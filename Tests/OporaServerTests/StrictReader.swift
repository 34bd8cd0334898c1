import Foundation
import XCTest

/// LibreOffice forgives what Excel refuses (a «:» in a sheet name, a broken relationship), so every file the office
/// tests open is also opened by the strict Python readers, openpyxl and python-docx, with Excel's own naming rules on
/// top; any refusal fails the test. `.ci/run` installs both; locally they are required when LibreOffice is.
enum StrictReader {
    static let script = #"""
    import re, sys, zipfile
    failures = []
    for path in sys.argv[1:]:
        try:
            if path.endswith(".xlsx"):
                import openpyxl
                book = openpyxl.load_workbook(path)
                for name in book.sheetnames:
                    if len(name) > 31 or re.search(r"[:\\/?*\[\]]", name) or name.startswith("'") or name.endswith("'"):
                        failures.append(f"{path}: sheet name Excel refuses: {name!r}")
                for sheet in book.worksheets:
                    sheet.calculate_dimension()
            elif path.endswith(".docx"):
                import docx
                document = docx.Document(path)
                for table in document.tables:
                    for row in table.rows:
                        [cell.text for cell in row.cells]
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()
                if bad:
                    failures.append(f"{path}: damaged part {bad}")
        except Exception as error:
            failures.append(f"{path}: {type(error).__name__}: {error}")
    print("\n".join(failures))
    sys.exit(1 if failures else 0)
    """#

    /// Opens each XLSX and DOCX of `files` strictly; other files are left alone.
    static func open(_ files: [URL], file: StaticString = #filePath, line: UInt = #line) throws {
        let office = files.filter { ["xlsx", "docx"].contains($0.pathExtension.lowercased()) }
        guard !office.isEmpty else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + office.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if log.contains("No module named") {
            XCTFail("openpyxl and python-docx are needed (python3 -m pip install openpyxl python-docx): \(log)", file: file, line: line)
            return
        }
        XCTAssertEqual(process.terminationStatus, 0, "a strict reader refused: \(log)", file: file, line: line)
    }
}
