import OporaData
import OporaDomain

enum CriteriaPageView {
    /// The keys of a set, in the user's words (the same meanings the validation messages use).
    static let keys: [(String, String)] = [
        ("low_results.metric", "below_min_rate — доля не преодолевших минимальный порог; failure_rate — доля отметок «2»"),
        ("low_results.threshold", "порог в процентах: группа с долей не ниже порога — «попадание» (30 — ровно 30,0 % тоже)"),
        ("low_results.risk_lower_bound", "нижняя граница для «риска снижения результатов» (0 — не выявлять риск)"),
        ("low_results.risk_upper_bound", "верхняя граница риска; по умолчанию равна порогу («менее 30 %»), 100 — учитывать и доли выше порога"),
        ("low_results.procedures", "процедуры: VPR, OGE, EGE, GVE, DIAG, PISA, TERM"),
        ("low_results.subjects", "предметы: rus, math, math_base, math_prof …"),
        ("low_results.grades", "классы по процедурам, например {VPR: [5, 6, 7, 8]}; процедура без списка — все классы"),
        ("low_results.min_procedures_in_year", "попадания не менее чем в стольких разных процедурах за год (0 — не проверять)"),
        ("low_results.consecutive_years", "попадания в одной процедуре столько лет подряд (0 — не проверять)"),
        ("low_results.joint_subjects", "true — русский язык и математика вместе, false — по отдельности"),
        ("low_results.pooled_grades", "true — классы процедуры вместе, false — каждый класс отдельно"),
        ("low_results.minimum_group", "группы меньше этого числа участников не оцениваются (и это указывается)"),
        ("low_results.require_interval", "true — порог должна пересечь и нижняя граница 95 % доверительного интервала"),
        ("social.isbs_groups", "группы ИСБШ, означающие неблагоприятные социальные условия"),
        ("typology", "границы типологии ИСБШ × качество: low_social_max, low_quality_max, favourable_social_min, favourable_quality_min"),
    ]

    static func page(_ model: CriteriaPageModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Критерии", context, active: .identification) {
            el("h1") { "Критерии отбора на \(model.year) год" }
            el("p", .class("lead")) {
                "Набор критериев записан текстом (YAML или JSON) и проверяется при сохранении. Ключи, которых нет в тексте, "
                "берутся из правила программы Первоуральска 2023–2025 (30 % не преодолевших порог)."
            }
            el("details", .class("panel")) {
                el("summary") { "Что означают ключи" }
                el("dl") {
                    keys.map { key, meaning in el("div") { el("dt") { el("code") { key } }; el("dd") { meaning } } }
                }
            }
            el("form", .class("row"), .method("get"), .action("/criteria")) {
                UI.field("Год", name: "year", value: String(model.year), type: "number")
                el("button", .type("submit"), .class("secondary")) { "Показать" }
            }
            if model.inherited { el("div", .class("flash success")) { "Своего набора на этот год нет: действует набор вышестоящего уровня (показан ниже)." } }
            if let error = model.error { el("div", .class("flash error"), Attr("role", "alert")) { el("pre", Attr("style", "white-space:pre-wrap;margin:0")) { error } } }
            el("form", .method("post"), .action("/criteria?year=\(model.year)")) {
                Layout.csrfField(context.csrf)
                el("textarea", .name("text"), Attr("rows", "24"), Attr("style", "width:100%;font-family:monospace"),
                   .when(!model.canEdit, Attr("readonly", ""))) { model.text }
                if model.canEdit { el("p") { el("button", .type("submit")) { "Проверить и сохранить новую версию" } } }
            }
            el("h2") { "Версии" }
            el("table") {
                el("thead") { el("tr") { el("th", .class("num")) { "Версия" }; el("th") { "Название" }; el("th") { "Кто" }; el("th") { "Когда" } } }
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
