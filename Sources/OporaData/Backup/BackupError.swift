import Foundation

/// Why a backup or a restore stopped; every message is for the person running the command.
public enum BackupError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(String)
    case cannotRead(String)
    case compression(Int)
    /// The archive's framing, content or checksum is wrong (damaged or truncated).
    case damaged(String)
    case notAnArchive(String)
    case newerSchema([String])
    case inconsistentSchema
    case targetNotEmpty([String])
    case schemaMismatch(String)
    case unsupportedValue(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): "Не удаётся записать файл «\(path)»"
        case .cannotRead(let path): "Не удаётся прочитать файл «\(path)»"
        case .compression(let status): "Ошибка сжатия архива (zlib \(status))"
        case .damaged(let reason): "Архив повреждён или неполон: \(reason). Ничего не записано."
        case .notAnArchive(let reason): "Это не архив Опоры: \(reason). Ничего не записано."
        case .newerSchema(let unknown):
            "Архив создан более новой версией Опоры (неизвестные миграции: \(unknown.prefix(5).joined(separator: ", "))). "
                + "Обновите программу и повторите восстановление. Ничего не записано."
        case .inconsistentSchema: "Схема архива не совпадает ни с одной версией Опоры (пропущены миграции). Ничего не записано."
        case .targetNotEmpty(let tables):
            "База данных не пуста (есть записи в таблицах: \(tables.prefix(5).joined(separator: ", "))). "
                + "Восстановление выполняется только в пустую базу. Ничего не записано."
        case .schemaMismatch(let reason): "Архив не подходит к схеме базы данных: \(reason). Ничего не записано."
        case .unsupportedValue(let reason): "Значение нельзя записать в архив: \(reason)"
        }
    }
}
