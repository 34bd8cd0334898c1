import Fluent
import OporaData
import OporaDomain
import Vapor

extension Request {
    /// The frame data for a page; consumes the flash message left by the previous redirect.
    func pageContext() throws -> PageContext {
        var flash: Flash? = nil
        if let state = sessionState, let text = state.flash {
            flash = try? JSONDecoder().decode(Flash.self, from: Data(text.utf8))
            state.flash = nil
        }
        return PageContext(user: auth.get(CurrentUser.self), csrf: CSRF.token(for: self), flash: flash,
                           todayCount: storage[TodayBadgeMiddleware.CountKey.self], school: pageSchool)
    }

    private struct PageSchoolKey: StorageKey { typealias Value = String }

    /// The full name of the school this page is about, printed at the top of the page (`Layout.printHead`). Set by
    /// `schoolInScope`, which every page of one school asks, and by pages that reach a school through its records.
    var pageSchool: String? {
        get { storage[PageSchoolKey.self] }
        set { storage[PageSchoolKey.self] = newValue }
    }

    /// A message for the next page (kept in the session; a visitor who is not signed in gets none).
    func flash(_ kind: Flash.Kind, _ message: String) {
        if let state = sessionState, let data = try? JSONEncoder().encode(Flash(kind: kind, message: message)) {
            state.flash = String(decoding: data, as: UTF8.self)
        }
    }

    /// Redirects after a POST with a message for the next page (Post/Redirect/Get).
    func redirect(to path: String, flash kind: Flash.Kind, _ message: String) -> Response {
        flash(kind, message)
        return redirect(to: path, redirectType: .normal)
    }

    /// Refuses with 403 unless the user's role allows the action.
    func require(_ permission: KeyPath<Role, Bool>) throws -> CurrentUser {
        let user = try self.user
        guard user.role[keyPath: permission] else { throw Abort(.forbidden, reason: "Недостаточно прав для этого действия") }
        return user
    }

    /// Refuses with 403 unless the user may change what every region shares (see `managesSharedCatalogues`).
    func requireSharedCatalogues() throws -> CurrentUser {
        let user = try self.user
        guard user.managesSharedCatalogues else {
            throw Abort(.forbidden, reason: "Общие справочники (предметы, процедуры, учебные годы, пороговые баллы) "
                            + "меняет аналитик всей системы, не привязанный к одному региону")
        }
        return user
    }

    /// The school if it is in the user's scope; otherwise 404, so that other schools' existence is not revealed.
    func schoolInScope(_ id: Int) async throws -> SchoolModel {
        let user = try self.user
        guard let school = try await ScopeQueries.schools(user.scope, on: db).filter(\.$id == id)
            .with(\.$municipality, { $0.with(\.$region) }).first() else {
            throw Abort(.notFound, reason: "Школа не найдена")
        }
        pageSchool = school.name
        return school
    }

    /// An id in the path; anything that cannot be a stored id is simply not found.
    func intParameter(_ name: String) throws -> Int {
        guard let value = parameters.get(name, as: Int.self), InputRange.id.contains(value) else { throw Abort(.notFound) }
        return value
    }
}

extension HTMLNode: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        try await encodeResponse(status: .ok, for: request)
    }

    public func encodeResponse(status: HTTPStatus, for request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        var buffer = request.byteBufferAllocator.buffer(capacity: 16 * 1024)
        write(into: &buffer)
        return Response(status: status, headers: headers, body: .init(buffer: buffer))
    }
}

extension Optional where Wrapped == String {
    /// A name or code as typed: trimmed, empty means "no value", nothing else removed — the repository refuses
    /// what a name may not hold (`TextInput`) with the field named, rather than the page dropping it silently.
    var typed: String? {
        guard let text = self?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// Form text: trimmed, without control characters a browser never types (a NUL would cut a stored text
    /// short), and empty means "no value".
    var cleaned: String? {
        guard var text = self?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        if ImportLimits.forbiddenControl(in: text) != nil {
            let kept = text.unicodeScalars.filter { !($0.isASCII && ImportLimits.isForbiddenControl(UInt8($0.value))) }
            text = String(String.UnicodeScalarView(kept))
        }
        return text.isEmpty ? nil : text
    }
}
