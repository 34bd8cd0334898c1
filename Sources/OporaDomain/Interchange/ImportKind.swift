/// The kinds of file Opora imports (CONTRACT.md, «Files»).
public enum ImportKind: String, Sendable, CaseIterable, Codable {
    case schools, results, scores, thresholds, benchmarks, context, risks
    case programmes, roadmap, indicators
    case indicatorValues = "indicator_values"
    case events, staff, specialists
    case approvedList = "approved_list"
    case tasks
    case taskScores = "task_scores"
    case markScales = "mark_scales"
    case taskBenchmarks = "task_benchmarks"

    public var russianName: String {
        switch self {
        case .schools: "Реестр школ"
        case .results: "Результаты по школам"
        case .scores: "Результаты по ученикам"
        case .thresholds: "Пороговые баллы"
        case .benchmarks: "Показатели для сравнения: муниципалитет, регион, Россия"
        case .context: "Контекстные данные: соцпаспорт, ИСБШ, группа качества"
        case .risks: "Профили рисков: факторы риска школ и их значимость"
        case .programmes: "Программы: паспорт (код, наименование, срок, приказ)"
        case .roadmap: "Дорожная карта программы: мероприятия и сроки"
        case .indicators: "Показатели программы"
        case .indicatorValues: "Значения показателей и оценки по рубрике"
        case .events: "Журнал мероприятий: семинары, курсы, стажировки и их участники"
        case .staff: "Педагогические кадры: категории, аттестация, курсы, дефициты и ИОМ"
        case .specialists: "Специалисты и вакансии школ (как в таблице 23)"
        case .approvedList: "Приказ об утверждении перечня школ (свой или вышестоящего органа)"
        case .tasks: "Спецификация КИМ: задания, максимальные баллы, проверяемые умения, уровень"
        case .taskScores: "Баллы учеников по заданиям (форма сбора результатов ВПР)"
        case .markScales: "Шкала перевода первичных баллов в отметки"
        case .taskBenchmarks: "Выполнение заданий по региону и России"
        }
    }
}
