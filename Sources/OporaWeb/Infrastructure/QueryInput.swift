import OporaData
import OporaDomain
import Vapor

/// Query parameters read with their ranges: absent or empty means "not given"; anything else that is not a
/// number in range is a 400 with a Russian reason, never a silent default and never an overflow downstream.
extension Request {
    func queryInt(_ name: String, in range: ClosedRange<Int>, _ label: String) throws -> Int? {
        guard let text = try queryText(name, maxLength: 40) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Abort(
                .badRequest,
                reason:
                    "Параметр «\(label)»: ожидается целое число от \(range.lowerBound) до \(RussianFormat.integer(range.upperBound)), а " +
                    "не «\(text)»"
            )
        }
        return value
    }

    func queryYear() throws -> Int? { try queryInt("year", in: InputRange.year, "год") }

    /// A decimal (comma or point) in range, for thresholds typed on a page.
    func queryDecimal(_ name: String, in range: ClosedRange<Double>, _ label: String) throws -> Double? {
        guard let text = try queryText(name, maxLength: 40) else { return nil }
        guard let value = NumberParsing.decimal(text), range.contains(value) else {
            throw Abort(
                .badRequest,
                reason:
                    "Параметр «\(label)»: ожидается число от \(RussianFormat.number(range.lowerBound)) до " +
                    "\(RussianFormat.number(range.upperBound)), а не «\(text)»"
            )
        }
        return value
    }

    /// Text of a query parameter, trimmed; longer than `maxLength` is refused.
    func queryText(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let raw = query[String.self, at: name] else { return nil }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        guard text.count <= maxLength else { throw Abort(.badRequest, reason: "Параметр «\(name)» слишком длинный") }
        return text
    }

    /// One of a fixed set of values (a sort key, a format), else 400.
    func queryChoice(_ name: String, from choices: [String], default fallback: String) throws -> String {
        guard let text = try queryText(name, maxLength: 40) else { return fallback }
        guard choices.contains(text) else {
            throw Abort(.badRequest, reason: "Параметр «\(name)»: допустимо \(choices.joined(separator: ", "))")
        }
        return text
    }
}

/// Fields of a posted form, read the same way on every page: an empty field is "not given"; a date that is not
/// one is refused with the field's Russian name; a record id that cannot exist is a 404, like a foreign one.
enum FormInput {
    static func day(_ text: String?, _ field: String) throws -> CalendarDay? {
        guard let text = text.cleaned else { return nil }
        guard let day = CalendarDay(parsing: text) else { throw RepositoryError.invalid(field: field, message: CalendarDay.expected) }
        return day
    }

    static func recordID(_ text: String?) throws -> Int {
        guard let text = text.cleaned, let id = Int(text), InputRange.id.contains(id) else { throw Abort(.notFound) }
        return id
    }

    static func optionalRecordID(_ text: String?) throws -> Int? { text.cleaned == nil ? nil : try recordID(text) }

    /// A one-line name, title or code as typed (trimmed; empty is «not given»): longer than `limit` or holding a
    /// character `TextInput` refuses is a 422 naming the field — never cut, never silently cleaned — and the
    /// pages that echo their forms keep what was typed.
    static func name(_ text: String?, _ field: String, limit: Int) throws -> String? {
        try checked(text, field, limit: limit, multiline: false)
    }

    /// Text that may run over several lines (a note, findings, a list typed one item a line).
    static func text(_ text: String?, _ field: String, limit: Int) throws -> String? {
        try checked(text, field, limit: limit, multiline: true)
    }

    private static func checked(_ text: String?, _ field: String, limit: Int, multiline: Bool) throws -> String? {
        guard let typed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !typed.isEmpty else { return nil }
        try RepositoryError.check(typed, field: field, limit: limit, multiline: multiline)
        return typed
    }
}
