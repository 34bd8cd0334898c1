#!/usr/bin/env bash
# The four programme kinds through `opora import` at scale, against the release build:
#   Benchmarks/plans.sh [ROWS] [POSTGRES_URL]
# Files from Benchmarks/generate-plans.py (ROWS rows each, default 1,000,000). Each kind is imported into a fresh
# database, then imported again (every row unchanged); prints seconds and peak memory of each run. With
# POSTGRES_URL (a database this script may empty) the same again on PostgreSQL.
set -eu
cd "$(dirname "$0")/.."
rows=${1:-1000000}
postgres=${2:-}
# OPORA_BIN runs another build of opora (the figures are the release build's).
opora=${OPORA_BIN:-}
if [ -z "$opora" ]; then swift build -c release --product opora >/dev/null; opora=$PWD/.build/release/opora; fi
data=Benchmarks/out/plans-$rows
[ -f "$data/indicator_values.csv" ] || python3 Benchmarks/generate-plans.py "$rows" "$data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timed() { # label, then the command: prints «label: S s, M MB»
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2>&1 || { echo "$label: FAILED"; tail -5 "$work/out"; return 1; }
  read -r seconds kilobytes < "$work/time"
  printf '  %-32s %7.2f s %6d MB   %s\n' "$label" "$seconds" "$((kilobytes / 1024))" "$(grep -o 'добавлено.*' "$work/out" | head -1)"
}

fresh() { # engine → the --db argument of a fresh database with the schools and the ten bench programmes
  if [ "$1" = sqlite ]; then
    rm -f "$work/bench.sqlite"*
    db="$work/bench.sqlite"
  else
    PGOPTIONS='--client-min-messages=warning' psql -q "$postgres" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null
    db="$postgres"
  fi
  "$opora" --db "$db" import schools "$data/schools.csv" >/dev/null
  "$opora" --db "$db" import programmes "$data/bench-programmes.csv" >/dev/null
}

for engine in sqlite ${postgres:+postgres}; do
  echo "$engine, $rows rows a file:"
  for kind in programmes roadmap indicators indicator_values; do
    fresh "$engine"
    [ "$kind" = indicator_values ] && "$opora" --db "$db" import indicators "$data/indicators.csv" >/dev/null
    timed "$kind" "$opora" --db "$db" import "$kind" "$data/$kind.csv"
    timed "$kind (again, unchanged)" "$opora" --db "$db" import "$kind" "$data/$kind.csv"
  done
done
