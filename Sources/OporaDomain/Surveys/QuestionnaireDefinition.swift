import Foundation

/// A definition file read into a plain tree with the line of every value (YAML and JSON alike; the data layer
/// builds it with Yams), so that the rules below can name the line of a mistake without knowing the syntax.
public indirect enum DefinitionNode: Sendable, Hashable {
    case scalar(String, line: Int)
    case list([DefinitionNode], line: Int)
    case map([DefinitionEntry], line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, let line), .list(_, let line), .map(_, let line): line
        }
    }

    public var text: String? {
        if case .scalar(let text, _) = self { return text }
        return nil
    }
}

public struct DefinitionEntry: Sendable, Hashable {
    public let key: String
    public let value: DefinitionNode

    public init(key: String, value: DefinitionNode) {
        self.key = key
        self.value = value
    }
}

/// One mistake of a definition: its line, the question it is in (if any) and what is wrong, in Russian.
public struct DefinitionProblem: Sendable, Hashable {
    public let line: Int
    public let question: String?
    public let message: String
    /// The key the problem is about where one is (`code`, `title`…): the form puts the problem beside that field.
    public let key: String?

    public init(line: Int, question: String? = nil, message: String, key: String? = nil) {
        self.line = line
        self.question = question
        self.message = message
        self.key = key
    }

    /// The message as the form's user reads it: the fields by their labels on the form, not by the file's keys.
    public var forForm: String {
        QuestionnaireDefinition.formLabels.reduce(message) { text, label in
            text.replacingOccurrences(of: "«\(label.key)»", with: "«\(label.value)»")
        }
    }

    public func text(file: String) -> String {
        "\(file):\(line): " + (question.map { "вопрос «\($0)»: " } ?? "") + message
    }
}

