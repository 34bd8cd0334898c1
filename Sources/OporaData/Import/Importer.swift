import FluentKit
import OporaDomain

/// A file read and checked, not yet written: the part of an import that needs the processor, not the database.
public struct ParsedFile: Sendable {
    public enum Content: Sendable {
        case schools([SchoolRecord])
        case results([ResultRecord])
        case scores(ParsedScores)
        case thresholds([ThresholdRecord])
        case benchmarks([BenchmarkRecord])
        case context([ContextRecord])
        case risks([RiskRating])
        case programmes([ProgrammeRecord])
        case roadmap([RoadmapRecord])
        case indicators([IndicatorRecord])
        case indicatorValues([IndicatorValueRecord])
        case events([EventRecord])
        case staff([StaffRecord])
        case specialists([SpecialistsRecord])
        case approvedList(ApprovedListOrder)
        case tasks([TaskSpecRecord])
        case taskScores(ParsedTaskScores)
        case markScales([MarkScaleRecord])
        case taskBenchmarks([TaskBenchmarkRecord])
    }

    public let kind: ImportKind
    public let fileName: String
    public let content: Content
    public let warnings: [ImportIssue]
}

/// The catalogues a file is checked against, read from the database before the parsing starts.
public struct ImportCatalogues: Sendable {
    public var subjects: [SubjectDefinition]
    public var riskFactors: [RiskFactor]
    /// The stored КИМ specifications a `task_scores` file is read against.
    public var taskSpecifications: [WorkKey: TaskSpecification]

    public init(subjects: [SubjectDefinition] = SubjectCatalogue.standard, riskFactors: [RiskFactor] = RiskFactor.catalogue,
                taskSpecifications: [WorkKey: TaskSpecification] = [:]) {
        self.subjects = subjects
        self.riskFactors = riskFactors
        self.taskSpecifications = taskSpecifications
    }

    public static let standard = ImportCatalogues()
}

