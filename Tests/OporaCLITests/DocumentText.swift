import Foundation
import XCTest
import ZIPFoundation

/// The words of a Word file's body as a reader sees them: paragraphs on lines, cells separated by « | », entities
/// decoded and non-breaking spaces read as spaces.
enum DocumentText {
    static func word(_ path: String) throws -> String {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var data = Data()
        _ = try archive.extract(try XCTUnwrap(archive["word/document.xml"])) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "</w:p></w:tc>", with: " | ").replacingOccurrences(of: "</w:tr>", with: "\n")
            .replacingOccurrences(of: "</w:p>", with: "\n")
            .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
            .replacingOccurrences(of: "\u{00A0}", with: " ")
    }
}
