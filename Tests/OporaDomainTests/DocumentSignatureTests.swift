import XCTest
@testable import OporaDomain

/// Issue 19, «Signable»: who issues, prepared, executed and approved a document, named by full names.
final class DocumentSignatureTests: XCTestCase {
    func testExecutorReadsNameAndPhone() {
        let cases: [(text: String, name: String?, phone: String?)] = [
            ("Иванова Мария Петровна, +7 (48756) 2-11-22", "Иванова Мария Петровна", "+7 (48756) 2-11-22"),
            ("  Петров И. И.  ", "Петров И. И.", nil),
            ("Петров И. И., ", "Петров И. И.", nil),
            (", 2-11-22", nil, nil),
            ("", nil, nil),
            (String(repeating: "я", count: 201), nil, nil),
            ("Петров И. И., " + String(repeating: "1", count: 100), "Петров И. И.", String(repeating: "1", count: 100)),
            ("Петров И. И., " + String(repeating: "1", count: 101), nil, nil),
        ]
        for item in cases {
            let executor = DocumentExecutor(parsing: item.text)
            XCTAssertEqual(executor?.name, item.name, item.text)
            XCTAssertEqual(executor?.phone, item.phone, item.text)
        }
        XCTAssertEqual(DocumentExecutor(name: "Иванова Мария Петровна", phone: "2-11-22").line,
                       "Исполнитель: Иванова Мария Петровна, тел. 2-11-22")
        XCTAssertEqual(DocumentExecutor(name: "Иванова Мария Петровна").line, "Исполнитель: Иванова Мария Петровна")
    }

    func testApproverReadsPositionAndName() {
        let approval = DocumentApproval(parsing: "Начальник управления образования, Петрова Анна Сергеевна")
        XCTAssertEqual(approval?.position, "Начальник управления образования")
        XCTAssertEqual(approval?.name, "Петрова Анна Сергеевна")
        XCTAssertEqual(approval?.lines, ["УТВЕРЖДАЮ", "Начальник управления образования", "________________ Петрова Анна Сергеевна",
                                         "«____» ____________ 20___ г."])
        // A position alone leaves the name as a line to write by hand.
        let unnamed = DocumentApproval(parsing: "Начальник управления")
        XCTAssertNil(unnamed?.name)
        XCTAssertEqual(unnamed?.lines[2], "________________ ________________")
        XCTAssertNil(DocumentApproval(parsing: "   "))
        let recorded = DocumentApproval(position: "Руководитель", basis: "приказ от 15.03.2023 № 21")
        XCTAssertEqual(recorded.lines.last, "приказ от 15.03.2023 № 21")
    }

    func testNamesNeverLogins() {
        XCTAssertEqual(DocumentSignature.personName(fullName: "Сидоров Пётр Ильич", login: "curator"), "Сидоров Пётр Ильич")
        XCTAssertNil(DocumentSignature.personName(fullName: "curator", login: "curator"), "a login is not a name")
        XCTAssertNil(DocumentSignature.personName(fullName: "  ", login: "curator"))
        XCTAssertNil(DocumentSignature.personName(fullName: nil))
    }

    func testIssuerAndFooter() {
        XCTAssertEqual(DocumentSignature.issuer(territory: "Чернский район", recorded: "Управление образования Чернского района"),
                       "Управление образования Чернского района")
        XCTAssertEqual(DocumentSignature.issuer(territory: "Чернский район", recorded: " "),
                       "Орган управления образованием: Чернский район")
        let signature = DocumentSignature(issuer: "Управление образования", prepared: CalendarDay(year: 2023, month: 2, day: 28),
                                          executor: DocumentExecutor(name: "Иванова Мария Петровна", phone: "2-11-22"))
        XCTAssertEqual(signature.footerLines, ["Дата подготовки: 28.02.2023", "Исполнитель: Иванова Мария Петровна, тел. 2-11-22"])
        XCTAssertEqual(signature.approvalLines, [], "a report that is not approved has no «УТВЕРЖДАЮ»")
    }

    func testOrderWordingAndPassportRows() {
        XCTAssertEqual(SignedDocuments.orderHeading(year: 2023), "Об утверждении перечня школ с низкими образовательными результатами и "
            + "школ, функционирующих в зоне риска снижения образовательных результатов на 2023 год")
        let paragraphs = SignedDocuments.orderParagraphs(year: 2023, territory: "Чернский район", schools: 2)
        XCTAssertTrue(paragraphs.contains("ПРИКАЗЫВАЮ:"))
        XCTAssertTrue(paragraphs.contains { $0.hasPrefix("1. Утвердить перечень школ с низкими") && $0.contains("школ в перечне: 2") })
        XCTAssertEqual(SignedDocuments.signatoryLine(DocumentApproval(position: "Начальник управления", name: "Петрова А. С.")),
                       "Начальник управления ________________ Петрова А. С.")
        let passport = ProgrammePassport(name: "Повышение качества образования", start: CalendarDay(year: 2023, month: 1, day: 1),
                                         end: CalendarDay(year: 2025, month: 12, day: 31), goal: "Снизить долю «2»",
                                         participants: ["A1", "Z9"], basis: ["Приказ № 21"])
        let rows = passport.printedRows(schoolNames: ["A1": "МКОУ «Липицкая СОШ»"])
        XCTAssertEqual(rows.map(\.part), ["Наименование", "Срок реализации", "Нормативная основа", "Цель", "Участники"],
                       "parts with nothing written are left out, the roadmap is its own document")
        XCTAssertEqual(rows.last?.text, "МКОУ «Липицкая СОШ» (A1)\nZ9")
        XCTAssertEqual(rows[1].text, "01.01.2023 — 31.12.2025")
    }
}
