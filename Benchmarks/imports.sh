#!/usr/bin/env bash
# Every file kind at scale through `opora import` (issue 18), against the release build: one million rows of each of
# programmes, roadmap, indicators, indicator_values, risks, events, staff and specialists, and the two million
# per-student `scores` rows of Benchmarks/run.sh's region as the yardstick. Prints one table per engine:
#   kind | rows | wall s | CPU s | peak MB | CPU µs/row | × scores
# wall and CPU seconds (user + system) and the peak memory from `/usr/bin/time -v`; «× scores» is the kind's CPU time
# per row as a multiple of `scores`' in the same run — the processor time, which a machine busy with other work
# disturbs far less than the wall time (the targets: under 10 s, under 1 GB, within 5 ×).
#
# Usage: Benchmarks/imports.sh [ROWS]   (from the repository root; ROWS per kind, default 1000000)
#   OPORA_BENCH_POSTGRES_URL=postgres://…  also on PostgreSQL (an empty database: its public schema is dropped)
#   OPORA_BENCH_KINDS="risks events"       only these kinds (scores is always timed)
#   OPORA_BENCH_SQLITE=0                   PostgreSQL only
#   OPORA_BENCH_TIMEOUT=300                seconds before an import is given up (printed as «> N s»)
#   OPORA_BENCH_BINARY=path                this opora instead of a fresh release build (a smoke run of the script)
#   OPORA_BENCH_SCORES_SCHOOLS=1000        schools of the generated region whose `scores` are the yardstick
#   OPORA_BENCH_OUT=folder                 files, databases and timings there instead of Benchmarks/out
#   OPORA_BENCH_AGAIN=1                    each kind imported a second time as well (every row already stored)
# Every file is valid: 10,000 schools in 50 municipalities and 1,000 school programmes (2024–2027) are imported
# first, untimed; indicator_values name the indicators of the indicators file, so that kind runs after it.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
kinds=${OPORA_BENCH_KINDS:-"programmes roadmap indicators indicator_values risks events staff specialists"}
limit=${OPORA_BENCH_TIMEOUT:-300}
out=${OPORA_BENCH_OUT:-Benchmarks/out}
data="$out/imports-v3-$rows"
mkdir -p "$data"

if [ -n "${OPORA_BENCH_BINARY:-}" ]; then
  opora=$OPORA_BENCH_BINARY
else
  swift build -c release --product opora >/dev/null
  opora=$PWD/.build/release/opora
fi

region_schools=${OPORA_BENCH_SCORES_SCHOOLS:-1000}
region="$out/region-$region_schools"
[ -f "$region/scores.csv" ] || "$opora" generate region --schools "$region_schools" --out "$region" >/dev/null

