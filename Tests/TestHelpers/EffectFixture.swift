import Foundation

/// A municipality whose supported schools improved more than comparable ones, for the tests of «did the support work?»
/// (issue 21): the figures the data, page and document tests check are computed by hand in the comments.
public enum EffectFixture {
    /// School → («2» in mathematics, «2» in Russian) of 20 pupils each (5 «4», the rest «3»), for 2022 and 2023.
    public static let twos: [(code: String, municipality: String, before: (Int, Int), after: (Int, Int)?)] = [
        // Supported (listed for 2022): 54 of 200 = 27 % → 29 of 200 = 14,5 %; their 2022 shares run 20 … 30 %.
        ("S1", "Чернский район", (6, 4), (3, 2)), ("S2", "Чернский район", (8, 4), (4, 4)), ("S3", "Чернский район", (4, 4), (2, 2)),
        ("S4", "Чернский район", (6, 6), (3, 3)), ("S5", "Чернский район", (10, 2), (5, 1)),
        // Comparable (never listed, 20 … 30 % in 2022): 50 of 200 = 25 % → 42 of 200 = 21 %.
        ("C1", "Чернский район", (5, 5), (4, 4)), ("C2", "Чернский район", (4, 4), (4, 4)), ("C3", "Чернский район", (6, 6), (5, 5)),
        ("C4", "Чернский район", (5, 4), (5, 3)), ("C5", "Чернский район", (6, 5), (4, 4)),
        // Out of range (5 % and 50 %), listed in 2023 only, without 2023 results.
        ("X1", "Чернский район", (1, 1), (1, 1)), ("X2", "Чернский район", (10, 10), (8, 8)), ("L1", "Чернский район", (5, 5), (1, 1)),
        ("Z1", "Чернский район", (5, 5), nil),
        // Another municipality of the region: comparable for the region, outside the municipality's scope.
        ("Y1", "Белёвский район", (5, 5), (5, 5)),
    ]

    public static var schools: String {
        "code,name,municipality,region\n" + twos.map { "\($0.code),Школа \($0.code),\($0.municipality),Тульская область\n" }.joined()
    }

    public static var results: String {
        var text = "year,procedure,grade,subject,school,participants,m2,m3,m4,m5\n"
        for school in twos {
            for (year, pair) in [(2022, Optional(school.before)), (2023, school.after)] {
                guard let (math, russian) = pair else { continue }
                text += "\(year),VPR,5,math,\(school.code),20,\(math),\(20 - math - 5),5,0\n"
                text += "\(year),VPR,6,rus,\(school.code),20,\(russian),\(20 - russian - 5),5,0\n"
            }
        }
        return text
    }

    /// The orders of Чернский район: S1–S5 for 2022; S1–S5 and L1 for 2023.
    public static var lists: [(year: Int, text: String)] {
        [(2022, ["S1", "S2", "S3", "S4", "S5"]), (2023, ["S1", "S2", "S3", "S4", "S5", "L1"])].map { year, codes in
            (year, "year,school,order_number,order_date,territory\n"
                + codes.map { "\(year),\($0),\(year - 2000),15.03.\(year),Чернский район\n" }.joined())
        }
    }
}
