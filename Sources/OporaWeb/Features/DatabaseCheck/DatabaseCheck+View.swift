import OporaDomain

enum DatabaseCheckView {
    /// The start page's panel: when, OK or how many faults, a link to the report.
    static func panel(_ model: DatabaseCheckModel) -> HTMLNode {
        el("section", .id("database-check")) {
            el("h2") { "Проверка базы данных" }
            el("div", .class("panel")) {
                if let report = model.report {
                    el("p") {
                        el("span", .class("tag \(report.ok ? "good" : "bad")")) { report.ok ? "в порядке" : "нарушения" }
                        " \(RussianFormat.dateTime(report.finishedAt)) UTC: \(report.verdict). "
                        el("a", .href("/check")) { "Подробнее" }
                    }
                    if model.isStale {
                        el("p", .class("muted")) { "Проверка давно не выполнялась: запущен ли сервер «opora serve» постоянно?" }
                    }
                } else {
                    el("p", .class("muted")) { "Проверка ещё не выполнялась: сервер запускает её раз в сутки, вручную — «opora check»." }
                }
            }
        }
    }

    static func page(_ model: DatabaseCheckModel, _ context: PageContext) -> HTMLNode {
        Layout.page("Проверка базы данных", context, active: .home) {
            el("h1") { "Проверка базы данных" }
            if let report = model.report {
                el("p") {
                    el("span", .class("tag \(report.ok ? "good" : "bad")")) { report.ok ? "в порядке" : "нарушения" }
                    " \(report.engine), \(RussianFormat.dateTime(report.startedAt)) UTC: \(report.verdict). "
                    "Прочитано таблиц: \(report.tables), записей: \(RussianFormat.integer(report.rows))."
                }
                if !report.ok { faults(report) }
                el("h2") { "Что проверено" }
                el("table") {
                    el("thead") { el("tr") { el("th") { "Проверка" }; el("th") { "Вид" }; el("th", .class("num")) { "Нарушений" } } }
                    el("tbody") {
                        report.checks.map { item in
                            el("tr") {
                                el("td") { item.name }
                                el("td") { kindName(item.kind) }
                                el("td", .class("num")) {
                                    item.faults == 0 ? .text("0") : el("span", .class("tag bad")) { RussianFormat.integer(item.faults) }
                                }
                            }
                        }
                    }
                }
            } else {
                el("p", .class("muted")) { "Проверка ещё не выполнялась." }
            }
            el("p", .class("muted")) {
                "Запустить проверку вручную: команда «opora check» на сервере (описана в руководстве по эксплуатации)."
            }
        }
    }

    static func faults(_ report: DatabaseCheckReport) -> HTMLNode {
        el("section", .id("faults")) {
            el("h2") { "Нарушения" }
            el("table") {
                el("thead") { el("tr") { el("th") { "Проверка" }; el("th") { "Таблица" }; el("th", .class("num")) { "Строка" }
                    el("th") { "Что не так" } } }
                el("tbody") {
                    report.faults.map { fault in
                        el("tr") {
                            el("td") { fault.check }
                            el("td") { fault.table.isEmpty ? "—" : fault.table }
                            el("td", .class("num")) { fault.rowID.map(String.init) ?? "—" }
                            el("td") { fault.message }
                        }
                    }
                }
            }
            let listed = report.faults.count
            if report.faultCount > listed {
                el("p", .class("muted")) { "Показаны \(listed) из \(RussianFormat.integer(report.faultCount)); все — «opora check»." }
            }
        }
    }

    static func kindName(_ kind: CheckFault.Kind) -> String {
        switch kind {
        case .engine: "средства СУБД"
        case .schema: "схема"
        case .reference: "ссылка"
        case .part: "состав записи"
        case .audit: "журнал изменений"
        }
    }
}
