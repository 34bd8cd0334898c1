import Foundation
import OporaData
import Vapor

/// Files that passed the preview wait here until the user commits them: a folder only this server's user can
/// open (0700, files 0600), checked to be a real directory owned by us before anything is written into it.
/// A file nobody committed within a day is removed by the next upload; rejected files are never kept.
enum PendingUploads {
    static let lifetime: TimeInterval = 24 * 3600

    static var directory: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("opora-uploads-\(geteuid())", isDirectory: true)
    }

    /// The folder, created if missing; refuses one that another user made, or a link placed where it should be.
    static func privateDirectory() throws -> URL {
        let url = directory
        if mkdir(url.path, 0o700) != 0 && errno != EEXIST {
            throw Abort(.internalServerError, reason: "Не удалось подготовить папку для загрузок")
        }
        var status = stat()
        guard lstat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == geteuid() else {
            throw Abort(.internalServerError, reason: "Папка для загрузок занята другим пользователем системы")
        }
        if status.st_mode & 0o077 != 0 { chmod(url.path, 0o700) }
        return url
    }

    static func store(_ bytes: [UInt8], userID: Int, now: Date = Date()) throws -> String {
        let folder = try privateDirectory()
        removeStale(in: folder, now: now)
        let token = "\(userID)-" + [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined()
        let path = folder.appendingPathComponent(token).path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw Abort(.internalServerError, reason: "Не удалось сохранить файл для загрузки") }
        defer { close(descriptor) }
        var written = 0
        try bytes.withUnsafeBufferPointer { buffer in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw Abort(.internalServerError, reason: "Не удалось сохранить файл для загрузки") }
                written += count
            }
        }
        return token
    }

    static func removeStale(in folder: URL, now: Date) {
        let files =
            (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for file in files {
            guard let modified = try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate,
                  now.timeIntervalSince(modified) > lifetime else { continue }
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// The waiting file of this user, removed from the folder (a token is used once).
    static func take(_ token: String, userID: Int) throws -> [UInt8] {
        guard token.hasPrefix("\(userID)-"), token.count < 80, token.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw Abort(.forbidden)
        }
        let url = directory.appendingPathComponent(token)
        guard let bytes = FileBytes.read(url.path) else {
            throw Abort(.gone, reason: "Файл для загрузки не найден (уже загружен или устарел). Выберите его снова.")
        }
        try? FileManager.default.removeItem(at: url)
        return bytes
    }
}
