import Foundation

/// A criteria set as the fields of a form (docs/CRITERIA.md in the words of an official): the fields a set fills
/// in, and the set read back from what was typed — or, per field, what is wrong with it in Russian. Numbers are
/// written the Russian way (30, 30,5); a set read from its own fields is the same set (the round trip the tests
/// hold), so the form and the YAML view store the same thing.
public enum CriteriaForm {
    /// The problems of a refused form: field name → what is wrong, in Russian, shown beside that field.
    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        public let errors: [String: String]
        public init(_ errors: [String: String]) { self.errors = errors }
        public var description: String { errors.sorted { $0.key < $1.key }.map(\.value).joined(separator: "; ") }
    }

    // Field names (the form's, never shown to the user).
    public static let name = "name", details = "description", metric = "metric", threshold = "threshold"
    public static let riskLower = "risk_lower_bound", riskUpper = "risk_upper_bound", procedures = "procedures"
    public static let subjects = "subjects", otherSubjects = "subjects_other", minProcedures = "min_procedures_in_year"
    public static let consecutiveYears = "consecutive_years", jointSubjects = "joint_subjects", pooledGrades = "pooled_grades"
    public static let minimumGroup = "minimum_group", requireInterval = "require_interval", isbsGroups = "isbs_groups"
    public static let lowSocialMax = "low_social_max", lowQualityMax = "low_quality_max"
    public static let favourableSocialMin = "favourable_social_min", favourableQualityMin = "favourable_quality_min"

    public static func procedureField(_ procedure: ProcedureCode) -> String { "procedure_\(procedure.rawValue)" }
    public static func gradesField(_ procedure: ProcedureCode) -> String { "grades_\(procedure.rawValue)" }
    public static func subjectField(_ code: String) -> String { "subject_\(code)" }

    /// The form's field for a documented key of the set (the key a validation problem names).
    static let fieldOfKey: [String: String] = [
        "low_results.threshold": threshold, "low_results.risk_lower_bound": riskLower, "low_results.risk_upper_bound": riskUpper,
        "low_results.procedures": procedures, "low_results.subjects": subjects, "low_results.consecutive_years": consecutiveYears,
        "low_results.minimum_group": minimumGroup, "low_results.grades": procedures, "social.isbs_groups": isbsGroups,
        "": minProcedures,
    ]

    /// The same problems in the form's words: each stands beside its field, so it needs no key name.
    static let messageOfKey: [String: String] = [
        "low_results.threshold": "порог — число от 0 до 100",
        "low_results.risk_lower_bound": "нижняя граница риска — от 0 до порога",
        "low_results.risk_upper_bound": "верхняя граница риска — от нижней границы до 100",
        "low_results.procedures": "отметьте хотя бы одну процедуру",
        "low_results.subjects": "отметьте хотя бы один предмет",
        "low_results.consecutive_years": "не больше 10 лет подряд",
        "low_results.minimum_group": "не меньше 1 участника",
        "social.isbs_groups": "группы ИСБШ — числа от 1 до 11",
        "": "нужно хотя бы одно условие: число процедур за год или число лет подряд — не меньше 1",
    ]

    /// The fields a set fills in (a checkbox that is on reads "1"; one that is off is absent, as a browser sends it).
    public static func fields(_ set: CriteriaSet, subjectCodes: [String] = SubjectCatalogue.standard.map(\.code)) -> [String: String] {
        let rule = set.lowResults
        var fields: [String: String] = [
            name: set.name, details: set.description ?? "", metric: rule.metric.rawValue,
            threshold: RussianFormat.plain(rule.threshold), riskLower: RussianFormat.plain(rule.riskLowerBound),
            riskUpper: rule.riskUpperBoundSetting.map(RussianFormat.plain) ?? "",
            minProcedures: String(rule.minProceduresInYear), consecutiveYears: String(rule.consecutiveYears),
            minimumGroup: String(rule.minimumGroup),
            otherSubjects: rule.subjects.filter { !subjectCodes.contains($0) }.joined(separator: ", "),
            isbsGroups: (set.social?.isbsGroups ?? []).map(String.init).joined(separator: ", "),
        ]
        for procedure in rule.procedures { fields[procedureField(procedure)] = "1" }
        for (procedure, grades) in rule.grades {
            fields["grades_\(procedure)"] = grades.map(String.init).joined(separator: ", ")
        }
        for subject in rule.subjects where subjectCodes.contains(subject) { fields[subjectField(subject)] = "1" }
        if rule.jointSubjects { fields[jointSubjects] = "1" }
        if rule.pooledGrades { fields[pooledGrades] = "1" }
        if rule.requireInterval { fields[requireInterval] = "1" }
        if let typology = set.typology {
            fields[lowSocialMax] = String(typology.lowSocialMax)
            fields[lowQualityMax] = String(typology.lowQualityMax)
            fields[favourableSocialMin] = String(typology.favourableSocialMin)
            fields[favourableQualityMin] = String(typology.favourableQualityMin)
        }
        return fields
    }

    /// The set the fields describe, or every problem beside its field. `subjectCodes` gives the order of the
    /// subjects' checkboxes (the catalogue's); codes typed in «другие предметы» follow them.
    public static func read(_ fields: [String: String],
                            subjectCodes: [String] = SubjectCatalogue.standard.map(\.code)) -> Result<CriteriaSet, Refused> {
        var errors: [String: String] = [:]
        func text(_ field: String) -> String { (fields[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func on(_ field: String) -> Bool { !text(field).isEmpty && text(field) != "0" }
        func percent(_ field: String, optional: Bool = false) -> Double? {
            let typed = text(field)
            if typed.isEmpty {
                if !optional { errors[field] = "укажите число от 0 до 100" }
                return nil
            }
            guard let value = NumberParsing.decimal(typed) else {
                errors[field] = "«\(typed)» — не число; пишите, например, 30 или 30,5"
                return nil
            }
            guard InputRange.percent.contains(value) else {
                errors[field] = "\(RussianFormat.plain(value)) — вне пределов: от 0 до 100 %"
                return nil
            }
            return value
        }
        func whole(_ field: String, _ range: ClosedRange<Int>, _ what: String) -> Int? {
            let typed = text(field)
            guard !typed.isEmpty else {
                errors[field] = "укажите \(what) (целое число от \(range.lowerBound) до \(range.upperBound))"
                return nil
            }
            guard let value = NumberParsing.integer(typed) else {
                errors[field] = "«\(typed)» — не целое число"
                return nil
            }
            guard range.contains(value) else {
                errors[field] = "\(value) — вне пределов: от \(range.lowerBound) до \(range.upperBound)"
                return nil
            }
            return value
        }
        func numbers(_ field: String, _ range: ClosedRange<Int>, _ what: String) -> [Int] {
            let typed = text(field)
            var values: [Int] = []
            for part in typed.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }) where !part.isEmpty {
                guard let value = Int(part), range.contains(value) else {
                    errors[field] = "«\(part)» — не \(what); перечислите числа от \(range.lowerBound) до \(range.upperBound) через запятую"
                    return []
                }
                if !values.contains(value) { values.append(value) }
            }
            return values
        }

        let name = text(Self.name)
        if name.isEmpty { errors[Self.name] = "укажите название набора" } else if name.count > 200 {
            errors[Self.name] = "название длиннее 200 знаков"
        }
        let description = text(details)
        if description.count > 2000 { errors[details] = "описание длиннее 2000 знаков" }
        let metricValue = IdentificationMetric(rawValue: text(metric))
        if metricValue == nil { errors[metric] = "выберите, что считать: не преодолевших порог или отметки «2»" }
        let thresholdValue = percent(threshold)
        let lowerValue = percent(riskLower)
        let upperValue = percent(riskUpper, optional: true)
        let chosen = ProcedureCode.allCases.filter { on(procedureField($0)) }
        var grades: [String: [Int]] = [:]
        for procedure in ProcedureCode.allCases {
            let list = numbers(gradesField(procedure), InputRange.grade, "класс")
            if !list.isEmpty { grades[procedure.rawValue] = list.sorted() }
        }
        var subjectList = subjectCodes.filter { on(subjectField($0)) }
        for code in text(otherSubjects).split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init) {
            guard code.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) != nil else {
                errors[otherSubjects] = "«\(code)» — не код предмета (латинские строчные буквы, например hist)"
                break
            }
            if !subjectList.contains(code) { subjectList.append(code) }
        }
        let minProceduresValue = whole(minProcedures, 0...7, "число процедур")
        let consecutiveValue = whole(consecutiveYears, 0...10, "число лет")
        let minimumGroupValue = whole(minimumGroup, InputRange.minimumGroup, "число участников")
        let isbs = numbers(isbsGroups, 1...11, "группа ИСБШ")
        let typologyFields = [lowSocialMax, lowQualityMax, favourableSocialMin, favourableQualityMin]
        var typology: TypologyRule? = nil
        if typologyFields.contains(where: { !text($0).isEmpty }) {
            let bounds = typologyFields.map { whole($0, 1...11, "группу") }
            if let a = bounds[0], let b = bounds[1], let c = bounds[2], let d = bounds[3] {
                typology = TypologyRule(lowSocialMax: a, lowQualityMax: b, favourableSocialMin: c, favourableQualityMin: d)
                if c <= a { errors[favourableSocialMin] = "должна быть больше верхней группы низкого благополучия (\(a))" }
                if d <= b { errors[favourableQualityMin] = "должна быть больше верхней группы низкого качества (\(b))" }
            }
        }
        guard errors.isEmpty, let metricValue, let thresholdValue, let lowerValue, let minProceduresValue, let consecutiveValue,
              let minimumGroupValue else {
            return .failure(Refused(errors))
        }
        let set = CriteriaSet(
            name: name, description: description.isEmpty ? nil : description,
            lowResults: LowResultsRule(
                metric: metricValue, threshold: thresholdValue, riskLowerBound: lowerValue, procedures: chosen, subjects: subjectList,
                grades: grades, minProceduresInYear: minProceduresValue, consecutiveYears: consecutiveValue,
                jointSubjects: on(jointSubjects), pooledGrades: on(pooledGrades), minimumGroup: minimumGroupValue,
                requireInterval: on(requireInterval), riskUpperBound: upperValue),
            social: isbs.isEmpty ? nil : SocialRule(isbsGroups: isbs), typology: typology)
        // The rules between fields are the set's own (one place: `CriteriaSet.problems`), here in the form's words.
        for problem in set.problems() {
            let field = fieldOfKey[problem.key] ?? minProcedures
            if errors[field] == nil { errors[field] = messageOfKey[problem.key] ?? problem.message }
        }
        return errors.isEmpty ? .success(set) : .failure(Refused(errors))
    }
}