# The files, made once per size.
if [ ! -f "$data/specialists.csv" ]; then
  awk 'BEGIN {
    print "code,name,municipality,region"
    for (s = 1; s <= 10000; s++) printf "BS%05d,МБОУ «Средняя школа № %d»,Район %02d,Тестовая область\n", s, s, 1 + s % 50
  }' > "$data/schools.csv"
  awk 'BEGIN {
    print "code,name,start,end,level,school"
    for (p = 1; p <= 1000; p++) printf "BQ%04d,Программа развития школы %d,01.01.2024,31.12.2027,school,BS%05d\n", p, p, p
  }' > "$data/setup-programmes.csv"
  awk -v n="$rows" 'BEGIN {
    print "code,name,start,end,level,school,order_number,order_date"
    for (i = 0; i < n; i++)
      printf "BP%07d,Программа перехода в эффективный режим работы школы с низкими результатами № %d на 2024-2026 годы," \
        "01.01.2024,31.12.2026,school,BS%05d,%d,15.01.2024\n", i, i, 1 + i % 10000, 1 + i % 97
  }' > "$data/programmes.csv"
  # Deadlines as the seeds write them (dates, months, periods, «постоянно»), statuses with their dates.
  awk -v n="$rows" 'BEGIN {
    split("До 10.09.2024|Октябрь Май|ежеквартально|Второй вторник месяца 2024-2026 гг.|2024 год 2025 год 2026 год|" \
      "Постоянно|по отдельному графику|до 23.10.2024 до 25.10.2025|1 раз в месяц|4 квартал", deadlines, "|")
    split("planned|in_progress|done|planned", statuses, "|")
    print "programme;section;number;measure;deadline;responsible;result;status;done_on"
    for (i = 0; i < n; i++) {
      k = int(i / 1000); section = 1 + int(k / 100); status = statuses[1 + i % 4]
      printf "BQ%04d;%d. Раздел %d;%d.%d.;Мероприятие %d по повышению качества образования;" \
        "%s;Заместитель директора, отдел %d;Справка;%s;%s\n", 1 + i % 1000, section, section, section, 1 + k % 100, i,
        deadlines[1 + i % 10], i % 7, status, (status == "done" ? "15.06.2024" : "")
    }
  }' > "$data/roadmap.csv"
  awk -v n="$rows" 'BEGIN {
    print "programme;code;name;unit;direction;periodicity;months;source"
    for (i = 0; i < n; i++)
      printf "BQ%04d;I%d;Доля обучающихся, достигших базового уровня, показатель %d;%%;up;два раза в год;май, сентябрь;" \
        "мониторинг УО\n", 1 + i % 1000, int(i / 1000), i
  }' > "$data/indicators.csv"
  # Nine values (three years × three phases) of each of the first indicators of every programme.
  awk -v n="$rows" 'BEGIN {
    split("entry|intermediate|final", phases, "|")
    print "programme;indicator;year;phase;value;target;presence;dynamics;documentation"
    for (i = 0; i < n; i++) {
      k = int(i / 1000)
      printf "BQ%04d;I%d;%d;%s;%.1f;%.1f;2;2;1\n", 1 + i % 1000, int(k / 9), 2024 + int((k % 9) / 3), phases[1 + k % 3],
        (i % 1000) / 10, (i % 500) / 5
    }
  }' > "$data/indicator_values.csv"
  awk -v n="$rows" 'BEGIN {
    print "year,school,factor,level,source"
    split("high medium low none", levels, " ")
    for (i = 0; i < n; i++)
      printf "%d,BS%05d,%d,%s,%s\n", 2016 + int(i / 120000), 1 + int(i / 12) % 10000, 1 + i % 12, levels[1 + i % 4],
        (i % 3 ? "expert" : "")
  }' > "$data/risks.csv"
  awk -v n="$rows" 'BEGIN {
    split("учитель|заместитель|педагог-психолог|руководитель|тьютор", roles, "|")
    print "event;title;kind;start;hours;organiser;school;role;count;person"
    for (i = 0; i < n; i++) {
      event = int(i / 500) + 1
      if (i % 4 == 0) { count = ""; person = "P" i } else { count = 1 + i % 6; person = "" }
      printf "BE%05d;Мероприятие %d;%s;%02d.%02d.2025;%d;ИРО;BS%05d;%s;%s;%s\n", event, event, (event % 3 == 0 ? "курсы" : "семинар"),
        1 + event % 28, 1 + event % 12, (event % 3 == 0 ? 36 : 4), 1 + (i * 7) % 10000, roles[1 + i % 5], count, person
    }
  }' > "$data/events.csv"
  awk -v n="$rows" 'BEGIN {
    split("учитель|заместитель|педагог-психолог|руководитель|тьютор", roles, "|")
    split("высшая|первая|соответствие|без категории", categories, "|")
    print "school,year,position,count,person,category,course_hours,course_topic,deficit"
    for (i = 0; i < n; i++) {
      if (i % 2 == 0) { count = ""; person = "T" i } else { count = 1 + i % 5; person = "" }
      printf "BS%05d,%d,%s,%s,%s,%s,%s,%s,%s\n", 1 + i % 10000, 2020 + int(i / 10000) % 5, roles[1 + i % 5], count, person,
        categories[1 + i % 4], (i % 3 ? "" : 36), (i % 3 ? "" : "Формирование функциональной грамотности"), (i % 5 ? "" : "оценивание")
    }
  }' > "$data/staff.csv"
  awk -v n="$rows" 'BEGIN {
    print "school,year,social_pedagogue,tutor,psychologist,speech_therapist,vacancies"
    for (i = 0; i < n; i++)
      printf "BS%05d,%d,%d,%s,%d,%s,%d\n", 1 + i % 10000, 2000 + int(i / 10000) % 101, i % 3, (i % 4 ? "1" : "1*"), 1 + i % 2,
        (i % 5 ? "" : "\"3; 6*\""), i % 4
  }' > "$data/specialists.csv"
