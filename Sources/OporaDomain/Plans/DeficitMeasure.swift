/// What the support cycle does with a requirement (умение) the pupils have not mastered, as the «500+» method
/// has it: a measure of the school's programme, a line of the teachers' development routes and a course the
/// municipality plans. One wording for every page that suggests them.
public enum DeficitMeasure {
    /// The measure a school's programme takes up for a deficit («Дефициты ВПР» on the programme's page).
    /// `where` names the works and tasks («5 класс, математика: № 4»).
    public static func measure(requirement: String, where places: [String], year: Int) -> ProgrammeMeasure {
        let shown = places.isEmpty ? "" : " (ВПР: " + places.joined(separator: "; ") + ")"
        return ProgrammeMeasure(
            text: "Коррекция дефицита «\(requirement)»\(shown): разбор заданий на уроках, индивидуальные "
                + "и групповые занятия с обучающимися, не освоившими требование",
            deadline: "до 31.12.\(year)",
            responsible: "Руководитель методического объединения",
            result: "Выполнение заданий на требование — не ниже порога освоения")
    }

    /// The teachers' deficit a requirement points to (a suggestion for the individual route, ИОМ).
    public static func teacherDeficit(requirement: String) -> String {
        "Методика формирования умения «\(requirement)»"
    }

    /// The course a municipality plans for the requirement most often not mastered by its listed schools.
    public static func courseTitle(requirement: String) -> String {
        "Курсы повышения квалификации: формирование умения «\(requirement)» (по итогам ВПР)"
    }
}

extension DeficitMeasure {
    /// The requirements most often not mastered across schools: each school's deficit requirements counted once,
    /// most schools first, then by name. What a municipality plans courses from (its listed schools' deficits).
    public static func common(_ perSchool: [Int: [String]]) -> [(requirement: String, schools: [Int])] {
        var bySchool: [String: Set<Int>] = [:]
        for (school, requirements) in perSchool {
            for requirement in Set(requirements) { bySchool[requirement, default: []].insert(school) }
        }
        return bySchool.map { ($0.key, $0.value.sorted()) }
            .sorted { ($1.schools.count, $0.requirement) < ($0.schools.count, $1.requirement) }
    }
}
