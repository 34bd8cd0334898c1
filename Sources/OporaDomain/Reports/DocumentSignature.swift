import Foundation

/// What makes a document one a person signs (issue 19): the body that issues it, the date it was prepared, the
/// executor who prepared it (name and phone, for the questions that follow) and, for a document that is approved
/// (the order, the programme passport, the appendix), an «УТВЕРЖДАЮ» block. People are named by their full names,
/// never by their logins.
public struct DocumentSignature: Sendable, Hashable {
    /// «Управление образования администрации …» — printed above the title.
    public var issuer: String
    public var prepared: CalendarDay
    public var executor: DocumentExecutor?
    public var approval: DocumentApproval?

    public init(issuer: String, prepared: CalendarDay, executor: DocumentExecutor? = nil, approval: DocumentApproval? = nil) {
        self.issuer = issuer
        self.prepared = prepared
        self.executor = executor
        self.approval = approval
    }

    /// The lines of the «УТВЕРЖДАЮ» block, right of the title (empty when the document is not approved).
    public var approvalLines: [String] { approval?.lines ?? [] }

    /// The lines at the document's foot: the date of preparation and the executor.
    public var footerLines: [String] {
        ["Дата подготовки: \(prepared.russian)"] + (executor.map { [$0.line] } ?? [])
    }

    /// The issuing body of a territory's documents: the one its order in force names (how the authority calls
    /// itself), else the wording an order gets when nobody names the body (`IdentificationRepository.approve`).
    public static func issuer(territory: String, recorded: String? = nil) -> String {
        let named = recorded?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return named.isEmpty ? "Орган управления образованием: \(territory)" : named
    }

    /// A person as a document names them: the full name; a login is never printed in its place.
    public static func personName(fullName: String?, login: String? = nil) -> String? {
        let name = fullName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !name.isEmpty, name != login else { return nil }
        return name
    }
}

/// The person who prepared the document: «Исполнитель: Иванова Мария Петровна, тел. +7 (3952) 20-11-22».
public struct DocumentExecutor: Sendable, Hashable {
    public var name: String
    public var phone: String?

    public init(name: String, phone: String? = nil) {
        self.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = phone?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.phone = phone.isEmpty ? nil : phone
    }

    /// Reads the CLI's `--executor "ФИО, телефон"`: the name before the first comma, the phone after it.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let name = parts.first, !name.isEmpty, name.count <= 200 else { return nil }
        // A phone too long is refused like a name too long, never cut.
        guard parts.count < 2 || parts[1].count <= 100 else { return nil }
        self.init(name: name, phone: parts.count > 1 ? parts[1] : nil)
    }

    public var line: String { "Исполнитель: \(name)" + (phone.map { ", тел. \($0)" } ?? "") }

    /// What is wrong with a phone typed in the profile (nil: acceptable; empty clears it): up to 50 characters, at
    /// least 5 digits, no control characters.
    public static func phoneProblem(_ text: String) -> String? {
        let phone = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if phone.isEmpty { return nil }
        if phone.count > 50 { return "не длиннее 50 символов" }
        if phone.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) { return "недопустимые символы" }
        if phone.filter(\.isNumber).count < 5 { return "укажите номер: не меньше 5 цифр, например +7 (48756) 2-11-22" }
        return nil
    }
}

/// «УТВЕРЖДАЮ», the approver's position, a line for the signature with the name, and the date or the order that
/// approved. A name not known is left as a line to be written by hand, never filled with a login.
public struct DocumentApproval: Sendable, Hashable {
    public var position: String
    public var name: String?
    /// «приказ от 15.03.2023 № 21», when the approval is already recorded; else a blank date to fill in.
    public var basis: String?

    public init(position: String, name: String? = nil, basis: String? = nil) {
        self.position = position
        self.name = name.flatMap { DocumentSignature.personName(fullName: $0) }
        self.basis = basis
    }

    /// Reads the CLI's `--approver "должность, ФИО"`: the name after the last comma.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 300 else { return nil }
        if let comma = trimmed.lastIndex(of: ",") {
            let name = trimmed[trimmed.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            self.init(position: trimmed[..<comma].trimmingCharacters(in: .whitespaces), name: name)
        } else {
            self.init(position: trimmed)
        }
    }

    public var lines: [String] {
        ["УТВЕРЖДАЮ", position, "________________ " + (name ?? "________________"), basis ?? "«____» ____________ 20___ г."]
    }
}
