import Fluent
import OporaData
import OporaDomain
import Vapor

/// The schools list: one row per school in the user's scope, filtered by municipality and text.
struct SchoolsListModel: Sendable {
    struct Row: Content {
        let id: Int
        let code: String
        let name: String
        let shortName: String?
        let number: String?
        let municipalityID: Int
        let municipality: String
        let region: String
        let organisationalForm: String?
        let settlement: String?
        let address: String?
        let director: String?
        let students: Int?
        let studentsOVZ: Int?
        let shifts: Int?
        let version: Int
    }

    var rows: [Row]
    var municipalities: [(id: Int, name: String)]
    var selectedMunicipality: Int?
    var query: String
    var canCreate: Bool
    var paging: Paging

    struct Choice: Sendable { let id: Int; let name: String }

    static func rows(for user: CurrentUser, municipalityID: Int?, search: String?, derived: DerivedData) async throws -> [Row] {
        let db = derived.db, scope = user.scope
        let all: [Row] = try await derived.cached(["school-rows", scope, municipalityID]) {
            var query = ScopeQueries.schools(scope, on: db).with(\.$municipality, { $0.with(\.$region) })
            if let municipalityID { query = query.filter(\.$municipality.$id == municipalityID) }
            return try await query.all().map(Row.init)
                .sorted { ($0.municipality, $0.shortName ?? $0.name) < ($1.municipality, $1.shortName ?? $1.name) }
        }
        let needle = search.map(HeaderKey.normalize) ?? ""
        guard !needle.isEmpty else { return all }
        return all.filter { HeaderKey.normalize($0.name + " " + ($0.shortName ?? "") + " " + $0.code).contains(needle) }
    }

    /// The rows a request asks for (`municipality`, `q`), within the user's scope: the page, the API and the exports.
    static func rows(_ req: Request) async throws -> [Row] {
        try await rows(for: try req.user, municipalityID: try req.queryInt("municipality", in: InputRange.id, "муниципалитет"),
                       search: try req.queryText("q", maxLength: 100), derived: try await req.derived)
    }

    static func build(_ req: Request) async throws -> SchoolsListModel {
        let user = try req.user
        let municipalityID = try req.queryInt("municipality", in: InputRange.id, "муниципалитет")
        let search = try req.queryText("q", maxLength: 100)
        let derived = try await req.derived
        let scope = user.scope, db = req.db
        let municipalities: [Choice] = try await derived.cached(["municipality-choices", scope]) {
            try await ScopeQueries.municipalities(scope, on: db).sort(\.$name).all().map { Choice(id: $0.id!, name: $0.name) }
        }
        let rows = try await rows(for: user, municipalityID: municipalityID, search: search, derived: derived)
        return SchoolsListModel(rows: rows, municipalities: municipalities.map { ($0.id, $0.name) },
                                selectedMunicipality: municipalityID, query: search ?? "", canCreate: user.role.canCreateSchools,
                                paging: try Paging.read(req, total: rows.count))
    }
}

extension SchoolsListModel.Row {
    init(_ school: SchoolModel) {
        self.init(id: school.id!, code: school.code, name: school.name, shortName: school.shortName, number: school.number,
                  municipalityID: school.$municipality.id, municipality: school.municipality.name,
                  region: school.municipality.region.name, organisationalForm: school.organisationalForm,
                  settlement: school.settlement, address: school.address, director: school.director,
                  students: school.students, studentsOVZ: school.studentsOVZ, shifts: school.shifts, version: school.version)
    }
}

/// The new/edit school form, with the values the user typed (kept on error so nothing is lost).
struct SchoolFormModel {
    var id: Int?
    var version: Int
    var values: SchoolForm
    var municipalities: [(id: Int, name: String)]
    var error: String?
    /// Input name → what is wrong with it, shown beside the field.
    var fieldErrors: [String: String] = [:]
    /// The user may change «Код ОО» (`SchoolCode.mayChange`); others see it read-only.
    var mayChangeCode = true
    /// The stored code, when the form asks to confirm changing it to the one typed.
    var confirmCodeChangeFrom: String? = nil
}

struct SchoolForm: Content {
    var code: String?
    var name: String?
    var short_name: String?
    var number: String?
    var municipality_id: Int?
    var organisational_form: String?
    var settlement: String?
    var address: String?
    var director: String?
    var students: String?
    var students_ovz: String?
    var shifts: String?
    var version: Int?
    /// «1» once the user confirmed a change of «Код ОО» (`SchoolCode`).
    var confirm_code: String?

