/// A risk-profile questionnaire: questions grouped by factor, each answer worth points; a factor's level is
/// read from the share of its maximum the answers reach (docs/RISKS.md gives the bands and the questions).
public struct RiskQuestionnaire: Sendable, Hashable {
    public struct Answer: Sendable, Hashable {
        public let text: String
        public let points: Int
    }

    public struct Question: Sendable, Hashable {
        public let code: String
        public let factor: Int
        public let text: String
        public let answers: [Answer]
        public var maximum: Int { answers.map(\.points).max() ?? 0 }
    }

    public let name: String
    public let version: Int
    public let questions: [Question]

    /// The level a share of the maximum points gives: from 60 % high, from 30 % medium, above 0 low; a factor
    /// all of whose answers score nothing is «не актуален».
    public static func level(points: Int, maximum: Int) -> RiskLevel {
        guard maximum > 0, points > 0 else { return .notRelevant }
        let share = Double(points) / Double(maximum)
        if share >= 0.6 { return .high }
        if share >= 0.3 { return .medium }
        return .low
    }

    public struct FactorScore: Sendable, Hashable {
        public let level: RiskLevel
        public let points: Int
        public let maximum: Int
    }

    /// Scores for the factors whose questions were all answered; `answers` maps a question code to the index of
    /// the chosen answer. Unanswered or out-of-range answers leave their factor unrated, never guessed.
    /// Factors begun but not answered in full: they are not rated, so the form says so beside them.
    public func unfinished(_ answers: [String: Int]) -> [Int] {
        Dictionary(grouping: questions, by: \.factor).compactMap { factor, questions in
            let answered = questions.filter { question in
                answers[question.code].map { question.answers.indices.contains($0) } ?? false
            }.count
            return answered > 0 && answered < questions.count ? factor : nil
        }.sorted()
    }

    public func scores(_ answers: [String: Int]) -> [Int: FactorScore] {
        var scores: [Int: FactorScore] = [:]
        for (factor, questions) in Dictionary(grouping: questions, by: \.factor) {
            var points = 0
            var complete = true
            for question in questions {
                guard let index = answers[question.code], question.answers.indices.contains(index) else { complete = false; break }
                points += question.answers[index].points
            }
            let maximum = questions.map(\.maximum).reduce(0, +)
            if complete {
                scores[factor] = FactorScore(level: Self.level(points: points, maximum: maximum), points: points, maximum: maximum)
            }
        }
        return scores
    }

    public var source: String { "\(name), версия \(version)" }

    static let often = [Answer(text: "нет / почти никогда", points: 0), Answer(text: "иногда", points: 1),
                        Answer(text: "часто", points: 2), Answer(text: "да / постоянно", points: 3)]
    static func share(_ ranges: [String]) -> [Answer] { ranges.enumerated().map { Answer(text: $0.element, points: $0.offset) } }

    /// Modelled on the themes of the «500+» risk-profile questionnaire (school administration's answers):
    /// two questions per factor, twelve factors.
    public static let fiocoThemes = RiskQuestionnaire(
        name: "Анкета для профиля рисков (по темам «500+»)", version: 1,
        questions: [
            Question(
                code: "f1_equipment", factor: 1, text: "Насколько кабинетам не хватает учебного оборудования, требуемого ФГОС?",
                answers: share([
                    "хватает", "не хватает в отдельных кабинетах", "не хватает в половине кабинетов", "не хватает в большинстве кабинетов",
                ])),
            Question(
                code: "f1_internet", factor: 1, text: "Бывает ли, что на уроке нельзя воспользоваться интернетом или компьютерами?",
                answers: often),
            Question(
                code: "f2_vacancies", factor: 2, text: "Сколько ставок учителей не занято или закрыто совместителями?",
                answers: share(["ни одной", "1–2", "3–5", "больше 5"])),
            Question(code: "f2_load", factor: 2, text: "Ведут ли учителя предметы не по своей специальности?", answers: often),
            Question(
                code: "f3_results", factor: 3, text: "Доля учителей, чьи ученики систематически показывают низкие результаты",
                answers: share(["до 5 %", "5–15 %", "15–30 %", "больше 30 %"])),
            Question(
                code: "f3_methods", factor: 3, text: "Испытывают ли учителя трудности с методиками работы со слабыми учениками?",
                answers: often),
            Question(
                code: "f4_differentiation", factor: 4,
                text: "Не хватает ли на уроках дифференцированных заданий для учеников разного уровня?", answers: often),
            Question(
                code: "f4_timetable", factor: 4, text: "Мешает ли расписание (смены, большие классы) индивидуальной работе?", answers: often
            ),
            Question(
                code: "f5_plan", factor: 5, text: "Нет ли в школе плана профессионального развития учителей?",
                answers: [
                    Answer(text: "план есть и выполняется", points: 0), Answer(text: "план есть, выполняется частично", points: 1),
                    Answer(text: "план есть только на бумаге", points: 2), Answer(text: "плана нет", points: 3),
                ]),
            Question(code: "f5_exchange", factor: 5, text: "Редко ли учителя посещают уроки друг друга и обсуждают их?", answers: often),
            Question(
                code: "f6_failing", factor: 6, text: "Доля обучающихся с неудовлетворительными отметками по итогам года",
                answers: share(["до 3 %", "3–7 %", "7–15 %", "больше 15 %"])),
            Question(
                code: "f6_repeat", factor: 6, text: "Есть ли обучающиеся, оставленные на повторное обучение или переведённые условно?",
                answers: share(["нет", "единицы", "несколько в разных классах", "много"])),
            Question(
                code: "f7_share", factor: 7, text: "Доля обучающихся с ОВЗ", answers: share(["до 3 %", "3–7 %", "7–12 %", "больше 12 %"])),
            Question(
                code: "f7_support", factor: 7, text: "Не хватает ли специалистов сопровождения (дефектолог, логопед, тьютор)?",
                answers: often),
            Question(
                code: "f8_language", factor: 8, text: "Доля обучающихся, для которых русский язык не родной",
                answers: share(["до 3 %", "3–10 %", "10–25 %", "больше 25 %"])),
            Question(
                code: "f8_adaptation", factor: 8, text: "Бывают ли трудности в общении и учёбе из-за языковых и культурных различий?",
                answers: often),
            Question(code: "f9_safety", factor: 9, text: "Бывают ли случаи травли, конфликтов, нарушений безопасности?", answers: often),
            Question(code: "f9_climate", factor: 9, text: "Жалуются ли ученики и родители на климат в школе?", answers: often),
            Question(
                code: "f10_meetings", factor: 10, text: "Доля родителей, не приходящих на собрания и встречи",
                answers: share(["до 10 %", "10–30 %", "30–50 %", "больше половины"])),
            Question(code: "f10_contact", factor: 10, text: "Трудно ли связаться с родителями учеников группы риска?", answers: often),
            Question(code: "f11_motivation", factor: 11, text: "Говорят ли учителя о низкой учебной мотивации учеников?", answers: often),
            Question(code: "f11_absence", factor: 11, text: "Бывают ли пропуски уроков без уважительной причины?", answers: often),
            Question(code: "f12_discipline", factor: 12, text: "Мешает ли поведение учеников вести урок?", answers: often),
            Question(
                code: "f12_incidents", factor: 12, text: "Разбираются ли нарушения дисциплины на советах профилактики?", answers: often),
        ])
}
