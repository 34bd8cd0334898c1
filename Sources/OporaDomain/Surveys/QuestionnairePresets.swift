import Foundation

/// The questionnaires Opora ships, installed on the first start and by the demo (docs/SURVEYS.md): the risk
/// questionnaires of the four groups modelled on the «500+» themes (every answer mapped to the twelve factors; the
/// mapping is shown on the questionnaire's page), the parents' satisfaction survey and the teachers' training needs
/// (seed 001, 4.1: «мониторинг потребности в повышении квалификации»).
public enum QuestionnairePresets {
    public static var all: [Questionnaire] {
        [riskDirector, riskTeachers, riskPupils, riskParents, parentsSatisfaction, teachersTraining]
    }

    /// Pupils asked by the risk questionnaire: basic and secondary school.
    public static let pupilGrades: RespondentGroup = .pupil(grades: 5...11)

    /// Options worth 0, 1, 2, 3 … points to one factor.
    static func graded(_ factor: Int, _ texts: [String]) -> [AnswerOption] {
        texts.enumerated().map { AnswerOption(text: $0.element, risk: [factor: $0.offset]) }
    }

    static func often(_ factor: Int) -> [AnswerOption] {
        graded(factor, ["нет / почти никогда", "иногда", "часто", "да / постоянно"])
    }

    static func single(_ id: String, _ group: RespondentGroup, _ text: String, _ options: [AnswerOption]) -> Question {
        Question(id: id, text: text, kind: .singleChoice, group: group, options: options)
    }

    /// The director's questionnaire: the administration's «500+» themes of `RiskQuestionnaire.fiocoThemes`, two
    /// questions per factor.
    public static var riskDirector: Questionnaire {
        Questionnaire(code: "risk_director", title: "Профиль рисков: анкета директора", purpose: .risk,
                      description: "Отвечает директор (или заместитель по УВР). Темы анкеты «500+»: по два вопроса на каждый из двенадцати факторов риска.",
                      questions: RiskQuestionnaire.fiocoThemes.questions.map { question in
                          single("d_" + question.code, .director, question.text,
                                 question.answers.map { AnswerOption(text: $0.text, risk: [question.factor: $0.points]) })
                      })
    }

    public static var riskTeachers: Questionnaire {
        let t = RespondentGroup.teacher
        return Questionnaire(code: "risk_teachers", title: "Профиль рисков: анкета учителя", purpose: .risk,
                             description: "Анонимно отвечают учителя школы.", questions: [
            single("t_subject", t, "Ведёте ли вы предметы не по своей специальности?", often(2)),
            single("t_load", t, "Сколько часов в неделю вы ведёте?",
                   graded(2, ["до 18", "19–24", "25–30", "больше 30"])),
            single("t_weak", t, "Трудно ли вам работать с учениками, которые не успевают?", often(3)),
            single("t_tasks", t, "Готовите ли вы задания разного уровня для одного класса?",
                   graded(4, ["почти на каждом уроке", "раз в неделю", "редко", "нет"])),
            single("t_visits", t, "Как часто коллеги бывают на ваших уроках и обсуждают их с вами?",
                   graded(5, ["каждый месяц", "раз в четверть", "раз в год", "не бывают"])),
            single("t_courses", t, "Когда вы в последний раз учились на курсах по своему предмету или методике?",
                   graded(5, ["в этом году", "1–2 года назад", "3 года назад", "раньше или никогда"])),
            single("t_failing", t, "Сколько учеников в ваших классах не справляются с программой?",
                   graded(6, ["почти нет", "1–2 в классе", "3–5 в классе", "больше 5 в классе"])),
            single("t_ovz", t, "Хватает ли вам помощи специалистов (логопеда, дефектолога, тьютора) в работе с детьми с ОВЗ?",
                   graded(7, ["хватает", "в основном хватает", "скорее не хватает", "помощи нет"])),
            single("t_language", t, "Мешает ли ученикам на уроке плохое знание русского языка?", often(8)),
            single("t_climate", t, "Чувствуете ли вы поддержку администрации и коллег?",
                   graded(9, ["да", "скорее да", "скорее нет", "нет"])),
            single("t_motivation", t, "Много ли в ваших классах учеников, которым не интересно учиться?",
                   graded(11, ["единицы", "меньше трети", "около половины", "большинство"])),
            single("t_discipline", t, "Приходится ли вам тратить время урока на наведение порядка?", often(12)),
            Question(id: "t_remark", text: "Что мешает вам работать лучше всего?", kind: .text(maxLength: 500), required: false, group: t),
        ])
    }

