import OporaDomain

/// A form the server refused, echoed back into the page it came from: the action it posted to, every value
/// the user typed (the version they started from included, so a blind second submit conflicts again) and why —
/// as a whole (`message`) and beside each field that is wrong (`fieldErrors`) or asks to be confirmed
/// (`warnings`, a date far from today). Nothing typed is lost on a conflict or an invalid value.
struct FormEcho: Sendable {
    let action: String
    let values: [String: String]
    let message: String
    /// Input name → what is wrong with it, in the user's words (no field name: it stands beside the field).
    var fieldErrors: [String: String] = [:]
    /// Input name → why the value looks like a slip; the form shows a «the date is right» box to confirm it.
    var warnings: [String: String] = [:]

    /// The typed value when this form is the one echoed, else the stored one.
    func value(_ field: String, for action: String, stored: String) -> String {
        self.action == action ? (values[field] ?? stored) : stored
    }
}

extension Optional where Wrapped == FormEcho {
    func value(_ field: String, for action: String, stored: String) -> String {
        self?.value(field, for: action, stored: stored) ?? stored
    }

    func message(for action: String) -> String? {
        guard let echo = self, echo.action == action else { return nil }
        return echo.message
    }

    /// What is wrong with one field of the echoed form, to show beside it.
    func error(_ field: String, for action: String) -> String? {
        guard let echo = self, echo.action == action else { return nil }
        return echo.fieldErrors[field]
    }

    func warning(_ field: String, for action: String) -> String? {
        guard let echo = self, echo.action == action else { return nil }
        return echo.warnings[field]
    }
}
