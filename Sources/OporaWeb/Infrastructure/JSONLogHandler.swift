import Foundation
import Logging

/// One JSON object per line on standard error, for log collectors (`opora serve --log-format json`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(level: event.level, message: event.message, extra: event.metadata)
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        write(level: level, message: message, extra: extra)
    }

    func write(level: Logger.Level, message: Logger.Message, extra: Logger.Metadata?) {
        var object: [String: String] = ["ts": ISO8601DateFormatter().string(from: Date()), "level": level.rawValue,
                                        "logger": label, "msg": message.description]
        for (key, value) in metadata.merging(extra ?? [:], uniquingKeysWith: { $1 }) { object[key] = value.description }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
