import Foundation

/// What an import would change, row by row: the rows it adds, the rows it changes (each changed cell old → new) and
/// the rows it removes, for one kind of data, with the columns named in Russian. Lists are capped (the first
/// `cap` of each) with their full counts, so a file of a million rows previews as fast as one of ten.
public struct ImportChanges: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public let column: String
        public let old: String
        public let new: String
    }

    public struct Row: Sendable, Equatable {
        public let key: [String]
        public let values: [String]
    }

    public struct Change: Sendable, Equatable {
        public let key: [String]
        public let cells: [Cell]
    }

    /// The columns that name a row (Russian), and those whose values may change.
    public let keyColumns: [String]
    public let valueColumns: [String]
    public private(set) var added: [Row] = []
    public private(set) var addedCount = 0
    public private(set) var changed: [Change] = []
    public private(set) var changedCount = 0
    public private(set) var removed: [Row] = []
    public private(set) var removedCount = 0
    public private(set) var unchangedCount = 0

    public static let shown = 50

    /// `before`: the stored rows by key (values in `valueColumns` order, "" for none); `after`: the file's rows in
    /// file order (a key twice: the last wins, as the importers do). `removes`: for a stored key the file does not
    /// list, whether the import removes it (only kinds that replace a whole set do).
    public static func compare(keyColumns: [String], valueColumns: [String], before: [[String]: [String]],
                               after: [(key: [String], values: [String])], removes: ([String]) -> Bool = { _ in false },
                               cap: Int = shown) -> ImportChanges {
        var changes = ImportChanges(keyColumns: keyColumns, valueColumns: valueColumns)
        var latest: [[String]: [String]] = [:]
        var order: [[String]] = []
        for row in after {
            if latest.updateValue(row.values, forKey: row.key) == nil { order.append(row.key) }
        }
        for key in order {
            let values = latest[key]!
            guard let old = before[key] else {
                changes.addedCount += 1
                if changes.added.count < cap { changes.added.append(Row(key: key, values: values)) }
                continue
            }
            let cells = zip(valueColumns.indices, zip(old, values)).compactMap { index, pair in
                pair.0 == pair.1 ? nil : Cell(column: valueColumns[index], old: pair.0, new: pair.1)
            }
            if cells.isEmpty {
                changes.unchangedCount += 1
            } else {
                changes.changedCount += 1
                if changes.changed.count < cap { changes.changed.append(Change(key: key, cells: cells)) }
            }
        }
        let gone = before.keys.filter { latest[$0] == nil && removes($0) }
            .sorted { $0.lexicographicallyPrecedes($1) { $0.compare($1, options: .numeric) == .orderedAscending } }
        changes.removedCount = gone.count
        changes.removed = gone.prefix(cap).map { Row(key: $0, values: before[$0]!) }
        return changes
    }

    public var isEmpty: Bool { addedCount == 0 && changedCount == 0 && removedCount == 0 }
}

