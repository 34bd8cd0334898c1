import OporaDomain

/// The public survey form and its answers (`/s/<token>`): no menu, no login, readable on a 390-pixel phone (one
/// column, every field labelled, nothing wider than the screen).
enum SurveyFormView {
    struct Form: Sendable {
        let token: String
        let formToken: String
        let title: String
        let school: String
        let group: RespondentGroup
        let questions: [Question]
        /// The values as typed, when a refused form comes back.
        let typed: [String: [String]]
        let errors: [String: String]
    }

    static func form(_ form: Form) -> HTMLNode {
        page(form.title) {
            el("h1") { form.title }
            el("p", .class("survey-lead")) {
                "\(form.school) · \(form.group.russianName). Анкета анонимная: имена, адреса и другие сведения о вас не "
                "записываются. Вопросы со звёздочкой * обязательны."
            }
            if !form.errors.isEmpty {
                el("div", .class("flash error"), Attr("role", "alert")) { "Проверьте ответы: \(form.errors.count) — ниже отмечено, что не так." }
            }
            el("form", .method("post"), .action("/s/\(form.token)"), .class("survey-form"), Attr("novalidate", "")) {
                el("input", .type("hidden"), .name(SurveyFormFields.formToken), .value(form.formToken))
                form.questions.enumerated().map { number, question in
                    self.question(question, number: number + 1, typed: form.typed[question.fieldName] ?? [],
                                  error: form.errors[question.id])
                }
                el("p") { el("button", .type("submit"), .class("survey-submit")) { "Отправить ответы" } }
            }
        }
    }

    static func question(_ question: Question, number: Int, typed: [String], error: String?) -> HTMLNode {
        let id = "question-\(question.id)"
        let title = "\(number). \(question.text)" + (question.required ? " *" : "")
        return el("fieldset", .class(error == nil ? "survey-question" : "survey-question invalid"), .id(id)) {
            el("legend") { title }
            if let error { el("p", .class("survey-error"), Attr("role", "alert")) { error } }
            switch question.kind {
            case .singleChoice:
                question.options.enumerated().map { index, option in
                    choice("radio", question, value: String(index), label: option.text, checked: typed.contains(String(index)))
                }
            case .multipleChoice:
                question.options.enumerated().map { index, option in
                    choice("checkbox", question, value: String(index), label: option.text, checked: typed.contains(String(index)))
                }
            case .scale(let range):
                el("div", .class("survey-scale")) {
                    range.map { mark in
                        choice("radio", question, value: String(mark), label: String(mark), checked: typed.contains(String(mark)))
                    }
                }
                el("small", .class("muted")) { "\(range.lowerBound) — совсем нет, \(range.upperBound) — полностью да" }
            case .number(let minimum, let maximum):
                el("label", .class("survey-field")) {
                    el("span") { "Число от \(RussianFormat.number(minimum, digits: 2)) до \(RussianFormat.number(maximum, digits: 2))" }
                    el("input", .type("text"), .name(question.fieldName), .value(typed.first), Attr("inputmode", "decimal"),
                       Attr("aria-describedby", id))
                }
            case .text(let maxLength):
                el("label", .class("survey-field")) {
                    el("span") { "Ваш ответ (до \(maxLength) символов)" }
                    el("textarea", .name(question.fieldName), Attr("rows", "3"), Attr("maxlength", String(maxLength))) { typed.first ?? "" }
                }
                el("small", .class("muted")) { "Не пишите имён и фамилий: ответ читают люди." }
            }
        }
    }

    static func choice(_ type: String, _ question: Question, value: String, label: String, checked: Bool) -> HTMLNode {
        el("label", .class("survey-choice")) {
            el("input", .type(type), .name(question.fieldName), .value(value), .when(checked, Attr("checked", "")))
            el("span") { label }
        }
    }

    /// A page with a message and no form: closed, thanked, refused.
    static func message(_ title: String, _ text: String, id: String) -> HTMLNode {
        page(title) {
            el("div", .class("survey-message"), .id(id), Attr("role", "status")) {
                el("h1") { title }
                el("p") { text }
            }
        }
    }

    static func page(_ title: String, @HTMLBuilder content: () -> HTMLNode) -> HTMLNode {
        Layout.document(title) {
            el("main", .class("survey")) { content() }
            el("footer") { "Опора — анонимное анкетирование" }
        }
    }
}

/// The public form's field names (the questions' are `Question.fieldName`, `q_<id>`).
enum SurveyFormFields {
    /// The one-time form token, issued per page load.
    static let formToken = "_form"
}
