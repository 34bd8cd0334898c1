import OporaDomain

/// Errors that the web layer turns into clear messages (and HTTP statuses) for the user.
public enum RepositoryError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Someone else saved the record after it was opened: nothing was overwritten.
    case conflict(entity: String)
    case notFound(entity: String)
    case invalid(field: String, message: String)
    case duplicate(field: String, value: String)

    public var description: String {
        switch self {
        case .conflict: "Запись уже изменил другой пользователь. Ваши изменения не сохранены — откройте запись заново и повторите."
        case .notFound(let entity): "Не найдено: \(entity)"
        case .invalid(let field, let message): "\(field): \(message)"
        case .duplicate(let field, let value): "\(field): значение «\(value)» уже занято"
        }
    }
}

extension RepositoryError {
    /// Refuses text over its field's limit or holding a character `TextInput` forbids (a name: one line), with
    /// the field named; the text itself is never cut or cleaned.
    public static func check(_ text: String?, field: String, limit: Int, multiline: Bool = false) throws {
        guard let text, let problem = TextInput.problem(in: text, limit: limit, multiline: multiline) else { return }
        throw RepositoryError.invalid(field: field, message: problem)
    }
}
