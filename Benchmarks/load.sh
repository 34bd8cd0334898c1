#!/usr/bin/env bash
# Load on the pages, against the release build (wrk from Debian's packages).
#
#   Benchmarks/load.sh demo   [CLIENTS] [SECONDS]   the demo (33 schools, three years of per-student results)
#   Benchmarks/load.sh region [CLIENTS] [SECONDS]   a generated region: 1,000 schools × 5 years
#
# Prints, for one client, the median and the slowest of 20 requests of every page; then wrk's latency
# distribution with CLIENTS clients for SECONDS seconds over the same pages in turn, and the errors.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-demo}
clients=${2:-32}
seconds=${3:-60}
out=Benchmarks/out
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
swift build -c release --product opora >/dev/null
opora=$PWD/.build/release/opora
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

case "$what" in
  demo)
    (cd "$work" && "$opora" demo --port "$port" > demo.log 2>&1) &
    server=$!
    login=analyst; password=demo-analyst
    ;;
  region)
    data="$out/region-1000x5"
    [ -f "$data/risks.csv" ] || "$opora" generate region --schools 1000 --years 5 --aggregated --out "$data" >/dev/null
    db="$work/region.sqlite"
    "$opora" --db "$db" import schools "$data/schools.csv" >/dev/null
    "$opora" --db "$db" import results "$data/results.csv" >/dev/null
    "$opora" --db "$db" import context "$data/context.csv" >/dev/null
    "$opora" --db "$db" import risks "$data/risks.csv" >/dev/null
    "$opora" --db "$db" user add --login analyst --name "Аналитик" --role regional_analyst --password load-test-1 >/dev/null
    (cd "$work" && LOG_LEVEL=warning "$opora" serve --port "$port" --db "$db" > serve.log 2>&1) &
    server=$!
    login=analyst; password=load-test-1
    ;;
  *) echo "usage: Benchmarks/load.sh demo|region [CLIENTS] [SECONDS]"; exit 2 ;;
esac

for _ in $(seq 1 600); do curl -sf "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
jar="$work/cookies"
curl -s -c "$jar" "$base/login" > "$work/login.html"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$work/login.html" | sed -n 1p | sed 's/.*value="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "login=$login&password=$password&_csrf=$csrf&next=/" "$base/login"
cookie="opora_session=$(awk '$6 == "opora_session" { print $7 }' "$jar")"

curl -s -H "Cookie: $cookie" "$base/identification" > "$work/identification.html"
year=$(grep -o -m1 '<option value="20[0-9][0-9]" selected' "$work/identification.html" | grep -o '20[0-9][0-9]' || true)
curl -s -H "Cookie: $cookie" "$base/api/schools" > "$work/schools.json"
school=$(grep -o '"id":[0-9]*' "$work/schools.json" | sed -n 1p | cut -d: -f2)
pages="/ /schools /results /results/objectivity /identification?year=$year /typology?year=$year /risks /schools/$school/results /audit"

echo "$what: one client, 20 requests per page (median / slowest, ms; size)"
for page in $pages; do
  times=()
  for _ in $(seq 1 20); do
    times+=($(curl -s -o "$work/page" -w '%{time_total}' -H "Cookie: $cookie" "$base$page"))
  done
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$page")
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n 10p); slowest=$(echo "$sorted" | tail -n 1)
  printf "  %-32s %6.1f / %6.1f ms  %4s KB  HTTP %s\n" "$page" "$(echo "$median * 1000" | bc -l)" "$(echo "$slowest * 1000" | bc -l)" \
    "$(($(wc -c < "$work/page") / 1024))" "$status"
done

echo "$what: $clients clients, ${seconds} s, the same pages in turn"
OPORA_COOKIE="$cookie" OPORA_PAGES="$pages" wrk -t2 -c"$clients" -d"${seconds}s" --latency -s Benchmarks/pages.lua "$base" | tee "$work/wrk.txt" \
  | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx|Socket errors|requests in"
problems=$(grep -E "Non-2xx|Socket errors" "$work/wrk.txt" || true)
echo "errors: ${problems:-none (every response 2xx, no socket errors)}"
