import FluentKit
import Foundation
import OporaDomain

/// A user's scope and its label, read from the account: the one rule for pages (`AccountService.scope(of:)`) and
/// for whom a notification may reach.
public enum UserScopes {
    public static func scope(of user: UserModel, on db: any Database, day: CalendarDay = .today()) async throws -> (AccessScope, String) {
        if let municipalityID = user.$municipality.id {
            let name = try await MunicipalityModel.find(municipalityID, on: db)?.name ?? "муниципалитет"
            return (.municipality(municipalityID), name)
        }
        if let regionID = user.$region.id {
            let name = try await RegionModel.find(regionID, on: db)?.name ?? "регион"
            return (.region(regionID), name)
        }
        var schoolIDs = try await UserSchoolModel.query(on: db).filter(\.$user.$id == user.id!).all(\.$school.$id)
        if user.roleValue == .curator {
            // A curator holds a school while its assignment runs: one ended yesterday or starting tomorrow does not count.
            let assignments = try await CuratorAssignmentModel.query(on: db).filter(\.$user.$id == user.id!).all()
                .map { (school: $0.$school.id, from: $0.from, until: $0.until) }
            schoolIDs = CuratorAssignment.schoolsHeld(linked: Set(schoolIDs), assignments: assignments, on: day).sorted()
        }
        if !schoolIDs.isEmpty || user.roleValue != .regionalAnalyst {
            let names = try await SchoolModel.query(on: db).filter(\.$id ~~ schoolIDs).all().map(\.displayName)
            return (.schools(Set(schoolIDs)), names.count == 1 ? names[0] : "школ: \(names.count)")
        }
        return (.everything, "все регионы")
    }
}
