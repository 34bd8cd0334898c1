import XCTest
final class PlaceholderOporaDomainTests: XCTestCase { func testNothing() {} }
