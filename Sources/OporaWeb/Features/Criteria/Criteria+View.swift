import OporaData
import OporaDomain

enum CriteriaPageView {
    static func page(_ model: CriteriaPageModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Критерии", context, active: .identification) {
            el("h1") { "Критерии отбора на \(model.year) год" }
            el("p", .class("lead")) {
                "Какие школы попадают в перечень школ с низкими образовательными результатами: порог, процедуры, предметы "
                "и классы, условия по годам. Показан: \(model.source)."
            }
            el("form", .class("row"), .method("get"), .action("/criteria")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            if model.inherited {
                el("div", .class("flash success")) { "Своего набора на этот год нет: действует набор вышестоящего уровня (показан ниже)." }
            }
            UI.refusal(model.echo, for: CriteriaPageModel.formAction)
            form(model, context)
            advanced(model, context)
            versions(model)
        }
    }

    /// The set as a form: each refused value is shown as typed, with what is wrong beside it.
    static func form(_ model: CriteriaPageModel, _ context: PageContext) -> HTMLNode {
        let f = model.fields, locked = !model.canEdit
        let errors = model.echo?.fieldErrors ?? [:]
        func value(_ name: String) -> String { f[name] ?? "" }
        func input(_ label: String, _ name: String, hint: String? = nil) -> HTMLNode {
            UI.field(label, name: name, value: value(name), hint: hint, error: errors[name])
        }
        func check(_ label: String, _ name: String) -> HTMLNode {
            el("label", .class("criteria-check")) {
                el("input", .type("checkbox"), .name(name), .value("1"), .when(!value(name).isEmpty, Attr("checked", "checked")),
                   .when(locked, Attr("disabled", "disabled")))
                el("span") { label }
            }
        }
        return el("form", .class("panel criteria-form"), .method("post"), .action(CriteriaPageModel.formAction), .id("criteria-form")) {
            Layout.csrfField(context.csrf)
            el("fieldset") {
                el("legend") { "Набор" }
                UI.field("Год, на который действует набор", name: "year", value: f["year"] ?? String(model.year), error: errors["year"])
                input("Название", CriteriaForm.name)
                UI.textArea("Описание (как в программе)", name: CriteriaForm.details, value: value(CriteriaForm.details), rows: 3,
                            error: errors[CriteriaForm.details])
            }
            el("fieldset") {
                el("legend") { "Порог" }
                el("label") {
                    el("span") { "Что считается" }
                    el("select", .name(CriteriaForm.metric), .when(locked, Attr("disabled", "disabled"))) {
                        [IdentificationMetric.belowMinRate, .failureRate].map { metric in
                            el("option", .value(metric.rawValue), .when(value(CriteriaForm.metric) == metric.rawValue, .selected)) {
                                "доля обучающихся, которые " + metric.russianName
                            }
                        }
                    }
                    errorNote(CriteriaForm.metric, errors[CriteriaForm.metric])
                }
                input("Порог, % (не ниже)", CriteriaForm.threshold, hint: "например, 30 или 30,5: доля не ниже порога — «попадание»")
                input("Риск снижения: от, %", CriteriaForm.riskLower, hint: "0 — риск не выявлять")
                input("Риск снижения: до, %", CriteriaForm.riskUpper, hint: "пусто — до порога («менее 30 %»); 100 — без верхней границы")
            }
            el("fieldset", .id(CriteriaForm.procedures)) {
                el("legend") { "Процедуры и классы" }
                errorNote(CriteriaForm.procedures, errors[CriteriaForm.procedures])
                el("div", .class("criteria-grid")) {
                    ProcedureCode.allCases.map { procedure in
                        el("div") {
                            check(procedure.russianShortName, CriteriaForm.procedureField(procedure))
                            input("Классы", CriteriaForm.gradesField(procedure), hint: "через запятую; пусто — все")
                        }
                    }
                }
            }
            el("fieldset", .id(CriteriaForm.subjects)) {
                el("legend") { "Предметы" }
                errorNote(CriteriaForm.subjects, errors[CriteriaForm.subjects])
                el("div", .class("criteria-grid")) {
                    model.subjects.map { subject in check(subject.name, CriteriaForm.subjectField(subject.code)) }
                }
                input("Другие предметы (коды через запятую)", CriteriaForm.otherSubjects)
            }
            el("fieldset") {
                el("legend") { "Условия" }
                input("Попадания не менее чем в стольких процедурах за год", CriteriaForm.minProcedures, hint: "0 — не проверять")
                input("Или в одной процедуре столько лет подряд", CriteriaForm.consecutiveYears, hint: "0 — не проверять; не больше 10")
                input("Наименьшая оцениваемая группа, участников", CriteriaForm.minimumGroup)
                check("Русский язык и математика — одной группой", CriteriaForm.jointSubjects)
                check("Классы процедуры — одной группой", CriteriaForm.pooledGrades)
                check("Порог должна пересечь и нижняя граница 95 % доверительного интервала", CriteriaForm.requireInterval)
            }
            el("fieldset") {
                el("legend") { "Социальные условия и типология" }
                input("Группы ИСБШ — неблагоприятные социальные условия", CriteriaForm.isbsGroups, hint: "например, 1, 2, 3, 4")
                input("Низкое благополучие: группы ИСБШ до", CriteriaForm.lowSocialMax)
                input("Низкое качество: группы качества до", CriteriaForm.lowQualityMax)
                input("Благоприятные: группа ИСБШ от", CriteriaForm.favourableSocialMin)
                input("Благоприятные: группа качества от", CriteriaForm.favourableQualityMin)
            }
            if model.canEdit { el("p") { el("button", .type("submit"), .id("criteria-save")) { "Сохранить новую версию" } } }
        }
    }

