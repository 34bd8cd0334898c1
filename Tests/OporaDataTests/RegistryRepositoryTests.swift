import FluentKit
import OporaData
import OporaDomain
import OporaTestSupport
import XCTest

final class RegistryRepositoryTests: XCTestCase {
    func seed(_ store: OporaStore) async throws -> (RegistryRepository, MunicipalityModel, SchoolModel) {
        let repository = RegistryRepository(db: store.db, actor: Actor(userID: nil, login: "tester"))
        let region = try await repository.createRegion(name: "Свердловская область")
        let municipality = try await repository.createMunicipality(regionID: region.id!, name: "ГО Первоуральск")
        let school = try await repository.createSchool(
            SchoolFields(code: "PV16", name: "МАОУ СОШ № 16", municipalityID: municipality.id!, students: 540))
        return (repository, municipality, school)
    }

    func testConcurrentEditsDoNotSilentlyOverwrite() async throws {
        try await TestEngines.withEachStore { store in
            let (repository, municipality, school) = try await seed(store)
            XCTAssertEqual(school.version, 1)
            // Two people open version 1; the first saves, the second is refused.
            var first = SchoolFields(code: "PV16", name: "МАОУ СОШ № 16", municipalityID: municipality.id!, students: 541)
            let newVersion = try await repository.updateSchool(id: school.id!, expectedVersion: 1, first)
            XCTAssertEqual(newVersion, 2)
            let second = SchoolFields(code: "PV16", name: "МАОУ «СОШ № 16»", municipalityID: municipality.id!, students: 540)
            do {
                try await repository.updateSchool(id: school.id!, expectedVersion: 1, second)
                XCTFail("a stale version must be refused")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .conflict(entity: "schools"))
            }
            let stored = try await SchoolModel.find(school.id!, on: store.db)!
            XCTAssertEqual(stored.students, 541)
            XCTAssertEqual(stored.name, "МАОУ СОШ № 16")
            first.director = "Иванова А. В."
            try await repository.updateSchool(id: school.id!, expectedVersion: 2, first)
        }
    }

    /// A record deleted while its form was open is named as its user calls it, not by its table.
    func testARecordDeletedWhileItsFormWasOpenIsNamedInRussian() async throws {
        try await TestEngines.withEachStore { store in
            let (repository, municipality, school) = try await seed(store)
            try await SchoolModel.query(on: store.db).filter(\.$id == school.id!).delete()
            do {
                try await repository.updateSchool(id: school.id!, expectedVersion: 1,
                                                  SchoolFields(code: "PV16", name: "МАОУ СОШ № 16", municipalityID: municipality.id!))
                XCTFail("a deleted school cannot be saved")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .notFound(entity: "школа"))
                XCTAssertEqual(error.description, "Не найдено: школа")
            }
            do {
                try await repository.updateSubject(id: 9_999, expectedVersion: 1, name: "Химия", aliases: [])
                XCTFail("an absent subject cannot be saved")
            } catch let error as RepositoryError {
                XCTAssertEqual(error.description, "Не найдено: предмет")
            }
        }
    }

    func testAuditRecordsWhoChangedWhatOldToNew() async throws {
        try await TestEngines.withEachStore { store in
            let (repository, municipality, school) = try await seed(store)
            try await repository.updateSchool(
                id: school.id!, expectedVersion: 1,
                SchoolFields(code: "PV16", name: "МАОУ СОШ № 16", municipalityID: municipality.id!, students: 560))
            let entries = try await AuditEntryModel.query(on: store.db).filter(\.$entity == "school").sort(\.$id).all()
            XCTAssertEqual(entries.map(\.action), ["create", "update"])
            XCTAssertEqual(entries.last?.actor, "tester")
            XCTAssertEqual(entries.last?.municipalityID, municipality.id)
            XCTAssertEqual(AuditLog.decodeChanges(entries.last!), [FieldChange(field: "Обучающихся", old: "540", new: "560")])
        }
    }

    func testValidationAndDuplicates() async throws {
        try await TestEngines.withEachStore { store in
            let (repository, municipality, _) = try await seed(store)
            do {
                try await repository.createSchool(SchoolFields(code: "PV16", name: "Другая", municipalityID: municipality.id!))
                XCTFail("duplicate code")
            } catch let error as RepositoryError { XCTAssertEqual(error, .duplicate(field: "Код", value: "PV16")) }
            do {
                try await repository.createSchool(
                    SchoolFields(code: "X", name: "Y", municipalityID: municipality.id!, students: 5, studentsOVZ: 6))
                XCTFail("ovz > students")
            } catch let error as RepositoryError {
                XCTAssertEqual(error, .invalid(field: "Обучающихся с ОВЗ", message: "больше, чем всего обучающихся"))
            }
            do {
                try await repository.createMunicipality(regionID: municipality.$region.id, name: "  ")
                XCTFail("empty name")
            } catch let error as RepositoryError { XCTAssertEqual(error, .invalid(field: "Наименование", message: "обязательно")) }
        }
    }

    func testScopeQueriesReturnOnlyTheScope() async throws {
        try await TestEngines.withEachStore { store in
            let (repository, municipality, school) = try await seed(store)
            let other = try await repository.createMunicipality(regionID: municipality.$region.id, name: "ГО Ревда")
            let otherSchool = try await repository.createSchool(
                SchoolFields(code: "RV1", name: "Ревдинская СОШ", municipalityID: other.id!))
            let region2 = try await repository.createRegion(name: "Тульская область")
            let far = try await repository.createMunicipality(regionID: region2.id!, name: "Чернский район")
            try await repository.createSchool(SchoolFields(code: "T1", name: "Липицкая СОШ", municipalityID: far.id!))

            func codes(_ scope: AccessScope) async throws -> [String] {
                try await ScopeQueries.schools(scope, on: store.db).all().map(\.code).sorted()
            }
            let everything = try await codes(.everything)
            let region = try await codes(.region(municipality.$region.id))
            let own = try await codes(.municipality(municipality.id!))
            let set = try await codes(.schools([otherSchool.id!]))
            XCTAssertEqual(everything, ["PV16", "RV1", "T1"])
            XCTAssertEqual(region, ["PV16", "RV1"])
            XCTAssertEqual(own, ["PV16"])
            XCTAssertEqual(set, ["RV1"])
            try await assertEqualAsync(
                try await ScopeQueries.regions(.schools([school.id!]), on: store.db).all().map(\.name), ["Свердловская область"])

            // The audit log: each territory sees its own changes and the shared catalogues', not another region's.
            _ = try await repository.createSubject(code: "astro", name: "Астрономия", aliases: [])
            func logged(_ scope: AccessScope) async throws -> Set<String> {
                Set(try await ScopeQueries.auditEntries(scope, on: store.db).all().map(\.summary))
            }
            let regionLog = try await logged(.region(municipality.$region.id))
            XCTAssertTrue(regionLog.contains { $0.contains("Астрономия") }, "\(regionLog)")
            XCTAssertTrue(regionLog.contains { $0.contains("RV1") || $0.contains("Ревдинская") }, "\(regionLog)")
            XCTAssertFalse(regionLog.contains { $0.contains("Липицкая") || $0.contains("T1") }, "\(regionLog)")
            let municipalityLog = try await logged(.municipality(municipality.id!))
            XCTAssertTrue(municipalityLog.contains { $0.contains("Астрономия") })
            XCTAssertFalse(municipalityLog.contains { $0.contains("Ревдинская") })
            try await assertFalseAsync(try await logged(.schools([school.id!])).contains { $0.contains("Астрономия") })
        }
    }
}
