/// The demo municipality's programme: a roadmap written with the seeds' deadline forms, its state on `today`
/// (most past measures done, a few overdue, some under way), and nine indicators with two years of values.
public enum DemoPlan {
    public static let code = "KR-2025"

    public static func programme(start: Int, municipality: String) -> ProgrammeRecord {
        ProgrammeRecord(
            code: code,
            name:
                "Муниципальная программа поддержки школ с низкими образовательными результатами и школ, функционирующих в " +
                "неблагоприятных социальных условиях, на \(start)–\(start + 2) годы",
            start: CalendarDay(year: start, month: 1, day: 1), end: CalendarDay(year: start + 2, month: 12, day: 31),
            level: .municipality, territory: municipality, orderNumber: "27-од", orderDate: CalendarDay(year: start, month: 1, day: 20),
            goal:
                "Создать к концу \(start + 2) года условия для преодоления разрыва в образовательных достижениях обучающихся за счёт " +
                "адресной поддержки школ с низкими результатами и профилактики учебной неуспешности"
        )
    }

    public static let tasks = [
        "Выявление школ с низкими образовательными результатами и школ в зоне риска снижения результатов по итогам ВПР, ОГЭ и ЕГЭ.",
        "Адресная методическая поддержка управленческих команд и педагогов школ с низкими результатами.",
        "Создание внутришкольной системы профилактики учебной неуспешности во всех общеобразовательных организациях.",
        "Развитие сетевого взаимодействия школ с высокими и низкими результатами (наставничество школ).",
    ]
    public static let expectedResults = [
        "Снижение доли школ с низкими образовательными результатами до 15 %.",
        "Доля участников ГИА, преодолевших минимальный порог, — не ниже 97 %.",
        "За каждой школой с низкими результатами закреплена школа-наставник.",
    ]
    public static let basis = [
        "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации».",
        "Приказ министерства образования области «О реализации регионального проекта по поддержке школ с низкими результатами обучения».",
        "Методические рекомендации ФИОКО по организации работы со школами с низкими образовательными результатами.",
    ]

    /// (section, number, measure, deadline, responsible, result)
    static func measures(_ start: Int) -> [(String, String, String, String, String, String)] {
        let s1 = "1. Информационно-аналитическое обеспечение", s2 = "2. Организационно-управленческое обеспечение"
        let s3 = "3. Кадрово-методическое обеспечение", s4 = "4. Работа с обучающимися и родителями"
        let uo = "Управление образования, отдел общего образования", imc = "ИМЦ, руководители ГМО", heads = "руководители ОО"
        return [
            (s1, "1.1.", "Анализ результатов ВПР, ОГЭ и ЕГЭ с определением динамики по школам", "Октябрь Май", uo, "Аналитическая справка"),
            (
                s1, "1.2.", "Идентификация школ с низкими образовательными результатами по критериям региона", "до 15.10.\(start)", uo,
                "Приказ об утверждении списка"
            ),
            (s1, "1.3.", "Мониторинг эффективности муниципальной программы", "4 квартал", uo, "Справка о ходе реализации"),
            (
                s1, "1.4.", "Анализ объективности ВПР: сравнение с отметками по журналу", "по итогам ВПР", uo,
                "Список школ с признаками необъективности"
            ),
            (s1, "1.5.", "Сбор значений показателей программы по графику мониторинга", "два раза в год", imc, "Таблица показателей"),
            (s2, "2.1.", "Создание муниципальной координационной группы", "До 01.03.\(start)", uo, "Приказ о составе группы"),
            (
                s2, "2.2.", "Собеседование координационной группы с управленческими командами ШНОР",
                "2 неделя февраля \(start + 1), 2 неделя февраля \(start + 2)", "МКГ", "Протоколы собеседований"
            ),
            (
                s2, "2.3.", "Мониторинговые визиты в ШНОР по реализации программ повышения качества",
                "Второй вторник месяца \(start)-\(start + 2) гг.", uo, "Справки по итогам визитов"
            ),
            (
                s2, "2.4.", "Консультации для руководителей ШНОР по вопросам управления качеством", "ежеквартально", imc,
                "Журнал консультаций"
            ),
            (
                s2, "2.5.", "Закрепление школ-наставников за ШНОР, заключение соглашений", "до 01.04.\(start)", uo,
                "Соглашения о сотрудничестве"
            ),
            (s2, "2.6.", "Отчётная сессия администраций ШНОР", "Сентябрь \(start) сентябрь \(start + 1)", uo, "Протокол, презентации"),
            (
                s2, "2.7.", "Корректировка программ повышения качества школ по итогам мониторинга", "по отдельному графику", heads,
                "Скорректированные программы"
            ),
            (
                s3, "3.1.", "Мониторинг потребности в повышении квалификации педагогов ШНОР", "Апрель \(start)г. апрель \(start + 1)г.",
                imc, "Сводная потребность"
            ),
            (
                s3, "3.2.", "Курсы повышения квалификации по формированию функциональной грамотности", "в соответствии с планом ИРО", imc,
                "Удостоверения, не менее 6 человек от школы"
            ),
            (
                s3, "3.3.", "Стажировки управленческих команд на базе школ с высокими результатами",
                "В весенние школьные каникулы \(start) г. \(start + 1) г.", uo, "Программы стажировок"
            ),
            (
                s3, "3.4.", "Работа профессионального объединения «Школа молодого педагога»",
                "Третья пятница месяца \(start) - \(start + 1) гг.", imc, "План работы, протоколы"
            ),
            (
                s3, "3.5.", "Разработка индивидуальных образовательных маршрутов педагогов по итогам диагностики дефицитов",
                "1 раз в полугодие", heads, "ИОМ педагогов"
            ),
            (
                s4, "4.1.", "Организация работы с родителями по вопросам качества образования", "Постоянно", heads,
                "Родительские собрания, консультации"
            ),
            (
                s4, "4.2.", "Индивидуальные маршруты для обучающихся с риском учебной неуспешности",
                "до 30.09.\(start) до 30.09.\(start + 1)", heads, "ИОМ обучающихся"
            ),
            (
                s4, "4.3.", "Психолого-педагогическое сопровождение обучающихся группы риска", "по необходимости", "педагоги-психологи ОО",
                "Карты сопровождения"
            ),
            (s4, "4.4.", "Муниципальная олимпиада и конкурсы для обучающихся ШНОР", "по плану УО", uo, "Приказы об итогах"),
            (s4, "4.5.", "Летние профильные смены для обучающихся с риском неуспешности", "июнь-июль \(start + 1)", uo, "Программа смены"),
        ]
    }

