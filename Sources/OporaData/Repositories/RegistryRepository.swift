import FluentKit
import OporaDomain
import SQLKit

/// The editable attributes of a school (GUIDE §3).
public struct SchoolFields: Sendable, Equatable {
    public var code: String
    public var name: String
    public var shortName: String?
    public var number: String?
    public var municipalityID: Int
    public var organisationalForm: String?
    public var settlement: Settlement?
    public var address: String?
    public var director: String?
    public var students: Int?
    public var studentsOVZ: Int?
    public var shifts: Int?

    public init(code: String, name: String, shortName: String? = nil, number: String? = nil, municipalityID: Int,
                organisationalForm: String? = nil, settlement: Settlement? = nil, address: String? = nil, director: String? = nil,
                students: Int? = nil, studentsOVZ: Int? = nil, shifts: Int? = nil) {
        self.code = code
        self.name = name
        self.shortName = shortName
        self.number = number
        self.municipalityID = municipalityID
        self.organisationalForm = organisationalForm
        self.settlement = settlement
        self.address = address
        self.director = director
        self.students = students
        self.studentsOVZ = studentsOVZ
        self.shifts = shifts
    }

    public init(_ school: SchoolModel) {
        self.init(code: school.code, name: school.name, shortName: school.shortName, number: school.number,
                  municipalityID: school.$municipality.id, organisationalForm: school.organisationalForm,
                  settlement: school.settlement.flatMap(Settlement.init(rawValue:)), address: school.address,
                  director: school.director, students: school.students, studentsOVZ: school.studentsOVZ, shifts: school.shifts)
    }

    public func validate() throws {
        if code.trimmingCharacters(in: .whitespaces).isEmpty { throw RepositoryError.invalid(field: "Код", message: "обязателен") }
        try RepositoryError.check(code, field: "Код", limit: 64)
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RepositoryError.invalid(field: "Наименование", message: "обязательно")
        }
        try RepositoryError.check(name, field: "Наименование", limit: 500)
        for (label, text) in [("Краткое наименование", shortName), ("Номер", number), ("Организационная форма", organisationalForm),
                              ("Адрес", address), ("Директор", director)] {
            try RepositoryError.check(text, field: label, limit: 500)
        }
        if let students, !(0...100_000).contains(students) {
            throw RepositoryError.invalid(field: "Обучающихся", message: "от 0 до 100 000")
        }
        if let studentsOVZ, !(0...100_000).contains(studentsOVZ) {
            throw RepositoryError.invalid(field: "Обучающихся с ОВЗ", message: "от 0 до 100 000")
        }
        guard InputRange.id.contains(municipalityID) else { throw RepositoryError.notFound(entity: "муниципалитет") }
        if let students, let studentsOVZ, studentsOVZ > students {
            throw RepositoryError.invalid(field: "Обучающихся с ОВЗ", message: "больше, чем всего обучающихся")
        }
        if let shifts, !(1...3).contains(shifts) { throw RepositoryError.invalid(field: "Смен", message: "от 1 до 3") }
    }

    /// Labelled values for the audit log.
    var auditValues: [(String, String?)] {
        [("Код", code), ("Наименование", name), ("Краткое наименование", shortName), ("Номер", number),
         ("Муниципалитет", String(municipalityID)), ("Организационная форма", organisationalForm),
         ("Тип поселения", settlement?.russianName), ("Адрес", address), ("Директор", director),
         ("Обучающихся", students.map(String.init)), ("Обучающихся с ОВЗ", studentsOVZ.map(String.init)), ("Смен", shifts.map(String.init))]
    }

    func apply(to school: SchoolModel) {
        school.code = code.trimmingCharacters(in: .whitespaces)
        school.name = name.trimmingCharacters(in: .whitespaces)
        school.shortName = shortName
        school.number = number
        school.$municipality.id = municipalityID
        school.organisationalForm = organisationalForm
        school.settlement = settlement?.rawValue
        school.address = address
        school.director = director
        school.students = students
        school.studentsOVZ = studentsOVZ
        school.shifts = shifts
    }
}

/// Creates and edits the registry (regions, municipalities, schools, years, catalogues), with audit and optimistic locking.
public struct RegistryRepository: Sendable {
    public let db: any Database
    public let actor: Actor

    public init(db: any Database, actor: Actor) {
        self.db = db
        self.actor = actor
    }

    // MARK: Schools

    public struct SchoolLabel: Sendable, Decodable {
        public let id: Int; public let code: String; public let name: String; public let short_name: String?
        public var displayName: String { short_name ?? name }
    }

