#!/usr/bin/env python3
"""Files of the four programme kinds at scale: Benchmarks/generate-plans.py ROWS OUT_FOLDER

Writes, each with ROWS data rows:
  schools.csv           two municipalities of one region, a school each (the territories the files name)
  programmes.csv        ROWS municipal programmes (codes P0000001 …), half in each municipality
  bench-programmes.csv  the ten programmes (BENCH01 … BENCH10) the other files load into
  roadmap.csv           ROWS measures spread over the ten programmes, 100 to a section, deadlines as the seeds write them
  indicators.csv        ROWS indicators spread over the ten programmes
  indicator_values.csv  ROWS values: nine (three years × three phases) for each of the first ROWS / 9 indicators

Import schools.csv and bench-programmes.csv first, indicators.csv before indicator_values.csv.
"""
import os
import sys

DEADLINES = ["До 10.09.2024", "Октябрь Май", "ежеквартально", "Второй вторник месяца 2024-2026 гг.", "2024 год 2025 год 2026 год",
             "Постоянно", "по отдельному графику", "до 23.10.2024 до 25.10.2025", "1 раз в месяц", "4 квартал"]
STATUSES = ["planned", "in_progress", "done", "planned"]
PROGRAMMES = 10
MUNICIPALITIES = ["Первоуральск", "Ревда"]


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        out.write(header + "\n")
        out.writelines(rows)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    path = lambda name: os.path.join(folder, name)
    write(path("schools.csv"), "code;name;municipality;region",
          (f"B00{i + 1};МБОУ СОШ № {i + 1};{m};Свердловская область\n" for i, m in enumerate(MUNICIPALITIES)))
    write(path("programmes.csv"), "code;name;start;end;level;territory;order_number;order_date",
          (f"P{i:07d};Муниципальная программа поддержки школ с низкими образовательными результатами № {i} на 2024-2026 годы;"
           f"2024;2026;municipality;{MUNICIPALITIES[i % 2]};{i % 97 + 1};15.01.2024\n" for i in range(1, rows + 1)))
    write(path("bench-programmes.csv"), "code;name;start;end;level;territory",
          (f"BENCH{p:02d};Программа {p};2024;2026;municipality;{MUNICIPALITIES[p % 2]}\n" for p in range(1, PROGRAMMES + 1)))

    def measure(i):
        programme = i % PROGRAMMES + 1
        k = i // PROGRAMMES
        section = k // 100 + 1
        status = STATUSES[i % 4]
        done = "15.06.2024" if status == "done" else ""
        return (f"BENCH{programme:02d};{section}. Раздел {section};{section}.{k % 100 + 1}.;"
                f"Мероприятие {i} по повышению качества образования в школах с низкими результатами;{DEADLINES[i % 10]};"
                f"Управление образования, отдел {i % 7};Справка;{status};{done}\n")
    write(path("roadmap.csv"), "programme;section;number;measure;deadline;responsible;result;status;done_on",
          (measure(i) for i in range(rows)))
    write(path("indicators.csv"), "programme;code;name;unit;direction;periodicity;months;source",
          (f"BENCH{i % PROGRAMMES + 1:02d};I{i // PROGRAMMES + 1};Доля обучающихся, достигших базового уровня, показатель {i};%;up;"
           f"два раза в год;май, сентябрь;мониторинг УО\n" for i in range(rows)))
    phases = ["entry", "intermediate", "final"]

    def value(i):
        indicator, step = i // 9, i % 9
        return (f"BENCH{indicator % PROGRAMMES + 1:02d};I{indicator // PROGRAMMES + 1};{2024 + step // 3};{phases[step % 3]};"
                f"{(i % 1000) / 10:.1f};{(i % 500) / 5:.1f};2;2;1\n")
    write(path("indicator_values.csv"), "programme;indicator;year;phase;value;target;presence;dynamics;documentation",
          (value(i) for i in range(rows)))


if __name__ == "__main__":
    main()
