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
            el("form", .class("stack"), .method("post"), .action("/imports/preview"), Attr("enctype", "multipart/form-data")) {
                Layout.csrfField(context.csrf)
                UI.select("Что загружаем", name: "kind", options: ImportKind.allCases.map { ($0.rawValue, "\($0.russianName) (\($0.rawValue))") },
                          selected: ImportKind.results.rawValue, required: true)
                UI.select("Программа (для дорожной карты, вставленной из плана мероприятий)", name: "programme",
                          options: model.programmes.map { ($0.code, $0.label) }, selected: nil,
                          includeEmpty: "— файл сам называет программу в столбце «programme» —")
                el("p", .class("muted")) {
                    "Таблицу плана мероприятий можно вставить из Word как есть: «№ п/п», «Наименование мероприятия», «Срок реализации», "
                    "«Период», «Ответственный исполнитель», «Планируемый результат»…; заголовки разделов и годов («2021 год») "
                    "распознаются, мероприятия без номера или без срока сохраняются с предупреждением."
                }
                el("label") { el("span") { "Файл *" }; el("input", .type("file"), .name("file"), .required, Attr("accept", ".csv,.txt,.xlsx")) }
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
                    el("h2") { "Предупреждения" }
                    el("ul") { summary.warnings.map { warning in el("li") { warning.description } } }
                }
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
                el("table") {
                    el("thead") { el("tr") { el("th", .class("num")) { "Строка" }; el("th") { "Столбец" }; el("th") { "Что не так" } } }
                    el("tbody") {
                        rejected.issues.map { issue in
                            el("tr") {
                                el("td", .class("num")) { String(issue.line) }
                                el("td") { issue.column }
                                el("td") { (issue.severity == .warning ? "предупреждение: " : "") + issue.message }
                            }
                        }
                    }
                }
                el("p") { el("a", .class("button"), .href("/imports")) { "Выбрать другой файл" } }
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
}