    public static var riskPupils: Questionnaire {
        let p = pupilGrades
        return Questionnaire(code: "risk_pupils", title: "Профиль рисков: анкета ученика", purpose: .risk,
                             description: "Анонимно отвечают ученики 5–11 классов. Имя писать не нужно.", questions: [
            single("p_interest", p, "Интересно ли тебе на уроках?", graded(11, ["почти всегда", "часто", "редко", "почти никогда"])),
            single("p_homework", p, "Как часто ты не делаешь домашнее задание?", graded(11, ["почти никогда", "иногда", "часто", "почти всегда"])),
            single("p_understand", p, "Бывает, что ты не понимаешь объяснение учителя?", graded(6, ["почти никогда", "иногда", "часто", "почти всегда"])),
            single("p_help", p, "Если что-то непонятно, можешь ли ты попросить помощи у учителя?",
                   graded(6, ["да, всегда", "чаще да", "редко", "нет"])),
            single("p_noise", p, "Мешает ли шум и плохое поведение одноклассников на уроках?", graded(12, ["нет", "иногда", "часто", "почти всегда"])),
            single("p_safe", p, "Чувствуешь ли ты себя в школе в безопасности?", graded(9, ["да", "скорее да", "скорее нет", "нет"])),
            single("p_bullying", p, "Обижают ли в школе тебя или твоих одноклассников?", graded(9, ["нет", "редко", "иногда", "часто"])),
            single("p_computers", p, "Бывают ли на уроках компьютеры, интернет, опыты и другое оборудование?",
                   graded(1, ["часто", "иногда", "редко", "никогда"])),
            single("p_language", p, "На каком языке ты чаще говоришь дома?",
                   [AnswerOption(text: "на русском", risk: [8: 0]), AnswerOption(text: "на русском и другом языке", risk: [8: 1]),
                    AnswerOption(text: "на другом языке", risk: [8: 3])]),
            Question(id: "p_mood", text: "Оцени, как тебе в школе (1 — очень плохо, 5 — отлично)", kind: .scale(1...5), group: p),
        ])
    }

    public static var riskParents: Questionnaire {
        let g = RespondentGroup.parent
        return Questionnaire(code: "risk_parents", title: "Профиль рисков: анкета для родителей", purpose: .risk,
                             description: "Анонимно отвечают родители (законные представители) учеников.", questions: [
            single("r_meetings", g, "Как часто вы бываете на родительских собраниях?",
                   graded(10, ["всегда", "чаще всего", "редко", "не бываю"])),
            single("r_contact", g, "Легко ли вам связаться с классным руководителем или учителем?",
                   graded(10, ["да", "скорее да", "скорее нет", "нет"])),
            single("r_homework", g, "Интересуетесь ли вы, как ребёнок учится и что задано?",
                   graded(10, ["каждый день", "раз в неделю", "редко", "почти никогда"])),
            single("r_reluctance", g, "Бывает ли, что ребёнок не хочет идти в школу?", graded(11, ["нет", "иногда", "часто", "почти всегда"])),
            single("r_safety", g, "Спокойны ли вы за безопасность ребёнка в школе?", graded(9, ["да", "скорее да", "скорее нет", "нет"])),
            single("r_equipment", g, "Хватает ли в школе учебников, компьютеров и оборудования?",
                   graded(1, ["хватает", "в основном хватает", "скорее не хватает", "не хватает"])),
            single("r_language", g, "На каком языке говорят в вашей семье?",
                   [AnswerOption(text: "на русском", risk: [8: 0]), AnswerOption(text: "на русском и другом языке", risk: [8: 1]),
                    AnswerOption(text: "на другом языке", risk: [8: 3])]),
        ])
    }

    public static var parentsSatisfaction: Questionnaire {
        let g = RespondentGroup.parent
        func scale(_ id: String, _ text: String) -> Question {
            Question(id: id, text: text + " (1 — совсем не доволен, 5 — полностью доволен)", kind: .scale(1...5), group: g)
        }
        return Questionnaire(code: "parents_satisfaction", title: "Удовлетворённость родителей качеством образования",
                             purpose: .satisfaction, description: "Анонимно отвечают родители учеников.", questions: [
            scale("s_teaching", "Качество преподавания"),
            scale("s_information", "Информирование о жизни школы и успехах ребёнка"),
            scale("s_conditions", "Условия в школе: кабинеты, оборудование, питание"),
            scale("s_safety", "Безопасность и отношения в классе"),
            scale("s_clubs", "Кружки, секции и внеурочные занятия"),
            single("s_recommend", g, "Посоветовали бы вы эту школу знакомым?",
                   [AnswerOption(text: "да"), AnswerOption(text: "скорее да"), AnswerOption(text: "скорее нет"), AnswerOption(text: "нет")]),
            Question(id: "s_wish", text: "Что бы вы предложили изменить в школе?", kind: .text(maxLength: 500), required: false, group: g),
        ])
    }

    public static var teachersTraining: Questionnaire {
        let t = RespondentGroup.teacher
        return Questionnaire(code: "teachers_training", title: "Потребность педагогов в повышении квалификации", purpose: .training,
                             description: "Мониторинг потребности в повышении квалификации по проблемам качества образования.",
                             questions: [
            Question(id: "n_topics", text: "По каким темам вам нужно обучение?", kind: .multipleChoice, group: t, options: [
                "работа с неуспевающими учениками", "формирующее оценивание", "подготовка к ОГЭ и ЕГЭ", "функциональная грамотность",
                "работа с детьми с ОВЗ", "обучение детей, для которых русский язык не родной", "дисциплина и мотивация на уроке",
                "цифровые образовательные ресурсы",
            ].map { AnswerOption(text: $0) }),
            single("n_form", t, "Какая форма обучения вам удобнее?", ["очно", "очно-заочно", "дистанционно", "стажировка в другой школе"]
                .map { AnswerOption(text: $0) }),
            Question(id: "n_hours", text: "Сколько часов курсов вы прошли за последние три года?", kind: .number(min: 0, max: 1000),
                     group: t),
            Question(id: "n_mentor", text: "Нужен ли вам наставник из другой школы? (1 — не нужен, 5 — очень нужен)", kind: .scale(1...5),
                     group: t),
            Question(id: "n_other", text: "Другие темы, в которых вам нужна помощь", kind: .text(maxLength: 300), required: false, group: t),
        ])
    }
}
