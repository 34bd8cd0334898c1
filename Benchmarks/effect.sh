#!/usr/bin/env bash
# `opora effect` over a generated region of 1,000 schools × 5 years, against the release build (issue 21: < 1 s).
#
#   Benchmarks/effect.sh [RUNS] [postgres://…]        (OPORA_BIN=path: time that binary instead of the release build)
#
# Imports the region's schools and aggregated results, and two orders of the region (an approved_list file each):
# every eighth school for the first year, and a later list for the third year (whose schools leave the comparison).
# Then times `opora effect` for the whole window on SQLite and, when a PostgreSQL URL is given (or
# OPORA_BENCH_POSTGRES_URL is set), on PostgreSQL: the median and the slowest of RUNS runs, the process included.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
postgres=${2:-${OPORA_BENCH_POSTGRES_URL:-}}
out=Benchmarks/out
mkdir -p "$out"
# OPORA_BIN: another build of opora to time (e.g. .build/debug/opora) instead of building the release one.
if [ -n "${OPORA_BIN:-}" ]; then
  opora=$(cd "$(dirname "$OPORA_BIN")" && pwd)/$(basename "$OPORA_BIN")
else
  swift build -c release --product opora >/dev/null
  opora=$PWD/.build/release/opora
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$out/region-1000x5"
[ -f "$data/results.csv" ] || "$opora" generate region --schools 1000 --years 5 --aggregated --out "$data" >/dev/null
first=$(awk -F, 'NR > 1 && (min == "" || $1 < min) { min = $1 } END { print min }' "$data/results.csv")
last=$(awk -F, 'NR > 1 && $1 > max { max = $1 } END { print max }' "$data/results.csv")
region="Синтетическая область"
awk -F, -v y="$first" -v r="$region" 'NR == 1 { print "year,school,order_number,order_date,territory" }
  NR > 1 && (NR - 2) % 8 == 0 { printf "%s,%s,1-од,15.03.%s,%s\n", y, $1, y, r }' "$data/schools.csv" > "$work/list-first.csv"
awk -F, -v y="$((first + 2))" -v r="$region" 'NR == 1 { print "year,school,order_number,order_date,territory" }
  NR > 1 && (NR - 2) % 10 == 0 { printf "%s,%s,2-од,15.03.%s,%s\n", y, $1, y, r }' "$data/schools.csv" > "$work/list-third.csv"

measure() {
  local db=$1 name=$2
  "$opora" --db "$db" import schools "$data/schools.csv" >/dev/null
  "$opora" --db "$db" import results "$data/results.csv" >/dev/null
  "$opora" --db "$db" import approved_list "$work/list-first.csv" >/dev/null
  "$opora" --db "$db" import approved_list "$work/list-third.csv" >/dev/null
  local times=()
  for _ in $(seq 1 "$runs"); do
    local start=$(date +%s%N)
    "$opora" --db "$db" effect --from "$first" --to "$last" --procedure VPR --region "$region" --format json > "$work/effect.json"
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  local sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  local summary
  summary=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("supported %d, comparison %d, effect %s, ci95 %s" % (d["supported"]["schools"], d["comparison"]["schools"], d["effect"], d["ci95"]))
' "$work/effect.json")
  printf '%-10s opora effect %s→%s VPR, region of 1,000 schools: median %d ms, slowest %d ms (%d runs); %s\n' \
    "$name" "$first" "$last" "${sorted[$(( ${#sorted[@]} / 2 ))]}" "${sorted[-1]}" "$runs" "$summary"
}

measure "$work/region.sqlite" SQLite
if [ -n "$postgres" ]; then
  psql "$postgres" -q -c 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;' >/dev/null
  measure "$postgres" PostgreSQL
fi
