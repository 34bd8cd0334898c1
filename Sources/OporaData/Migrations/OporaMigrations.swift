import FluentKit

/// The schema history, in order. Never edit a released migration: add a new one, so that a database
/// created by an older version upgrades in place (Fluent records what ran in `_fluent_migrations`).
public enum OporaMigrations {
    public static var all: [any Migration] {
        [
            V001Registry(),
            V002Catalogues(),
            V003Accounts(),
            V004AuditLog(),
            V005Results(),
            V006Context(),
            V007IdentificationLists(),
            V008CriteriaSets(),
            V009ScoreGroups(),
            V010AccountSecurity(),
            V011AuditPlaces(),
            V012BenchmarkOwners(),
            V013StudentRowsStorage(),
            V014RiskProfiles(),
            V015SchoolProgrammes(),
            V016DirectionSets(),
            V017MunicipalProgrammes(),
            V018ManagementDecisions(),
            V019SupportNetwork(),
            V020CuratorAssignments(),
            V021SupportOrganisations(),
            V022StaffRecords(),
            V023SupportForecasts(),
            V026ListOrders(),
            V028EventOwners(),
            V029DecisionOwnersAndRemarkAnchors(),
            V031UserPhones(),
            V033ExitCriteria(),
            V034ProgrammeExecution(),
            V036DatabaseChecks(),
            V038TaskSpecifications(),
            V039TaskTallies(),
            V041Questionnaires(),
            V042SurveyCampaigns(),
            V043SurveyResponses(),
            V045MailOutbox(),
            V046MailPreferences(),
            V047DataVersion(),
            V048SchoolStaffing(),
            V049ProgrammeFirstVersionInRow(),
        ]
    }
}
