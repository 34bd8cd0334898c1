#!/usr/bin/env bash
# The support network at region scale, against the release build: Benchmarks/support.sh [RUNS] [PARTICIPATIONS]
# A generated region of 1,000 schools; an events log of PARTICIPATIONS rows (courses and seminars, counts by role)
# is imported RUNS times into a fresh copy, then the support board for all 1,000 schools is fetched (first request
# and again).
set -eu
cd "$(dirname "$0")/.."
. Benchmarks/serve-as-analyst.sh
runs=${1:-3}
rows=${2:-100000}
swift build -c release --product opora >/dev/null
opora=$PWD/.build/release/opora
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
region=Benchmarks/out/region-1000x5
[ -f "$region/results.csv" ] || "$opora" generate region --schools 1000 --years 5 --aggregated --out "$region" >/dev/null
"$opora" --db "$work/base.sqlite" import schools "$region/schools.csv" >/dev/null
awk -v n="$rows" 'BEGIN {
  split("учитель|заместитель|педагог-психолог|руководитель|тьютор", roles, "|")
  print "event;title;kind;start;hours;school;role;count"
  for (i = 1; i <= n; i++) {
    event = int((i - 1) / 500) + 1
    printf "E%05d;Мероприятие %d;%s;%02d.%02d.2025;%d;R%05d;%s;%d\n", event, event, (event % 3 == 0 ? "курсы" : "семинар"),
      1 + event % 28, 1 + event % 12, (event % 3 == 0 ? 36 : 4), 1 + (i * 7) % 1000, roles[1 + i % 5], 1 + i % 6
  }
}' > "$work/events.csv"
imports=(); cold=(); warm=()
for run in $(seq 1 "$runs"); do
  db="$work/run$run.sqlite"
  cp "$work/base.sqlite" "$db"
  start=$(date +%s%N)
  "$opora" --db "$db" import events "$work/events.csv" >/dev/null
  imports+=($(( ($(date +%s%N) - start) / 1000000 )))
  serve_as_analyst "$db" bench-support-1
  cold+=($(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$base/support?year=2025"))
  warm+=($(curl -s -b "$jar" -o "$work/board.html" -w '%{time_total}' "$base/support?year=2025"))
  kill $server; wait $server 2>/dev/null || true; server=""
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %.0f ms, slowest %.0f ms", a[int((NR+1)/2)], a[NR]}'; }
seconds() { local out=(); for v in "$@"; do out+=($(awk -v v="$v" 'BEGIN {print v * 1000}')); done; stats "${out[@]}"; }
echo "Support network, $runs runs:"
echo "  import of an events log of $rows participations (process start included): $(stats "${imports[@]}")"
echo "  board of 1,000 schools ($(( $(wc -c < "$work/board.html") / 1024 )) KB), first request: $(seconds "${cold[@]}")"
echo "  board again: $(seconds "${warm[@]}")"
