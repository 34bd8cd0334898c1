import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import SQLKit
import XCTest

/// Issue 18, point 5: outside one's scope, existing and absent read the same. For every importer that names a
/// school or a territory, a file naming another municipality's school (B1) and one naming a code nobody uses
/// (ZZ9) are refused with the same words apart from the code, and nothing is written. On both engines.
final class AbsentOrOutsideTests: XCTestCase {
    /// Each file's first row is the uploader's own school A1; the second names `{C}`.
    let files: [(ImportKind, String)] = [
        (.results, "year,procedure,grade,subject,school,participants\n2023,VPR,6,math,A1,10\n2023,VPR,6,math,{C},10\n"),
        (.scores, "year,procedure,grade,subject,school,student\n2023,VPR,6,math,A1,p1\n2023,VPR,6,math,{C},p2\n"),
        (.context, "year,school,indicator,value\n2023,A1,cluster,1\n2023,{C},cluster,1\n"),
        (.risks, "year,school,factor,level\n2023,A1,1,high\n2023,{C},1,high\n"),
        (.staff, "school,year,count\nA1,2024,1\n{C},2024,2\n"),
        (.specialists, "school,year,vacancies\nA1,2024,1\n{C},2024,2\n"),
        (.events, "event,start,hours,school,count\nKPK-2,01.03.2024,32,A1,1\nKPK-2,01.03.2024,32,{C},6\n"),
        (.approvedList, "year,school,order_number,order_date\n2023,A1,5,01.09.2023\n2023,{C},5,01.09.2023\n"),
        (.programmes, "code,name,start,end,level,school\nP0,Программа А1,01.01.2024,31.12.2025,school,A1\n"
            + "P1,Программа,01.01.2024,31.12.2025,school,{C}\n"),
    ]

    func testAnotherTerritorysSchoolReadsLikeAnUnknownCodeInEveryImport() async throws {
        try await TestEngines.withEachStore { store in
            let chern = try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine, scope: .municipality(chern))
            for (kind, template) in self.files {
                let before = try await self.counts(store)
                var messages: [String] = []
                for code in ["B1", "ZZ9"] {
                    do {
                        let text = template.replacingOccurrences(of: "{C}", with: code)
                        _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "f.csv")
                        XCTFail("\(kind): \(code) must be refused")
                    } catch let rejected as ImportRejected {
                        XCTAssertEqual(rejected.errors.count, 1, "\(kind) \(code): \(rejected.description)")
                        let text = rejected.errors.map(\.description).joined()
                        messages.append(text.replacingOccurrences(of: "«\(code)»", with: "«…»"))
                    }
                }
                XCTAssertEqual(messages.count, 2, "\(kind)")
                XCTAssertEqual(messages.first, messages.last, "\(kind)")
                XCTAssertTrue(messages.first?.hasPrefix("f.csv:3: school: " + Absent.school("…")) == true, "\(kind): \(messages)")
                try await assertEqualAsync(try await self.counts(store), before, "\(kind): nothing written")
            }
        }
    }

    /// A programme of another municipality or region reads like one of a territory that does not exist.
    func testAnotherTerritoryReadsLikeAnUnknownOneForProgrammes() async throws {
        try await TestEngines.withEachStore { store in
            let chern = try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine, scope: .municipality(chern))
            let cases: [(String, String, String)] = [
                ("municipality", "Белёвский район", "Неведомый район"),
                ("region", "Рязанская область", "Неведомая область"),
            ]
            for (level, other, unknown) in cases {
                var messages: [String] = []
                for territory in [other, unknown] {
                    let text = "code,name,start,end,level,territory\nP9,Программа,01.01.2024,31.12.2025,\(level),\(territory)\n"
                    do {
                        _ = try await importer.importFile(.programmes, bytes: Array(text.utf8), fileName: "p.csv")
                        XCTFail("\(territory) must be refused")
                    } catch let rejected as ImportRejected {
                        let text = rejected.errors.map(\.description).joined()
                        messages.append(text.replacingOccurrences(of: "«\(territory)»", with: "«…»"))
                    }
                }
                XCTAssertEqual(messages.first, messages.last, level)
                let expected = level == "region" ? Absent.region("…") : Absent.municipality("…")
                XCTAssertEqual(messages.first, "p.csv:2: territory: " + expected, level)
            }
            try await assertEqualAsync(try await PlanModel.query(on: store.db).count(), 0)
        }
    }

    /// A new school in another municipality reads like one in a municipality that does not exist.
    func testAnotherMunicipalityReadsLikeAnUnknownOneForSchools() async throws {
        try await TestEngines.withEachStore { store in
            let chern = try await self.prepare(store)
            let importer = Importer(db: store.db, actor: .commandLine, scope: .municipality(chern))
            var messages: [String] = []
            for territory in ["Белёвский район", "Неведомый район"] {
                let text = "code,name,municipality,region\nN1,МБОУ «СОШ № 9»,\(territory),Тульская область\n"
                do {
                    _ = try await importer.importFile(.schools, bytes: Array(text.utf8), fileName: "s.csv")
                    XCTFail("\(territory) must be refused")
                } catch let rejected as ImportRejected {
                    let text = rejected.errors.map(\.description).joined()
                    messages.append(text.replacingOccurrences(of: "«\(territory)»", with: "«…»"))
                }
            }
            XCTAssertEqual(messages, Array(repeating: "s.csv:2: municipality: " + Absent.municipality("…"), count: 2))
            try await assertEqualAsync(try await SchoolModel.query(on: store.db).count(), 3)
            try await assertEqualAsync(try await MunicipalityModel.query(on: store.db).count(), 3)
        }
    }

    func prepare(_ store: OporaStore) async throws -> Int {
        let schools = """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            R1,МБОУ «Касимовская СОШ»,Касимовский район,Рязанская область
            """
        _ = try await Importer(db: store.db, actor: .commandLine).importFile(.schools, bytes: Array(schools.utf8), fileName: "s.csv")
        return try await MunicipalityModel.query(on: store.db).filter(\.$name == "Чернский район").first()!.id!
    }

    /// Rows of the tables the files above write, and of the audit log (every import that writes logs itself).
    func counts(_ store: OporaStore) async throws -> [Int] {
        struct Row: Decodable { let n: Int }
        var result: [Int] = []
        for table in ["audit_log", "results", "context_values", "risk_ratings", "programmes"] {
            let query: SQLQueryString = "SELECT COUNT(*) AS n FROM \(unsafeRaw: table)"
            result.append(try await store.db.sql.raw(query).first(decoding: Row.self)?.n ?? -1)
        }
        return result
    }
}
