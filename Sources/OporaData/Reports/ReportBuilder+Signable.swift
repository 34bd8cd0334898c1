import FluentKit
import Foundation
import OporaDomain

/// The documents an authority signs (issue 19): every report names its issuing body and date of preparation; the
/// order approving the year's list and a programme's passport are drafted here whole. The executor and the approver
/// are added by whoever issues the document (`opora report --executor`, the signed-in user's profile).
extension ReportBuilder {
    /// The issuing body of a territory's documents: as the territory's own newest order calls it, else «Орган
    /// управления образованием: <территория>» (`DocumentSignature.issuer`).
    public func issuer(municipalityID: Int?, regionID: Int?) async throws -> String {
        var query = IdentificationListModel.query(on: db).filter(\.$authority == ListAuthority.own.rawValue)
        let name: String
        if let municipalityID {
            query = query.filter(\.$municipalityID == municipalityID)
            name = try await MunicipalityModel.find(municipalityID, on: db)?.name ?? ""
        } else if let regionID {
            query = query.filter(\.$regionID == regionID).filter(\.$municipalityID == nil)
            name = try await RegionModel.find(regionID, on: db)?.name ?? ""
        } else {
            return DocumentSignature.issuer(territory: "все территории")
        }
        let newest = try await query.sort(\.$orderDate, .descending).sort(\.$id, .descending).first()
        return DocumentSignature.issuer(territory: name, recorded: newest?.issuer)
    }

    /// The issuing body for a scope: its municipality's or region's; a school's scope answers for its municipality.
    public func issuer(scope: AccessScope, label: String) async throws -> String {
        switch scope {
        case .municipality(let id): return try await issuer(municipalityID: id, regionID: nil)
        case .region(let id): return try await issuer(municipalityID: nil, regionID: id)
        case .schools(let ids):
            guard let first = ids.min() else { return DocumentSignature.issuer(territory: label) }
            return try await issuer(school: first)
        case .everything: return DocumentSignature.issuer(territory: label)
        }
    }

    /// A programme's issuing body: its territory's (a school's programme, its municipality's).
    public func issuer(of plan: PlanModel) async throws -> String {
        if let schoolID = plan.schoolID, let school = try await SchoolModel.find(schoolID, on: db) {
            return try await issuer(municipalityID: school.$municipality.id, regionID: nil)
        }
        return try await issuer(municipalityID: plan.municipalityID, regionID: plan.regionID)
    }

    /// A school's card is issued by its municipality's authority.
    public func issuer(school schoolID: Int) async throws -> String {
        let school = try await SchoolModel.find(schoolID, on: db)
        return try await issuer(municipalityID: school?.$municipality.id, regionID: nil)
    }

    // MARK: the order

    /// «Приказ об утверждении перечня …» with its appendix on a page of its own, from the order(s) in force for the
    /// scope and year: the order of the scope's own territory when there is one, else the newest. Nil without one.
    public func listOrder(year: Int, scope: AccessScope, scopeLabel: String, approval: DocumentApproval? = nil) async throws
        -> ReportDocument?
    {
        let inForce = try await IdentificationRepository(db: db).ordersInForce(year: year, scope: scope)
        let own: OrderTerritory? = switch scope {
        case .municipality(let id): .municipality(id)
        case .region(let id): .region(id)
        default: nil
        }
        guard let order = inForce.first(where: { $0.territory == own }) ?? inForce.first else { return nil }
        let appendix = try await identificationAppendix(year: year, scope: scope, scopeLabel: scopeLabel)
        let listed = appendix.blocks.reduce(0) { count, block in
            if case .table(let table) = block { count + table.rows.count } else { count }
        }
        var document = ReportDocument(title: "ПРИКАЗ", subtitle: [SignedDocuments.orderNumberLine(date: order.date, number: order.number)],
                                      landscape: false)
        let approver = approval ?? DocumentApproval(position: SignedDocuments.headOf(order.issuer))
        document.heading(SignedDocuments.orderHeading(year: year))
        for line in SignedDocuments.orderParagraphs(year: year, territory: scopeLabel, schools: listed) { document.paragraph(line) }
        document.paragraph("")
        document.paragraph(SignedDocuments.signatoryLine(approver))
        document.blocks.append(.pageBreak)
        // The appendix is marked as the order's (right, above its title); the order itself is signed at its foot.
        document.blocks.append(.aside(SignedDocuments.appendixMark(issuer: order.issuer, date: order.date, number: order.number)))
        document.heading(appendix.title, level: 2)
        document.blocks += appendix.blocks
        document.signature = DocumentSignature(issuer: order.issuer, prepared: prepared)
        return document
    }

    // MARK: the programme passport

    /// A municipal or regional programme's passport as the document the authority approves: the parts as a
    /// two-column table, the approving order (if recorded) in the «УТВЕРЖДАЮ» block.
    public func programmePassport(_ plan: PlanModel, approval: DocumentApproval? = nil) async throws -> ReportDocument {
        let passport = plan.passport
        let schools = passport.participants.isEmpty
            ? [] : try await SchoolModel.query(on: db).filter(\.$code ~~ passport.participants).all()
        let names = Dictionary(schools.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let issuer = try await issuer(of: plan)
        var document = ReportDocument(title: "Паспорт программы", subtitle: ["«\(passport.name)»",
                                      "\(plan.programmeLevel.russianName) программа, код \(plan.code)"], landscape: false)
        let rows = passport.printedRows(schoolNames: names).map { row -> [ReportCell] in [.text(row.part), .text(row.text)] }
        document.table(ReportTable(header: ["Раздел паспорта", "Содержание"], rows: rows, widths: [3, 9]))
        let order = plan.orderNumber.flatMap { number in
            plan.orderDate.flatMap(CalendarDay.init(parsing:)).map { "приказ от \($0.russian) № \(number)" }
        }
        let approver = approval ?? DocumentApproval(position: SignedDocuments.headOf(issuer))
        document.signature = DocumentSignature(issuer: issuer, prepared: prepared,
                                               approval: DocumentApproval(position: approver.position, name: approver.name, basis: order))
        return document
    }
}