extension CriteriaSet {
    /// The rule a territory without a stored set is judged by: the Pervouralsk programme's, named as such only
    /// for Pervouralsk itself; any other territory reads «правило по умолчанию», never another town's name.
    public static func defaultRule(territory: String?) -> CriteriaSet {
        var rule = CriteriaSet.pervouralsk
        rule.name = defaultRuleName(territory: territory)
        return rule
    }

    /// «Правило по умолчанию (программа Первоуральска 2023–2025): 30 %» in Pervouralsk, else «Правило по умолчанию: 30 %».
    public static func defaultRuleName(territory: String?) -> String {
        let share = "\(RussianFormat.plain(pervouralsk.lowResults.threshold)) % не преодолевших минимальный порог"
        return isPervouralsk(territory)
            ? "Правило по умолчанию (программа Первоуральска 2023–2025): \(share)"
            : "Правило по умолчанию: \(share)"
    }

    /// Whether a territory's name is Pervouralsk's (its municipality or «городской округ Первоуральск»).
    public static func isPervouralsk(_ territory: String?) -> Bool {
        territory?.localizedCaseInsensitiveContains("Первоуральск") ?? false
    }
}

extension RussianFormat {
    /// A setting as typed back into a form: every digit it has, a decimal comma, never an exponent
    /// (30 → «30», 30.5 → «30,5», 0.125 → «0,125»), so saving a form unchanged changes nothing.
    public static func plain(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.10f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text.replacingOccurrences(of: ".", with: ",")
    }
}
