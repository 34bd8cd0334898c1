import OporaData
import OporaDomain

enum ReportsView {
    static func page(_ model: ReportsModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Отчёты", context, active: .reports) {
            el("h1") { "Отчёты" }
            el("p", .class("lead")) {
                "Документы для подписи и работы: Word — править и подписывать, Excel — считать дальше, HTML — читать и печатать. Цифры — " +
                "те же, что на страницах результатов; сомнительные помечены сноской."
            }
            el("section", .class("panel"), .id("school-card")) {
                el("h2") { "Паспорт школы" }
                el("p", .class("muted")) {
                    "Сведения, результаты против муниципалитета, региона и России, динамика, объективность, идентификация, риски, " +
                    "программы, куратор, решения. Разделы без данных не печатаются."
                }
                form("/reports/school", model) {
                    UI.select(
                        "Школа", name: "school", options: model.schools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                }
            }
            if !model.municipalities.isEmpty {
                el("section", .class("panel"), .id("note")) {
                    el("h2") { "Аналитическая справка муниципалитета" }
                    el("p", .class("muted")) {
                        "Выводы, результаты по школам каждой работы с муниципалитетом, регионом и Россией, динамика, идентификация, " +
                        "профили рисков, исполнение дорожной карты, показатели и оценка, решения."
                    }
                    form("/reports/note", model) {
                        UI.select(
                            "Муниципалитет", name: "municipality", options: model.municipalities.map { (String($0.id), $0.name) },
                            selected: nil, required: true)
                    }
                }
            }
            shapes(model)
            programmeResults(model)
            if model.canAppendix {
                el("section", .class("panel"), .id("appendix")) {
                    el("h2") { "Приложение к приказу: перечень школ" }
                    el("p", .class("muted")) { "Утверждённый список года с основанием для каждой школы одной фразой (Word)." }
                    el("form", .class("row"), .method("get"), .action("/reports/appendix.docx")) {
                        UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: String(model.year))
                        el("button", .type("submit")) { "Скачать DOCX" }
                    }
                }
                el("section", .class("panel"), .id("order")) {
                    el("h2") { "Приказ об утверждении перечня" }
                    el("p", .class("muted")) { "Текст приказа, действующего для вашей территории, с приложением — перечнем школ (Word)." }
                    el("form", .class("row"), .method("get"), .action("/reports/order.docx")) {
                        UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: String(model.year))
                        el("button", .type("submit")) { "Скачать приказ (DOCX)" }
                    }
                }
            }
            el("section", .class("panel")) {
                el("h2") { "Другие выгрузки" }
                el("ul") {
                    el("li") { el("a", .href("/plans")) { "Исполнение дорожной карты (DOCX, XLSX)" }; " — на странице программы" }
                    el("li") { el("a", .href("/risks")) { "Матрица рисков (XLSX)" } }
                    el("li") { el("a", .href("/results")) { "Таблицы результатов (CSV, XLSX)" } }
                }
            }
        }
    }

    static func form(_ action: String, _ model: ReportsModel, @HTMLBuilder fields: () -> HTMLNode) -> HTMLNode {
        el("form", .class("row"), .method("get"), .action(action)) {
            fields()
            UI.select("Год", name: "year", options: model.years.map { (String($0), String($0)) }, selected: String(model.year))
            UI.select(
                "Формат", name: "format", options: ReportFormat.allCases.map { ($0.rawValue, $0.rawValue.uppercased()) }, selected: "docx")
            el("button", .type("submit")) { "Скачать" }
        }
    }
}
