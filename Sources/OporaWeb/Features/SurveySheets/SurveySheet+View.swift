import OporaDomain

/// Printable sheets: on paper only the school, the group, the QR code, the link and the instruction; the download
/// links and the hint to print are on screen only (`.sheet-screen`, hidden by the print CSS).
enum SurveySheetView {
    static func page(_ model: SurveySheetsModel) -> HTMLNode {
        Layout.document("Листы с QR-кодами: \(model.title)") {
            el("div", .class("sheet-screen")) {
                el("p") {
                    "Листов: \(RussianFormat.integer(model.sheets.count)) — по одному на школу и группу. "
                    "Напечатайте страницу (Ctrl+P): каждый лист выйдет на отдельной странице, без кнопок."
                }
            }
            model.sheets.map(sheet)
        }
    }

    static func sheet(_ sheet: SurveySheet) -> HTMLNode {
        el("section", .class("sheet")) {
            el("h1") { "Анкетирование: \(sheet.campaignTitle)" }
            el("dl", .class("sheet-facts")) {
                el("dt") { "Школа" }
                el("dd") { sheet.schoolName }
                el("dt") { "Кто отвечает" }
                el("dd") { sheet.groupName }
                el("dt") { "Срок" }
                el("dd") { "с \(sheet.starts.russian) по \(sheet.ends.russian)" }
            }
            el("div", .class("sheet-code"), Attr("role", "img"), Attr("aria-label", "QR-код ссылки на анкету")) {
                HTMLNode.trusted(QRImage.svg(sheet.code))
            }
            el("p", .class("sheet-link")) { sheet.link }
            el("h2") { "Как провести опрос" }
            el("ol", .class("sheet-steps")) {
                el("li") {
                    "Раздайте этот лист или покажите QR-код: участники (\(sheet.groupName.lowercased())) отвечают сами, "
                    "каждый со своего телефона."
                }
                el("li") { "Наведите камеру телефона на QR-код или наберите ссылку под ним — откроется анкета. Вход и пароль не нужны." }
                el("li") { "Анкета анонимная: имя, адрес и контакты не спрашиваются, адрес устройства с ответами не сохраняется." }
                el("li") { "Один открытый бланк — один ответ. Следующему участнику нужно открыть ссылку заново." }
                el("li") {
                    "Ожидаем около \(RussianFormat.integer(sheet.expected)) ответов. Анкета закроется после \(sheet.ends.russian) "
                    "или когда ответов станет намного больше ожидаемого."
                }
            }
            el("p", .class("sheet-screen sheet-downloads")) {
                "Скачать код: "
                el("a", .href("/s/\(sheet.token)/qr.png")) { "PNG" }
                " · "
                el("a", .href("/s/\(sheet.token)/qr.svg")) { "SVG" }
            }
        }
    }
}