/// Reading a file: pure work on bytes, with no database connection held. The server runs it on its import
/// thread, so a slow or hostile file delays only its own upload.
public enum ImportParser {
    /// `programme` makes a `roadmap` a plan as printed for that programme (CONTRACT.md, `import roadmap FILE --programme CODE`).
    public static func parse(_ kind: ImportKind, bytes: [UInt8], fileName: String, sheet: String? = nil, programme: String? = nil,
                             catalogues: ImportCatalogues, limits: ImportLimits = .standard) throws -> ParsedFile {
        func table() throws -> DelimitedTable { try TabularInput.table(bytes, fileName: fileName, sheet: sheet, limits: limits) }
        func rows() throws -> any DelimitedRows { try TabularInput.rows(bytes, fileName: fileName, sheet: sheet, limits: limits) }
        let files = ResultFiles(subjects: catalogues.subjects)
        switch kind {
        case .schools:
            let (records, warnings) = try SchoolFile.parse(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .schools(records), warnings: warnings)
        case .results:
            let (records, warnings) = try files.parseResults(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .results(records), warnings: warnings)
        case .scores:
            let csv = try TabularInput.csvBytes(bytes, fileName: fileName, sheet: sheet, limits: limits)
            let parsed = try files.parseScoreGroups(csv, file: fileName, limits: limits)
            return ParsedFile(kind: kind, fileName: fileName, content: .scores(parsed), warnings: parsed.warnings)
        case .thresholds:
            let (records, warnings) = try files.parseThresholds(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .thresholds(records), warnings: warnings)
        case .benchmarks:
            let (records, warnings) = try files.parseBenchmarks(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .benchmarks(records), warnings: warnings)
        case .context:
            let (records, warnings) = try ContextFile.parse(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .context(records), warnings: warnings)
        case .risks:
            let (records, warnings) = try RisksFile.parse(rows(), file: fileName, catalogue: catalogues.riskFactors)
            return ParsedFile(kind: kind, fileName: fileName, content: .risks(records), warnings: warnings)
        case .programmes:
            let (records, warnings) = try ProgrammeFiles.parseProgrammes(rows(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .programmes(records), warnings: warnings)
        case .roadmap:
            let (records, warnings) = try ProgrammeFiles.parseRoadmap(rows(), file: fileName, programme: programme)
            return ParsedFile(kind: kind, fileName: fileName, content: .roadmap(records), warnings: warnings)
        case .indicators:
            let (records, warnings) = try ProgrammeFiles.parseIndicators(rows(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .indicators(records), warnings: warnings)
        case .indicatorValues:
            let (records, warnings) = try ProgrammeFiles.parseValues(rows(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .indicatorValues(records), warnings: warnings)
        case .events:
            let (records, warnings) = try EventsFile.parse(rows(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .events(records), warnings: warnings)
        case .staff:
            let (records, warnings) = try StaffFiles.parseStaff(rows(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .staff(records), warnings: warnings)
        case .specialists:
            let (records, warnings) = try StaffFiles.parseSpecialists(rows(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .specialists(records), warnings: warnings)
        case .approvedList:
            let (order, warnings) = try ApprovedListFile.parse(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .approvedList(order), warnings: warnings)
        case .tasks:
            let (records, warnings) = try files.parseTasks(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .tasks(records), warnings: warnings)
        case .taskScores:
            let csv = try TabularInput.csvBytes(bytes, fileName: fileName, sheet: sheet, limits: limits)
            let parsed = try files.parseTaskScores(csv, file: fileName, specifications: catalogues.taskSpecifications, limits: limits)
            return ParsedFile(kind: kind, fileName: fileName, content: .taskScores(parsed), warnings: parsed.warnings)
        case .markScales:
            let (records, warnings) = try files.parseMarkScales(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .markScales(records), warnings: warnings)
        case .taskBenchmarks:
            let (records, warnings) = try files.parseTaskBenchmarks(table(), file: fileName)
            return ParsedFile(kind: kind, fileName: fileName, content: .taskBenchmarks(records), warnings: warnings)
        }
    }

    /// The catalogues the parsers check against (a short read before the work starts); the КИМ specifications only
    /// for a `task_scores` file, the one kind read against them.
    public static func catalogues(on db: any Database, for kind: ImportKind? = nil) async throws -> ImportCatalogues {
        let subjects = try await SubjectModel.query(on: db).all().map {
            SubjectDefinition(code: $0.code, name: $0.name, aliases: $0.aliasList)
        }
        let specifications = kind == nil || kind == .taskScores ? try await TaskRepository(db: db).specifications() : [:]
        return ImportCatalogues(subjects: subjects, riskFactors: try await RiskRepository(db: db).factors(),
                                taskSpecifications: specifications)
    }
}

/// Writes a parsed file in one transaction (all or nothing), within the actor's scope.
public struct Importer: Sendable {
    public let db: any Database
    public let actor: Actor
    public let scope: AccessScope

    public init(db: any Database, actor: Actor, scope: AccessScope = .everything) {
        self.db = db
        self.actor = actor
        self.scope = scope
    }

    public func write(_ parsed: ParsedFile) async throws -> ImportSummary {
        let results = ResultsImporter(db: db, actor: actor, scope: scope)
        let plans = PlanImporter(db: db, actor: actor, scope: scope)
        var summary: ImportSummary
        switch parsed.content {
        case .schools(let records):
            summary = try await SchoolImporter(db: db, actor: actor, scope: scope).write(records, fileName: parsed.fileName)
        case .results(let records): summary = try await results.writeResults(records, fileName: parsed.fileName)
        case .scores(let scores): summary = try await results.storeScoreGroups(scores.groups, label: parsed.fileName, rows: scores.rows)
        case .thresholds(let records): summary = try await results.writeThresholds(records, fileName: parsed.fileName)
        case .benchmarks(let records): summary = try await results.writeBenchmarks(records, fileName: parsed.fileName)
        case .context(let records): summary = try await results.writeContext(records, fileName: parsed.fileName)
        case .risks(let records): summary = try await results.writeRisks(records, fileName: parsed.fileName)
        case .programmes(let records): summary = try await plans.writeProgrammes(records, fileName: parsed.fileName)
        case .roadmap(let records): summary = try await plans.writeRoadmap(records, fileName: parsed.fileName)
        case .indicators(let records): summary = try await plans.writeIndicators(records, fileName: parsed.fileName)
        case .indicatorValues(let records): summary = try await plans.writeValues(records, fileName: parsed.fileName)
        case .events(let records):
            summary = try await SupportRepository(db: db).writeEvents(records, fileName: parsed.fileName, actor: actor, scope: scope)
        case .staff(let records):
            summary = try await StaffRepository(db: db).writeStaff(records, fileName: parsed.fileName, actor: actor, scope: scope)
        case .specialists(let records):
            summary = try await StaffRepository(db: db).writeSpecialists(records, fileName: parsed.fileName, actor: actor, scope: scope)
        case .approvedList(let order):
            summary = try await ApprovedListImporter(db: db, actor: actor, scope: scope).write(order, fileName: parsed.fileName)
        case .tasks(let records):
            summary = try await TaskImporter(db: db, actor: actor, scope: scope).writeTasks(records, fileName: parsed.fileName)
        case .taskScores(let scores):
            summary = try await TaskImporter(db: db, actor: actor, scope: scope).writeTaskScores(scores, fileName: parsed.fileName)
        case .markScales(let records):
            summary = try await TaskImporter(db: db, actor: actor, scope: scope).writeMarkScales(records, fileName: parsed.fileName)
        case .taskBenchmarks(let records):
            summary = try await TaskImporter(db: db, actor: actor, scope: scope).writeTaskBenchmarks(records, fileName: parsed.fileName)
        }
        summary.warnings = parsed.warnings + summary.warnings
        return summary
    }

    /// What `write` would do, without writing: the programme kinds, risks, events, staff and specialists load what
    /// they need once, outside any transaction, and plan in memory, so no connection is held while they plan; the
    /// other kinds still write inside a transaction that is rolled back.
    public func plan(_ parsed: ParsedFile) async throws -> ImportSummary {
        let plans = PlanImporter(db: db, actor: actor, scope: scope)
        var summary: ImportSummary
        switch parsed.content {
        case .programmes(let records): summary = try await plans.planProgrammes(records, fileName: parsed.fileName)
        case .roadmap(let records): summary = try await plans.planRoadmap(records, fileName: parsed.fileName)
        case .indicators(let records): summary = try await plans.planIndicators(records, fileName: parsed.fileName)
        case .indicatorValues(let records): summary = try await plans.planValues(records, fileName: parsed.fileName)
        case .risks(let records):
            summary = try await ResultsImporter(db: db, actor: actor, scope: scope).planRisks(records, fileName: parsed.fileName)
        case .events(let records):
            summary = try await SupportRepository(db: db).planEvents(records, fileName: parsed.fileName, actor: actor, scope: scope)
        case .staff(let records):
            summary = try await StaffRepository(db: db).planStaff(records, fileName: parsed.fileName, actor: actor, scope: scope)
        case .specialists(let records):
            summary = try await StaffRepository(db: db).planSpecialists(records, fileName: parsed.fileName, actor: actor, scope: scope)
        case .schools, .results, .scores, .thresholds, .benchmarks, .context, .approvedList,
             .tasks, .taskScores, .markScales, .taskBenchmarks:
            return try await rolledBack(parsed)
        }
        summary.warnings = parsed.warnings + summary.warnings
        return summary
    }

    /// Ends the dry run of `rolledBack` after the writer has done (and counted) everything.
    struct DryRunFinished: Error { let summary: ImportSummary }

    /// The write, rolled back: what the kinds without a plan of their own preview with.
    func rolledBack(_ parsed: ParsedFile) async throws -> ImportSummary {
        do {
            try await db.transaction { tx in
                throw DryRunFinished(summary: try await Importer(db: tx, actor: actor, scope: scope).write(parsed))
            }
            return ImportSummary()
        } catch let finished as DryRunFinished {
            return finished.summary
        }
    }

    /// Reads and writes a file in one go (forms and tests; the server parses uploads on its import thread).
    public func importFile(_ kind: ImportKind, bytes: [UInt8], fileName: String, sheet: String? = nil, programme: String? = nil,
                           limits: ImportLimits = .standard) async throws -> ImportSummary {
        try await write(parse(kind, bytes: bytes, fileName: fileName, sheet: sheet, programme: programme, limits: limits))
    }

    /// A file parsed against the stored catalogues; the caller that lets `bytes` go before `write` holds the file only
    /// while it is read (the command line).
    public func parse(_ kind: ImportKind, bytes: [UInt8], fileName: String, sheet: String? = nil, programme: String? = nil,
                      limits: ImportLimits = .standard) async throws -> ParsedFile {
        try ImportParser.parse(kind, bytes: bytes, fileName: fileName, sheet: sheet, programme: programme,
                               catalogues: try await ImportParser.catalogues(on: db, for: kind), limits: limits)
    }
}
