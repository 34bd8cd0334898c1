import Foundation

/// The public survey form as a phone reads it: the POST form's action, its hidden fields (the one-time token) and
/// one answer per question, whatever the field names — so the tests follow the form rather than repeat it.
struct SurveyFormReader {
    let action: String?
    let hidden: [(String, String)]
    /// One answer per question: the first option of a choice, the middle of a scale, a number in range, a text.
    let answers: [(String, String)]

    init(_ html: String) {
        guard let formStart = html.range(of: "<form[^>]*method=\"post\"[^>]*>", options: [.regularExpression, .caseInsensitive])
        else {
            action = nil; hidden = []; answers = []
            return
        }
        let formTag = String(html[formStart])
        action = Self.attribute("action", in: formTag)
        let rest = html[formStart.upperBound...]
        let body = rest.range(of: "</form>").map { String(rest[..<$0.lowerBound]) } ?? String(rest)
        var hidden: [(String, String)] = []
        var answers: [(String, String)] = []
        var answered: Set<String> = []
        for tag in Self.tags("input", in: body) {
            guard let name = Self.attribute("name", in: tag) else { continue }
            let type = (Self.attribute("type", in: tag) ?? "text").lowercased()
            let value = Self.attribute("value", in: tag) ?? ""
            switch type {
            case "hidden": hidden.append((name, value))
            case "radio", "checkbox":
                if answered.insert(name).inserted { answers.append((name, value)) }
            case "number":
                let low = Self.attribute("min", in: tag).flatMap(Double.init) ?? 0
                answers.append((name, String(Int(low) + 1)))
            case "submit", "button": break
            default: answers.append((name, "Всё хорошо"))
            }
        }
        for tag in Self.tags("textarea", in: body) {
            if let name = Self.attribute("name", in: tag) { answers.append((name, "Спасибо учителям")) }
        }
        for tag in Self.tags("select", in: body) {
            if let name = Self.attribute("name", in: tag), answered.insert(name).inserted {
                let options = body.components(separatedBy: tag).dropFirst().first ?? ""
                let values = Self.tags("option", in: options).compactMap { Self.attribute("value", in: $0) }
                if let first = values.first(where: { !$0.isEmpty }) {
                    answers.append((name, first))
                }
            }
        }
        self.hidden = hidden
        self.answers = answers
    }

    var fields: [(String, String)] { hidden + answers }

    static func tags(_ name: String, in html: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: "<\(name)\\b[^>]*>", options: [.caseInsensitive]) else { return [] }
        let range = NSRange(html.startIndex..., in: html)
        return expression.matches(in: html, range: range).compactMap { Range($0.range, in: html).map { String(html[$0]) } }
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: "\\s\(name)=\"[^\"]*\"", options: .regularExpression) else { return nil }
        let raw = tag[range].drop { $0 != "\"" }.dropFirst().dropLast()
        return String(raw).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