fi

lines() { echo $(($(wc -l < "$1") - 1)); }

# Runs one import; prints "seconds peak_kb cpu_seconds" or "timeout" / "failed".
measure() {
  local log="$out/imports-time.txt"
  if timeout "$limit" /usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$out/imports-stderr.txt"; then
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" \
      | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    cpu=$(awk -F': ' '/User time|System time/ {sum += $2} END {print sum}' "$log")
    echo "$wall $kb $cpu"
  elif [ $? -eq 124 ]; then
    echo "timeout"
  else
    echo "failed"
  fi
}

# One line of the table; "—" for what a failed or timed-out import has not got.
line() { printf '| %-24s | %9s | %8s | %8s | %8s | %11s | %9s |\n' "$@"; }

run_engine() {  # $1: label, $2: database
  local label=$1 db=$2
  echo
  echo "$label, $rows rows per kind ($(date -u +%F), $(nproc) cores, load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)):"
  line kind rows "wall s" "CPU s" "peak MB" "CPU µs/row" "× scores"
  echo "|--------------------------|-----------|----------|----------|----------|-------------|-----------|"
  "$opora" --db "$db" import schools "$region/schools.csv" >/dev/null
  "$opora" --db "$db" import schools "$data/schools.csv" >/dev/null
  "$opora" --db "$db" import programmes "$data/setup-programmes.csv" >/dev/null
  local scores_rows
  scores_rows=$(lines "$region/scores.csv")
  read -r s kb cpu < <(measure "$opora" --db "$db" import scores "$region/scores.csv")
  scores_cpu_per_row=$(echo "$cpu / $scores_rows" | bc -l)
  row scores "$scores_rows" "$s" "$kb" "$cpu"
  for kind in $kinds; do
    local file="$data/$kind.csv" n
    n=$(lines "$file")
    timed "$kind" "$n" "$(measure "$opora" --db "$db" import "$kind" "$file")"
    if [ -n "${OPORA_BENCH_AGAIN:-}" ]; then
      timed "$kind (again)" "$n" "$(measure "$opora" --db "$db" import "$kind" "$file")"
    fi
  done
  echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
}

timed() {  # kind rows "seconds kb cpu" | timeout | failed
  case "$3" in
    timeout) line "$1" "$2" "> $limit" — — — — ;;
    failed) line "$1" "$2" failed — — — —
            head -c 400 "$out/imports-stderr.txt" | sed 's/^/    /' ;;
    *) read -r s kb cpu <<< "$3"; row "$1" "$2" "$s" "$kb" "$cpu" ;;
  esac
}

row() {  # kind rows seconds kb cpu_seconds (scores_cpu_per_row set by run_engine)
  local per_row ratio
  per_row=$(echo "$5 / $2 * 1000000" | bc -l)
  ratio=$(echo "($5 / $2) / $scores_cpu_per_row" | bc -l)
  line "$1" "$2" "$(printf %.2f "$3")" "$(printf %.2f "$5")" $(($4 / 1024)) "$(printf %.2f "$per_row")" "$(printf %.2f "$ratio")"
}

db="$out/imports.sqlite"
rm -f "$db"*
[ "${OPORA_BENCH_SQLITE:-1}" = 0 ] || run_engine SQLite "$db"

if [ -n "${OPORA_BENCH_POSTGRES_URL:-}" ]; then
  PGOPTIONS=--client-min-messages=warning psql "$OPORA_BENCH_POSTGRES_URL" -qc \
    "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" >/dev/null
  run_engine PostgreSQL "$OPORA_BENCH_POSTGRES_URL"
fi
