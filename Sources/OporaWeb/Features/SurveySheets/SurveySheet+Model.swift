import OporaData
import OporaDomain
import Vapor

/// One school × respondent group of a campaign as printed for the school: the link and its QR code.
struct SurveySheet {
    let campaignTitle: String
    let schoolName: String
    let groupName: String
    let starts: CalendarDay
    let ends: CalendarDay
    let expected: Int
    let link: String
    let token: String
    let code: QRCode

    /// The link of a token as the public form answers it (`/s/<token>`), absolute.
    static func link(token: String, origin: String) -> String { origin + "/s/" + token }

    init(_ link: SurveyCampaignRepository.PublicLink, token: String, origin: String) throws {
        campaignTitle = link.title
        schoolName = link.schoolName
        groupName = SurveySheet.groupName(link.group)
        starts = link.starts
        ends = link.ends
        expected = link.expected
        self.token = token
        self.link = SurveySheet.link(token: token, origin: origin)
        code = try QRCode.encode(self.link, errorCorrection: .medium)
    }

    static func groupName(_ code: String) -> String { RespondentGroup(code: code)?.russianName ?? code }

    /// The file name of a download: school and group, letters kept (the header carries them encoded).
    var fileStem: String { TableExport.fileName(["qr", schoolName, groupName]) }
}

struct SurveySheetsModel {
    let title: String
    let sheets: [SurveySheet]

    /// The sheet of one link, from its token alone (the token is what the school holds anyway); nil: no such link.
    static func one(_ req: Request, token: String) async throws -> SurveySheet? {
        guard let link = try await SurveyCampaignRepository(db: req.db).publicLink(token: token) else { return nil }
        return try SurveySheet(link, token: token, origin: req.publicOrigin)
    }

    /// The sheets of the tokens posted for campaign `campaignID`: every token must be a link of that campaign
    /// within the user's scope, else nil (404) — a page cannot be made to print another territory's links.
    static func campaign(_ req: Request, campaignID: Int, tokens: [String]) async throws -> SurveySheetsModel? {
        let user = try req.user
        let repository = SurveyCampaignRepository(db: req.db)
        guard !tokens.isEmpty, tokens.count <= 5_000,
              let campaign = try await repository.campaign(campaignID, scope: user.scope) else { return nil }
        let visible = Set(try await repository.links(campaignID: campaignID, scope: user.scope).map(\.linkID))
        var sheets: [SurveySheet] = []
        for token in Array(Set(tokens)) {
            guard let link = try await repository.publicLink(token: token), link.campaignID == campaignID,
                  visible.contains(link.linkID) else { return nil }
            sheets.append(try SurveySheet(link, token: token, origin: req.publicOrigin))
        }
        sheets.sort { ($0.schoolName, $0.groupName) < ($1.schoolName, $1.groupName) }
        return SurveySheetsModel(title: campaign.title, sheets: sheets)
    }
}
