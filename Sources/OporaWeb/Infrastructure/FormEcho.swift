/// A form the server refused, echoed back into the page it came from: the action it posted to, every value
/// the user typed (the version they started from included, so a blind second submit conflicts again) and why.
/// Nothing typed is lost on a conflict or an invalid value.
struct FormEcho: Sendable {
    let action: String
    let values: [String: String]
    let message: String

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
}
