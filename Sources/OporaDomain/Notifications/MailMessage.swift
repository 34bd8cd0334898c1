import Foundation

/// One e-mail as the outbox keeps it: plain UTF-8 text, one recipient.
public struct MailMessage: Sendable, Hashable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String

    public init(from: String, to: String, subject: String, body: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// What a mail address may be: one `local@domain` with no spaces, angle brackets or line breaks (anything else
/// could smuggle a second recipient or a header into the SMTP dialogue).
public enum MailAddress {
    public static let maxLength = 254

    public static func isValid(_ text: String) -> Bool {
        guard text.count <= maxLength, !text.isEmpty else { return false }
        let forbidden = CharacterSet(charactersIn: " <>\r\n\t,;\"()[]\\").union(.controlCharacters)
        guard text.unicodeScalars.allSatisfy({ !forbidden.contains($0) && $0.isASCII }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return false
        }
        return true
    }

    /// Says what is wrong with a typed address (nil when it is empty or fine).
    public static let problemMessage = "адрес электронной почты вида name@example.ru, без пробелов"

    /// The address as stored: trimmed and lower-cased; nil for an empty field; or what is wrong, in Russian.
    public static func normalized(_ text: String?) -> (address: String?, problem: String?) {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return (nil, nil) }
        return isValid(trimmed) ? (trimmed.lowercased(), nil) : (nil, problemMessage)
    }
}

/// The message on the wire (RFC 5322 with MIME): UTF-8 subject as an RFC 2047 encoded word, body in base64 lines
/// of 76 characters, CRLF line ends, and the DATA section dot-stuffed (RFC 5321 §4.5.2).
public enum MailEncoding {
    /// `=?UTF-8?B?…?=` words of at most 75 characters each, split between characters (never inside one).
    public static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 && $0 != "=" && $0 != "?" }) && text.count <= 70 { return text }
        var words: [String] = [], chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            // 45 bytes of UTF-8 → 60 characters of base64 + 12 of the frame = 72 ≤ 75.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// The body's UTF-8 in base64 lines of 76 characters.
    public static func base64Body(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return Data(normalized.utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }

    /// A line starting with «.» gets a second one, so no line of the content ends the DATA section.
    public static func dotStuffed(_ text: String) -> String {
        text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
    }

    /// Headers and body, ready for DATA (before dot-stuffing); `unsubscribe` adds List-Unsubscribe.
    public static func render(_ message: MailMessage, date: Date, messageID: String, unsubscribe: String? = nil) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var headers = [
            "From: \(message.from)",
            "To: \(message.to)",
            "Subject: \(encodedWord(message.subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        if let unsubscribe { headers.append("List-Unsubscribe: <\(unsubscribe)>") }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + base64Body(message.body) + "\r\n"
    }

    /// AUTH PLAIN's single argument: base64 of NUL user NUL password.
    public static func authPlain(user: String, password: String) -> String {
        Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
    }
}

/// When a message that failed is tried again: 1, 2, 4 … minutes, at most an hour, and given up after `maxAttempts`.
public enum MailRetry {
    public static let maxAttempts = 8

    public static func delay(afterAttempt attempt: Int, base: TimeInterval = 60) -> TimeInterval {
        min(base * pow(2, Double(max(attempt - 1, 0))), 3_600)
    }

    public static func givesUp(after attempts: Int) -> Bool { attempts >= maxAttempts }
}