    /// Measures whose last passed due date is left without a report: the overdue ones of the demo.
    static let neglected: Set<String> = ["1.2.", "2.5.", "3.1."]

    public static func roadmap(start: Int, today: CalendarDay) -> [RoadmapRecord] {
        let period = DatePeriod.calendarYears(start...(start + 2))
        return measures(start).enumerated().map { index, item in
            let (section, number, measure, deadline, responsible, result) = item
            let due = DeadlineReader.read(deadline, period: period).due
            var status = MeasureStatus.planned
            var doneOn: CalendarDay? = nil
            let passed = due.filter { $0 < today }
            if let last = passed.last, !neglected.contains(number) {
                if passed.count == due.count {
                    status = .done
                    doneOn = CalendarDay.valid(year: last.year, month: last.month, day: max(1, last.day - 3))
                } else {
                    status = .inProgress
                }
            } else if due.isEmpty && index % 2 == 0 {
                status = .inProgress
            }
            return RoadmapRecord(line: index + 2, programme: code, section: section, number: number, measure: measure, deadline: deadline,
                                 responsible: responsible, result: result, status: status, doneOn: doneOn, year: nil, comment: nil)
        }
    }

    static let indicatorList: [(String, String, IndicatorDirection, IndicatorFormula?, String)] = [
        ("1", "Доля ШНОР от общего числа общеобразовательных организаций", .down, .shareListed, "Май, Сентябрь"),
        ("2", "Доля участников ОГЭ и ЕГЭ, преодолевших минимальный порог", .up, .giaPassMinimum, "Июль, Сентябрь"),
        ("3", "Доля работ ВПР, подтвердивших отметку по журналу", .up, .vprConfirmed, "Май, Сентябрь"),
        ("4", "Доля ШНОР, за которыми закреплены школы-наставники", .up, .listedWithMentor, "Октябрь, Февраль"),
        ("5", "Доля ШНОР с положительной динамикой по русскому языку и математике", .up, .positiveDynamics, "Май, Сентябрь"),
        ("6", "Доля педагогов ШНОР, прошедших курсовую подготовку", .up, .teachersTrained, "Июнь, Декабрь"),
        ("7", "Доля школ со сформированной внутришкольной системой профилактики неуспешности", .up, nil, "Август, Апрель"),
        ("8", "Доля руководителей ШНОР, участвующих в оценке эффективности деятельности", .up, nil, "Февраль"),
        ("9", "Доля школ, представивших лучшие практики педагогическому сообществу", .up, nil, "Октябрь, Март"),
    ]

    public static func indicators() -> [IndicatorRecord] {
        indicatorList.enumerated().map { index, item in
            IndicatorRecord(
                line: index + 2, programme: code, code: item.0, name: item.1, unit: "%", direction: item.2, baseline: nil,
                baselineYear: nil,
                formula: item.3, periodicity: CollectionMonths.parse(item.4)!.count == 1 ? "один раз в год" : "два раза в год",
                months: CollectionMonths.parse(item.4)!, source: "мониторинг управления образования",
                responsible: "отдел общего образования")
        }
    }

    /// Two years of values with the expert's points: 2 + 4 + … as a municipality scores itself after a year.
    public static func values(years: [Int]) -> [IndicatorValueRecord] {
        let table: [String: [(value: Double, target: Double, points: (Int, Int, Int))]] = [
            "1": [(27.3, 25, (2, 1, 1)), (22.7, 20, (2, 2, 2))],
            "2": [(91.4, 95, (2, 1, 1)), (94.6, 94, (2, 2, 2))],
            "3": [(61.0, 70, (1, 1, 1)), (68.5, 75, (2, 2, 1))],
            "4": [(60.0, 100, (1, 0, 1)), (100, 100, (2, 3, 2))],
            "5": [(16.7, 30, (1, 1, 1)), (33.3, 30, (2, 2, 1))],
            "6": [(41.0, 50, (2, 1, 1)), (58.0, 55, (2, 2, 2))],
            "7": [(40.0, 50, (1, 1, 1)), (50.0, 50, (2, 1, 1))],
            "8": [(100, 100, (2, 2, 2)), (100, 100, (2, 2, 2))],
            "9": [(20.0, 30, (1, 0, 1)), (35.0, 35, (2, 2, 1))],
        ]
        var records: [IndicatorValueRecord] = []
        for (code, rows) in table.sorted(by: { $0.key < $1.key }) {
            for (year, row) in zip(years, rows) {
                let points = try? IndicatorPoints.checked(presence: row.points.0, dynamics: row.points.1, documentation: row.points.2).get()
                records.append(
                    IndicatorValueRecord(
                        line: records.count + 2, programme: Self.code, indicator: code, year: year,
                        phase: .final, value: row.value, target: row.target, points: points, pointsTotal: nil, comment: nil))
            }
        }
        return records
    }
}