    /// The problem of a group of checkboxes, above them (a single field's stands beside it: `UI.field`).
    static func errorNote(_ name: String, _ error: String?) -> HTMLNode {
        guard let error else { return .empty }
        return el("p", .class("field-error"), .id("\(name)-note"), Attr("role", "alert")) { error }
    }

    /// The YAML text: the same set for those who keep it in files (`opora criteria save`).
    static func advanced(_ model: CriteriaPageModel, _ context: PageContext) -> HTMLNode {
        yamlView(id: "criteria-yaml", note: "Тот же набор текстом — так его хранит команда «opora criteria save». Ключи, которых нет "
                     + "в тексте, берутся из правила по умолчанию (30 % не преодолевших порог).",
                 text: model.text, error: model.textError, action: "/criteria?year=\(model.year)", label: "Набор критериев в YAML",
                 canEdit: model.canEdit, context)
    }

    /// «Расширенный вид (YAML)» of a form: the same data as text, opened when the text was refused (criteria, directions).
    static func yamlView(id: String, note: String, text: String, error: String?, action: String, label: String, canEdit: Bool,
                         _ context: PageContext) -> HTMLNode {
        el("details", .class("panel"), .id(id), .when(error != nil, Attr("open", "open"))) {
            el("summary") { "Расширенный вид (YAML)" }
            el("p", .class("muted")) { note }
            // A short summary over the form, the problems beside the text they are about (as every refused form does).
            if error != nil { el("div", .class("flash error"), Attr("role", "alert")) { "Текст не сохранён: исправьте его" } }
            el("form", .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                el("textarea", .name("text"), Attr("rows", "22"), Attr("style", "width:100%;font-family:monospace"),
                   Attr("aria-label", label), .when(!canEdit, Attr("readonly", "")),
                   Attr("aria-invalid", error != nil ? "true" : nil), Attr("aria-describedby", error != nil ? "\(id)-note" : nil)) { text }
                if let error {
                    el("pre", .class("field-error"), .id("\(id)-note"), Attr("style", "white-space:pre-wrap;margin:0")) { error }
                }
                if canEdit { el("p") { el("button", .type("submit"), .class("secondary")) { "Проверить и сохранить текст" } } }
            }
        }
    }

    static func versions(_ model: CriteriaPageModel) -> HTMLNode {
        el("section") {
            el("h2") { "Версии" }
            el("table") {
                el("thead") {
                    el("tr") { el("th", .class("num")) { "Версия" }; el("th") { "Название" }; el("th") { "Кто" }; el("th") { "Когда" } }
                }
                el("tbody") {
                    if model.versions.isEmpty { UI.emptyRow(4, "Сохранённых версий нет") }
                    model.versions.map { version in
                        el("tr") {
                            el("td", .class("num")) { String(version.version) }
                            el("td") { version.name }
                            el("td") { version.createdBy }
                            el("td") { RussianFormat.dateTime(version.createdAt) }
                        }
                    }
                }
            }
        }
    }
}