    init(_ row: SchoolsListModel.Row? = nil) {
        code = row?.code; name = row?.name; short_name = row?.shortName; number = row?.number
        municipality_id = row?.municipalityID; organisational_form = row?.organisationalForm; settlement = row?.settlement
        address = row?.address; director = row?.director
        students = row?.students.map(String.init); students_ovz = row?.studentsOVZ.map(String.init); shifts = row?.shifts.map(String.init)
        version = row?.version
    }

    /// The form as posted: every value as typed (a municipality that is no id is left unchosen).
    init(values: [String: String]) {
        code = values["code"]; name = values["name"]; short_name = values["short_name"]; number = values["number"]
        municipality_id = values["municipality_id"].flatMap { Int($0) }; organisational_form = values["organisational_form"]
        settlement = values["settlement"]; address = values["address"]; director = values["director"]
        students = values["students"]; students_ovz = values["students_ovz"]; shifts = values["shifts"]
        version = values["version"].flatMap { Int($0) }; confirm_code = values["confirm_code"]
    }

    /// The repository's field names → the form's inputs, so a refusal stands beside its field.
    static let inputs = ["Код": "code", "Код ОО": "code", "Наименование": "name", "Краткое наименование": "short_name",
                         "Номер": "number", "Организационная форма": "organisational_form", "Адрес": "address",
                         "Директор": "director", "Обучающихся": "students", "Обучающихся с ОВЗ": "students_ovz", "Смен": "shifts",
                         "Тип поселения": "settlement", "Муниципалитет": "municipality_id"]

    /// Every field read at once (`FormCheck`): each problem beside its field, nil when any was refused.
    static func fields(_ check: inout FormCheck) -> SchoolFields? {
        let code = check.name("code", limit: 64, required: true)
        let name = check.name("name", limit: 500, required: true)
        let texts = ["short_name", "number", "organisational_form", "address", "director"].map { check.name($0, limit: 500) }
        let municipality = check.record("municipality_id", "Выберите муниципалитет")
        var settlement: Settlement? = nil
        if let text = check["settlement"] {
            settlement = Settlement(parsing: text)
            if settlement == nil { check.refuse("settlement", "Выберите городскую или сельскую") }
        }
        let students = check.integer("students", in: 0...100_000)
        let studentsOVZ = check.integer("students_ovz", in: 0...100_000)
        if let students, let studentsOVZ, studentsOVZ > students {
            check.refuse("students_ovz", "Больше, чем всего обучающихся (\(RussianFormat.integer(students)))")
        }
        let shifts = check.integer("shifts", in: 1...3)
        guard check.errors.isEmpty, let code, let name, let municipality else { return nil }
        return SchoolFields(code: code, name: name, shortName: texts[0], number: texts[1], municipalityID: municipality,
                            organisationalForm: texts[2], settlement: settlement, address: texts[3], director: texts[4],
                            students: students, studentsOVZ: studentsOVZ, shifts: shifts)
    }

    func fields() throws -> SchoolFields {
        func integer(_ text: String?, _ label: String) throws -> Int? {
            guard let text = text.cleaned else { return nil }
            guard let value = NumberParsing.integer(text) else {
                throw RepositoryError.invalid(field: label, message: "ожидается целое число")
            }
            return value
        }
        guard let municipalityID = municipality_id else { throw RepositoryError.invalid(field: "Муниципалитет", message: "обязателен") }
        var settlementValue: Settlement? = nil
        if let text = settlement.cleaned {
            guard let parsed = Settlement(parsing: text) else {
                throw RepositoryError.invalid(field: "Тип поселения", message: "городская или сельская")
            }
            settlementValue = parsed
        }
        return SchoolFields(code: code.typed ?? "", name: name.typed ?? "", shortName: short_name.typed, number: number.typed,
                            municipalityID: municipalityID, organisationalForm: organisational_form.typed, settlement: settlementValue,
                            address: address.typed, director: director.typed,
                            students: try integer(students, "Обучающихся"), studentsOVZ: try integer(students_ovz, "Обучающихся с ОВЗ"),
                            shifts: try integer(shifts, "Смен"))
    }
}
