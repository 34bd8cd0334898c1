import Foundation
import OporaDomain

extension ReportBuilder {
    /// The sections of «Итоги программы» written by the exits and school-programmes work (issue 21, H-exits): exits
    /// from the list with their orders, execution of the school programmes. Empty until that work is merged; the lead
    /// returns its sections here, in the order they should print (after the indicators' scores, before the method).
    func programmeResultsExtraSections(_ plan: PlanModel, from: Int, to: Int) async throws -> [ProgrammeResultsSection] {
        []
    }
}
