import Foundation
import XCTVapor

extension Browser {
    /// Uploads `content` as the file `name` to the import preview with the form's other `fields` (`kind`,
    /// `programme`), as the upload form sends it: multipart, with the page's CSRF token.
    func previewImport(_ fields: [(String, String)], name: String, content: String) async throws -> XCTHTTPResponse {
        let boundary = "----opora\(UUID().uuidString)"
        var body = ""
        for (field, value) in [("_csrf", csrf ?? "")] + fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n"
            + "\(content)\r\n--\(boundary)--\r\n"
        return try await send(.POST, "/imports/preview", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// A file sent from the upload page as a user picks it: the kind chosen, then the file.
    func upload(kind: String, name: String, content: String) async throws -> XCTHTTPResponse {
        try await previewImport([("kind", kind)], name: name, content: content)
    }
}
