import XCTest

@testable import OporaData
@testable import OporaWeb

/// A bulk write refused because rows it names were deleted meanwhile (issue 18) reaches the user as a conflict in
/// Russian, without the names of tables, not as «Внутренняя ошибка сервера».
final class ErrorPagesTests: XCTestCase {
    func testAVanishedReferenceIsAConflictInTheUsersWords() {
        let (status, message) = FriendlyErrorMiddleware.describe(VanishedReference(table: "staff_records", column: "school_id",
                                                                                   parent: "schools"))
        XCTAssertEqual(status, .conflict)
        XCTAssertTrue(message.contains("Файл не загружен, ничего не изменено"), message)
        XCTAssertFalse(message.contains("staff_records") || message.contains("school_id"), message)
    }
}
