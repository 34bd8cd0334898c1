import Foundation
import OporaDomain
import Yams

/// Reads a questionnaire definition (docs/SURVEYS.md «Формат анкеты») from YAML or JSON — JSON is read as YAML, so
/// both give the lines of their values — and writes it back as YAML (export) or canonical JSON (what is stored).
public enum QuestionnaireFile {
    /// The largest definition accepted (two hundred questions with long texts fit many times over).
    public static let largestFile = 1_000_000

    public static func read(_ text: String, file: String) throws(QuestionnaireDefinitionError) -> Questionnaire {
        try QuestionnaireDefinition.parse(tree(text, file: file), file: file)
    }

    public static func load(path: String) throws -> Questionnaire {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QuestionnaireDefinitionError(file: path, problems: [DefinitionProblem(line: 0, message: "файл не найден")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw QuestionnaireDefinitionError(file: path, problems: [DefinitionProblem(line: 1, message: "файл не в кодировке UTF-8")])
        }
        return try read(text, file: path)
    }

    /// The file as a tree of texts with their lines; a syntax error names its line.
    static func tree(_ text: String, file: String) throws(QuestionnaireDefinitionError) -> DefinitionNode {
        func refuse(_ line: Int, _ message: String) -> QuestionnaireDefinitionError {
            QuestionnaireDefinitionError(file: file, problems: [DefinitionProblem(line: line, message: message)])
        }
        guard text.utf8.count <= largestFile else { throw refuse(1, "файл больше \(largestFile / 1000) КБ") }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw refuse(mark.line, "файл не читается как YAML или JSON: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                throw refuse(context.mark.line, "поле «\(duplicates.joined(separator: ", "))» указано дважды")
            default:
                throw refuse(1, "файл не читается как YAML или JSON: \(error)")
            }
        } catch {
            throw refuse(1, "файл не читается как YAML или JSON: \(error)")
        }
        guard let node else { throw refuse(1, "файл пуст") }
        return convert(node, depth: 0)
    }

    static func convert(_ node: Node, depth: Int) -> DefinitionNode {
        let line = node.mark?.line ?? 0
        guard depth < 32 else { return .scalar("", line: line) }
        switch node {
        case .scalar(let scalar):
            let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return .scalar(isNull ? "" : scalar.string, line: line)
        case .sequence(let sequence):
            return .list(sequence.map { convert($0, depth: depth + 1) }, line: line)
        case .mapping(let mapping):
            return .map(mapping.map { key, value in
                DefinitionEntry(key: key.string ?? "", value: convert(value, depth: depth + 1))
            }, line: line)
        case .alias:
            return .scalar("", line: line)
        }
    }

    /// The definition as YAML a person edits: Cyrillic as it is, keys in the format's order.
    public static func yaml(_ questionnaire: Questionnaire) throws -> String {
        func node(_ tree: DefinitionNode) -> Node {
            switch tree {
            case .scalar(let text, _): Node(text)
            case .list(let items, _): Node(items.map(node))
            case .map(let entries, _): Node(entries.map { (Node($0.key), node($0.value)) })
            }
        }
        return try Yams.serialize(node: node(QuestionnaireDefinition.tree(questionnaire)), width: -1, allowUnicode: true)
    }

    /// The definition as JSON with its keys in the format's order: what the store keeps and compares
    /// (the same content gives the same text).
    public static func json(_ questionnaire: Questionnaire) -> String {
        var out = ""
        func string(_ text: String) {
            out += "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0xFEFF].contains(scalar.value):
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
        func write(_ tree: DefinitionNode) {
            switch tree {
            case .scalar(let text, _): string(text)
            case .list(let items, _):
                out += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { out += "," }
                    write(item)
                }
                out += "]"
            case .map(let entries, _):
                out += "{"
                for (index, entry) in entries.enumerated() {
                    if index > 0 { out += "," }
                    string(entry.key)
                    out += ":"
                    write(entry.value)
                }
                out += "}"
            }
        }
        write(QuestionnaireDefinition.tree(questionnaire))
        return out
    }
}
