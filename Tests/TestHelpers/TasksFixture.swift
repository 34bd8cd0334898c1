import FluentKit
import Foundation
import OporaData
import OporaDomain

/// Hand-computed task results: VPR-2023, 5th grade, mathematics, four points (tasks 1, 2 of two points, К3 advanced);
/// scale «3» from 1, «4» from 2, «5» from 4. A1 (7 pupils, a «Х» in task 1 and one in К3, counted as 0):
/// points 5 / 6 / 1 (71,4 %, 42,9 %, 14,3 %), histogram 0·0, 2·1, 5·2, 0·3, 0·4 — five pupils at the «4» boundary against
/// 0,5 at the four scores beside it. A2 (5 pupils): 4 / 8 / 1, no marker; Чернский район (12 pupils): 75 %, 58,3 %,
/// 16,7 %. B1 (3 pupils, another municipality): a small group; the region (15 pupils): task 1 — 11 of 15, 73,3 %.
public enum TasksFixture {
    /// The schools of the web and live fixtures (A1, A2 in Чернский район, B1 in Белёвский район).
    public static let schools = read("vpr-tasks-schools.csv")

    public static let tasks = read("vpr-tasks-spec.csv")

    public static let scales = read("vpr-tasks-mark-scales.csv")

    public static let benchmarks = read("vpr-tasks-benchmarks.csv")

    public static let scores = read("vpr-tasks-scores.csv")

    /// The four files, in the order they must be loaded (the specification before the pupils' points).
    public static var files: [(kind: ImportKind, text: String)] {
        [(.tasks, tasks), (.markScales, scales), (.taskBenchmarks, benchmarks), (.taskScores, scores)]
    }

    public static func load(_ db: any Database, withSchools: Bool = false) async throws {
        let importer = Importer(db: db, actor: .commandLine)
        if withSchools { _ = try await importer.importFile(.schools, bytes: Array(schools.utf8), fileName: "schools.csv") }
        for (kind, text) in files {
            _ = try await importer.importFile(kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv")
        }
    }

    /// A file of `Tests/Fixtures` (shared with the CLI and browser tests, which load them through the binary).
    public static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    static func read(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    public static func schoolID(_ code: String, _ db: any Database) async throws -> Int {
        try await SchoolModel.query(on: db).filter(\.$code == code).first()!.id!
    }
}
