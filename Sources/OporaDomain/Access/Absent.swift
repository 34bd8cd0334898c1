/// What a file or a form is answered when it names a school or a territory the user may not reach. Outside
/// one's scope, existing and absent read the same: an answer that said «вне вашей области» for another
/// territory's school but «нет в реестре» for an unknown code would let anyone probe which codes exist where.
/// Every importer and every form that takes a code or a name asks here, and so says one thing.
public enum Absent {
    public static func school(_ code: String) -> String {
        "школы с кодом «\(code.prefix(40))» нет среди школ вашей области доступа "
            + "(проверьте код; новую школу сначала загрузите в реестр — schools)"
    }

    public static func municipality(_ name: String) -> String {
        "муниципалитета «\(name.prefix(80))» нет в вашей области доступа"
    }

    public static func region(_ name: String) -> String {
        "региона «\(name.prefix(80))» нет в вашей области доступа"
    }

    /// A territory named by an order or a file that may be either a municipality or a region.
    public static func territory(_ name: String) -> String {
        "территории «\(name.prefix(80))» нет в вашей области доступа"
    }

    /// A school picked by id in a form (a mentor school, a curator's school, a visit's school).
    public static let schoolRecord = "такой школы нет среди школ вашей области доступа"
}
