import OporaData
import OporaDomain

enum ImportsView {
    static func form(_ model: ImportFormModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Загрузка данных", context, active: .imports) {
            el("h1") { "Загрузка данных" }
            el("p", .class("lead")) {
                "CSV (UTF-8 или Windows-1251, разделитель «,» или «;», русские или английские заголовки) или XLSX (первый лист). "
                "Сначала вы увидите, что изменится; в базу ничего не попадёт, пока вы не подтвердите."
            }
            el("p", .class("muted")) {
                let limits = ImportLimits.standard
                "Пределы одного файла: \(ImportLimits.megabytes(limits.fileBytes)), \(RussianFormat.integer(limits.rows)) строк, "
                "\(limits.columns) столбцов, \(RussianFormat.integer(limits.cellCharacters)) символов в ячейке."
            }
            uploadForm(model, context)
        }
    }

    /// The upload form: the kind and programme as last chosen, a refused upload's reasons over it, the file asked for
    /// again (a browser never puts a file back into a page).
    static func uploadForm(_ model: ImportFormModel, _ context: PageContext) -> HTMLNode {
        HTMLNode.fragment {
            let action = ImportFormModel.action, echo = model.echo
            UI.refusal(echo, for: action)
            if !model.problems.isEmpty {
                el("ul", .class("import-problems")) { model.problems.map { problem in el("li") { problem } } }
            }
            el("form", .class("stack"), .method("post"), .action(action), Attr("enctype", "multipart/form-data")) {
                Layout.csrfField(context.csrf)
                UI.select("Что загружаем", name: "kind",
                          options: ImportKind.allCases.map { ($0.rawValue, "\($0.russianName) (\($0.rawValue))") },
                          selected: echo.value("kind", for: action, stored: model.kind.rawValue), required: true,
                          error: echo.error("kind", for: action))
                UI.select("Программа (для дорожной карты, вставленной из плана мероприятий)", name: "programme",
                          options: model.programmes.map { ($0.code, $0.label) },
                          selected: echo.value("programme", for: action, stored: model.programme),
                          includeEmpty: "— файл сам называет программу в столбце «programme» —",
                          error: echo.error("programme", for: action))
                el("p", .class("muted")) {
                    "Таблицу плана мероприятий можно вставить из Word как есть: «№ п/п», «Наименование мероприятия», «Срок реализации», "
                    "«Период», «Ответственный исполнитель», «Планируемый результат»…; заголовки разделов и годов («2021 год») "
                    "распознаются, мероприятия без номера или без срока сохраняются с предупреждением."
                }
                // A browser never puts a file back into a page, so a refused upload asks for it again beside the field.
                let again = echo.message(for: action) != nil || model.askFileAgain
                el("label", Attr("class", again ? "field invalid" : nil)) {
                    el("span") { "Файл *" }
                    el("input", .type("file"), .name("file"), .required, Attr("accept", ".csv,.txt,.xlsx"),
                       Attr("aria-describedby", again ? "file-note" : nil))
                    if again {
                        el("small", .class("field-error"), .id("file-note")) {
                            echo.error("file", for: action) ?? "Выберите файл снова: браузер не сохраняет выбранный файл"
                        }
                    }
                }
                el("div", .class("actions")) { el("button", .type("submit")) { "Проверить" } }
            }
        }
    }

    static func preview(_ model: ImportPreviewModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Проверка файла", context, active: .imports) {
            el("h1") { "Проверка файла «\(model.fileName)»" }
            switch model.outcome {
            case .ready(let summary, let token):
                el("div", .class("flash success"), Attr("role", "status")) {
                    "Файл прошёл проверку. Будет: \(summary.russianDescription). Пока ничего не записано."
                }
                if !summary.warnings.isEmpty {
                    el("h2") { "Предупреждения: \(RussianFormat.integer(summary.warnings.count))" }
                    el("p", .class("muted")) { "Файл можно загрузить; проверьте, так ли это задумано." }
                    issues(summary.warnings, kind: model.kind)
                }
                if let changes = model.changes { changesSection(changes, kind: model.kind) }
                if !model.measures.isEmpty { measureTable(model) }
                el("form", .class("row"), .method("post"), .action("/imports/commit")) {
                    Layout.csrfField(context.csrf)
                    el("input", .type("hidden"), .name("token"), .value(token))
                    el("input", .type("hidden"), .name("kind"), .value(model.kind.rawValue))
                    el("input", .type("hidden"), .name("file_name"), .value(model.fileName))
                    if let programme = model.programme { el("input", .type("hidden"), .name("programme"), .value(programme)) }
                    el("button", .type("submit"), .id("commit")) { "Загрузить в базу" }
                    el("a", .class("button secondary"), .href("/imports")) { "Отмена" }
                }
            case .rejected(let rejected):
                el("div", .class("flash error"), Attr("role", "alert")) {
                    "Файл не принят: ошибок \(rejected.errorCount). Ничего не изменено — исправьте файл и загрузите снова."
                }
                issues(rejected.issues, kind: model.kind)
                if rejected.errorCount > rejected.issues.filter({ $0.severity == .error }).count {
                    el("p", .class("muted")) { "Показаны первые ошибки; исправьте их и проверьте файл снова." }
                }
                if let again = model.again {
                    el("h2") { "Выбрать исправленный файл" }
                    uploadForm(again, context)
                } else {
                    el("p") { el("a", .class("button"), .href(model.againPath)) { "Выбрать другой файл" } }
                }
            }
        }
    }

    /// What each row of a roadmap becomes: section, number, measure and its deadline as read.
    static func measureTable(_ model: ImportPreviewModel) -> HTMLNode {
        el("section", .id("measures")) {
            el("h2") { "Мероприятия: \(RussianFormat.integer(model.measureCount))" }
            if model.measureCount > model.measures.count {
                el("p", .class("muted")) { "Показаны первые \(RussianFormat.integer(model.measures.count))." }
            }
            el("table") {
                el("thead") {
                    el("tr") {
                        el("th", .class("num")) { "Строка" }; el("th") { "Раздел" }; el("th") { "№" }; el("th") { "Мероприятие" }
                        el("th") { "Срок в файле" }; el("th") { "Как прочитан" }
                    }
                }
                el("tbody") {
                    model.measures.map { line in
                        el("tr") {
                            el("td", .class("num")) { String(line.line) }
                            el("td") { line.section }
                            el("td") { line.number }
                            el("td") { String(line.measure.prefix(200)) }
                            el("td") { line.deadline }
                            el("td") {
                                if line.needsDate { el("span", .class("tag warn")) { "нужна дата" } } else { line.reading }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Errors and warnings as an official reads them: the place in the file, the column by its Russian meaning, the problem.
    static func issues(_ issues: [ImportIssue], kind: ImportKind) -> HTMLNode {
        el("div", .class("import-scroll")) {
            el("table", .class("import-issues")) {
                el("thead") { el("tr") { el("th") { "Где" }; el("th") { "Столбец" }; el("th") { "Что не так" } } }
                el("tbody") {
                    issues.map { issue in
                        let shown = issue.forOfficial(kind)
                        return el("tr") {
                            el("td") { shown.place }
                            el("td") { shown.column.isEmpty ? "—" : shown.column }
                            el("td") {
                                if issue.severity == .warning { el("span", .class("tag warn")) { "предупреждение" }; " " }
                                shown.message
                            }
                        }
                    }
                }
            }
        }
    }

    /// What changes, row by row: added, changed (each cell old → new) and removed rows, the first of each with counts.
    static func changesSection(_ changes: ImportChanges, kind: ImportKind) -> HTMLNode {
        el("section", .id("changes")) {
            el("h2") { "Что изменится" }
            if let note = changesNote(kind) { el("p", .class("muted")) { note } }
            el("p") {
                "Добавится строк: \(RussianFormat.integer(changes.addedCount)); изменится: \(RussianFormat.integer(changes.changedCount)); "
                "удалится: \(RussianFormat.integer(changes.removedCount)); без изменений: \(RussianFormat.integer(changes.unchangedCount))."
            }
            if changes.addedCount > 0 {
                el("h3") { "Добавятся: \(RussianFormat.integer(changes.addedCount))" }
                shownNote(changes.added.count, of: changes.addedCount)
                rowsTable(changes.added, changes, id: "changes-added")
            }
            if changes.changedCount > 0 {
                el("h3") { "Изменятся: \(RussianFormat.integer(changes.changedCount))" }
                shownNote(changes.changed.count, of: changes.changedCount)
                el("div", .class("import-scroll")) {
                    el("table", .id("changes-changed")) {
                        el("thead") {
                            el("tr") {
                                changes.keyColumns.map { column in el("th") { column } }
                                el("th") { "Что меняется: было → станет" }
                            }
                        }
                        el("tbody") {
                            changes.changed.map { change in
                                el("tr") {
                                    change.key.map { value in el("td") { value } }
                                    el("td") {
                                        change.cells.map { cell in
                                            el("div", .class("import-cell-change")) {
                                                el("strong") { cell.column }; ": "
                                                el("del") { cell.old.isEmpty ? "—" : cell.old }; " → "
                                                el("ins") { cell.new.isEmpty ? "—" : cell.new }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if changes.removedCount > 0 {
                el("h3") { "Удалятся: \(RussianFormat.integer(changes.removedCount))" }
                shownNote(changes.removed.count, of: changes.removedCount)
                rowsTable(changes.removed, changes, id: "changes-removed")
            }
        }
    }

    /// How a kind's rows are compared, where it is not one stored row per file row.
    static func changesNote(_ kind: ImportKind) -> String? {
        switch kind {
        case .scores, .taskScores:
            "По каждой школе и работе: число участников и средний балл (ученики по одному не перечисляются). "
                + "Файл заменяет результаты школ и работ, которые в нём есть."
        case .staff, .specialists: "Файл заменяет всё, что записано по каждой школе за каждый год, которые в нём есть."
        case .tasks, .markScales: "Файл заменяет спецификацию (шкалу) каждой работы, которая в нём есть, целиком."
        case .approvedList: "Приказ заменит список в силе для своей территории и года: школы, которых нет в файле, выйдут из списка."
        case .events: "Участники — из школ этого файла; участие других школ в тех же мероприятиях не меняется."
        default: nil
        }
    }

    static func shownNote(_ shown: Int, of total: Int) -> HTMLNode {
        guard shown < total else { return .empty }
        return el("p", .class("muted")) { "Показаны первые \(RussianFormat.integer(shown)) из \(RussianFormat.integer(total))." }
    }

    static func rowsTable(_ rows: [ImportChanges.Row], _ changes: ImportChanges, id: String) -> HTMLNode {
        el("div", .class("import-scroll")) {
            el("table", .id(id)) {
                el("thead") { el("tr") { (changes.keyColumns + changes.valueColumns).map { column in el("th") { column } } } }
                el("tbody") {
                    rows.map { row in
                        el("tr") { (row.key + row.values).map { value in el("td") { value.isEmpty ? "—" : value } } }
                    }
                }
            }
        }
    }
}
