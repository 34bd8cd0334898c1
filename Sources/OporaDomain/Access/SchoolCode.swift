/// «Код ОО» is the key every file's results are matched on: changed only by those who keep the registry (a
/// municipality's coordinator, a region's analyst), and only once they confirmed it knowing what it does.
public enum SchoolCode {
    public static func mayChange(role: Role) -> Bool { role == .regionalAnalyst || role == .municipalCoordinator }

    /// Shown beside the field and asked to confirm.
    public static let warning = "По коду ОО сопоставляются загружаемые результаты, контингент и анкеты: "
        + "после изменения файлы со старым кодом не найдут эту школу"

    public static let notAllowed = "код ОО меняет координатор муниципалитета или аналитик региона"

    public static func confirmationNeeded(old: String, new: String) -> String {
        "изменение кода «\(old)» на «\(new)» нужно подтвердить (confirm_code). " + warning
    }
}
