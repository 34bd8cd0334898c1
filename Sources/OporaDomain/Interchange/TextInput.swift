/// Text that comes from outside — a form, the API, a cell of a file — held to one standard on every path:
/// longer than its field's limit is refused with the limit named (never cut), and characters that no one types
/// but that change what a reader sees are refused: control characters (a NUL would cut a stored text short),
/// Unicode's own line and paragraph separators, and the marks that reverse the direction of text
/// («школа №5» shown as «5№ алокш», or a code that reads differently from what is stored).
public enum TextInput {
    /// A name, a title or a code: one line, so tab and line breaks are refused too.
    public static func isForbiddenInName(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x09 || scalar.value == 0x0A || scalar.value == 0x0D || isForbidden(scalar)
    }

    /// Any text (a note, findings, a list of tasks): tab and line breaks are allowed, the rest is not.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F: true
        case 0x200E, 0x200F: true            // left-to-right and right-to-left marks
        case 0x2028, 0x2029: true            // line and paragraph separators
        case 0x202A...0x202E: true           // embeddings and overrides of direction
        case 0x2066...0x2069: true           // isolates of direction
        default: false
        }
    }

    /// The first character that `multiline` text (or a one-line name) may not hold.
    public static func forbiddenCharacter(in text: String, multiline: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: multiline ? isForbidden : isForbiddenInName)
    }

    /// Why `text` is refused for a field of `limit` characters, or nil when it is accepted as it is.
    public static func problem(in text: String, limit: Int, multiline: Bool) -> String? {
        if let scalar = forbiddenCharacter(in: text, multiline: multiline) { return forbiddenMessage(scalar) }
        let length = text.count
        return length > limit ? tooLongMessage(limit: limit, length: length) : nil
    }

    public static func tooLongMessage(limit: Int, length: Int) -> String {
        "не длиннее \(RussianFormat.integer(limit)) \(RussianFormat.plural(limit, "символа", "символов", "символов")), "
            + "а введено \(RussianFormat.integer(length)); сократите текст"
    }

    public static func forbiddenMessage(_ scalar: Unicode.Scalar) -> String {
        "недопустимый символ \(code(scalar)) (\(kind(scalar))); удалите его"
    }

    /// U+202E, as a character table names it.
    public static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func kind(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: "табуляция"
        case 0x0A, 0x0D: "перевод строки"
        case 0x2028, 0x2029: "невидимый разрыв строки"
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: "невидимая смена направления текста"
        default: "управляющий символ"
        }
    }
}
