import Foundation

extension LiveServer {
    /// A school programme `director-a` wrote for its school and sent for review, over HTTP; its id.
    public func submittedProgramme(title: String = "Программа развития Липицкой СОШ") async throws -> Int {
        let director = HTTPSession(self)
        defer { Task { await director.close() } }
        let id = try await draftProgramme(title: title, director: director)
        try await director.get("/programmes/\(id)/edit")
        let saved = try await director.post("/programmes/\(id)", [
            ("version", "1"), ("goal", "Повысить качество обучения математике"), ("tasks", "Снизить долю «2»"),
            ("m_text_1", "Педсовет по результатам ВПР"), ("m_deadline_1", "до 01.03.2027"), ("m_responsible_1", "директор"),
            ("i_name_1", "Доля «2» по математике"), ("i_unit_1", "%"), ("i_baseline_1", "32"), ("i_target_1", "не более 15"),
        ])
        try await director.get("/programmes/\(id)")
        let submitted = try await director.post("/programmes/\(id)/submit", [("version", "2")])
        guard saved.status == 303, submitted.status == 303 else {
            throw LiveServerError.setup("the programme was not saved and sent: \(saved.status), \(submitted.status)")
        }
        return id
    }

    /// A new empty programme `director-a` started for its school, over HTTP (in `director`'s session); its id.
    public func draftProgramme(title: String = "Программа развития Липицкой СОШ", director: HTTPSession) async throws -> Int {
        try await director.login("director-a")
        let page = try await director.get("/programmes").body
        guard let marker = page.range(of: "name=\"school\""), let value = page[marker.upperBound...].range(of: "value=\"") else {
            throw LiveServerError.setup("the «new programme» form offers no school")
        }
        let school = String(page[value.upperBound...].prefix { $0 != "\"" })
        let created = try await director.post("/programmes", [
            ("school", school), ("kind", "medium_term"), ("title", title), ("start_year", "2026"), ("end_year", "2027"),
        ])
        guard let location = created.header("Location"), let id = Int(location.split(separator: "/")[1]) else {
            throw LiveServerError.setup("no programme was created: \(created.status)")
        }
        return id
    }
}
