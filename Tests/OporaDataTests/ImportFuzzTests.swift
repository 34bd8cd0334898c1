import FluentKit
import Foundation
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

/// Thousands of mutated files through every importer, parsing and writing: each ends in a table or a refusal.
/// `Benchmarks/fuzz.sh N` runs the same test for N cases (OPORA_FUZZ_CASES, OPORA_FUZZ_SEED).
final class ImportFuzzTests: XCTestCase {
    struct Rollback: Error {}

    func testMutatedFilesNeverCrashTheImporters() async throws {
        let environment = ProcessInfo.processInfo.environment
        let cases = environment["OPORA_FUZZ_CASES"].flatMap(Int.init) ?? 3_000
        let seed = environment["OPORA_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_123
        let store = try await OporaStore.open(.sqliteMemory)
        do {
            // The registry, and a programme with its indicators, so that mutated roadmaps and values reach the writers.
            for (kind, text) in ImportFuzzer.seeds where [.schools, .programmes, .indicators].contains(kind) {
                _ = try await Importer(db: store.db, actor: .commandLine).importFile(
                    kind, bytes: Array(text.utf8), fileName: "\(kind.rawValue).csv")
            }
            var fuzzer = ImportFuzzer(seed: seed)
            let started = Date()
            let report = try await fuzzer.run(cases: cases) { parsed in
                do {
                    try await store.db.transaction { tx in
                        _ = try await Importer(db: tx, actor: .commandLine).write(parsed)
                        throw Rollback()
                    }
                } catch is Rollback {}
            }
            let elapsed = Date().timeIntervalSince(started)
            print(String(format: "Fuzz: %d cases (seed %llu), %d accepted, %d refused, 0 crashes, slowest %.3f s (%@), %.1f s in all",
                         report.cases, seed, report.accepted, report.refused, report.slowest.seconds, report.slowest.description, elapsed))
            print("Fuzz mutations: " + report.byMutation.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            XCTAssertEqual(report.cases, cases)
            XCTAssertGreaterThan(report.refused, 0)
            XCTAssertGreaterThan(report.accepted, 0, "some mutations leave a valid file")
            XCTAssertEqual(Set(report.byMutation.keys).count, 11, "every kind of mutation ran")
            // The store still answers after everything.
            try await assertEqualAsync(try await SchoolModel.query(on: store.db).count(), 2)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
