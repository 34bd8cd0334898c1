/// Russian typesetting rules for documents a person prints: a «%», a unit or a month never starts a line alone, and
/// a figure is recognised as one so that it is aligned to the right in a table.
public enum Typography {
    static let nbsp: Character = "\u{00A0}"

    /// Words that stay on the line of the number before them.
    static let units: Set<String> = [
        "%", "чел", "чел.", "ч", "ч.", "час", "часа", "часов", "г", "г.", "гг", "гг.", "год", "года", "лет", "руб", "руб.",
        "тыс", "тыс.", "млн", "балл", "балла", "баллов", "шт", "шт.", "раз", "раза", "мин", "мин.", "дн", "дн.", "дня",
        "дней", "педагогов", "школ", "ОО", "п.", "п.п.",
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]
    /// Words after which the next word stays on the same line.
    static let bound: Set<String> = ["№", "§", "п.", "ст.", "г.", "т.", "рис.", "табл."]

    /// The text with non-breaking spaces where Russian typesetting wants them: before «%» and units after a number,
    /// inside dates written with a month's name («28 февраля 2023 г.»), after «№».
    public static func nonBreaking(_ text: String) -> String {
        guard text.contains(" ") else { return text }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        var result = String(words[0])
        for index in 1..<words.count {
            let previous = words[index - 1], word = words[index]
            let afterNumber = previous.last?.isNumber == true
            let unit = units.contains(String(word)) || units.contains(String(word.prefix { $0 != "," && $0 != ";" && $0 != ")" }))
            let yearAfterMonth = word.first?.isNumber == true && monthNames.contains(String(previous))
            let glue = (afterNumber && unit) || yearAfterMonth || bound.contains(String(previous))
            result.append(glue ? nbsp : " ")
            result += word
        }
        return result
    }

    static let monthNames: Set<String> = [
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]

    /// A figure as documents print it (64,3; −1,5; 1 500; 12 %; «—» for none; with a note mark «*2»): aligned right.
    public static func isFigure(_ text: String) -> Bool {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if let star = body.lastIndex(of: "*"), body[body.index(after: star)...].allSatisfy(\.isNumber) {
            body = body[..<star]
        }
        body = Substring(body.trimmingCharacters(in: .whitespaces))
        if body == "—" { return true }
        let allowed = Set("0123456789,.−-+% \u{00A0}\u{2009}")
        return !body.isEmpty && body.contains(where: \.isNumber) && body.allSatisfy { allowed.contains($0) }
    }
}
