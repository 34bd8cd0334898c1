/// The demo's programmes, written the way the seed schools write theirs.
public enum DemoProgrammes {
    public static func equipment(_ period: ClosedRange<Int>) -> ProgrammeContent {
        let (first, last) = (period.lowerBound, period.upperBound)
        return ProgrammeContent(
            goal: "Обеспечить оснащение кабинетов естественно-научного цикла и информатики, необходимое для выполнения требований ФГОС",
            tasks: ["Провести инвентаризацию учебного оборудования", "Привлечь средства муниципальной программы и партнёров",
                    "Обучить педагогов работе с новым оборудованием"],
            measures: [
                ProgrammeMeasure(
                    text: "Инвентаризация оборудования кабинетов физики, химии, биологии и информатики", deadline: "до 01.10.\(first)",
                    responsible: "заместитель директора по АХЧ", result: "акт инвентаризации, перечень потребностей"),
                ProgrammeMeasure(
                    text: "Заявка на участие в муниципальной программе модернизации", deadline: "ноябрь \(first)",
                    responsible: "директор", result: "заявка"),
                ProgrammeMeasure(
                    text: "Курсы повышения квалификации по работе с цифровыми лабораториями", deadline: "январь-март \(last)",
                    responsible: "руководитель ШМО естественных наук", result: "удостоверения о повышении квалификации"),
                ProgrammeMeasure(
                    text: "Мониторинг использования оборудования на уроках", deadline: "ежеквартально",
                    responsible: "заместитель директора по УВР", result: "справка"),
            ],
            indicators: [
                ProgrammeIndicator(
                    name: "Доля кабинетов естественно-научного цикла, оснащённых по требованиям ФГОС", unit: "%", baseline: "", target: "80"
                ),
                ProgrammeIndicator(
                    name: "Доля педагогов, прошедших обучение работе с оборудованием", unit: "%", baseline: "15", target: "90"),
            ])
    }

    public static func failureRisk(_ period: ClosedRange<Int>) -> ProgrammeContent {
        let first = period.lowerBound
        return ProgrammeContent(
            goal: "Снизить долю обучающихся с рисками учебной неуспешности",
            tasks: ["Выявить обучающихся группы риска по результатам ВПР и текущей успеваемости",
                    "Организовать индивидуальные образовательные маршруты", "Вовлечь родителей в сопровождение"],
            measures: [
                ProgrammeMeasure(
                    text: "Диагностика обучающихся 5–8-х классов по русскому языку и математике", deadline: "сентябрь \(first)",
                    responsible: "заместитель директора по УВР", result: "список обучающихся группы риска"),
                ProgrammeMeasure(
                    text: "Индивидуальные образовательные маршруты для обучающихся группы риска", deadline: "в течение года",
                    responsible: "классные руководители, учителя-предметники", result: "маршруты"),
                ProgrammeMeasure(
                    text: "Консультации для родителей обучающихся группы риска", deadline: "по итогам ВПР",
                    responsible: "педагог-психолог", result: "протоколы встреч"),
            ],
            indicators: [
                ProgrammeIndicator(name: "Доля обучающихся, не преодолевших минимальный порог ВПР", unit: "%", baseline: "34", target: "20")
            ])
    }
}
