/// What the survey tests (server and browser) share: the questionnaire they send.
public enum SurveyFixtures {
    /// A questionnaire for parents and teachers, every kind of question the public form draws but a number.
    public static let climateQuestionnaire = """
        code: school_climate
        title: Климат в школе
        purpose: satisfaction
        questions:
          - id: safe
            group: parent
            kind: single
            text: Чувствует ли себя ребёнок в школе в безопасности?
            options:
              - text: да
              - text: скорее да
              - text: нет
          - id: mark
            group: parent
            kind: scale
            text: Оцените работу школы от 1 до 5
          - id: remarks
            group: parent
            kind: text
            max_length: 300
            required: false
            text: Что бы вы изменили в школе?
          - id: support
            group: teacher
            kind: single
            text: Хватает ли вам методической поддержки?
            options:
              - text: да
              - text: нет
          - id: topics
            group: teacher
            kind: multiple
            text: Чему вы хотели бы научиться?
            options:
              - text: оценивание
              - text: работа с отстающими
              - text: цифровые инструменты
        """

    /// The questionnaire's code as imported.
    public static let climateCode = "school_climate"
}
