import OporaData
import OporaDomain
import Vapor

/// A posted form read field by field. Every problem is collected — not only the first — under the input's
/// name, so the page comes back with each message beside its field and every value as typed (`echo`).
///
///     var check = FormCheck(try req.formValues(), today: req.today)
///     let due = check.day("due", required: true, expect: .due)
///     let title = check.name("title", limit: 300, required: true)
///     guard check.passed, let due, let title else { return try await page(check.echo(action: req.url.path)) }
struct FormCheck {
    let values: [String: String]
    let today: CalendarDay
    private(set) var errors: [String: String] = [:]
    private(set) var warnings: [String: String] = [:]

    init(_ values: [String: String], today: CalendarDay) {
        self.values = values
        self.today = today
    }

    /// True when nothing was refused and no doubtful date waits for its confirmation.
    var passed: Bool { errors.isEmpty && warnings.isEmpty }

    /// The trimmed value, nil when empty.
    subscript(_ input: String) -> String? { values[input].cleaned }

    mutating func refuse(_ input: String, _ message: String) {
        if errors[input] == nil { errors[input] = message }
    }

    /// A value that must be given.
    mutating func required(_ input: String) -> String? {
        guard let value = self[input] else { refuse(input, "Заполните поле"); return nil }
        return value
    }

    /// A one-line name, title or code: over `limit` characters or holding a character `TextInput` refuses is
    /// refused with the limit named — never cut.
    mutating func name(_ input: String, limit: Int, required: Bool = false) -> String? {
        checkedText(input, limit: limit, multiline: false, required: required)
    }

    /// Text that may run over several lines.
    mutating func text(_ input: String, limit: Int, required: Bool = false) -> String? {
        checkedText(input, limit: limit, multiline: true, required: required)
    }

    private mutating func checkedText(_ input: String, limit: Int, multiline: Bool, required: Bool) -> String? {
        guard let typed = values[input]?.trimmingCharacters(in: .whitespacesAndNewlines), !typed.isEmpty else {
            if required { refuse(input, "Заполните поле") }
            return nil
        }
        if let problem = TextInput.problem(in: typed, limit: limit, multiline: multiline) {
            refuse(input, problem)
            return nil
        }
        return typed
    }

    /// A whole number in range.
    mutating func integer(_ input: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let text = self[input] else {
            if required { refuse(input, "Заполните поле") }
            return nil
        }
        guard let value = Int(text.replacingOccurrences(of: " ", with: "")), range.contains(value) else {
            let bounds = (RussianFormat.integer(range.lowerBound), RussianFormat.integer(range.upperBound))
            refuse(input, "Введите целое число от \(bounds.0) до \(bounds.1)")
            return nil
        }
        return value
    }

    /// A decimal typed with a comma or a point (94,5).
    mutating func decimal(_ input: String, in range: ClosedRange<Double>, required: Bool = false) -> Double? {
        guard let text = self[input] else {
            if required { refuse(input, "Заполните поле") }
            return nil
        }
        guard let value = NumberParsing.decimal(text), range.contains(value) else {
            let bounds = (RussianFormat.number(range.lowerBound), RussianFormat.number(range.upperBound))
            refuse(input, "Введите число от \(bounds.0) до \(bounds.1), например 94,5")
            return nil
        }
        return value
    }

    /// A date: an impossible one named as such (`DateInput`), one the field cannot hold refused (a visit not yet
    /// held), and one far from today asked about until the user ticks «the date is right» (`confirm_<input>`).
    mutating func day(_ input: String, required: Bool = false, expect: DateExpectation = .any) -> CalendarDay? {
        switch DateInput(values[input]) {
        case .empty:
            if required { refuse(input, "Укажите дату: ДД.ММ.ГГГГ") }
            return nil
        case .problem(let message):
            refuse(input, message)
            return nil
        case .day(let day):
            if let problem = expect.problem(day, today: today) {
                refuse(input, problem)
                return nil
            }
            if let doubt = expect.warning(day, today: today), values[FormCheck.confirmation(input)] != day.russian {
                warnings[input] = doubt
            }
            return day
        }
    }

    /// One of a fixed set (a select's options).
    mutating func choice<T: RawRepresentable>(_ input: String, _ type: T.Type, required: Bool = true) -> T?
    where T.RawValue == String {
        guard let text = self[input] else {
            if required { refuse(input, "Выберите значение") }
            return nil
        }
        guard let value = T(rawValue: text) else { refuse(input, "Выберите значение из списка"); return nil }
        return value
    }

    /// A refusal from the data layer put beside the field it concerns: `inputs` maps the repository's field
    /// names (or labels) to the form's inputs; a conflict or anything unmapped stays a message for the form.
    mutating func absorb(_ error: RepositoryError, inputs: [String: String]) -> String? {
        switch error {
        case .invalid(let field, let message):
            guard let input = inputs[field] else { return error.description }
            refuse(input, message)
            return nil
        case .duplicate(let field, let value):
            guard let input = inputs[field] else { return error.description }
            refuse(input, "«\(value)» уже занято")
            return nil
        case .conflict, .notFound:
            return error.description
        }
    }

    /// The form to show again: every value as typed, each problem beside its field.
    func echo(action: String, message: String? = nil) -> FormEcho {
        let summary = message ?? (errors.isEmpty
            ? "Проверьте отмеченные даты: если они верны, отметьте «Дата верна» и сохраните ещё раз"
            : "Не сохранено: исправьте отмеченные поля (\(errors.count))")
        return FormEcho(action: action, values: values, message: summary, fieldErrors: errors, warnings: warnings)
    }

    /// The checkbox that confirms a doubtful date carries the date it confirms, so a changed date asks again.
    static func confirmation(_ input: String) -> String { "confirm_" + input }
}

extension Request {
    /// Every field of a posted form as text (a repeated field keeps its last value); a body that is no form is
    /// an empty form, refused field by field like any other.
    func formValues() -> [String: String] {
        (try? content.decode([String: String].self)) ?? [:]
    }
}

extension FormCheck {
    /// A record chosen from a list (a school, a curator, a programme): its id, or `missing` beside the field when
    /// none was chosen. A value that is no id is refused like a stale list.
    mutating func record(_ input: String, _ missing: String, required: Bool = true) -> Int? {
        guard let text = self[input] else {
            if required { refuse(input, missing) }
            return nil
        }
        guard let id = Int(text), InputRange.id.contains(id) else { refuse(input, "Выберите значение из списка"); return nil }
        return id
    }

    /// A school chosen from its list (`— выберите школу —` left as it was is refused beside the field).
    mutating func school(_ input: String, required: Bool = true) -> Int? {
        record(input, "Выберите школу", required: required)
    }
}
