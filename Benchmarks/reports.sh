#!/usr/bin/env bash
# Reports against the release build: Benchmarks/reports.sh [RUNS]
# The analytical note of a municipality of 100 schools (three years of ВПР, ОГЭ and ЕГЭ, risk profiles) in each
# format, and the identification appendix of a region of 1,000 schools (five years), timed RUNS times each.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
swift build -c release --product opora >/dev/null
opora=$PWD/.build/release/opora
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$opora" generate region --schools 100 --municipalities 1 --years 3 --aggregated --out "$work/m100" >/dev/null
region=Benchmarks/out/region-1000x5
[ -f "$region/results.csv" ] || "$opora" generate region --schools 1000 --years 5 --aggregated --out "$region" >/dev/null
for kind in schools results context risks; do "$opora" --db "$work/m100.sqlite" import "$kind" "$work/m100/$kind.csv" >/dev/null; done
for kind in schools results context; do "$opora" --db "$work/region.sqlite" import "$kind" "$region/$kind.csv" >/dev/null; done
time_ms() { local start=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - start) / 1000000 )); }
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, slowest %d ms", a[int((NR+1)/2)], a[NR]}'; }
echo "Reports, $runs runs each (process start included):"
for format in docx xlsx html; do
  times=(); for _ in $(seq 1 "$runs"); do times+=($(time_ms "$opora" --db "$work/m100.sqlite" report note --year 2025 --out "$work/note.$format")); done
  echo "  note of a municipality of 100 schools, 3 years, .$format ($(( $(wc -c < "$work/note.$format") / 1024 )) KB): $(stats "${times[@]}")"
done
times=(); for _ in $(seq 1 "$runs"); do times+=($(time_ms "$opora" --db "$work/region.sqlite" report appendix --year 2025 --out "$work/appendix.docx")); done
echo "  identification appendix of a region of 1,000 schools, .docx ($(( $(wc -c < "$work/appendix.docx") / 1024 )) KB): $(stats "${times[@]}")"
