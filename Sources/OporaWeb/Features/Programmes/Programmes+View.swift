import Foundation
import OporaData
import OporaDomain

enum ProgrammesView {
    static func statusTag(_ status: ProgrammeStatus, overdue: Bool = false) -> HTMLNode {
        if overdue { return el("span", .class("tag bad"),
            .title("На проверке дольше \(ProgrammeWorkflow.reviewDays) дней")) { "проверка просрочена" } }
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

    static let newProgrammeAction = "/programmes"

    /// A school's new document: the school is chosen (never pre-chosen when there are several), the factor by its
    /// name, this year onwards typed in; a refused form comes back as typed with each problem beside its field.
    static func newProgrammeForm(_ model: ProgrammesBoardModel, _ context: PageContext, echo: FormEcho?) -> HTMLNode {
        let action = newProgrammeAction
        func value(_ name: String, _ stored: String = "") -> String { echo.value(name, for: action, stored: stored) }
        let onlySchool = model.ownSchools.count == 1 ? String(model.ownSchools[0].id) : ""
        return el("section", .id("new-programme"), .class("panel")) {
            el("h2") { "Начать документ" }
            UI.refusal(echo, for: action)
            el("form", .class("row"), .method("post"), .action(action)) {
                Layout.csrfField(context.csrf)
                UI.select("Школа", name: "school", options: model.ownSchools.map { (String($0.id), $0.name) },
                          selected: value("school", onlySchool), required: true,
                          includeEmpty: model.ownSchools.count == 1 ? nil : "— выберите школу —", error: echo.error("school", for: action))
                UI.select("Документ", name: "kind", options: ProgrammeKind.allCases.map { ($0.rawValue, $0.russianName) },
                          selected: value("kind", ProgrammeKind.antiRisk.rawValue), required: true, error: echo.error("kind", for: action))
                UI.select("Фактор риска (для антирисковой)", name: "factor",
                          options: model.factors.map { (String($0.number), "\($0.number). \($0.name)") }, selected: value("factor"),
                          includeEmpty: "— не выбран —", error: echo.error("factor", for: action))
                UI.field("Название", name: "title", value: value("title"), required: true, error: echo.error("title", for: action))
                UI.field("С года", name: "start_year", value: value("start_year", String(model.thisYear)), required: true,
                         error: echo.error("start_year", for: action))
                UI.field("По год", name: "end_year", value: value("end_year", String(model.thisYear + 2)), required: true,
                         error: echo.error("end_year", for: action))
                el("button", .type("submit")) { "Начать документ" }
            }
        }
    }

    // MARK: board

    static func board(_ model: ProgrammesBoardModel, _ context: PageContext, echo: FormEcho? = nil) -> HTMLNode {
        Layout.page("Программы школ", context, active: .programmes) {
            el("h1") { "Программы школ" }
            el("p", .class("lead")) {
                "Концепции, среднесрочные и антирисковые программы школ: школа пишет и отправляет, куратор делает замечания, возвращает "
                    + "на доработку или утверждает."
            }
            el("p") { el("a", .href("/programmes/execution")) { "Как выполняются программы школ" } }
            el("div", .class("toolbar")) {
                ProgrammesBoardModel.filters.map { key in
                    let label = key == "all" ? "все" : key == "overdue" ? "проверка "
                        + "просрочена" : (ProgrammeStatus(rawValue: key)?.russianName ?? key)
                    return el("a", .href("/programmes?status=\(key)"), .when(model.filter == key,
                        .class("active"))) { "\(label): \(model.counts[key] ?? 0)" }
                }
            }
            if !model.ownSchools.isEmpty { newProgrammeForm(model, context, echo: echo) }
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
                            el("td") { el("a", .href("/programmes/\(row.id)")) { row.title }
                            el("div", .class("muted")) { kindLabel(row.kind, factor: row.factor) } }
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
                        "\(index + 1). \(indicator.name)\(indicator.unit.isEmpty ? "" : ", \(indicator.unit)"): базовое значение "
                            + "\(indicator.baseline.isEmpty ? "—" : indicator.baseline), целевое "
                                + "\(indicator.target.isEmpty ? "—" : indicator.target)"
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
        // A refused decision or remark is told here, beside the buttons; a refused measure from a ВПР deficit in
        // the deficits' box when it is shown.
        let inDeficits = model.echo.map { $0.action.hasSuffix("/vpr-measures") && !model.vprDeficits.isEmpty } ?? false
        return HTMLNode.fragment {
            el("div", .class("row")) {
                if model.allowed.contains(.edit) { el("a", .class("button"), .href("/programmes/\(id)/edit"),
                    .id("action-edit")) { "Редактировать" } }
                button(.submit, "submit", "Отправить на проверку")
                button(.returnForRevision, "return", "Вернуть на доработку", style: "secondary")
                button(.approve, "approve", "Утвердить")
            }
            if !inDeficits, let echo = model.echo { el("div", .id("refusal")) { UI.refusal(echo, for: echo.action) } }
        }
    }

    /// An item with its remark threads and, for those who may, a field for a new remark.
    static func item(_ model: ProgrammeModel, key: String, title: String?, _ context: PageContext,
        @HTMLBuilder body: () -> HTMLNode) -> HTMLNode {
        let id = model.programme.id!
        let threads = model.threads[key] ?? []
        let canComment = model.allowed.contains(.comment)
        // A refused remark or reply comes back in its own box on its own item, as typed, with the reason beside it.
        let commentAction = "/programmes/\(id)/comments"
        let echoed = model.echo.flatMap { echo in
            echo.action == commentAction && (echo.values["item_key"].cleaned ?? "general") == key ? echo : nil
        }
        let newRemark = echoed.flatMap { $0.values["parent_id"].cleaned == nil ? $0 : nil }
        return el("section", .class("item"), .id("item-\(key)")) {
            title.map { text in el("h2") { text } } ?? .empty
            body()
            threads.map { thread in
                el("div", .class(thread.comment.resolved ? "comment resolved" : "comment open")) {
                    el("div") {
                        el("strong") { thread.comment.authorName }
                        " · \(RussianFormat.dateTime(thread.comment.createdAt)) · к редакции "
                            + "\(thread.comment.revision == 0 ? "черновика" : String(thread.comment.revision)) · "
                        el("span", .class(thread.comment.resolved ? "tag good" : "tag "
                            + "warn")) { thread.comment.resolved ? "снято" : "открыто" }
                    }
                    el("p") { thread.comment.text }
                    thread.replies.map { reply in el("p", .class("reply")) { el("strong") { reply.authorName + ": " }; reply.text } }
                    if canComment {
                        let reply = echoed.flatMap { $0.values["parent_id"].cleaned == String(thread.comment.id!) ? $0 : nil }
                        let error = reply?.fieldErrors["text"]
                        el("form", .class("row"), .method("post"), .action(commentAction)) {
                            Layout.csrfField(context.csrf)
                            el("input", .type("hidden"), .name("item_key"), .value(key))
                            el("input", .type("hidden"), .name("parent_id"), .value(String(thread.comment.id!)))
                            el("label", Attr("class", error != nil ? "field invalid" : nil)) {
                                el("input", .name("text"), .value(reply?.values["text"]), Attr("placeholder", "Ответить"),
                                   Attr("aria-label", "Ответ"), Attr("aria-invalid", error != nil ? "true" : nil),
                                   Attr("aria-describedby", error != nil ? "text-note" : nil),
                                   Attr("autofocus", error != nil ? "autofocus" : nil))
                                if let error { el("small", .class("field-error"), .id("text-note")) { error } }
                            }
                            el("button", .type("submit"), .class("secondary")) { "Ответить" }
                        }
                    }
                    if model.allowed.contains(.resolveRemark) {
                        el("form", .method("post"), .action("/programmes/\(id)/comments/\(thread.comment.id!)/resolve"),
                           Attr("style", "display:inline")) {
                            Layout.csrfField(context.csrf)
                            el("input", .type("hidden"), .name("resolved"), .value(thread.comment.resolved ? "0" : "1"))
                            el("button", .type("submit"),
                                .class("secondary")) { thread.comment.resolved ? "Открыть снова" : "Снять замечание" }
                        }
                    }
                }
            }
            if canComment {
                el("details", .when(newRemark != nil, Attr("open", "open"))) {
                    el("summary") { "Замечание" }
                    el("form", .method("post"), .action(commentAction)) {
                        Layout.csrfField(context.csrf)
                        el("input", .type("hidden"), .name("item_key"), .value(key))
                        UI.textArea("Замечание", name: "text", value: newRemark?.values["text"], rows: 2, required: true,
                                    error: newRemark?.fieldErrors["text"])
                        el("div") { el("button", .type("submit"), .class("secondary")) { "Добавить замечание" } }
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

    /// The editor: every text in a box that wraps it whole (nothing cut off), and the open remarks beside the
    /// section or row they concern, so the school answers them while it edits.
    /// `fieldErrors`: a refused goal or tasks (input name → reason), shown beside that box.
    static func form(_ programme: SchoolProgrammeModel, _ form: ProgrammeForm, error: String?, fieldErrors: [String: String] = [:],
                     remarks: [ProgrammeCommentModel] = [], _ context: PageContext) -> HTMLNode {
        let id = programme.id!
        let measureRows = (form.rows("m_").last ?? 0) + ProgrammeForm.blankRows
        let indicatorRows = (form.rows("i_").last ?? 0) + ProgrammeForm.blankRows
        let labels = Dictionary(programme.content.items.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        let byKey = Dictionary(grouping: remarks, by: \.itemKey)
        let rowKeys = Set((1...measureRows).compactMap { form.fields["m_id_\($0)"].cleaned.map { "measure." + $0 } }
            + (1...indicatorRows).compactMap { form.fields["i_id_\($0)"].cleaned.map { "indicator." + $0 } })
        let placed = rowKeys.union(["goal"]).union(labels.keys.filter { $0.hasPrefix("task.") })
        let general = remarks.filter { !placed.contains($0.itemKey) }
        func rows(_ text: String?, width: Int, least: Int = 1) -> String {
            let lines = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { $0 + 1 + $1.count / width }
            return String(min(max(least, lines), 20))
        }
        func cell(_ name: String, _ label: String, title: String, width: Int) -> HTMLNode {
            el("td", UI.cardLabel(title)) {
                el("textarea", .name(name), Attr("rows", rows(form.fields[name], width: width)), Attr("aria-label", label)) {
                    form.fields[name] ?? ""
                }
            }
        }
        func short(_ name: String, _ label: String, title: String) -> HTMLNode {
            el("td", UI.cardLabel(title)) { el("input", .name(name), .value(form.fields[name]), Attr("aria-label", label)) }
        }
        func remarkRow(_ key: String?, columns: Int) -> HTMLNode {
            guard let key, let list = byKey[key], !list.isEmpty else { return .empty }
            return el("tr", .class("remarks-row")) { el("td", Attr("colspan", String(columns))) { remarkNotes(list, labels: labels) } }
        }
        /// The rows of measures or indicators: a long text in a box that wraps (`width` characters a line), a short one in a
        /// field, and each row's open remarks under it.
        func table(_ prefix: String, item: String, count: Int, _ columns: [(field: String, label: String, width: Int?)]) -> HTMLNode {
            el("div", .class("scroll")) {
                // On a phone each row is a card, every field under its column's title (`cards-narrow`).
                el("table", .class("editor cards-narrow")) {
                    el("thead") { el("tr") { el("th") { "№" }; columns.map { column in el("th") { column.label } } } }
                    el("tbody") {
                        (1...count).map { n in
                            HTMLNode.fragment {
                                el("tr") {
                                    orderCell(form, prefix: prefix, n)
                                    columns.map { column in
                                        let name = "\(prefix)\(column.field)_\(n)", label = "\(column.label) \(n)"
                                        return column.width.map { cell(name, label, title: column.label, width: $0) }
                                            ?? short(name, label, title: column.label)
                                    }
                                }
                                remarkRow(form.fields["\(prefix)id_\(n)"].cleaned.map { item + $0 }, columns: columns.count + 1)
                            }
                        }
                    }
                }
            }
        }
        return Layout.page("Редактирование: \(programme.title)", context, active: .programmes) {
            el("div", .class("toolbar")) { el("a", .href("/programmes/\(id)")) { "← К программе" } }
            el("h1") { programme.title }
            error.map { message in el("p", .class("flash error"), Attr("role", "alert")) { message } } ?? .empty
            if !general.isEmpty { el("div", .class("panel")) { el("h2") { "Замечания к документу" }
            remarkNotes(general, labels: labels) } }
            el("form", .method("post"), .action("/programmes/\(id)"), .id("programme-form"), .class("programme-editor")) {
                Layout.csrfField(context.csrf)
                el("input", .type("hidden"), .name("version"), .value(form.fields["version"] ?? String(programme.version)))
                UI.textArea("Цель", name: "goal", value: form.fields["goal"],
                            rows: Int(rows(form.fields["goal"], width: 100, least: 3)) ?? 3, error: fieldErrors["goal"])
                remarkNotes(byKey["goal"] ?? [], labels: labels)
                UI.textArea("Задачи — по одной на строке", name: "tasks", value: form.fields["tasks"],
                            rows: Int(rows(form.fields["tasks"], width: 100, least: 5)) ?? 5, error: fieldErrors["tasks"])
                remarkNotes(remarks.filter { $0.itemKey.hasPrefix("task.") && labels[$0.itemKey] != nil }, labels: labels)
                el("h2") { "Мероприятия" }
                el("p", .class("muted")) {
                    "Чтобы вставить мероприятие, впишите его в пустую строку и дайте ей номер, который оно должно получить."
                }
                el("p", .class("muted")) {
                    "Срок пишите как в документе: «до 10.09.2024», «ежеквартально», «январь–май», «по итогам ВПР» — "
                        + "Опора прочитает его и покажет, как поняла."
                }
                table("m_", item: "measure.", count: measureRows, [
                    ("text", "Мероприятие", 40), ("deadline", "Срок", nil), ("responsible", "Ответственный", nil),
                    ("result", "Ожидаемый результат", 30),
                ])
                el("h2") { "Показатели" }
                table("i_", item: "indicator.", count: indicatorRows, [
                    ("name", "Показатель", 40), ("unit", "Единица", nil), ("baseline", "Базовое значение", nil),
                    ("target", "Целевое значение", nil),
                ])
                el("div", .class("actions")) { el("button", .type("submit"), .id("save")) { "Сохранить черновик" } }
            }
        }
    }

    /// Open remarks as notes beside what they concern, while editing (answered on the programme's page).
    static func remarkNotes(_ remarks: [ProgrammeCommentModel], labels: [String: String]) -> HTMLNode {
        guard !remarks.isEmpty else { return .empty }
        return el("aside", .class("remarks"), Attr("aria-label", "Открытые замечания")) {
            remarks.map { remark in
                el("div", .class("comment open")) {
                    el("strong") { "Замечание" + (labels[remark.itemKey].map { " · \($0)" } ?? "") + " — \(remark.authorName)" }
                    el("p") { remark.text }
                }
            }
        }
    }

    /// A row's «№» (editable, to insert or move a row) and its item's stable id, which remarks are anchored to.
    static func orderCell(_ form: ProgrammeForm, prefix: String, _ n: Int) -> HTMLNode {
        el("td", UI.cardLabel("№")) {
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
                UI.select("Стало", name: "to", options: [("0", "текущий черновик")] + model.revisions.map { (String($0),
                    "редакция \($0)") }, selected: nil)
                el("button", .type("submit"), .class("secondary")) { "Сравнить" }
            }
            el("p", .class("lead")) {
                let added = model.changes.filter { $0.kind == .added }.count, removed = model.changes.filter { $0.kind == .removed }.count
                let changed = model.changes.filter { $0.kind == .changed }.count
                model.changes.isEmpty ? "Различий нет." : "Добавлено: \(added), удалено: \(removed), изменено: \(changed)."
            }
            el("table", .id("comparison")) {
                el("thead") { el("tr") { el("th") { "Раздел" }; el("th") { "Что" }; el("th") { model.from.label }
                el("th") { model.to.label } } }
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
