#!/usr/bin/env bash
# Times `opora backup` and `opora restore` on a generated region: 1,000 schools × 5 years of per-student results
# (about 10 million students' rows, kept as one compact group per school × work) plus the registry.
# Reports wall time, peak memory (max RSS) and the archive's size for:
#   backup from SQLite, restore into a new SQLite file, restore into PostgreSQL (the move), backup from PostgreSQL.
#
# Usage: Benchmarks/backup.sh [SCHOOLS] [YEARS] [POSTGRES_URL]   (from the repository root, release build)
#   POSTGRES_URL: an empty database for the move; its public schema is dropped and made again.
#   OPORA_BIN: a built binary to time instead of building the release one (figures from a debug build are far slower).
set -euo pipefail
cd "$(dirname "$0")/.."
schools=${1:-1000}
years=${2:-5}
postgres=${3:-}
out=Benchmarks/out
mkdir -p "$out"

if [ -n "${OPORA_BIN:-}" ]; then
  opora=$(realpath "$OPORA_BIN")
else
  swift build -c release --product opora >/dev/null
  opora=$PWD/.build/release/opora
fi
data="$out/region-$schools-x$years"
if [ ! -f "$data/scores.csv" ]; then
  "$opora" generate region --schools "$schools" --years "$years" --out "$data" >/dev/null
fi

measure() {  # prints "seconds max_rss_kb"
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || { cat "$out/stderr.txt"; exit 1; }
  cat "$out/time.txt"
}

db="$out/backup-source.sqlite"
if [ ! -f "$db" ]; then
  "$opora" --db "$db.tmp" import schools "$data/schools.csv" >/dev/null
  [ -f "$data/thresholds.csv" ] && "$opora" --db "$db.tmp" import thresholds "$data/thresholds.csv" >/dev/null
  # One file a year: the whole region is larger than one import takes (256 MB); a year holds whole works.
  awk -F, -v dir="$data" 'NR == 1 { header = $0; next } { file = dir "/scores-" $1 ".csv";
    if (!(file in seen)) { print header > file; seen[file] = 1 } print > file }' "$data/scores.csv"
  for part in "$data"/scores-*.csv; do "$opora" --db "$db.tmp" import scores "$part" >/dev/null; done
  mv "$db.tmp" "$db"; rm -f "$db.tmp-wal" "$db.tmp-shm"
fi
students=$(($(wc -l < "$data/scores.csv") - 1))
archive="$out/region.jsonl.gz"
restored="$out/backup-restored.sqlite"
rm -f "$archive" "$restored"*

read -r backup_s backup_kb < <(measure "$opora" --db "$db" backup --out "$archive")
size=$(du -m "$archive" | cut -f1)
read -r restore_s restore_kb < <(measure "$opora" --db "$restored" restore "$archive")
echo "region: $schools schools × $years years, $students students' rows; SQLite file $(du -m "$db" | cut -f1) MB"
printf "backup  (SQLite):            %7.1f s, peak %5d MiB, archive %d MB\n" "$backup_s" $((backup_kb / 1024)) "$size"
printf "restore (into SQLite):       %7.1f s, peak %5d MiB\n" "$restore_s" $((restore_kb / 1024))
before=$("$opora" --db "$db" stats --year 2025 --procedure VPR --format json | md5sum)
after=$("$opora" --db "$restored" stats --year 2025 --procedure VPR --format json | md5sum)
[ "$before" = "$after" ] && echo "stats after the restore: the same" || { echo "stats differ after the restore"; exit 1; }

if [ -n "$postgres" ]; then
  psql "$postgres" -qc "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" >/dev/null
  read -r pg_restore_s pg_restore_kb < <(measure "$opora" --db "$postgres" restore "$archive")
  printf "restore (into PostgreSQL):   %7.1f s, peak %5d MiB\n" "$pg_restore_s" $((pg_restore_kb / 1024))
  read -r pg_backup_s pg_backup_kb < <(measure "$opora" --db "$postgres" backup --out "$out/region-pg.jsonl.gz")
  printf "backup  (PostgreSQL):        %7.1f s, peak %5d MiB, archive %d MB\n" "$pg_backup_s" $((pg_backup_kb / 1024)) \
    "$(du -m "$out/region-pg.jsonl.gz" | cut -f1)"
  after=$("$opora" --db "$postgres" stats --year 2025 --procedure VPR --format json | md5sum)
  [ "$before" = "$after" ] && echo "stats on PostgreSQL: the same" || { echo "stats differ on PostgreSQL"; exit 1; }
fi
