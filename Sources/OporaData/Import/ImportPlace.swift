import OporaDomain

extension ResultsImporter.SchoolDirectory {
    /// The territory a file about these schools belongs to, for this uploader (`OwningTerritory`).
    func territory(of schoolIDs: some Sequence<Int>) -> OwningTerritory {
        OwningTerritory.of(scope: scope, schools: Set(schoolIDs).sorted().compactMap { places[$0] })
    }
}

extension AuditPlace {
    /// A file's import is logged at its territory, so that those who hold it see it in their log.
    public init(_ territory: OwningTerritory) {
        self.init(regionID: territory.regionID, municipalityID: territory.municipalityID)
    }
}
