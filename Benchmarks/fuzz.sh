#!/usr/bin/env bash
# Long fuzz runs of every importer: Benchmarks/fuzz.sh N [SEED]
# Mutates valid files (bytes, encodings, quotes, huge cells, extreme numbers, deep column letters, damaged
# and exploding XLSX archives) and runs the importers in process. A crash stops the run and names the case.
set -u
cd "$(dirname "$0")/.."
cases=${1:-100000}
seed=${2:-$(date +%s)}
last="${TMPDIR:-/tmp}/opora-fuzz-last-case.txt"
rm -f "$last"
echo "Fuzzing $cases cases (seed $seed)…"
OPORA_FUZZ_CASES=$cases OPORA_FUZZ_SEED=$seed swift test --filter ImportFuzzTests 2>&1 | tee /tmp/opora-fuzz.log | grep -E "^Fuzz|error:|Executed"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "FAILED (exit $status)."
  [ -f "$last" ] && echo "The case running when it stopped: $(cat "$last") — repeat with: Benchmarks/fuzz.sh $cases $seed"
  exit 1
fi
grep -q "^Fuzz: " /tmp/opora-fuzz.log || { echo "The fuzz test did not run."; exit 1; }
