import Foundation
import OporaData
import OporaDomain
import XCTest

final class CriteriaFileTests: XCTestCase {
    /// The example in docs/CRITERIA.md is the seed 004 preset, and it parses: the documentation stays true.
    func testDocumentedYAMLIsTheSeed004Preset() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/CRITERIA.md"), encoding: .utf8)
        let start = try XCTUnwrap(doc.range(of: "```yaml\n")),
            end = try XCTUnwrap(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let criteria = try CriteriaFile.decode(String(doc[start.upperBound..<end.lowerBound]))
        XCTAssertEqual(criteria.lowResults, CriteriaSet.pervouralsk.lowResults)
        XCTAssertEqual(criteria.social, CriteriaSet.pervouralsk.social)
        XCTAssertEqual(criteria.typology, CriteriaSet.pervouralsk.typology)
    }

    func testPresetsAndErrors() throws {
        XCTAssertEqual(try CriteriaFile.load("preset:gia").name, CriteriaSet.giaOnly.name)
        XCTAssertThrowsError(try CriteriaFile.load("preset:nope")) { XCTAssertTrue("\($0)".contains("есть: gia, pervouralsk")) }
        XCTAssertThrowsError(try CriteriaFile.decode("name: x\nlow_results:\n  threshold: много\n")) { error in
            XCTAssertTrue("\(error)".contains("low_results.threshold"), "\(error)")
        }
        XCTAssertThrowsError(try CriteriaFile.decode("low_results: {}\n")) { error in
            XCTAssertTrue("\(error)".contains("нет ключа «name»"), "\(error)")
        }
        let yaml = try CriteriaFile.yaml(.giaOnly)
        XCTAssertEqual(try CriteriaFile.decode(yaml), .giaOnly)
    }
}
