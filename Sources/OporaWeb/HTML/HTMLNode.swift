import NIOCore
import OporaDomain

/// A fragment of HTML that is safe to output: every text and attribute value went through `escape`.
/// (Why not Plot: it does not escape attribute values, and forms here echo user data in `value="…"`.)
///
/// A page is a tree of nodes written out once, at the end, into one buffer: nesting does not copy the
/// markup of the children at every level (a table of a hundred rows inside six elements is written once).
public struct HTMLNode: Sendable {
    indirect enum Storage: Sendable {
        /// Escaped text or trusted markup.
        case markup(String)
        case element(tag: String, opening: String, children: [HTMLNode])
        case fragment([HTMLNode])
    }

    let storage: Storage

    init(rendered: String) { storage = .markup(rendered) }
    init(_ storage: Storage) { self.storage = storage }

    public static let empty = HTMLNode(.fragment([]))
    /// Several nodes side by side, without an element around them.
    public static func fragment(@HTMLBuilder _ content: () -> HTMLNode) -> HTMLNode { content() }

    public static func text(_ value: String) -> HTMLNode { HTMLNode(rendered: escape(value)) }
    /// Markup produced by our own code (e.g. an SVG chart); never pass user input here.
    public static func trusted(_ markup: String) -> HTMLNode { HTMLNode(rendered: markup) }

    /// The markup as one string.
    public var rendered: String {
        var buffer = ByteBuffer()
        write(into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes the markup into `buffer` (a response body is written straight from the tree).
    func write(into buffer: inout ByteBuffer) {
        switch storage {
        case .markup(let text):
            buffer.writeString(text)
        case .element(let tag, let opening, let children):
            buffer.writeString(opening)
            guard !voidElements.contains(tag) else { return }
            for child in children { child.write(into: &buffer) }
            buffer.writeStaticString("</")
            buffer.writeString(tag)
            buffer.writeStaticString(">")
        case .fragment(let children):
            for child in children { child.write(into: &buffer) }
        }
    }

    public static func escape(_ value: String) -> String { MarkupEscape.html(value) }
}

@resultBuilder
public enum HTMLBuilder {
    public static func buildBlock(_ parts: HTMLNode...) -> HTMLNode { HTMLNode(.fragment(parts)) }
    public static func buildExpression(_ node: HTMLNode) -> HTMLNode { node }
    public static func buildExpression(_ text: String) -> HTMLNode { .text(text) }
    public static func buildExpression(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(.fragment(nodes)) }
    public static func buildOptional(_ node: HTMLNode?) -> HTMLNode { node ?? .empty }
    public static func buildEither(first: HTMLNode) -> HTMLNode { first }
    public static func buildEither(second: HTMLNode) -> HTMLNode { second }
    public static func buildArray(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(.fragment(nodes)) }
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
private let booleanAttributes: Set<String> = ["required", "selected", "checked", "disabled", "readonly", "multiple"]

public func el(_ tag: String, _ attributes: Attr..., @HTMLBuilder content: () -> HTMLNode = { .empty }) -> HTMLNode {
    element(tag, attributes, content())
}

public func element(_ tag: String, _ attributes: [Attr], _ content: HTMLNode) -> HTMLNode {
    var opening = "<" + tag
    for attribute in attributes {
        guard let value = attribute.value else { continue }
        if value.isEmpty && booleanAttributes.contains(attribute.name) {
            opening += " " + attribute.name
        } else {
            opening += " " + attribute.name + "=\"" + HTMLNode.escape(value) + "\""
        }
    }
    opening += ">"
    return HTMLNode(.element(tag: tag, opening: opening, children: [content]))
}
