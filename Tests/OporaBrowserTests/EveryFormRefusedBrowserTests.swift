import Foundation
import OporaLiveSupport
import XCTest

/// Every form of the product, sent with bad values in Chromium (issue 24, «checked on every form»): on the demo
/// territory, for each role that has forms, the pages of the menu and the pages they link to are walked, every
/// `<form method=post>` with a visible field is filled with values a hurried user types (an impossible date, a word
/// in a number, a required text emptied, a text of 5,000 characters) and sent by its own button. A form must not fail
/// (5xx, an error page); it either saves — only when what was typed could be right — or comes back with every value
/// as typed and a Russian reason beside a field, without the program's internal names. All problems are gathered
/// and reported at once, so the list shows every form still to fix.
final class EveryFormRefusedBrowserTests: ChromiumTestCase {
    /// The demo's roles that have forms (`viewer` has none), and an analyst of the whole installation (`admin`, added
    /// here: the demo has none), who alone keeps the shared catalogues and the academic years.
    static let roles = ["admin", "analyst", "coordinator", "curator", "director"]

    /// Pages walked per role at most, and per kind of page (its path with numbers as `:id`, its query's names):
    /// a list links to hundreds of schools whose pages carry the same forms.
    static let pageCap = 300
    static let pagesPerKind = 2
    /// How far from the menu: its pages (0), the pages they link to (1), and one step further (2), where a roadmap's
    /// measure or a programme's indicator is reached.
    static let depth = 2

    /// Forms not sent, each with its reason: they destroy, sign out or change what the rest of the walk stands on.
    static let skipped: [(pattern: String, reason: String)] = [
        ("/logout", "signs the user out"),
        ("/sign-out-everywhere", "signs the user out"),
        ("/links", "reissues a campaign's links: the ones handed out stop working"),
        ("/account/password", "changes the password the walk signs in with"),
        ("/delete", "deletes"),
        ("/remove", "removes"),
        ("/deactivate", "deactivates a user"),
        ("/revoke", "revokes a token or a link"),
        ("/backup", "makes or restores a backup"),
        ("/restore", "restores a backup"),
        ("/identification/approve", "approves a list by order (the walk's other forms stand on the list in force)"),
        ("/approve", "approves (a list, a programme, an exit): not a form of typed values"),
    ]

    /// A text long enough to overflow any sensible column (5,000 characters, without line breaks).
    static let longText = String(String(repeating: "Длинный текст проверки формы. ", count: 200).prefix(5000))

    /// The demo, with an analyst of the whole installation added.
    override func startServer() async throws -> LiveServer {
        let demo = try await LiveServer.startDemo(Self.self)
        try demo.opora(["user", "add", "--login", "admin", "--name", "Администратор Опоры", "--role", "regional_analyst",
                        "--password", LiveServer.demoPassword("admin")], anchor: Self.self)
        return demo
    }

    /// Signs in with a demo login (its password is the demo's, its name a person's).
    func signInToTheDemo(_ login: String) async throws {
        try await browser.open(server.baseURL + "/login")
        try await browser.type("input[name=login]", login)
        try await browser.type("input[name=password]", LiveServer.demoPassword(login))
        try await browser.click("form[action='/login'] button[type=submit]")
        try await browser.waitFor("action=\"/logout\"")
    }

    /// Signs out by the page's own form (sent by script: on a phone its button is inside the folded menu).
    func signOutByScript() async throws {
        try await browser.open(server.baseURL + "/")
        try await browser.execute("document.querySelector(\"form[action='/logout']\").submit();")
        try await browser.waitFor("action=\"/login\"")
    }

    /// A form found on the walk: the page it was on, its `action` as written, the names of its visible kinds of field.
    struct FoundForm {
        let key: String
        let page: String
        let action: String
        let fields: [String]
    }

