/// A fragment of HTML that is safe to output: every text and attribute value went through `escape`.
/// (Why not Plot: it does not escape attribute values, and forms here echo user data in `value="…"`.)
public struct HTMLNode: Sendable {
    public let rendered: String

    init(rendered: String) { self.rendered = rendered }

    public static let empty = HTMLNode(rendered: "")

    public static func text(_ value: String) -> HTMLNode { HTMLNode(rendered: escape(value)) }
    /// Markup produced by our own code (e.g. an SVG chart); never pass user input here.
    public static func trusted(_ markup: String) -> HTMLNode { HTMLNode(rendered: markup) }

    public static func escape(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildBlock(_ parts: HTMLNode...) -> HTMLNode { HTMLNode(rendered: parts.map(\.rendered).joined()) }
    public static func buildExpression(_ node: HTMLNode) -> HTMLNode { node }
    public static func buildExpression(_ text: String) -> HTMLNode { .text(text) }
    public static func buildExpression(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(rendered: nodes.map(\.rendered).joined()) }
    public static func buildOptional(_ node: HTMLNode?) -> HTMLNode { node ?? .empty }
    public static func buildEither(first: HTMLNode) -> HTMLNode { first }
    public static func buildEither(second: HTMLNode) -> HTMLNode { second }
    public static func buildArray(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(rendered: nodes.map(\.rendered).joined()) }
}

/// An attribute; `nil` values are left out, `""` renders a bare boolean attribute.
public struct Attr: Sendable {
    let name: String
    let value: String?

    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }

    public static func `class`(_ value: String) -> Attr { Attr("class", value) }
    public static func id(_ value: String) -> Attr { Attr("id", value) }
    public static func href(_ value: String) -> Attr { Attr("href", value) }
    public static func name(_ value: String) -> Attr { Attr("name", value) }
    public static func value(_ value: String?) -> Attr { Attr("value", value ?? "") }
    public static func type(_ value: String) -> Attr { Attr("type", value) }
    public static func action(_ value: String) -> Attr { Attr("action", value) }
    public static func method(_ value: String) -> Attr { Attr("method", value) }
    public static func title(_ value: String) -> Attr { Attr("title", value) }
    public static func `for`(_ value: String) -> Attr { Attr("for", value) }
    public static let required = Attr("required", "")
    public static let selected = Attr("selected", "")
    public static let checked = Attr("checked", "")
    public static func when(_ condition: Bool, _ attr: Attr) -> Attr { condition ? attr : Attr(attr.name, nil) }
}

private let voidElements: Set<String> = ["input", "br", "meta", "link", "hr", "img"]

public func el(_ tag: String, _ attributes: Attr..., @HTMLBuilder content: () -> HTMLNode = { .empty }) -> HTMLNode {
    element(tag, attributes, content())
}

public func element(_ tag: String, _ attributes: [Attr], _ content: HTMLNode) -> HTMLNode {
    var html = "<" + tag
    for attribute in attributes {
        guard let value = attribute.value else { continue }
        html += value.isEmpty && ["required", "selected", "checked", "disabled", "readonly", "multiple"].contains(attribute.name)
            ? " \(attribute.name)"
            : " \(attribute.name)=\"\(HTMLNode.escape(value))\""
    }
    html += ">"
    if voidElements.contains(tag) { return HTMLNode(rendered: html) }
    return HTMLNode(rendered: html + content.rendered + "</\(tag)>")
}