    /// Every school's code and table name, read without building models (reports over a whole region).
    public func schoolLabels() async throws -> [Int: SchoolLabel] {
        let rows = try await db.sql.raw("SELECT id, code, name, short_name FROM schools").all(decoding: SchoolLabel.self)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    @discardableResult
    public func createSchool(_ fields: SchoolFields) async throws -> SchoolModel {
        try fields.validate()
        return try await db.transaction { tx in
            guard let municipality = try await MunicipalityModel.find(fields.municipalityID, on: tx) else {
                throw RepositoryError.notFound(entity: "муниципалитет")
            }
            if try await SchoolModel.query(on: tx).filter(\.$code == fields.code).first() != nil {
                throw RepositoryError.duplicate(field: "Код", value: fields.code)
            }
            let school = SchoolModel()
            school.version = 1
            fields.apply(to: school)
            try await school.create(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "create", entity: "school", entityID: school.id,
                summary: "Добавлена школа «\(school.name)»",
                changes: fields.auditValues.compactMap { $0.1 == nil ? nil : FieldChange(field: $0.0, old: nil, new: $0.1) },
                place: .init(regionID: municipality.$region.id, municipalityID: municipality.id, schoolID: school.id))
            return school
        }
    }

    /// Saves the school if nobody changed it since `expectedVersion`; returns the new version.
    @discardableResult
    /// A changed «Код ОО» is refused unless `role` may change it (`SchoolCode`; nil: the command line) and the
    /// change is `codeConfirmed`.
    public func updateSchool(id: Int, expectedVersion: Int, _ fields: SchoolFields, role: Role? = nil,
                             codeConfirmed: Bool = false) async throws -> Int {
        try fields.validate()
        return try await db.transaction { tx in
            try await OptimisticLock.claim(table: SchoolModel.schema, id: id, expected: expectedVersion, on: tx)
            guard let school = try await SchoolModel.find(id, on: tx) else { throw RepositoryError.notFound(entity: "школа") }
            if fields.code != school.code {
                if let role, !SchoolCode.mayChange(role: role) {
                    throw RepositoryError.invalid(field: "Код ОО", message: SchoolCode.notAllowed)
                }
                guard codeConfirmed else {
                    throw RepositoryError.invalid(field: "Код ОО",
                                                  message: SchoolCode.confirmationNeeded(old: school.code, new: fields.code))
                }
            }
            guard let municipality = try await MunicipalityModel.find(fields.municipalityID, on: tx) else {
                throw RepositoryError.notFound(entity: "муниципалитет")
            }
            if fields.code != school.code, try await SchoolModel.query(on: tx).filter(\.$code == fields.code).first() != nil {
                throw RepositoryError.duplicate(field: "Код", value: fields.code)
            }
            let before = SchoolFields(school)
            fields.apply(to: school)
            try await school.save(on: tx)
            let changes = zip(before.auditValues, fields.auditValues).compactMap { old, new in
                old.1 == new.1 ? nil : FieldChange(field: old.0, old: old.1, new: new.1)
            }
            if !changes.isEmpty {
                try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "school", entityID: id,
                                          summary: "Изменена школа «\(school.name)»", changes: changes,
                                          place: .init(regionID: municipality.$region.id, municipalityID: municipality.id, schoolID: id))
            }
            return school.version
        }
    }

    // MARK: Regions and municipalities

