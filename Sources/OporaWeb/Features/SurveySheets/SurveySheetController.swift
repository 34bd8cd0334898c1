import OporaData
import OporaDomain
import Vapor

/// The QR codes and printable sheets of a campaign's links. A link's token exists only when it is issued, so the
/// sheets are opened from the page that shows freshly issued links (`POST /campaigns/<id>/sheets` with their
/// tokens), and single codes by the token itself (`/s/<token>/…`, public like the form: the token is the key).
struct SurveySheetController {
    func register(public routes: any RoutesBuilder, protected: any RoutesBuilder) {
        routes.get("s", ":token", "qr.svg", use: svg)
        routes.get("s", ":token", "qr.png", use: png)
        routes.get("s", ":token", "sheet", use: sheet)
        protected.post("campaigns", ":id", "sheets", use: sheets)
    }

    private func one(_ req: Request) async throws -> SurveySheet {
        guard let token = req.parameters.get("token"), let sheet = try await SurveySheetsModel.one(req, token: token) else {
            throw Abort(.notFound)
        }
        return sheet
    }

    @Sendable func svg(_ req: Request) async throws -> Response {
        let sheet = try await one(req)
        return download(QRImage.svg(sheet.code).data(using: .utf8) ?? Data(), type: HTTPMediaType(type: "image", subType: "svg+xml"),
                        name: sheet.fileStem + ".svg")
    }

    @Sendable func png(_ req: Request) async throws -> Response {
        let sheet = try await one(req)
        return download(Data(QRImage.png(sheet.code, scale: 10)), type: .png, name: sheet.fileStem + ".png")
    }

    @Sendable func sheet(_ req: Request) async throws -> HTMLNode {
        let sheet = try await one(req)
        return SurveySheetView.page(SurveySheetsModel(title: sheet.campaignTitle, sheets: [sheet]))
    }

    @Sendable func sheets(_ req: Request) async throws -> HTMLNode {
        let campaignID = try req.intParameter("id")
        struct Posted: Content { var token: [String]? }
        let tokens = (try? req.content.decode(Posted.self))?.token ?? []
        guard let model = try await SurveySheetsModel.campaign(req, campaignID: campaignID, tokens: tokens) else {
            throw Abort(.notFound)
        }
        return SurveySheetView.page(model)
    }

    private func download(_ data: Data, type: HTTPMediaType, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.contentDisposition = .init(.attachment, filename: name)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