    /// Walks the menu's pages and the pages they link to (same origin, GET, no files, no sign-out) with `fetch` from
    /// the signed-in page, reading each with `DOMParser`: the forms found (one per action and set of fields), the
    /// number of pages read, and any page that failed.
    func walk() async throws -> (forms: [FoundForm], pages: Int, problems: [String]) {
        let script = #"""
            return (async () => {
              const cap = \#(Self.pageCap), perKind = \#(Self.pagesPerKind), origin = location.origin;
              // No sign-out, no files (downloads, exports, documents), no backups, no API.
              const skip = new RegExp(['logout', 'download', 'export', '\\.(csv|xlsx|docx|pdf|zip|json|png|svg|txt)(\\?|$)',
                                       '[?&]format=(?!html)', '/backup', '/restore', '/api/'].join('|'), 'i');
              const kind = u => u.pathname.replace(/\/\d+(?=\/|$)/g, '/:id') + '?' + [...u.searchParams.keys()].sort().join('&');
              const textual = ['text', 'number', 'date', 'email', 'tel', 'url', 'search', 'password'];
              const seen = new Set(), counts = {}, forms = {}, problems = [];
              let read = 0;
              const admit = href => {
                let u; try { u = new URL(href, origin); } catch (e) { return null; }
                u.hash = '';
                if (u.origin !== origin || skip.test(u.pathname + u.search) || seen.has(u.href) || seen.size >= cap) return null;
                const k = kind(u);
                if ((counts[k] || 0) >= perKind) return null;
                counts[k] = (counts[k] || 0) + 1; seen.add(u.href);
                return u.href;
              };
              const open = async href => {
                try {
                  const r = await fetch(href, {credentials: 'same-origin'});
                  read++;
                  if (r.status >= 500) problems.push('GET ' + href + ' answers ' + r.status);
                  if (!(r.headers.get('content-type') || '').includes('text/html')) return [];
                  const page = r.url, doc = new DOMParser().parseFromString(await r.text(), 'text/html');
                  for (const f of doc.querySelectorAll('form')) {
                    if ((f.getAttribute('method') || 'get').toLowerCase() !== 'post') continue;
                    const names = [...f.querySelectorAll('input, textarea, select')].filter(e => e.name && (
                      e.tagName !== 'INPUT' || textual.includes((e.getAttribute('type') || 'text').toLowerCase()))).map(e => e.name);
                    if (!names.length) continue;
                    const action = f.getAttribute('action') || '';
                    const fields = [...new Set(names)].sort();
                    const target = new URL(action || page, page);
                    // Numbered fields (a questionnaire's q12_text, a risk's level_3) are one kind of field.
                    const kinds = [...new Set(fields.map(n => n.replace(/\d+/g, '#')))].sort();
                    const key = target.pathname.replace(/\/\d+(?=\/|$)/g, '/:id') + ' ' + kinds.join(',');
                    if (!forms[key]) forms[key] = {key, page, action, fields};
                  }
                  return [...doc.querySelectorAll('a[href]')].map(a => new URL(a.getAttribute('href'), page).href);
                } catch (e) { problems.push('GET ' + href + ': ' + e); return []; }
              };
              const visit = async list => {
                const links = [];
                for (let i = 0; i < list.length; i += 4) {
                  (await Promise.all(list.slice(i, i + 4).map(open))).forEach(l => links.push(...l));
                }
                return links;
              };
              const menu = [location.href, ...[...document.querySelectorAll('#main-menu a[href]')].map(a => a.href)];
              let level = menu;
              for (let depth = 0; depth <= \#(Self.depth); depth++) level = await visit(level.map(admit).filter(Boolean));
              return {read, problems, forms: Object.values(forms)};
            })();
            """#
        let result = try await browser.execute(script) as? [String: Any] ?? [:]
        let forms = (result["forms"] as? [[String: Any]] ?? []).map {
            FoundForm(key: $0["key"] as? String ?? "", page: $0["page"] as? String ?? "", action: $0["action"] as? String ?? "",
                      fields: $0["fields"] as? [String] ?? [])
        }
        return (forms.sorted { $0.key < $1.key }, (result["read"] as? NSNumber)?.intValue ?? 0, result["problems"] as? [String] ?? [])
    }

    /// The JavaScript expression that finds `form` on the current page (its action as written, all its fields).
    func locate(_ form: FoundForm) throws -> String {
        let action = String(decoding: try JSONEncoder().encode(form.action), as: UTF8.self)
        let fields = String(decoding: try JSONEncoder().encode(form.fields), as: UTF8.self)
        return """
            [...document.querySelectorAll('form')].find(f => (f.getAttribute('method') || '').toLowerCase() === 'post'
              && (f.getAttribute('action') || '') === \(action)
              && \(fields).every(n => f.querySelector('[name="' + n + '"]')))
            """
    }

    /// What was typed into one field: its name, which of the same name it is, the kind of bad value, the value.
    struct Typed {
        let name: String
        let index: Int
        let kind: String
        let value: String

        /// A value no form may accept: an impossible date, a word or a negative in a number, a required field left empty,
        /// a one-letter password. A long text may be right (a note), a select's choice is the page's own.
        var isBad: Bool { ["date", "number", "empty", "password"].contains(kind) }
    }

    /// Fills `form` on the current page with bad values and marks its own submit button; what was typed, or why not.
    func fill(_ form: FoundForm) async throws -> (typed: [Typed], problem: String?) {
        let long = String(decoding: try JSONEncoder().encode(Self.longText), as: UTF8.self)
        let found = try locate(form)
        let script = #"""
            const form = \#(found);
            if (!form) return {problem: 'the form is not on its page any more'};
            for (let d = form.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
            const long = \#(long), textual = ['text', 'email', 'tel', 'url', 'search', ''];
            const typed = [], counts = {};
            for (const e of form.querySelectorAll('input, textarea, select')) {
              if (!e.name || e.disabled || e.readOnly) continue;
              const index = counts[e.name] = (counts[e.name] ?? -1) + 1;
              if (!e.checkVisibility({visibilityProperty: true})) continue;
              const type = (e.getAttribute('type') || '').toLowerCase();
              const label = (e.closest('label') || {}).textContent || '';
              let kind, value;
              if (e.tagName === 'SELECT') { typed.push({name: e.name, index, kind: 'select', value: e.value}); continue; }
              if (e.tagName === 'TEXTAREA') { [kind, value] = e.required ? ['empty', ''] : ['long', long]; }
              else if (type === 'number') { [kind, value] = ['number', '-5']; }
              else if (type === 'password') { [kind, value] = ['password', '1']; }
              else if (type === 'date') { [kind, value] = ['date', '2024-02-31']; }
              else if (!textual.includes(type)) continue;
              else if (/ДД\.ММ\.ГГГГ/.test(label) || /(^|_)(date|due|on|from|until|starts|ends)$/.test(e.name)) {
                [kind, value] = ['date', '31.02.2024'];
              } else if (/(^|_)(year|students|count|baseline|target|value|percent|share|score|weight)(_|$)/.test(e.name)
                         || ['numeric', 'decimal'].includes(e.inputMode)) {
                [kind, value] = ['number', 'abc'];
              } else if (e.required) { [kind, value] = ['empty', '']; }
              else { [kind, value] = ['long', long]; }
              e.value = value;
              e.dispatchEvent(new Event('input', {bubbles: true}));
              e.dispatchEvent(new Event('change', {bubbles: true}));
              typed.push({name: e.name, index, kind, value: e.value});
            }
            if (!typed.length) return {problem: 'no visible field on its page'};
            const buttons = [...form.querySelectorAll('button, input[type=submit]')]
              .filter(b => (b.type || 'submit') === 'submit' && b.checkVisibility({visibilityProperty: true}));
            const button = buttons.find(b => !/удал|отозв|деактив|выйти/i.test(b.textContent + ' ' + (b.value || '')));
            if (!button) return {problem: 'no visible submit button of its own'};
            document.querySelectorAll('[data-crawl-submit]').forEach(b => b.removeAttribute('data-crawl-submit'));
            button.setAttribute('data-crawl-submit', '');
            // The server's answer is what is checked: the browser's own checks (required, type=number) would stop the
            // form before it is sent, and a client without them (or a changed page) reaches the server anyway.
            form.noValidate = true;
            window.crawlBeforeSubmit = true;
            return {typed};
            """#
        let result = try await browser.execute(script) as? [String: Any] ?? [:]
        if let problem = result["problem"] as? String { return ([], problem) }
        let typed = (result["typed"] as? [[String: Any]] ?? []).map {
            Typed(name: $0["name"] as? String ?? "", index: ($0["index"] as? NSNumber)?.intValue ?? 0,
                  kind: $0["kind"] as? String ?? "", value: $0["value"] as? String ?? "")
        }
        return (typed, nil)
    }

    /// The page that came back after a submit, as read in the browser.
    struct Answer {
        let status: Int
        let url: String
        let title: String
        let saved: Bool
        let formFound: Bool
        /// What each typed field holds now, by "name#index".
        let values: [String: String]
        let notes: [String]
        let summary: [String]
    }

    func answer(to form: FoundForm) async throws -> Answer {
        let found = try locate(form)
        let script = #"""
            const nav = performance.getEntriesByType('navigation')[0];
            const form = \#(found);
            const values = {}, counts = {};
            if (form) for (const e of form.querySelectorAll('input, textarea, select')) {
              if (!e.name) continue;
              const index = counts[e.name] = (counts[e.name] ?? -1) + 1;
              values[e.name + '#' + index] = e.value;
            }
            const notes = form ? [...form.querySelectorAll('.field-error')].map(n => n.textContent.trim()) : [];
            return {status: nav ? nav.responseStatus || 0 : 0, url: location.href, title: document.title,
                    saved: !!document.querySelector('.flash.success') && !document.querySelector('.flash.error, .field-error'),
                    found: !!form, values, notes,
                    summary: [...document.querySelectorAll(
                      document.title.startsWith('Ошибка') ? 'main h1 + p' : '.flash.error, [role=alert]')]
                      .map(n => n.textContent.trim())};
            """#
        let result = try await browser.execute(script) as? [String: Any] ?? [:]
        return Answer(
            status: (result["status"] as? NSNumber)?.intValue ?? 0, url: result["url"] as? String ?? "",
            title: result["title"] as? String ?? "", saved: result["saved"] as? Bool ?? false,
            formFound: result["found"] as? Bool ?? false, values: result["values"] as? [String: String] ?? [:],
            notes: result["notes"] as? [String] ?? [], summary: result["summary"] as? [String] ?? [])
    }

    /// Clicks the marked button and waits for the next page to load.
    func submit() async throws -> String? {
        do {
            try await browser.click("[data-crawl-submit]")
        } catch {
            // A button WebDriver cannot reach (under a sticky bar, inside a wide table) is pressed as the page would.
            _ = try await browser.execute(#"""
                const b = document.querySelector('[data-crawl-submit]'); b.form.requestSubmit(b);
                """#)
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if await browser.dismissDialog() { return "a dialog opened instead of a page" }
            let loaded = try? await browser.execute(
                "return window.crawlBeforeSubmit === undefined && document.readyState === 'complete';") as? Bool
            if loaded == true { return nil }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return "no page came back within 60 s"
    }

    /// Program names a user must never read: field and column names (`value:`, «code», order_date), English words.
    /// What the user typed is taken out first («abc» — не число), and addresses (name@example.ru is a hint).
    static func internalNames(in message: String, typed: [Typed]) -> [String] {
        // An example of what to type is no internal name: «латинские строчные буквы, например hist».
        var text = message.replacingOccurrences(of: #"\S+@\S+|https?://\S+|например,? [A-Za-z_]+"#, with: " ",
                                                options: .regularExpression)
        for field in typed where !field.value.isEmpty && field.value.count < 100 {
            text = text.replacingOccurrences(of: field.value, with: " ")
        }
        guard let expression = try? NSRegularExpression(pattern: #"\b[A-Za-z_]*[a-z][A-Za-z_]*\b\s*:?"#) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        }
    }

    static func brief(_ text: String) -> String {
        text.count > 40 ? "\(text.prefix(30))…(\(text.count) characters)" : "«\(text)»"
    }

    /// What sending one form showed.
    enum Outcome {
        /// Not sent: on the skip list, or shown to this role without a field or a button to use (read-only).
        case skipped(String)
        /// Sent: the problems found (none when it behaved), and whether it came back refused (not saved).
        case sent(problems: [String], refused: Bool)
    }

    /// Sends one form with bad values and judges the page that comes back.
    func check(_ form: FoundForm, as login: String) async throws -> Outcome {
        let label = "\(login) \(form.key)"
        if let skip = Self.skipped.first(where: { form.key.split(separator: " ")[0].contains($0.pattern) }) {
            return .skipped(skip.reason)
        }
        try await browser.open(form.page)
        let (typed, unfit) = try await fill(form)
        if let unfit { return .skipped("\(unfit): read-only for this role") }
        if let stuck = try await submit() { return .sent(problems: ["\(label): \(stuck)"], refused: false) }
        let answer = try await answer(to: form)
        var issues: [String] = []
        let bad = typed.filter(\.isBad)
        let what = typed.map { "\($0.name)=\($0.kind)" }.joined(separator: ", ")
        let said = answer.summary.joined(separator: " / ").prefix(300)
        if answer.status >= 500 { issues.append("the server failed (\(answer.status)) on \(what)") }
        if answer.title.hasPrefix("Ошибка") || answer.status == 403 || answer.status == 404 {
            issues.append("an error page (status \(answer.status): «\(said)») on \(what)")
        } else if answer.saved && answer.status != 422 {
            if !bad.isEmpty {
                let values = bad.map { "\($0.name)=\(Self.brief($0.value))" }.joined(separator: ", ")
                issues.append("saved although \(values) cannot be right")
            }
        } else if !answer.formFound {
            issues.append("the form did not come back (status \(answer.status), now at \(answer.url)); typed \(what); said: «\(said)»")
        } else {
            let lost = typed.filter { $0.kind != "password" && answer.values["\($0.name)#\($0.index)"] != $0.value }
            if !lost.isEmpty {
                let shown = lost.prefix(4).map { "«\($0.name)» (\($0.kind))" }.joined(separator: ", ")
                issues.append("typed values not kept: \(shown)\(lost.count > 4 ? " and \(lost.count - 4) more" : "")")
            }
            if !answer.notes.contains(where: { $0.range(of: "[А-Яа-яЁё]", options: .regularExpression) != nil }) {
                issues.append("no Russian reason beside a field; said: «\(said)»")
            }
            if answer.status != 0 && answer.status != 422 && !bad.isEmpty {
                issues.append("refused with status \(answer.status), not 422")
            }
        }
        if !answer.saved {
            for message in Set(answer.notes + answer.summary) {
                let names = Self.internalNames(in: message, typed: typed)
                if !names.isEmpty { issues.append("internal names \(names) in «\(message.prefix(160))»") }
            }
        }
        let problems = issues.isEmpty ? [] : ["\(label) (page \(form.page.replacingOccurrences(of: server.baseURL, with: ""))): "
            + issues.joined(separator: "; ")]
        return .sent(problems: problems, refused: !answer.saved && answer.formFound)
    }

    /// Sends `form` with bad values again at 390 px: the reason beside a field lies inside the window, the page does not
    /// scroll sideways.
    func checkOnAPhone(_ form: FoundForm, as login: String) async throws -> [String] {
        let label = "\(login) \(form.key) at 390 px"
        try await browser.open(form.page)
        let (_, unfit) = try await fill(form)
        if let unfit { return ["\(label): \(unfit)"] }
        if let stuck = try await submit() { return ["\(label): \(stuck)"] }
        let found = try locate(form)
        let seen = try await browser.execute(#"""
            const form = \#(found);
            const note = form && form.querySelector('.field-error');
            if (!note) return {note: false};
            note.scrollIntoView({block: 'center'});
            const r = note.getBoundingClientRect();
            return {note: true, inside: r.width > 0 && r.left >= -1 && r.right <= window.innerWidth + 1,
                    page: document.documentElement.scrollWidth <= window.innerWidth + 1};
            """#) as? [String: Any] ?? [:]
        // OPORA_SCREENSHOTS=<folder> keeps a picture of each refused form on a phone, to look at.
        if let folder = ProcessInfo.processInfo.environment["OPORA_SCREENSHOTS"] {
            let name = form.key.split(separator: " ")[0].replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "")
            try await browser.screenshot(to: "\(folder)/refused-390-\(login)\(name).png")
        }
        var problems: [String] = []
        if seen["note"] as? Bool != true { problems.append("\(label): no reason beside a field") }
        if seen["note"] as? Bool == true, seen["inside"] as? Bool != true {
            problems.append("\(label): the reason beside the field lies outside the window")
        }
        if seen["note"] as? Bool == true, seen["page"] as? Bool != true {
            problems.append("\(label): the page scrolls sideways")
        }
        return problems
    }

    func testEveryFormOfEveryRoleRefusesBadValuesKeepingThemWithAReasonBesideTheField() async throws {
        var problems: [String] = [], skips: [String] = [], checked = 0
        var wellRefused: [String: [FoundForm]] = [:]
        try await browser.resize(width: 1366, height: 900)
        try await browser.setScriptTimeout(seconds: 240)
        for login in Self.roles {
            try await signInToTheDemo(login)
            let (forms, pages, walkProblems) = try await walk()
            print("\(login): \(pages) pages read, \(forms.count) forms")
            problems += walkProblems.map { "\(login): \($0)" }
            for form in forms {
                switch try await check(form, as: login) {
                case .skipped(let reason):
                    skips.append("\(login) \(form.key): \(reason)")
                case .sent(let found, let refused):
                    checked += 1
                    print(found.isEmpty ? "ok \(login) \(form.key)" : found.joined(separator: "\n"))
                    if found.isEmpty && refused { wellRefused[login, default: []].append(form) }
                    problems += found
                }
            }
            try await signOutByScript()
        }
        print("Forms sent: \(checked); skipped:\n" + skips.joined(separator: "\n"))

        // On a phone: a handful of the forms that came back well show their reason inside the window.
        try await browser.emulatePhone(width: 390)
        // The largest forms, each once (a visit is the coordinator's, the curator's and the director's).
        var onAPhone = 0, seenOnAPhone: Set<String> = []
        for login in Self.roles {
            let forms = (wellRefused[login] ?? []).filter { !seenOnAPhone.contains($0.key) }
                .sorted { ($0.fields.count, $0.key) > ($1.fields.count, $1.key) }.prefix(2)
            seenOnAPhone.formUnion(forms.map(\.key))
            guard !forms.isEmpty else { continue }
            try await signInToTheDemo(login)
            for form in forms {
                print("at 390 px: \(login) \(form.key)")
                problems += try await checkOnAPhone(form, as: login)
                onAPhone += 1
            }
            try await signOutByScript()
        }
        XCTAssertGreaterThanOrEqual(onAPhone, 4, "a handful of forms seen on a phone")
        XCTAssertGreaterThan(checked, 20, "the walk finds the product's forms")
        XCTAssertTrue(problems.isEmpty, "\(problems.count) problems on the forms:\n" + problems.joined(separator: "\n"))
    }
}
