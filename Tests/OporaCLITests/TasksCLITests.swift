import Foundation
import XCTest

/// `opora import tasks / mark_scales / task_benchmarks / task_scores` and `opora tasks` as a user runs them (CONTRACT.md).
extension CLITests {
    func loadTaskData() throws {
        let schools = try write("schools.csv", """
            code,name,municipality,region
            A1,МКОУ «Липицкая СОШ»,Чернский район,Тульская область
            A2,МБОУ «Чернская СОШ № 1»,Чернский район,Тульская область
            B1,МБОУ «Белёвская СОШ № 2»,Белёвский район,Тульская область
            """)
        XCTAssertEqual(try opora(["import", "schools", schools]).status, 0)
        let tasks = try write("tasks.csv", """
            year,procedure,grade,subject,task,max_points,requirement,block,level
            2023,VPR,5,math,1,1,Вычисления,Числа,basic
            2023,VPR,5,math,2,2,Вычисления,Числа,basic
            2023,VPR,5,math,К3,1,Текстовые задачи,Задачи,advanced
            """)
        let imported = try opora(["import", "tasks", tasks])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let benchmarks = try write("tb.csv", "year,procedure,grade,subject,task,level,percent\n2023,VPR,5,math,2,region,75\n"
                                   + "2023,VPR,5,math,1,russia,66\n")
        XCTAssertEqual(try opora(["import", "task_benchmarks", benchmarks]).status, 0)
        let scale = try write("scale.csv", "year,procedure,grade,subject,mark,min_primary\n2023,VPR,5,math,3,2\n2023,VPR,5,math,4,3\n"
                              + "2023,VPR,5,math,5,4\n")
        XCTAssertEqual(try opora(["import", "mark_scales", scale]).status, 0)
        let scores = try write("scores.csv", """
            Год;Процедура;Класс;Предмет;Код ОО;Код участника;Класс (буква);1;2;К3;Отметка;Отметка за четверть
            2023;ВПР;5;Математика;A1;P1;А;1;2;1;5;5
            2023;ВПР;5;Математика;A1;P2;А;1;1;Х;3;4
            2023;ВПР;5;Математика;A1;P3;Б;0;2;0;3;3
            2023;ВПР;5;Математика;A1;P4;Б;X;0;0;2;3
            2023;ВПР;5;Математика;A2;Q1;А;1;2;1;5;5
            2023;ВПР;5;Математика;A2;Q2;А;1;2;1;5;4
            2023;ВПР;5;Математика;A2;Q3;А;1;2;1;5;5
            """)
        let loaded = try opora(["import", "task_scores", scores])
        XCTAssertEqual(loaded.status, 0, loaded.stderr)
    }

    func testTasksJSONForASchoolAsTheContractPrintsIt() throws {
        try loadTaskData()
        let run = try opora(["tasks", "--year", "2023", "--procedure", "VPR", "--grade", "5", "--subject", "math", "--school", "A1",
                             "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout)
        XCTAssertEqual(json["participants"] as? Int, 4)
        XCTAssertEqual(json["small"] as? Bool, true)
        let tasks = try XCTUnwrap(json["tasks"] as? [[String: Any]])
        XCTAssertEqual(tasks.map { $0["task"] as? String }, ["1", "2", "К3"])
        XCTAssertEqual(tasks.map { $0["max_points"] as? Int }, [1, 2, 1])
        XCTAssertEqual(tasks.map { $0["percent"] as? Double }, [50, 62.5, 25])
        // The municipality: A1 and A2, 7 pupils (5 of 7, 11 of 14, 4 of 7).
        XCTAssertEqual(tasks.map { $0["municipality"] as? Double }, [71.43, 78.57, 57.14])
        XCTAssertEqual(tasks.map { $0["region"] as? Double }, [nil, 75, nil])
        XCTAssertTrue(tasks[0]["region"] is NSNull, "an absent comparison is null, not left out")
        XCTAssertEqual(tasks.map { $0["russia"] as? Double }, [66, nil, nil])
        XCTAssertEqual(tasks.map { $0["deficit"] as? Bool }, [true, true, true])
        XCTAssertEqual(tasks[2]["requirement"] as? String, "Текстовые задачи")
        let histogram = try XCTUnwrap(json["histogram"] as? [[String: Int]])
        XCTAssertEqual(histogram.map { $0["score"] }, [0, 1, 2, 3, 4])
        XCTAssertEqual(histogram.map { $0["count"] }, [1, 0, 2, 0, 1])

        let region = try opora(["tasks", "--year", "2023", "--procedure", "ВПР", "--grade", "5", "--subject", "Математика",
                                "--region", "Тульская область", "--format", "json"])
        XCTAssertEqual(region.status, 0, region.stderr)
        let whole = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(region.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(whole["participants"] as? Int, 7)
        XCTAssertEqual(whole["small"] as? Bool, false)
        XCTAssertEqual((whole["tasks"] as? [[String: Any]])?.map { $0["percent"] as? Double }, [71.43, 78.57, 57.14])

        let table = try opora(["tasks", "--year", "2023", "--procedure", "VPR", "--grade", "5", "--subject", "math", "--municipality",
                               "Чернский район"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("участников 7"), table.stdout)
        let csv = try opora(["tasks", "--year", "2023", "--procedure", "VPR", "--grade", "5", "--subject", "math", "--school", "A2",
                             "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("task,max_points,requirement,level,percent,municipality,region,russia,deficit\n1,1,"),
            csv.stdout)
    }

    func testTaskScoresRefusedByLineAndTasksWithoutASpecification() throws {
        try loadTaskData()
        let bad = try write("bad.csv", """
            Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;2;К3;9
            2023;ВПР;5;Математика;A1;P1;1;2;1;1
            """)
        let refused = try opora(["import", "task_scores", bad])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("bad.csv:1: 9: нет такого задания"), refused.stderr)
        let over = try write("over.csv", """
            Год;Процедура;Класс;Предмет;Код ОО;Код участника;1;2;К3
            2023;ВПР;5;Математика;A1;P1;1;3;
            """)
        let overRun = try opora(["import", "task_scores", over])
        XCTAssertEqual(overRun.status, 1)
        XCTAssertTrue(overRun.stderr.contains("over.csv:2: 2: 3 больше максимального балла задания (2)"), overRun.stderr)
        XCTAssertTrue(overRun.stderr.contains("over.csv:2: К3: пустая ячейка"), overRun.stderr)
        let none = try opora(["tasks", "--year", "2023", "--procedure", "VPR", "--grade", "6", "--subject", "math"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("Нет спецификации работы"), none.stderr)
    }
}
