import XCTest
final class PlaceholderOporaWebTests: XCTestCase { func testNothing() {} }
