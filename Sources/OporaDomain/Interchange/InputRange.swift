/// The ranges that numbers coming from outside must fall in — files, forms, query strings and the command
/// line alike — so that no arithmetic downstream ever sees a year of −9 223 372 036 854 775 808.
public enum InputRange {
    public static let year = 2000...2100
    public static let grade = 1...11
    public static let page = 1...100_000
    public static let minimumGroup = 1...1_000
    public static let percent = 0.0...100.0
    /// Database ids (SQLite and PostgreSQL integer keys are positive).
    public static let id = 1...Int(Int32.max)
}