/// A refused definition: every mistake found, one per line as `FILE:LINE: вопрос «id»: message`.
public struct QuestionnaireDefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let problems: [DefinitionProblem]

    public init(file: String, problems: [DefinitionProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String { problems.map { $0.text(file: file) }.joined(separator: "\n") }
}

/// The rules of a definition (docs/SURVEYS.md «Формат анкеты»): what keys mean and what is refused.
public enum QuestionnaireDefinition {
    static let topKeys: Set<String> = ["code", "title", "purpose", "description", "questions"]
    static let questionKeys: Set<String> = ["id", "text", "kind", "required", "group", "grades", "options", "min", "max",
                                            "max_length"]
    static let optionKeys: Set<String> = ["text", "risk"]
    public static let maximumPoints = 10
    /// The keys of a definition file as the questionnaire form labels them.
    static let formLabels: [String: String] = [
        "code": "Код", "title": "Название", "purpose": "Назначение", "description": "Пояснение для отвечающих",
        "questions": "Вопросы", "id": "Код вопроса", "text": "Текст", "kind": "Тип ответа", "required": "Обязательный",
        "group": "Кто отвечает", "grades": "Классы", "options": "Варианты ответа", "min": "Наименьшее",
        "max": "Наибольшее", "max_length": "Длина ответа", "risk": "Баллы факторам риска",
    ]

    /// The questionnaire a tree describes, or every mistake in it.
    public static func parse(_ root: DefinitionNode, file: String) throws(QuestionnaireDefinitionError) -> Questionnaire {
        var reader = Reader()
        let questionnaire = reader.questionnaire(root)
        if let questionnaire, reader.problems.isEmpty { return questionnaire }
        let problems = reader.problems.isEmpty ? [DefinitionProblem(line: root.line, message: "анкета не прочитана")] : reader.problems
        throw QuestionnaireDefinitionError(file: file, problems: problems.sorted { $0.line < $1.line })
    }

    /// The same questionnaire as the tree a file would hold (for the stored JSON and `opora questionnaire export`);
    /// parsing it gives the questionnaire back.
    public static func tree(_ questionnaire: Questionnaire) -> DefinitionNode {
        func scalar(_ text: String) -> DefinitionNode { .scalar(text, line: 0) }
        func entry(_ key: String, _ value: DefinitionNode) -> DefinitionEntry { DefinitionEntry(key: key, value: value) }
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        var top = [entry("code", scalar(questionnaire.code)), entry("title", scalar(questionnaire.title)),
                   entry("purpose", scalar(questionnaire.purpose.rawValue))]
        if !questionnaire.description.isEmpty { top.append(entry("description", scalar(questionnaire.description))) }
        let questions = questionnaire.questions.map { question -> DefinitionNode in
            var fields = [entry("id", scalar(question.id)), entry("group", scalar(question.group.code)),
                          entry("kind", scalar(question.kind.code)), entry("text", scalar(question.text))]
            if !question.required { fields.append(entry("required", scalar("false"))) }
            switch question.kind {
            case .scale(let range) where range != QuestionKind.scaleRange:
                fields += [entry("min", scalar(String(range.lowerBound))), entry("max", scalar(String(range.upperBound)))]
            case .number(let min, let max):
                fields += [entry("min", scalar(number(min))), entry("max", scalar(number(max)))]
            case .text(let length):
                fields.append(entry("max_length", scalar(String(length))))
            default: break
            }
            if question.kind.hasOptions {
                fields.append(entry("options", .list(question.options.map { option in
                    var parts = [entry("text", scalar(option.text))]
                    if !option.risk.isEmpty {
                        parts.append(entry("risk", .map(option.risk.keys.sorted().map {
                            entry(String($0), scalar(String(option.risk[$0]!)))
                        }, line: 0)))
                    }
                    return .map(parts, line: 0)
                }, line: 0)))
            }
            return .map(fields, line: 0)
        }
        top.append(entry("questions", .list(questions, line: 0)))
        return .map(top, line: 0)
    }

    struct Reader {
        var problems: [DefinitionProblem] = []

        mutating func fail(_ line: Int, _ question: String? = nil, _ message: String, key: String? = nil) {
            problems.append(DefinitionProblem(line: line, question: question, message: message, key: key))
        }

        mutating func fields(_ node: DefinitionNode, allowed: Set<String>, what: String, question: String? = nil)
            -> [String: DefinitionNode]? {
            guard case .map(let entries, let line) = node else {
                fail(node.line, question, "\(what) — ожидается набор полей «ключ: значение»")
                return nil
            }
            var found: [String: DefinitionNode] = [:]
            for entry in entries {
                if !allowed.contains(entry.key) {
                    fail(entry.value.line, question,
                         "неизвестное поле «\(entry.key)»; допустимы: \(allowed.sorted().joined(separator: ", "))")
                } else if found[entry.key] != nil {
                    fail(entry.value.line, question, "поле «\(entry.key)» указано дважды")
                } else {
                    found[entry.key] = entry.value
                }
            }
            _ = line
            return found
        }

        /// A one-line text: required, within its limit, without control or direction characters.
        mutating func text(_ node: DefinitionNode?, key: String, limit: Int, in parent: DefinitionNode, question: String? = nil,
                           required: Bool = true, multiline: Bool = false) -> String? {
            guard let node else {
                if required { fail(parent.line, question, "нет поля «\(key)»", key: key) }
                return required ? nil : ""
            }
            guard let raw = node.text else {
                fail(node.line, question, "«\(key)»: ожидается текст", key: key)
                return nil
            }
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if required { fail(node.line, question, "«\(key)» не заполнено", key: key) }
                return required ? nil : ""
            }
            if let problem = TextInput.problem(in: value, limit: limit, multiline: multiline) {
                fail(node.line, question, "«\(key)»: \(problem)", key: key)
                return nil
            }
            return value
        }

        mutating func integer(_ node: DefinitionNode, key: String, question: String?) -> Int? {
            guard let text = node.text, let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                fail(node.line, question, "«\(key)»: ожидается целое число, а указано «\(node.text ?? "список")»")
                return nil
            }
            return value
        }

        mutating func decimal(_ node: DefinitionNode, key: String, question: String?) -> Double? {
            let text = node.text?.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            guard let text, let value = Double(text), value.isFinite else {
                fail(node.line, question, "«\(key)»: ожидается число, а указано «\(node.text ?? "список")»")
                return nil
            }
            return value
        }

        mutating func questionnaire(_ root: DefinitionNode) -> Questionnaire? {
            guard let top = fields(root, allowed: QuestionnaireDefinition.topKeys, what: "анкета") else { return nil }
            let code = text(top["code"], key: "code", limit: Questionnaire.codeLength, in: root)
            if let code, let node = top["code"], !QuestionnaireDefinition.isCode(code) {
                fail(node.line, nil, "«code»: только латинские буквы, цифры, «_» и «-», а указано «\(code)»", key: "code")
            }
            let title = text(top["title"], key: "title", limit: Questionnaire.titleLength, in: root)
            let description = text(top["description"], key: "description", limit: 4000, in: root, required: false, multiline: true)
            var purpose = QuestionnairePurpose.other
            if let node = top["purpose"] {
                if let value = node.text.flatMap(QuestionnaireDefinition.purpose(parsing:)) {
                    purpose = value
                } else {
                    let known = QuestionnairePurpose.allCases.map(\.rawValue).joined(separator: ", ")
                    fail(node.line, nil, "«purpose»: неизвестное назначение «\(node.text ?? "")»; допустимы: \(known)")
                }
            }
            var questions: [Question] = []
            switch top["questions"] {
            case .list(let items, let line):
                if items.isEmpty { fail(line, nil, "в анкете нет ни одного вопроса") }
                if items.count > Questionnaire.maximumQuestions {
                    fail(line, nil, "вопросов \(items.count), а можно не больше \(Questionnaire.maximumQuestions)")
                }
                var seen: [String: Int] = [:]
                for item in items.prefix(Questionnaire.maximumQuestions) {
                    guard let question = self.question(item) else { continue }
                    if let first = seen[question.id] {
                        fail(item.line, question.id, "такой id уже есть у вопроса в строке \(first); id вопросов не повторяются")
                    } else {
                        seen[question.id] = item.line
                        questions.append(question)
                    }
                }
            case .some(let node): fail(node.line, nil, "«questions»: ожидается список вопросов")
            case nil: fail(root.line, nil, "нет поля «questions» (список вопросов)")
            }
            guard let code, let title, let description else { return nil }
            return Questionnaire(code: code, title: title, purpose: purpose, description: description, questions: questions)
        }

        mutating func question(_ node: DefinitionNode) -> Question? {
            let before = problems.count
            // The id names the question in every message, even those about fields read before it.
            var named: String?
            if case .map(let entries, _) = node { named = entries.first { $0.key == "id" }?.value.text }
            let allowed = QuestionnaireDefinition.questionKeys
            guard let fields = fields(node, allowed: allowed, what: "вопрос", question: named) else { return nil }
            guard let id = text(fields["id"], key: "id", limit: 40, in: node) else { return nil }
            if !QuestionnaireDefinition.isCode(id) {
                fail(fields["id"]!.line, id, "«id»: только латинские буквы, цифры, «_» и «-»")
            }
            let questionText = text(fields["text"], key: "text", limit: Questionnaire.questionTextLength, in: node, question: id)
            var required = true
            if let flag = fields["required"] {
                switch flag.text?.lowercased() {
                case "true", "yes", "да": required = true
                case "false", "no", "нет": required = false
                default: fail(flag.line, id, "«required»: ожидается true или false, а указано «\(flag.text ?? "список")»")
                }
            }
            let group = self.group(fields, in: node, question: id)
            let kind = self.kind(fields, in: node, question: id)
            var options: [AnswerOption] = []
            if let kind {
                if kind.hasOptions {
                    options = self.options(fields["options"], in: node, question: id)
                } else if let extra = fields["options"] {
                    fail(extra.line, id, "у вопроса вида «\(kind.code)» не бывает вариантов ответа; "
                         + "уберите «options» или выберите single / multiple")
                }
            }
            guard problems.count == before, let questionText, let group, let kind else { return nil }
            return Question(id: id, text: questionText, kind: kind, required: required, group: group, options: options)
        }

        mutating func group(_ fields: [String: DefinitionNode], in node: DefinitionNode, question: String) -> RespondentGroup? {
            guard let groupNode = fields["group"] else {
                fail(node.line, question, "нет поля «group» (director, teacher, pupil, parent)")
                return nil
            }
            let word = RiskFactor.comparable(groupNode.text ?? "")
            let grades = fields["grades"]
            switch word {
            case "director", "директор":
                if let grades { fail(grades.line, question, "«grades» указывают только для учеников (group: pupil)") }
                return .director
            case "teacher", "teachers", "учитель", "учителя", "педагоги":
                if let grades { fail(grades.line, question, "«grades» указывают только для учеников (group: pupil)") }
                return .teacher
            case "parent", "parents", "родитель", "родители":
                if let grades { fail(grades.line, question, "«grades» указывают только для учеников (group: pupil)") }
                return .parent
            case "pupil", "pupils", "ученик", "ученики", "обучающиеся":
                guard let grades else {
                    fail(groupNode.line, question, "для учеников нужны классы: «grades: 5-9» (с какого по какой класс)")
                    return nil
                }
                guard let range = QuestionnaireDefinition.grades(parsing: grades) else {
                    fail(grades.line, question,
                         "«grades»: ожидается диапазон классов от 1 до 11, например «5-9», а указано «\(grades.text ?? "список")»")
                    return nil
                }
                return .pupil(grades: range)
            default:
                if let group = RespondentGroup(code: word) { return group }
                fail(groupNode.line, question, "неизвестная группа «\(groupNode.text ?? "")»; допустимы: director, teacher, pupil, parent")
                return nil
            }
        }

        mutating func kind(_ fields: [String: DefinitionNode], in node: DefinitionNode, question: String) -> QuestionKind? {
            guard let kindNode = fields["kind"] else {
                fail(node.line, question, "нет поля «kind» (single, multiple, scale, number, text)")
                return nil
            }
            let word = kindNode.text?.lowercased() ?? ""
            let minimum = fields["min"], maximum = fields["max"], length = fields["max_length"]
            func noLimits(_ nodes: (String, DefinitionNode?)...) {
                for case let (key, node?) in nodes { fail(node.line, question, "«\(key)» не бывает у вопроса вида «\(word)»") }
            }
            switch word {
            case "single", "multiple":
                noLimits(("min", minimum), ("max", maximum), ("max_length", length))
                return word == "single" ? .singleChoice : .multipleChoice
            case "scale":
                noLimits(("max_length", length))
                let low = minimum.flatMap { integer($0, key: "min", question: question) } ?? QuestionKind.scaleRange.lowerBound
                let high = maximum.flatMap { integer($0, key: "max", question: question) } ?? QuestionKind.scaleRange.upperBound
                guard QuestionKind.scaleRange.contains(low), QuestionKind.scaleRange.contains(high), low < high else {
                    fail((minimum ?? maximum ?? kindNode).line, question, "шкала — от 1 до 5 баллов, а указано \(low)–\(high)")
                    return nil
                }
                return .scale(low...high)
            case "number":
                noLimits(("max_length", length))
                guard let minimum, let maximum else {
                    fail(kindNode.line, question, "для числа укажите «min» и «max» — допустимые значения")
                    return nil
                }
                guard let low = decimal(minimum, key: "min", question: question),
                      let high = decimal(maximum, key: "max", question: question) else { return nil }
                guard low <= high else {
                    fail(minimum.line, question, "«min» больше «max»")
                    return nil
                }
                return .number(min: low, max: high)
            case "text":
                noLimits(("min", minimum), ("max", maximum))
                guard let length else { return .text(maxLength: QuestionKind.defaultTextLength) }
                guard let value = integer(length, key: "max_length", question: question) else { return nil }
                guard (1...QuestionKind.longestText).contains(value) else {
                    fail(length.line, question, "«max_length» — от 1 до \(QuestionKind.longestText) символов, а указано \(value)")
                    return nil
                }
                return .text(maxLength: value)
            default:
                fail(kindNode.line, question,
                     "неизвестный вид вопроса «\(kindNode.text ?? "")»; допустимы: single, multiple, scale, number, text")
                return nil
            }
        }

        mutating func options(_ node: DefinitionNode?, in parent: DefinitionNode, question: String) -> [AnswerOption] {
            guard case .list(let items, let line) = node else {
                fail(node?.line ?? parent.line, question, "у вопроса с выбором нет вариантов ответа: нужен список «options»")
                return []
            }
            if items.count < 2 {
                fail(line, question, "у вопроса с выбором нужно не меньше двух вариантов ответа, а указано \(items.count)")
            }
            if items.count > Questionnaire.maximumOptions {
                fail(line, question, "вариантов \(items.count), а можно не больше \(Questionnaire.maximumOptions)")
            }
            var options: [AnswerOption] = []
            var texts: [String: Int] = [:]
            for item in items.prefix(Questionnaire.maximumOptions) {
                var option: AnswerOption?
                if case .scalar = item {
                    option = text(item, key: "options", limit: Questionnaire.optionTextLength, in: item, question: question)
                        .map { AnswerOption(text: $0) }
                } else if let fields = fields(item, allowed: QuestionnaireDefinition.optionKeys, what: "вариант ответа",
                                              question: question),
                          let value = text(fields["text"], key: "text", limit: Questionnaire.optionTextLength, in: item,
                                           question: question) {
                    option = AnswerOption(text: value, risk: risk(fields["risk"], question: question))
                }
                guard let option else { continue }
                if let first = texts[option.text] {
                    fail(item.line, question, "вариант «\(option.text)» повторяет вариант из строки \(first)")
                }
                texts[option.text] = item.line
                options.append(option)
            }
            return options
        }

        mutating func risk(_ node: DefinitionNode?, question: String) -> [Int: Int] {
            guard let node else { return [:] }
            guard case .map(let entries, _) = node else {
                fail(node.line, question, "«risk»: ожидается «номер фактора: баллы», например «3: 2»")
                return [:]
            }
            var points: [Int: Int] = [:]
            for entry in entries {
                guard let factor = RiskFactor.number(parsing: entry.key) else {
                    fail(entry.value.line, question, "неизвестный фактор риска «\(entry.key)»; факторы — номера от 1 до 12")
                    continue
                }
                guard let value = integer(entry.value, key: "risk", question: question) else { continue }
                guard (0...QuestionnaireDefinition.maximumPoints).contains(value) else {
                    fail(entry.value.line, question,
                         "баллы фактора \(factor) — от 0 до \(QuestionnaireDefinition.maximumPoints), а указано \(value)")
                    continue
                }
                if points[factor] != nil { fail(entry.value.line, question, "фактор \(factor) указан дважды") }
                points[factor] = value
            }
            return points
        }
    }

    /// Codes and ids: Latin letters, digits, «_» and «-» (they go into links and form fields).
    public static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
        }
    }

    public static func purpose(parsing text: String) -> QuestionnairePurpose? {
        switch RiskFactor.comparable(text) {
        case "risk", "риски", "профиль рисков": .risk
        case "satisfaction", "удовлетворенность": .satisfaction
        case "training", "обучение", "потребность в обучении": .training
        case "other", "другое": .other
        default: nil
        }
    }

    /// «5-9», «5–9», «5» or a list [5, 9]: grades within 1–11.
    static func grades(parsing node: DefinitionNode) -> ClosedRange<Int>? {
        var bounds: [Int]
        switch node {
        case .scalar(let text, _):
            bounds = text.split(whereSeparator: { "-–— ".contains($0) }).compactMap { Int($0) }
            if bounds.count != text.split(whereSeparator: { "-–— ".contains($0) }).count { return nil }
        case .list(let items, _):
            bounds = items.compactMap { $0.text.flatMap { Int($0) } }
            if bounds.count != items.count { return nil }
        case .map: return nil
        }
        if bounds.count == 1 { bounds.append(bounds[0]) }
        guard bounds.count == 2, bounds[0] <= bounds[1], RespondentGroup.gradeRange.contains(bounds[0]),
              RespondentGroup.gradeRange.contains(bounds[1]) else { return nil }
        return bounds[0]...bounds[1]
    }
}
