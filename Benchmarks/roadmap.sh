#!/usr/bin/env bash
# A roadmap of 10,000 measures against the release build: Benchmarks/roadmap.sh [RUNS] [MEASURES]
# Each run imports the roadmap into a fresh database (the deadlines written as the seeds write them, cycled),
# then serves it and fetches the calendar of a year and the roadmap page: the first request after the import
# builds everything from the database; the second is timed too.
set -eu
cd "$(dirname "$0")/.."
. Benchmarks/serve-as-analyst.sh
runs=${1:-3}
measures=${2:-10000}
swift build -c release --product opora >/dev/null
opora=$PWD/.build/release/opora
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
printf 'code;name;municipality;region\nB001;МБОУ СОШ № 1;Первоуральск;Свердловская область\n' > "$work/schools.csv"
printf 'code;name;start;end;territory\nBENCH;Муниципальная программа;2023;2025;Первоуральск\n' > "$work/programme.csv"
awk -v n="$measures" 'BEGIN {
  split("До 10.09.2024|Октябрь Май|ежеквартально|Второй вторник месяца 2023-2025 гг.|2023 год 2024 год 2025 год|Постоянно|по отдельному графику|по итогам ВПР|по необходимости|до 23.10.2024 до 25.10.2025|1 раз в месяц|2 неделя февраля 2024, 2 неделя февраля 2025|Январь 2023 г. Январь 2024 г. Январь 2025 г.|4 квартал|https://example.org/plan", d, "|")
  split("planned|in_progress|done|planned", s, "|")
  print "programme;section;number;measure;deadline;responsible;result;status;done_on"
  for (i = 1; i <= n; i++) {
    sec = int((i - 1) / 100) + 1
    st = s[(i % 4) + 1]
    printf "BENCH;%d. Раздел %d;%d.%d.;Мероприятие %d по повышению качества образования в школах с низкими результатами;%s;Управление образования, отдел %d;Справка;%s;%s\n",
      sec, sec, sec, i, i, d[(i % 15) + 1], i % 7, st, (st == "done" ? "15.06.2024" : "")
  }
}' > "$work/roadmap.csv"
imports=(); cold=(); warm=(); month=(); roadmap=()
for run in $(seq 1 "$runs"); do
  db="$work/run$run.sqlite"
  "$opora" --db "$db" import schools "$work/schools.csv" >/dev/null
  "$opora" --db "$db" import programmes "$work/programme.csv" >/dev/null
  start=$(date +%s%N)
  "$opora" --db "$db" import roadmap "$work/roadmap.csv" >/dev/null 2>&1
  imports+=($(( ($(date +%s%N) - start) / 1000000 )))
  serve_as_analyst "$db" bench-roadmap-1
  cold+=($(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$base/plans/1/calendar?year=2024"))
  warm+=($(curl -s -b "$jar" -o "$work/calendar.html" -w '%{time_total}' "$base/plans/1/calendar?year=2024"))
  month+=($(curl -s -b "$jar" -o "$work/month.html" -w '%{time_total}' "$base/plans/1/calendar?year=2024&month=12"))
  roadmap+=($(curl -s -b "$jar" -o "$work/roadmap.html" -w '%{time_total}' "$base/plans/1/roadmap"))
  kill $server; wait $server 2>/dev/null || true; server=""
done
entries=$(grep -o '<span class="muted"> · [0-9]*' "$work/calendar.html" | awk '{s += $NF} END {print s}')
december=$(grep -o '<li' "$work/month.html" | wc -l)
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %.0f ms, slowest %.0f ms", a[int((NR+1)/2)], a[NR]}'; }
seconds() { local out=(); for v in "$@"; do out+=($(awk -v v="$v" 'BEGIN {print v * 1000}')); done; stats "${out[@]}"; }
echo "Roadmap of $measures measures, $runs runs:"
echo "  import (opora import roadmap):        $(stats "${imports[@]}")"
echo "  calendar of 2024 ($entries due dates, 25 a month shown, $(( $(wc -c < "$work/calendar.html") / 1024 )) KB), first request: $(seconds "${cold[@]}")"
echo "  calendar of 2024, again:              $(seconds "${warm[@]}")"
echo "  December 2024 in full ($december due dates, $(( $(wc -c < "$work/month.html") / 1024 )) KB): $(seconds "${month[@]}")"
echo "  roadmap page ($(( $(wc -c < "$work/roadmap.html") / 1024 )) KB):                $(seconds "${roadmap[@]}")"
