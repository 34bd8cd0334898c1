import Foundation
import OporaData
import OporaDomain

enum ProgrammesView {
    static func statusTag(_ status: ProgrammeStatus, overdue: Bool = false) -> HTMLNode {
        if overdue { return el("span", .class("tag bad"), .title("На проверке дольше \(ProgrammeWorkflow.reviewDays) дней")) { "проверка просрочена" } }
        let style: String
        switch status {
        case .draft: style = ""
        case .submitted: style = "warn"
        case .returned: style = "bad"
        case .approved: style = "good"
        }
        return el("span", .class("tag \(style)")) { status.russianName }
    }

    static func kindLabel(_ kind: ProgrammeKind, factor: Int?) -> String {
        kind.russianName + (factor.map { " (фактор \($0))" } ?? "")
    }

    // MARK: board

    static func board(_ model: ProgrammesBoardModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Программы школ", context, active: .programmes) {
            el("h1") { "Программы школ" }
            el("p", .class("lead")) {
                "Концепции, среднесрочные и антирисковые программы школ: школа пишет и отправляет, куратор делает замечания, возвращает на доработку или утверждает."
            }
            el("p") { el("a", .href("/programmes/execution")) { "Как выполняются программы школ" } }
            el("div", .class("toolbar")) {
                ProgrammesBoardModel.filters.map { key in
                    let label = key == "all" ? "все" : key == "overdue" ? "проверка просрочена" : (ProgrammeStatus(rawValue: key)?.russianName ?? key)
                    return el("a", .href("/programmes?status=\(key)"), .when(model.filter == key, .class("active"))) { "\(label): \(model.counts[key] ?? 0)" }
                }
            }
            if !model.ownSchools.isEmpty {
                el("form", .class("row panel"), .method("post"), .action("/programmes")) {
                    Layout.csrfField(context.csrf)
                    UI.select("Школа", name: "school", options: model.ownSchools.map { (String($0.id), $0.name) }, selected: nil, required: true)
                    UI.select("Документ", name: "kind", options: ProgrammeKind.allCases.map { ($0.rawValue, $0.russianName) }, selected: ProgrammeKind.antiRisk.rawValue)
                    UI.field("Фактор риска (для антирисковой)", name: "factor", value: nil, type: "number", hint: "1–12")
                    UI.field("Название", name: "title", value: nil, required: true)
                    UI.field("С года", name: "start_year", value: nil, type: "number", required: true)
                    UI.field("По год", name: "end_year", value: nil, type: "number", required: true)
                    el("button", .type("submit")) { "Начать документ" }
                }
            }
            el("table", .id("programmes")) {
                el("thead") {
                    el("tr") {
                        el("th") { "Школа" }; el("th") { "Документ" }; el("th") { "Период" }; el("th") { "Статус" }
                        el("th", .class("num")) { "Открытых замечаний" }; el("th", .class("num")) { "Редакций" }; el("th") { "Изменена" }
                    }
                }
                el("tbody") {
                    if model.rows.isEmpty { UI.emptyRow(7, "Программ пока нет") }
                    model.rows.map { row in
                        el("tr") {
                            el("td") { row.school; el("div", .class("muted")) { row.municipality } }
                            el("td") { el("a", .href("/programmes/\(row.id)")) { row.title }; el("div", .class("muted")) { kindLabel(row.kind, factor: row.factor) } }
                            el("td") { "\(row.period.lowerBound)–\(row.period.upperBound)" }
                            el("td") { statusTag(row.status, overdue: row.overdue) }
                            el("td", .class("num")) { String(row.openComments) }
                            el("td", .class("num")) { String(row.versions) }
                            el("td") { RussianFormat.date(row.updatedAt) }
                        }
                    }
                }
            }
        }
    }

    // MARK: one programme

    static func page(_ model: ProgrammeModel, _ context: PageContext) -> HTMLNode {
        let programme = model.programme, id = programme.id!
        return Layout.page(programme.title, context, active: .programmes) {
            el("div", .class("toolbar")) {
                el("a", .href("/programmes")) { "← Все программы" }
                el("a", .href("/schools/\(programme.$school.id)")) { programme.school.displayName }
                if model.revisions.count >= 1 { el("a", .href("/programmes/\(id)/compare")) { "Сравнить редакции" } }
                el("a", .href("/programmes/\(id)/export.docx")) { "Скачать DOCX" }
                el("a", .href("/programmes/\(id)/execution")) { "Выполнение программы" }
            }
            el("h1") { programme.title }
            el("p", .class("lead")) {
                "\(kindLabel(programme.programmeKind, factor: programme.factor)), \(programme.startYear)–\(programme.endYear). "
                statusTag(programme.programmeStatus, overdue: model.overdue)
                model.factorName.map { name in el("div") { "Фактор риска: \(name)" } } ?? .empty
            }
            actions(model, context)
            el("p", .class("muted")) {
                "Открытых замечаний: \(model.openComments). Отправленных редакций: \(model.revisions.count)."
            }
            item(model, key: "general", title: "Замечания к документу в целом", context) { .empty }
            el("h2") { "Цель" }
            item(model, key: "goal", title: nil, context) { el("p") { model.content.goal.isEmpty ? "— не указана" : model.content.goal } }
            el("h2") { "Задачи" }
            if model.content.tasks.isEmpty { el("p", .class("muted")) { "Задач пока нет" } }
            model.content.tasks.enumerated().map { index, task in
                item(model, key: model.content.taskKey(at: index), title: nil, context) { el("p") { "\(index + 1). \(task)" } }
            }
            el("h2") { "Мероприятия" }
            TasksView.programmeDeficits(model, context)
            if model.content.measures.isEmpty { el("p", .class("muted")) { "Мероприятий пока нет" } }
            model.content.measures.enumerated().map { index, measure in
                item(model, key: model.content.measureKey(at: index), title: nil, context) {
                    el("div", .class("measure")) {
                        el("strong") { "\(index + 1). \(measure.text)" }
                        el("div") {
                            "Срок: \(measure.deadline.isEmpty ? "—" : measure.deadline)"
                            deadlineNote(model.deadlines[index])
                        }
                        el("div") { "Ответственный: \(measure.responsible.isEmpty ? "—" : measure.responsible)" }
                        el("div") { "Ожидаемый результат: \(measure.result.isEmpty ? "—" : measure.result)" }
                    }
                }
            }
            el("h2") { "Показатели" }
            if model.content.indicators.isEmpty { el("p", .class("muted")) { "Показателей пока нет" } }
            model.content.indicators.enumerated().map { index, indicator in
                item(model, key: model.content.indicatorKey(at: index), title: nil, context) {
                    el("p") {
                        "\(index + 1). \(indicator.name)\(indicator.unit.isEmpty ? "" : ", \(indicator.unit)"): базовое значение \(indicator.baseline.isEmpty ? "—" : indicator.baseline), целевое \(indicator.target.isEmpty ? "—" : indicator.target)"
                    }
                }
            }
            if !model.revisions.isEmpty {
                el("h2") { "Редакции" }
                el("table") {
                    el("thead") { el("tr") { el("th") { "№" }; el("th") { "Отправлена" }; el("th") { "Решение" } } }
                    el("tbody") {
                        model.revisions.map { revision in
                            el("tr") {
                                el("td") { String(revision.number) }
                                el("td") { "\(RussianFormat.dateTime(revision.submittedAt)), \(model.names(revision.submittedBy))" }
                                el("td") {
                                    revision.decision.flatMap(ProgrammeStatus.init(rawValue:)).map { status in
                                        "\(status.russianName) — \(model.names(revision.decidedBy)), "
                                            + (revision.decidedAt.map(RussianFormat.dateTime) ?? "")
                                    } ?? "ждёт решения"
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func deadlineNote(_ deadline: Deadline) -> HTMLNode {
        guard !deadline.text.isEmpty else { return .empty }
        let due = deadline.due.prefix(4).map(\.russian).joined(separator: ", ") + (deadline.due.count > 4 ? " …" : "")
        let note = deadline.kind == .date ? "до \(due)" : deadline.kind.russianName + (due.isEmpty ? "" : ": \(due)")
        return el("span", .class(deadline.kind == .unparsed ? "tag warn" : "tag"), .title("Как прочитан срок")) { note }
    }

    static func actions(_ model: ProgrammeModel, _ context: PageContext) -> HTMLNode {
        let id = model.programme.id!, version = String(model.programme.version)
        func button(_ action: ProgrammeAction, _ path: String, _ label: String, style: String = "") -> HTMLNode {
            guard model.allowed.contains(action) else { return .empty }
            return el("form", .method("post"), .action("/programmes/\(id)/\(path)"), Attr("style", "display:inline")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(version))
                el("button", .type("submit"), .id("action-\(path)"), .class(style)) { label }
            }
        }
        return el("div", .class("row")) {
            if model.allowed.contains(.edit) { el("a", .class("button"), .href("/programmes/\(id)/edit"), .id("action-edit")) { "Редактировать" } }
            button(.submit, "submit", "Отправить на проверку")
            button(.returnForRevision, "return", "Вернуть на доработку", style: "secondary")
            button(.approve, "approve", "Утвердить")
        }
    }

    /// An item with its remark threads and, for those who may, a field for a new remark.
    static func item(_ model: ProgrammeModel, key: String, title: String?, _ context: PageContext, @HTMLBuilder body: () -> HTMLNode) -> HTMLNode {
        let id = model.programme.id!
        let threads = model.threads[key] ?? []
        let canComment = model.allowed.contains(.comment)
        return el("section", .class("item"), .id("item-\(key)")) {
            title.map { text in el("h2") { text } } ?? .empty
            body()
            threads.map { thread in
                el("div", .class(thread.comment.resolved ? "comment resolved" : "comment open")) {
                    el("div") {
                        el("strong") { thread.comment.authorName }
                        " · \(RussianFormat.dateTime(thread.comment.createdAt)) · к редакции \(thread.comment.revision == 0 ? "черновика" : String(thread.comment.revision)) · "
                        el("span", .class(thread.comment.resolved ? "tag good" : "tag warn")) { thread.comment.resolved ? "снято" : "открыто" }
                    }
                    el("p") { thread.comment.text }
                    thread.replies.map { reply in el("p", .class("reply")) { el("strong") { reply.authorName + ": " }; reply.text } }
                    if canComment {
                        el("form", .class("row"), .method("post"), .action("/programmes/\(id)/comments")) {
                            Layout.csrfField(context.csrf)
                            el("input", .type("hidden"), .name("item_key"), .value(key))
                            el("input", .type("hidden"), .name("parent_id"), .value(String(thread.comment.id!)))
                            el("input", .name("text"), Attr("placeholder", "Ответить"), Attr("aria-label", "Ответ"))
                            el("button", .type("submit"), .class("secondary")) { "Ответить" }
                        }
                    }
                    if model.allowed.contains(.resolveRemark) {
                        el("form", .method("post"), .action("/programmes/\(id)/comments/\(thread.comment.id!)/resolve"),
                           Attr("style", "display:inline")) {
                            Layout.csrfField(context.csrf)
                            el("input", .type("hidden"), .name("resolved"), .value(thread.comment.resolved ? "0" : "1"))
                            el("button", .type("submit"), .class("secondary")) { thread.comment.resolved ? "Открыть снова" : "Снять замечание" }
                        }
                    }
                }
            }
            if canComment {
                el("details") {
                    el("summary") { "Замечание" }
                    el("form", .class("row"), .method("post"), .action("/programmes/\(id)/comments")) {
                        Layout.csrfField(context.csrf)
                        el("input", .type("hidden"), .name("item_key"), .value(key))
                        el("textarea", .name("text"), Attr("rows", "2"), Attr("aria-label", "Замечание"), Attr("style", "width:100%")) { "" }
                        el("button", .type("submit"), .class("secondary")) { "Добавить замечание" }
                    }
                }
            }
        }
    }

    /// The second step of sending or approving over open remarks: the remarks named, and the same action again
    /// with the confirmation.
    static func confirmation(_ model: ProgrammeModel, action: ProgrammeAction, remarks: [ProgrammeCommentModel],
                             _ context: PageContext) -> HTMLNode {
        let id = model.programme.id!
        let labels = Dictionary(uniqueKeysWithValues: model.content.items.map { ($0.key, $0.label) })
        let verb = action == .approve ? "Утвердить" : "Отправить на проверку"
        return Layout.page("Подтверждение: \(model.programme.title)", context, active: .programmes) {
            el("div", .class("toolbar")) { el("a", .href("/programmes/\(id)")) { "← К программе" } }
            el("h1") { model.programme.title }
            el("p", .class("flash error"), .id("open-remarks")) {
                "У программы открытых замечаний: \(remarks.count). \(verb) её, не сняв их?"
            }
            el("ul") {
                remarks.map { remark in
                    el("li") {
                        el("strong") { remark.itemKey == "general" ? "Документ в целом" : labels[remark.itemKey] ?? "Пункт удалён" }
                        " — \(remark.authorName): \(remark.text)"
                    }
                }
            }
            el("form", .method("post"), .action("/programmes/\(id)/\(action.rawValue)"), Attr("style", "display:inline")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(String(model.programme.version)))
                el("input", .type("hidden"), .name("confirm"), .value("1"))
                el("button", .type("submit"), .id("confirm-\(action.rawValue)")) { "\(verb) с открытыми замечаниями" }
            }
            " "
            el("a", .class("button secondary"), .href("/programmes/\(id)")) { "Вернуться к замечаниям" }
        }
    }

    // MARK: edit form

    static func form(_ programme: SchoolProgrammeModel, _ form: ProgrammeForm, error: String?, _ context: PageContext) -> HTMLNode {
        let id = programme.id!
        let measureRows = (form.rows("m_").last ?? 0) + ProgrammeForm.blankRows
        let indicatorRows = (form.rows("i_").last ?? 0) + ProgrammeForm.blankRows
        return Layout.page("Редактирование: \(programme.title)", context, active: .programmes) {
            el("div", .class("toolbar")) { el("a", .href("/programmes/\(id)")) { "← К программе" } }
            el("h1") { programme.title }
            error.map { message in el("p", .class("flash error")) { message } } ?? .empty
            el("form", .method("post"), .action("/programmes/\(id)"), .id("programme-form")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(form.fields["version"] ?? String(programme.version)))
                el("label") { el("span") { "Цель" }; el("textarea", .name("goal"), Attr("rows", "3"), Attr("style", "width:100%")) { form.fields["goal"] ?? "" } }
                el("label") {
                    el("span") { "Задачи — по одной на строке" }
                    el("textarea", .name("tasks"), Attr("rows", "5"), Attr("style", "width:100%")) { form.fields["tasks"] ?? "" }
                }
                el("h2") { "Мероприятия" }
                el("p", .class("muted")) {
                    "Чтобы вставить мероприятие, впишите его в пустую строку и дайте ей номер, который оно должно получить."
                }
                el("p", .class("muted")) { "Срок пишите как в документе: «до 10.09.2024», «ежеквартально», «январь–май», «по итогам ВПР» — Опора прочитает его и покажет, как поняла." }
                el("table") {
                    el("thead") { el("tr") { el("th") { "№" }; el("th") { "Мероприятие" }; el("th") { "Срок" }; el("th") { "Ответственный" }; el("th") { "Ожидаемый результат" } } }
                    el("tbody") {
                        (1...measureRows).map { n in
                            el("tr") {
                                orderCell(form, prefix: "m_", n)
                                ["text", "deadline", "responsible", "result"].map { field in
                                    el("td") { el("input", .name("m_\(field)_\(n)"), .value(form.fields["m_\(field)_\(n)"]), Attr("aria-label", "\(field) \(n)")) }
                                }
                            }
                        }
                    }
                }
                el("h2") { "Показатели" }
                el("table") {
                    el("thead") { el("tr") { el("th") { "№" }; el("th") { "Показатель" }; el("th") { "Единица" }; el("th") { "Базовое значение" }; el("th") { "Целевое значение" } } }
                    el("tbody") {
                        (1...indicatorRows).map { n in
                            el("tr") {
                                orderCell(form, prefix: "i_", n)
                                ["name", "unit", "baseline", "target"].map { field in
                                    el("td") { el("input", .name("i_\(field)_\(n)"), .value(form.fields["i_\(field)_\(n)"]), Attr("aria-label", "\(field) \(n)")) }
                                }
                            }
                        }
                    }
                }
                el("div", .class("actions")) { el("button", .type("submit"), .id("save")) { "Сохранить черновик" } }
            }
        }
    }

    /// A row's «№» (editable, to insert or move a row) and its item's stable id, which remarks are anchored to.
    static func orderCell(_ form: ProgrammeForm, prefix: String, _ n: Int) -> HTMLNode {
        el("td") {
            el("input", .name("\(prefix)order_\(n)"), .value(form.fields["\(prefix)order_\(n)"] ?? String(n)), Attr("size", "3"),
               Attr("aria-label", "№ строки \(n)"))
            el("input", .type("hidden"), .name("\(prefix)id_\(n)"), .value(form.fields["\(prefix)id_\(n)"]))
        }
    }

    // MARK: comparison

    static func comparison(_ model: ProgrammeComparisonModel, _ context: PageContext) -> HTMLNode {
        let id = model.programme.id!
        return Layout.page("Сравнение редакций: \(model.programme.title)", context, active: .programmes) {
            el("div", .class("toolbar")) { el("a", .href("/programmes/\(id)")) { "← К программе" } }
            el("h1") { "Сравнение: \(model.from.label) и \(model.to.label)" }
            el("form", .class("row"), .method("get"), .action("/programmes/\(id)/compare")) {
                UI.select("Было", name: "from", options: model.revisions.map { (String($0), "редакция \($0)") }, selected: nil)
                UI.select("Стало", name: "to", options: [("0", "текущий черновик")] + model.revisions.map { (String($0), "редакция \($0)") }, selected: nil)
                el("button", .type("submit"), .class("secondary")) { "Сравнить" }
            }
            el("p", .class("lead")) {
                let added = model.changes.filter { $0.kind == .added }.count, removed = model.changes.filter { $0.kind == .removed }.count
                let changed = model.changes.filter { $0.kind == .changed }.count
                model.changes.isEmpty ? "Различий нет." : "Добавлено: \(added), удалено: \(removed), изменено: \(changed)."
            }
            el("table", .id("comparison")) {
                el("thead") { el("tr") { el("th") { "Раздел" }; el("th") { "Что" }; el("th") { model.from.label }; el("th") { model.to.label } } }
                el("tbody") {
                    model.changes.map { change in
                        el("tr", .class("change \(change.kind.rawValue)")) {
                            el("td") { change.section.russianName }
                            el("td") {
                                switch change.kind {
                                case .added: "добавлено"
                                case .removed: "удалено"
                                case .changed: "изменено"
                                }
                            }
                            el("td") { change.old ?? "" }
                            el("td") { change.new ?? "" }
                        }
                    }
                }
            }
        }
    }
}
