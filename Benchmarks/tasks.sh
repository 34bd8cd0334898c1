#!/usr/bin/env bash
# Times task-level ВПР results at a region's scale (issue 20): a generated region of SCHOOLS schools × ~PUPILS pupils × 15
# tasks (≈ 1 million rows), `opora import task_scores` (read, check, store tallies and the pupils' `scores`) plus
# `opora tasks --region` (the region's per-task figures), against pandas doing the same from the same file.
# Reports wall time and peak memory (max RSS) of each.
#
# Usage: Benchmarks/tasks.sh [SCHOOLS] [PUPILS] [DB]   (from the repository root)
#   DB: a SQLite file (default) or a postgres:// URL of an empty database (its public schema is dropped and made again).
#   OPORA_BIN: a built binary to time instead of building the release one (figures from a debug build are far slower).
set -euo pipefail
cd "$(dirname "$0")/.."
schools=${1:-1000}
pupils=${2:-1000}
db=${3:-}
out=Benchmarks/out
mkdir -p "$out"

if [ -n "${OPORA_BIN:-}" ]; then
  opora=$(realpath "$OPORA_BIN")
else
  swift build -c release --product opora >/dev/null
  opora=$PWD/.build/release/opora
fi
data="$out/tasks-$schools-x$pupils"
if [ ! -f "$data/task_scores.csv" ]; then
  rows=$(/usr/bin/python3 Benchmarks/generate-tasks.py "$data" "$schools" "$pupils")
  echo "generated $rows pupils' rows"
fi

measure() {  # prints "seconds max_rss_kb"
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt" || { cat "$out/stderr.txt"; exit 1; }
  cat "$out/time.txt"
}

if [ -z "$db" ]; then
  db="$out/tasks.sqlite"
  rm -f "$db" "$db-wal" "$db-shm"
else
  psql "$db" -q -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null
fi
"$opora" --db "$db" import schools "$data/schools.csv" >/dev/null
"$opora" --db "$db" import tasks "$data/tasks.csv" >/dev/null

rows=$(($(wc -l < "$data/task_scores.csv") - 1))
size=$(du -m "$data/task_scores.csv" | cut -f1)
read -r import_s import_kb < <(measure "$opora" --db "$db" import task_scores "$data/task_scores.csv")
read -r tasks_s tasks_kb < <(measure "$opora" --db "$db" tasks --year 2025 --procedure VPR --grade 5 --subject math \
  --region "Бенчмаркская область" --format json)
head -c 300 "$out/stdout.txt"; echo
read -r again_s again_kb < <(measure "$opora" --db "$db" import task_scores "$data/task_scores.csv")
read -r pandas_s pandas_kb < <(measure /usr/bin/python3 Benchmarks/pandas_tasks.py "$data/task_scores.csv" "$data/tasks.csv")
head -c 300 "$out/stdout.txt"; echo

opora_s=$(echo "$import_s + $tasks_s" | bc)
printf '%s pupils × 15 tasks (%s MB CSV), %s schools, database %s\n' "$rows" "$size" "$schools" "${db%%://*}"
printf '| step | seconds | peak memory, MB |\n|---|---|---|\n'
printf '| opora import task_scores | %s | %s |\n' "$import_s" "$((import_kb / 1024))"
printf '| opora tasks --region (json) | %s | %s |\n' "$tasks_s" "$((tasks_kb / 1024))"
printf '| opora, import + figures | %s | |\n' "$opora_s"
printf '| re-import (replaces every school × work) | %s | %s |\n' "$again_s" "$((again_kb / 1024))"
printf '| pandas 1.5: read + check + figures | %s | %s |\n' "$pandas_s" "$((pandas_kb / 1024))"

# A school's page «Анализ ВПР» on this region (the target: under 100 ms), for a director of the first school.
if [ "${db%%://*}" = "$db" ]; then
  OPORA_PASSWORD=bench-pass-1234 "$opora" --db "$db" user add --login bench-director --name "Директор" --role school_admin \
    --school T0001 >/dev/null
  port=$((20000 + RANDOM % 20000))
  "$opora" --db "$db" serve --port "$port" >"$out/serve.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  sleep 5
  /usr/bin/python3 Benchmarks/page_time.py "http://127.0.0.1:$port" bench-director bench-pass-1234 "$server" /tasks
fi
