/// The synthetic, deterministic demo territory: a region with a municipality of 25 schools (urban and rural,
/// 5 to 1,500 students) and a smaller neighbour, so that scopes can be seen at work.
public enum DemoMunicipality {
    public static let regionName = "Приозёрная область"
    public static let mainMunicipality = "Краснореченский муниципальный округ"
    public static let neighbourMunicipality = "Светловодский муниципальный район"

    private static let villages = [
        "Берёзовская", "Сосновская", "Липовская", "Озёрная", "Каменская", "Никольская", "Покровская", "Заречная",
        "Ключевская", "Михайловская", "Рябиновская", "Высоковская", "Дубровская", "Ольховская", "Петровская", "Луговская",
    ]
    private static let surnames = ["Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова", "Михайлова",
                                   "Новикова", "Фёдорова", "Морозова", "Волкова", "Алексеева", "Лебедева", "Семёнова", "Егорова"]
    private static let names = ["Анна Викторовна", "Елена Николаевна", "Ольга Петровна", "Татьяна Ивановна", "Наталья Сергеевна",
                                "Ирина Александровна", "Светлана Юрьевна", "Марина Васильевна", "Людмила Геннадьевна"]

    public static func schools(seed: UInt64 = 2023) -> [SchoolRecord] {
        var random = SeededRandom(seed: seed)
        var records: [SchoolRecord] = []
        var villagePool = villages
        func director() -> String { "\(random.pick(surnames)) \(random.pick(names))" }

        // Town schools of the main municipality: numbered secondary schools, a lyceum and a gymnasium.
        let townSizes = [1480, 1210, 960, 870, 640, 520, 430, 310, 1050]
        for (index, size) in townSizes.enumerated() {
            let number = index + 1
            let (form, full, short): (String, String, String)
            switch number {
            case 3: (form, full, short) = ("МАОУ", "Лицей № 3", "Лицей № 3")
            case 5: (form, full, short) = ("МАОУ", "Гимназия № 5", "Гимназия № 5")
            default: (form, full, short) = ("МБОУ", "Средняя общеобразовательная школа № \(number)", "СОШ № \(number)")
            }
            records.append(
                SchoolRecord(
                    code: String(format: "KR%03d", number), name: "\(form) «\(full)»", municipality: mainMunicipality,
                    region: regionName, shortName: short, number: String(number), settlement: .urban,
                    address:
                        "г. Краснореченск, ул. \(random.pick(["Ленина", "Школьная", "Мира", "Советская", "Садовая"])), д. " +
                        "\(random.int(1...90))",
                    director: director(), students: size, studentsOVZ: Int(Double(size) * random.double(0.02...0.07))))
        }
        // Rural schools: secondary (СОШ), basic (ООШ) and small primary schools down to 5 students.
        let ruralSizes = [245, 198, 176, 150, 131, 112, 96, 84, 71, 58, 44, 33, 21, 12, 8, 5]
        for (index, size) in ruralSizes.enumerated() {
            let village = villagePool.remove(at: random.int(0...(villagePool.count - 1)))
            let kind = size >= 90 ? ("средняя", "СОШ") : size >= 20 ? ("основная", "ООШ") : ("начальная", "НОШ")
            records.append(
                SchoolRecord(
                    code: String(format: "KR%03d", 10 + index), name: "МКОУ «\(village) \(kind.0) общеобразовательная школа»",
                    municipality: mainMunicipality, region: regionName, shortName: "\(village) \(kind.1)", settlement: .rural,
                    address: "с. \(village.dropLast(2))ое, ул. Центральная, д. \(random.int(1...40))",
                    director: director(), students: size, studentsOVZ: Int((Double(size) * random.double(0.0...0.12)).rounded())))
        }
        // The neighbouring district (another coordinator's scope).
        for number in 1...8 {
            let size = number <= 3 ? random.int(400...900) : random.int(15...180)
            records.append(SchoolRecord(code: String(format: "SV%03d", number), name: "МБОУ «Светловодская СОШ № \(number)»",
                                        municipality: neighbourMunicipality, region: regionName, shortName: "Светловодская СОШ № \(number)",
                                        number: String(number), settlement: number <= 3 ? .urban : .rural,
                                        address: "Светловодский район", director: director(), students: size,
                                        studentsOVZ: Int(Double(size) * 0.05)))
        }
        return records
    }

    /// The same schools as a `schools` CSV file (UTF-8, `;`), as an official would hand it over.
    public static func schoolsCSV(seed: UInt64 = 2023) -> String {
        var lines = [
            "Код ОО;Наименование;Муниципалитет;Регион;Краткое наименование;Номер;Тип поселения;Адрес;Директор;Обучающихся;Обучающихся с ОВЗ"
        ]
        for school in schools(seed: seed) {
            let cells = [school.code, school.name, school.municipality, school.region ?? "", school.shortName ?? "", school.number ?? "",
                         school.settlement?.russianName ?? "", school.address ?? "", school.director ?? "",
                         school.students.map(String.init) ?? "", school.studentsOVZ.map(String.init) ?? ""]
            lines.append(CSVText.line(cells, delimiter: ";"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

import Foundation
