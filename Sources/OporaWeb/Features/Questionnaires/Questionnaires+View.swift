import OporaData
import OporaDomain

enum QuestionnairesView {
    static func list(_ model: QuestionnairesModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Анкеты", context, active: .questionnaires) {
            el("h1") { "Анкеты" }
            el("p", .class("lead")) {
                "Вопросы для директоров, учителей, учеников и родителей. Каждое изменение — новая версия; версия, на которую "
                "уже отвечали, не меняется. В анкетах профиля рисков каждый ответ даёт баллы факторам риска."
            }
            if !model.importProblems.isEmpty {
                el("div", .class("flash error"), Attr("role", "alert"), .id("import-problems")) {
                    el("p") { "Файл не принят, ничего не сохранено:" }
                    el("ul") { model.importProblems.map { problem in el("li") { problem } } }
                }
            }
            el("table", .id("questionnaires")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Анкета" }; el("th") { "Назначение" }; el("th") { "Кто отвечает" }
                        el("th", .class("num")) { "Вопросов" }; el("th", .class("num")) { "Версия" }; el("th") { "Сохранена" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(6, "Анкет нет") }
                    model.rows.map { row in
                        el("tr", .id("questionnaire-\(row.code)")) {
                            el("td") { el("a", .href("/questionnaires/\(row.code)")) { row.title }; el("br"); el("small") { row.code } }
                            el("td") { row.purpose }
                            el("td") { row.groups }
                            el("td", .class("num")) { String(row.questions) }
                            el("td", .class("num")) { String(row.version) }
                            el("td") { "\(RussianFormat.dateTime(row.savedAt)), \(row.savedBy)" }
                        }
                    }
                }
            }
            if model.canEdit {
                el("p") { el("a", .href("/questionnaires/new"), .class("button")) { "Новая анкета" } }
                el("h2") { "Загрузить анкету из файла" }
                el("form", .class("stack"), .method("post"), .action("/questionnaires/import"), Attr("enctype", "multipart/form-data")) {
                    Layout.csrfField(context.csrf)
                    el("label") {
                        el("span") { "Файл YAML или JSON *" }
                        el("input", .type("file"), .name("file"), Attr("accept", ".yaml,.yml,.json"), .required)
                        el("small") { "Образец формата — любая анкета: выгрузите её и исправьте." }
                    }
                    el("button", .type("submit")) { "Проверить и загрузить" }
                }
            }
        }
    }

    static func show(_ model: QuestionnairePageModel, _ context: PageContext) -> HTMLNode {
        let questionnaire = model.stored.questionnaire
        return Layout.page(questionnaire.title, context, active: .questionnaires) {
            el("p") { el("a", .href("/questionnaires")) { "← Анкеты" } }
            el("h1") { questionnaire.title }
            el("p", .class("lead")) {
                "Код \(questionnaire.code) · \(questionnaire.purpose.russianName) · версия \(model.stored.version) от "
                "\(RussianFormat.dateTime(model.stored.createdAt)), \(model.versions.first { $0.id == model.stored.id }?.savedBy ?? "")"
                if !model.isLatest { " · не последняя версия" }
                if model.answered { " · на неё уже отвечали: она не меняется" }
            }
            if !questionnaire.description.isEmpty { el("p") { questionnaire.description } }
            el("p", .class("questionnaire-row")) {
                if model.canEdit && model.isLatest {
                    el("a", .href("/questionnaires/\(questionnaire.code)/edit"), .class("button")) { "Изменить" }
                }
                el("a", .href("/questionnaires/\(questionnaire.code)/export?version=\(model.stored.id)")) { "Выгрузить в YAML" }
            }
            model.groups.map { group, questions in
                el("section", .class("questionnaire-group"), .id("group-\(group.code)")) {
                    let count = RussianFormat.plural(questions.count, "вопрос", "вопроса", "вопросов")
                    el("h2") { "\(group.russianName): \(questions.count) \(count)" }
                    el("ol", .class("questionnaire-questions")) {
                        questions.map { question in
                            el("li", .id("question-\(question.id)")) {
                                el("strong") { question.text }
                                el("small") { " — \(question.kind.russianName)\(question.required ? "" : ", необязательный")" }
                                if question.kind.hasOptions {
                                    el("ul") {
                                        question.options.map { option in
                                            el("li") {
                                                option.text
                                                if !option.risk.isEmpty {
                                                    el("small", .class("questionnaire-points")) {
                                                        " (" + option.risk.keys.sorted().map { "фактор \($0): \(option.risk[$0]!)" }
                                                            .joined(separator: ", ") + ")"
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if !model.mapping.isEmpty {
                el("h2") { "Сопоставление ответов с факторами риска" }
                el("p") {
                    "Баллы ответов складываются по фактору; уровень — по доле от наибольшей возможной суммы: от 60 % — высокая, "
                    "от 30 % — средняя, больше 0 — низкая, 0 — не актуален. Предложенный профиль утверждает куратор."
                }
                el("table", .id("risk-mapping")) {
                    el("thead") {
                        el("tr") {
                            el("th") { "Группа" }; el("th") { "Вопрос" }; el("th") { "Ответ" }; el("th") { "Фактор риска" }
                            el("th", .class("num")) { "Баллы" }
                        }
                    }
                    el("tbody") {
                        model.mapping.map { row in
                            el("tr") {
                                el("td") { row.group }; el("td") { row.question }; el("td") { row.answer }; el("td") { row.factor }
                                el("td", .class("num")) { String(row.points) }
                            }
                        }
                    }
                }
            }
            el("h2") { "Версии" }
            el("table", .id("versions")) {
                el("thead") {
                    el("tr") { el("th", .class("num")) { "Версия" }; el("th") { "Кто" }; el("th") { "Когда" } }
                }
                el("tbody") {
                    model.versions.map { version in
                        el("tr") {
                            el("td", .class("num")) {
                                el("a", .href("/questionnaires/\(questionnaire.code)?version=\(version.id)")) { String(version.number) }
                            }
                            el("td") { version.savedBy }
                            el("td") { RussianFormat.dateTime(version.savedAt) }
                        }
                    }
                }
            }
        }
    }

    static let groups: [(String, String)] = [("director", "Директор"), ("teacher", "Учителя"), ("pupil", "Ученики"), ("parent", "Родители")]
    static let kinds: [(String, String)] = [("single", "один вариант"), ("multiple", "несколько вариантов"), ("scale", "шкала 1–5"),
                                            ("number", "число"), ("text", "короткий текст")]

    static func edit(_ model: QuestionnaireEditModel, _ context: PageContext) -> HTMLNode {
        let draft = model.draft
        let title = model.isNew ? "Новая анкета" : "Изменить анкету «\(draft.title)»"
        return Layout.page(title, context, active: .questionnaires) {
            el("p") { el("a", .href(model.isNew ? "/questionnaires" : "/questionnaires/\(draft.code)")) { "← Назад" } }
            el("h1") { title }
            if let version = model.version {
                el("p", .class("lead")) {
                    model.answered
                        ? "На версию \(version) уже отвечали: сохранение создаст версию \(version + 1), ответы останутся при своей версии."
                        : "На версию \(version) ещё не отвечали: сохранение изменит её."
                }
            }
            el("p") {
                "Варианты ответа — по одному в строке; баллы факторам риска — после черты: «часто | 3:2 5:1» "
                "(фактору 3 — 2 балла, фактору 5 — 1). Кнопки ↑ ↓ и «Удалить» меняют форму, не сохраняя её."
            }
            if !model.general.isEmpty {
                el("div", .class("flash error"), Attr("role", "alert"), .id("form-problems")) {
                    el("ul") { model.general.map { problem in el("li") { problem } } }
                }
            }
            el("form", .method("post"), .action("/questionnaires/save"), .class("questionnaire-edit")) {
                // Enter in a field saves (the first submit button of a form is the one Enter presses).
                el("button", .type("submit"), .name("action"), .value("save"), .class("questionnaire-default"), Attr("tabindex", "-1"),
                   Attr("aria-hidden", "true")) { "Сохранить" }
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("expected"), .value(model.expectedVersionID.map(String.init) ?? ""))
                el("input", .type("hidden"), .name("count"), .value(String(draft.questions.count)))
                if model.isNew {
                    UI.field("Код (латиницей)", name: "code", value: draft.code, required: true, hint: "например parents_2024",
                             error: model.fieldErrors["code"])
                } else {
                    el("input", .type("hidden"), .name("code"), .value(draft.code))
                }
                UI.field("Название", name: "title", value: draft.title, required: true, error: model.fieldErrors["title"])
                UI.select("Назначение", name: "purpose", options: QuestionnairePurpose.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: draft.purpose)
                UI.textArea("Пояснение для отвечающих", name: "description", value: draft.description, rows: 2,
                            error: model.fieldErrors["description"])
                draft.questions.enumerated().map { index, question in
                    questionFields(index + 1, question, problems: model.perQuestion[index + 1] ?? [],
                                   last: index + 1 == draft.questions.count)
                }
                el("p", .class("questionnaire-row")) {
                    el("button", .type("submit"), .name("action"), .value("add"), .class("secondary")) { "Добавить вопрос" }
                    el("button", .type("submit"), .name("action"), .value("save")) { "Сохранить" }
                }
            }
        }
    }

    static func questionFields(_ number: Int, _ question: QuestionnaireDraft.QuestionDraft, problems: [String], last: Bool) -> HTMLNode {
        let prefix = "q\(number)_"
        let style = problems.isEmpty ? "questionnaire-question" : "questionnaire-question invalid"
        return el("fieldset", .id("question-\(number)"), .class(style)) {
            el("legend") { "Вопрос \(number)" }
            if !problems.isEmpty {
                el("ul", .class("field-error"), Attr("role", "alert")) { problems.map { problem in el("li") { problem } } }
            }
            el("div", .class("questionnaire-row")) {
                UI.field("Код вопроса", name: prefix + "id", value: question.id, required: true)
                UI.select("Кто отвечает", name: prefix + "group", options: groups, selected: question.group)
                UI.field("Классы (для учеников)", name: prefix + "grades", value: question.grades, hint: "например 5-9")
                UI.select("Вид", name: prefix + "kind", options: kinds, selected: question.kind)
            }
            el("label") {
                el("span") { "Текст вопроса *" }
                el("textarea", .name(prefix + "text"), Attr("rows", "2")) { question.text }
            }
            el("label", .class("inline")) {
                el("input", .type("checkbox"), .name(prefix + "required"), .value("on"), .when(question.required, Attr("checked", "")))
                " Обязательный"
            }
            el("div", .class("questionnaire-row")) {
                UI.field("Наименьшее (шкала, число)", name: prefix + "min", value: question.minimum)
                UI.field("Наибольшее (шкала, число)", name: prefix + "max", value: question.maximum)
                UI.field("Длина текста", name: prefix + "max_length", value: question.maxLength, hint: "по умолчанию 500")
            }
            el("label") {
                el("span") { "Варианты ответа (для выбора)" }
                el("textarea", .name(prefix + "options"), Attr("rows", "4")) { question.options }
            }
            el("p", .class("questionnaire-row")) {
                if number > 1 { el("button", .type("submit"), .name("action"), .value("up:\(number)"), .class("secondary")) { "↑ Выше" } }
                if !last { el("button", .type("submit"), .name("action"), .value("down:\(number)"), .class("secondary")) { "↓ Ниже" } }
                el("button", .type("submit"), .name("action"), .value("remove:\(number)"), .class("secondary")) { "Удалить вопрос" }
            }
        }
    }
}