    @discardableResult
    public func createRegion(name: String) async throws -> RegionModel {
        let name = try Self.requireName(name)
        return try await db.transaction { tx in
            if try await RegionModel.query(on: tx).filter(\.$name == name).first() != nil {
                throw RepositoryError.duplicate(field: "Наименование", value: name)
            }
            let region = RegionModel(name: name)
            try await region.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "region", entityID: region.id,
                                      summary: "Добавлен регион «\(name)»", place: .init(regionID: region.id))
            return region
        }
    }

    public func renameRegion(id: Int, expectedVersion: Int, name: String) async throws {
        let name = try Self.requireName(name)
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: RegionModel.schema, id: id, expected: expectedVersion, on: tx)
            guard let region = try await RegionModel.find(id, on: tx) else { throw RepositoryError.notFound(entity: "регион") }
            if name != region.name, try await RegionModel.query(on: tx).filter(\.$name == name).first() != nil {
                throw RepositoryError.duplicate(field: "Наименование", value: name)
            }
            let old = region.name
            region.name = name
            try await region.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "region", entityID: id,
                                      summary: "Изменён регион «\(name)»", changes: AuditLog.diff([("Наименование", old, name)]),
                                      place: .init(regionID: id))
        }
    }

    @discardableResult
    public func createMunicipality(regionID: Int, name: String) async throws -> MunicipalityModel {
        let name = try Self.requireName(name)
        return try await db.transaction { tx in
            guard try await RegionModel.find(regionID, on: tx) != nil else { throw RepositoryError.notFound(entity: "регион") }
            if try await MunicipalityModel.query(on: tx).filter(\.$region.$id == regionID).filter(\.$name == name).first() != nil {
                throw RepositoryError.duplicate(field: "Наименование", value: name)
            }
            let municipality = MunicipalityModel(regionID: regionID, name: name)
            try await municipality.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "municipality", entityID: municipality.id,
                                      summary: "Добавлен муниципалитет «\(name)»",
                                      place: .init(regionID: regionID, municipalityID: municipality.id))
            return municipality
        }
    }

    public func renameMunicipality(id: Int, expectedVersion: Int, name: String) async throws {
        let name = try Self.requireName(name)
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: MunicipalityModel.schema, id: id, expected: expectedVersion, on: tx)
            guard let municipality = try await MunicipalityModel.find(id, on: tx) else {
                throw RepositoryError.notFound(entity: "муниципалитет")
            }
            if name != municipality.name,
                try await MunicipalityModel.query(on: tx).filter(\.$region.$id == municipality.$region.id).filter(\.$name == name).first()
                    != nil
            {
                throw RepositoryError.duplicate(field: "Наименование", value: name)
            }
            let old = municipality.name
            municipality.name = name
            try await municipality.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "municipality", entityID: id,
                                      summary: "Изменён муниципалитет «\(name)»", changes: AuditLog.diff([("Наименование", old, name)]),
                                      place: .init(regionID: municipality.$region.id, municipalityID: id))
        }
    }

    // MARK: Academic years

    @discardableResult
    public func createAcademicYear(startYear: Int, isCurrent: Bool) async throws -> AcademicYearModel {
        guard InputRange.year.contains(startYear) else {
            throw RepositoryError.invalid(field: "Год начала", message: "от \(InputRange.year.lowerBound) до \(InputRange.year.upperBound)")
        }
        return try await db.transaction { tx in
            if try await AcademicYearModel.query(on: tx).filter(\.$startYear == startYear).first() != nil {
                throw RepositoryError.duplicate(field: "Учебный год", value: AcademicYearLabel(startYear: startYear).label)
            }
            if isCurrent { try await AcademicYearModel.query(on: tx).set(\.$isCurrent, to: false).update() }
            let year = AcademicYearModel(startYear: startYear, isCurrent: isCurrent)
            try await year.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "academic_year", entityID: year.id,
                                      summary: "Добавлен учебный год \(AcademicYearLabel(startYear: startYear).label)")
            return year
        }
    }

    // MARK: Catalogues

    @discardableResult
    public func createSubject(code: String, name: String, aliases: [String]) async throws -> SubjectModel {
        let code = code.trimmingCharacters(in: .whitespaces).lowercased()
        guard code.range(of: "^[a-z][a-z0-9_]{0,31}$", options: .regularExpression) != nil else {
            throw RepositoryError.invalid(field: "Код", message: "латинские строчные буквы, цифры и _, до 32 символов")
        }
        let name = try Self.requireName(name)
        return try await db.transaction { tx in
            if try await SubjectModel.query(on: tx).filter(\.$code == code).first() != nil {
                throw RepositoryError.duplicate(field: "Код", value: code)
            }
            let subject = SubjectModel(code: code, name: name, aliases: aliases)
            try await subject.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "create", entity: "subject", entityID: subject.id,
                                      summary: "Добавлен предмет «\(name)» (\(code))")
            return subject
        }
    }

    public func updateSubject(id: Int, expectedVersion: Int, name: String, aliases: [String]) async throws {
        let name = try Self.requireName(name)
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: SubjectModel.schema, id: id, expected: expectedVersion, on: tx)
            guard let subject = try await SubjectModel.find(id, on: tx) else { throw RepositoryError.notFound(entity: "предмет") }
            let oldName = subject.name, oldAliases = subject.aliases
            subject.name = name
            subject.aliases = aliases.joined(separator: "|")
            try await subject.save(on: tx)
            try await AuditLog.record(
                on: tx, actor: actor, action: "update", entity: "subject", entityID: id,
                summary: "Изменён предмет «\(name)»",
                changes: AuditLog.diff([("Наименование", oldName, name), ("Другие написания", oldAliases, subject.aliases)]))
        }
    }

    public func updateProcedure(id: Int, expectedVersion: Int, shortName: String, name: String) async throws {
        let shortName = try Self.requireName(shortName)
        let name = try Self.requireName(name)
        try await db.transaction { tx in
            try await OptimisticLock.claim(table: ProcedureModel.schema, id: id, expected: expectedVersion, on: tx)
            guard let procedure = try await ProcedureModel.find(id, on: tx) else { throw RepositoryError.notFound(entity: "процедура") }
            let old = (procedure.shortName, procedure.name)
            procedure.shortName = shortName
            procedure.name = name
            try await procedure.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: "update", entity: "procedure", entityID: id,
                                      summary: "Изменена процедура \(procedure.code)",
                                      changes: AuditLog.diff([("Краткое название", old.0, shortName), ("Полное название", old.1, name)]))
        }
    }

    static func requireName(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw RepositoryError.invalid(field: "Наименование", message: "обязательно") }
        try RepositoryError.check(name, field: "Наименование", limit: 500)
        return name
    }
}

import Foundation
