import XCTest
final class PlaceholderOporaDataTests: XCTestCase { func testNothing() {} }
