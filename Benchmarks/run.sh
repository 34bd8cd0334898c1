#!/usr/bin/env bash
# Times `opora import scores` + `opora stats` on a synthetic region (1,000 schools, ВПР grades 4–8 in
# 4 subjects, about 2 million per-student rows) against a plain pandas script doing the same parsing and
# group-by. Reports wall time and peak memory (max RSS) of both, and the ratio.
#
# Usage: Benchmarks/run.sh [SCHOOLS] [POSTGRES_URL]   (from the repository root; needs python3, pip can install pandas)
#   With POSTGRES_URL (an empty database; its public schema is dropped and made again) the same import and
#   stats are timed on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
schools=${1:-1000}
postgres=${2:-}
out=Benchmarks/out
mkdir -p "$out"

swift build -c release >/dev/null
opora=.build/release/opora
python3 -c "import pandas" 2>/dev/null || python3 -m pip install -q pandas

if [ ! -f "$out/region-$schools/scores.csv" ]; then
  "$opora" generate region --schools "$schools" --out "$out/region-$schools"
fi
data="$out/region-$schools"
rows=$(($(wc -l < "$data/scores.csv") - 1))
size=$(du -h "$data/scores.csv" | cut -f1)

measure() {  # prints "seconds max_rss_kb"
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || { cat "$out/stderr.txt"; exit 1; }
  cat "$out/time.txt"
}

db="$out/bench.sqlite"
rm -f "$db"*
"$opora" --db "$db" import schools "$data/schools.csv" >/dev/null
read -r import_s import_kb < <(measure "$opora" --db "$db" import scores "$data/scores.csv")
read -r stats_s stats_kb < <(measure "$opora" --db "$db" stats --year 2025 --procedure VPR --format json)
read -r again_s again_kb < <(measure "$opora" --db "$db" import scores "$data/scores.csv")
read -r pandas_s pandas_kb < <(measure python3 Benchmarks/pandas_stats.py "$data/scores.csv")

opora_s=$(echo "$import_s + $stats_s" | bc -l)
opora_kb=$(( import_kb > stats_kb ? import_kb : stats_kb ))
ratio=$(echo "scale=2; $opora_s / $pandas_s" | bc -l)
echo "rows: $rows ($size), schools: $schools"
printf "opora import scores: %6.2f s, peak %5d MiB\n" "$import_s" $((import_kb / 1024))
printf "opora stats:         %6.2f s, peak %5d MiB\n" "$stats_s" $((stats_kb / 1024))
printf "opora total:         %6.2f s, peak %5d MiB (persists every row in SQLite)\n" "$opora_s" $((opora_kb / 1024))
printf "pandas:              %6.2f s, peak %5d MiB (in memory only)\n" "$pandas_s" $((pandas_kb / 1024))
printf "(the same file again: %5.2f s, peak %5d MiB — every student checked against the stored rows, nothing rewritten)\n" "$again_s" $((again_kb / 1024))
echo "ratio opora/pandas: $ratio"

if [ -n "$postgres" ]; then
  psql "$postgres" -qc "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" >/dev/null
  "$opora" --db "$postgres" import schools "$data/schools.csv" >/dev/null
  read -r pg_import_s pg_import_kb < <(measure "$opora" --db "$postgres" import scores "$data/scores.csv")
  read -r pg_stats_s pg_stats_kb < <(measure "$opora" --db "$postgres" stats --year 2025 --procedure VPR --format json)
  printf "PostgreSQL import scores: %6.2f s, peak %5d MiB (SQLite: %.2f s; ratio %.2f)\n" "$pg_import_s" $((pg_import_kb / 1024)) "$import_s" \
    "$(echo "$pg_import_s / $import_s" | bc -l)"
  printf "PostgreSQL stats:         %6.2f s, peak %5d MiB\n" "$pg_stats_s" $((pg_stats_kb / 1024))
fi