/// The columns of the interchange files (CONTRACT.md) by their Russian meaning, for pages an official reads: the
/// English names stay in the files and on the command line.
public enum ImportColumnNames {
    static let common: [String: String] = [
        "code": "Код", "name": "Наименование", "municipality": "Муниципалитет", "region": "Регион",
        "short_name": "Краткое наименование", "number": "Номер", "settlement": "Тип поселения", "address": "Адрес",
        "director": "Директор", "students": "Обучающихся", "students_ovz": "Обучающихся с ОВЗ", "year": "Год",
        "procedure": "Процедура", "grade": "Класс", "subject": "Предмет", "school": "Школа", "participants": "Участников",
        "m2": "Отметка «2»", "m3": "Отметка «3»", "m4": "Отметка «4»", "m5": "Отметка «5»", "below_min": "Не преодолели порог",
        "high": "Высокий результат", "mean_score": "Средний балл", "lowered": "Понизили отметку", "confirmed": "Подтвердили отметку",
        "raised": "Повысили отметку", "student": "Код участника", "class": "Класс с литерой", "variant": "Вариант",
        "primary_score": "Первичный балл", "score": "Балл", "mark": "Отметка", "term_mark": "Отметка по журналу",
        "min_score": "Минимальный балл", "high_score": "Высокий балл", "level": "Уровень", "success_rate": "Успеваемость, %",
        "quality_rate": "Качество, %", "mean_mark": "Средняя отметка", "below_min_rate": "Не преодолели порог, %",
        "indicator": "Показатель", "value": "Значение", "factor": "Фактор риска", "source": "Источник", "comment": "Комментарий",
        "start": "Начало", "end": "Окончание", "territory": "Территория", "order_number": "Номер приказа",
        "order_date": "Дата приказа", "goal": "Цель", "programme": "Программа", "measure": "Мероприятие", "deadline": "Срок",
        "section": "Раздел", "responsible": "Ответственный", "result": "Результат", "status": "Статус", "done_on": "Дата выполнения",
        "unit": "Единица измерения", "direction": "Направление", "baseline": "Базовое значение",
        "baseline_year": "Год базового значения", "formula": "Формула", "periodicity": "Периодичность", "months": "Месяцы",
        "target": "Целевое значение", "presence": "Наличие", "dynamics": "Динамика", "documentation": "Документальное подтверждение",
        "task": "Задание", "max_points": "Максимальный балл", "requirement": "Проверяемые умения", "block": "Блок",
        "min_primary": "Наименьший первичный балл", "percent": "Выполнение, %", "reason": "Причина", "issuer": "Издавший орган",
        "authority": "Чей приказ",
        "event": "Мероприятие (код)", "title": "Название", "kind": "Вид", "hours": "Часов", "organiser": "Организатор",
        "topic": "Тема", "role": "Должность участников", "count": "Количество", "person": "Код работника",
        "position": "Должность", "category": "Квалификационная категория", "attested": "Дата аттестации",
        "course_hours": "Курсы, часов", "course_topic": "Тема курсов", "course_provider": "Организатор курсов",
        "deficit": "Профессиональный дефицит", "route": "ИОМ", "specialty": "Специалист", "staff": "Штатных",
        "part_time": "Совместителей", "vacancies": "Вакансии", "phase": "Этап мониторинга", "points": "Баллы по рубрике",
    ]

    /// Where a kind means something else by the same column.
    static let byKind: [ImportKind: [String: String]] = [
        .risks: ["level": "Значимость"],
        .benchmarks: ["name": "Наименование территории", "level": "Уровень сравнения"],
        .taskBenchmarks: ["name": "Наименование территории", "level": "Уровень сравнения"],
        .roadmap: ["number": "№ п/п"],
        .indicators: ["code": "Код показателя"],
        .indicatorValues: ["indicator": "Показатель (код)"],
        .programmes: ["level": "Уровень программы", "code": "Код программы", "school": "Школа программы"],
        .events: ["count": "Участников из школ файла"],
        .staff: ["count": "Человек"],
    ]

    /// «Участников» for `participants`; a header that is no column of the kind is returned as the user typed it.
    public static func russian(_ column: String, kind: ImportKind) -> String {
        if kind == .specialists, let specialty = Specialty(rawValue: column) { return specialty.russianName }
        return byKind[kind]?[column] ?? common[column] ?? column
    }
}

extension ImportIssue {
    /// The issue as an official reads it: «Строка 12, «Участников»: не число» — no file path (also none in «уже
    /// описана в строке f.csv:3», which reads «в строке 3»), the column by its Russian meaning, any column the
    /// message quotes («participants») translated too.
    public func forOfficial(_ kind: ImportKind) -> (place: String, column: String, message: String) {
        let place = line <= 0 ? "Файл" : line == 1 ? "Заголовок" : "Строка \(line)"
        var text = file.isEmpty ? message : message.replacingOccurrences(of: "строке \(file):", with: "строке ")
        for (english, russian) in ImportColumnNames.common.keys.map({ ($0, ImportColumnNames.russian($0, kind: kind)) })
        where text.contains("«\(english)»") {
            text = text.replacingOccurrences(of: "«\(english)»", with: "«\(russian)»")
        }
        return (place, column.isEmpty ? "" : ImportColumnNames.russian(column, kind: kind), text)
    }
}
