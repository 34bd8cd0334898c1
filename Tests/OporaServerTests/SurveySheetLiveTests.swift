import Foundation
import OporaLiveSupport
import XCTest

/// The printable sheets and QR codes of a campaign's links over real HTTP: the code read back by zbarimg is the
/// link, the sheet names the school and group, and nobody prints links of a campaign outside their scope.
final class SurveySheetLiveTests: XCTestCase {
    func testSheetsAndCodesOfIssuedLinks() async throws {
        let server = try await LiveServer.start(Self.self)
        defer { server.stop() }
        let fixture = try await SurveyLiveFixture.make(on: server, anchor: Self.self)
        let link = fixture.link("A1", "parent")
        let visitor = HTTPSession(server)
        defer { Task { await visitor.close() } }

        let png = try await visitor.get(link.path + "/qr.png")
        XCTAssertEqual(png.status, 200)
        XCTAssertEqual(png.header("Content-Type"), "image/png")
        XCTAssertEqual(Array(png.bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertTrue(png.header("Content-Disposition")?.contains("attachment") ?? false)
        let svg = try await visitor.get(link.path + "/qr.svg")
        XCTAssertEqual(svg.status, 200)
        XCTAssertEqual(svg.header("Content-Type"), "image/svg+xml")
        XCTAssertTrue(svg.body.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let decoders = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"]
        if let zbarimg = decoders.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            print("QR decoder ran: \(name)")
            let file = server.folder.appendingPathComponent("code.png")
            try Data(png.bytes).write(to: file)
            XCTAssertEqual(try Self.run(zbarimg, ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", file.path]),
                           server.baseURL + link.path, "the code holds the whole link")
        }

        let sheet = try await visitor.get(link.path + "/sheet")
        XCTAssertEqual(sheet.status, 200)
        for text in ["Климат в школе", "Липицкая", "Родители", server.baseURL + link.path, "<svg", "Как провести опрос",
                     "Анкета анонимная", "Ожидаем около 20 ответов"] {
            XCTAssertTrue(sheet.body.contains(text), "the sheet says «\(text)»")
        }
        XCTAssertFalse(sheet.body.contains("<header class=\"top\""), "a sheet has no menu")

        // Unknown or malformed tokens: not found.
        let unknown = [String(repeating: "A", count: 43), String(repeating: "B", count: 43)]
        for path in ["/s/\(unknown[0])/qr.png", "/s/short/qr.svg", "/s/\(unknown[1])/sheet"] {
            let page = try await visitor.get(path)
            XCTAssertEqual(page.status, 404, path)
        }

        // All the sheets of a campaign's issued links, in one printable page, for a signed-in user in scope.
        let coordinator = HTTPSession(server)
        defer { Task { await coordinator.close() } }
        try await coordinator.login("coord-a")
        try await coordinator.get("/")
        let ownTokens = fixture.links.filter { $0.school.hasPrefix("A") }.map { ("token", $0.token) }
        let sheets = try await coordinator.post("/campaigns/\(fixture.campaignID)/sheets", ownTokens)
        XCTAssertEqual(sheets.status, 200, sheets.body)
        XCTAssertEqual(sheets.body.components(separatedBy: "<section class=\"sheet\"").count - 1, 4, "A1 and A2 × parents and teachers")
        XCTAssertTrue(sheets.body.contains("Учителя") && sheets.body.contains("Чернская"))
        // A link of another municipality's school is not this coordinator's to print: nothing is shown.
        let foreign = ownTokens + [("token", fixture.link("B1", "parent").token)]
        let withForeign = try await coordinator.post("/campaigns/\(fixture.campaignID)/sheets", foreign)
        XCTAssertEqual(withForeign.status, 404)
        let otherCampaign = try await coordinator.post("/campaigns/\(fixture.campaignID + 1)/sheets", ownTokens)
        XCTAssertEqual(otherCampaign.status, 404)
        let noCSRF = try await coordinator.post("/campaigns/\(fixture.campaignID)/sheets", ownTokens, withCSRF: false)
        XCTAssertEqual(noCSRF.status, 403)
        let stranger = HTTPSession(server)
        defer { Task { await stranger.close() } }
        let anonymous = try await stranger.post("/campaigns/\(fixture.campaignID)/sheets", ownTokens, withCSRF: false)
        XCTAssertNotEqual(anonymous.status, 200)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
