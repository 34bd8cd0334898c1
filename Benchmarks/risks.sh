#!/usr/bin/env bash
# The risk matrix at region scale, against the release build: Benchmarks/risks.sh [RUNS]
# A generated region (1,000 schools, 12 factors rated for each: 12,000 ratings) is imported; then, RUNS times,
# one rating is changed from the command line (so the page's cached model is stale) and /risks is fetched
# twice: the first answer builds the model from the database ("after a change"), the second reuses it.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-10}
swift build -c release --product opora >/dev/null
opora=$PWD/.build/release/opora
data=Benchmarks/out/region-1000x5
[ -f "$data/risks.csv" ] || "$opora" generate region --schools 1000 --years 5 --aggregated --out "$data" >/dev/null
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/region.sqlite"
for kind in schools results context risks; do "$opora" --db "$db" import "$kind" "$data/$kind.csv" >/dev/null; done
"$opora" --db "$db" user add --login analyst --name "Аналитик" --role regional_analyst --password bench-risks-1 >/dev/null
port=$((20000 + RANDOM % 20000))
(cd "$work" && LOG_LEVEL=warning "$opora" serve --port "$port" --db "$db" > serve.log 2>&1) &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do curl -sf "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
jar="$work/jar"
csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode login=analyst --data-urlencode password=bench-risks-1 --data-urlencode "_csrf=$csrf" "$base/login"
cold=(); warm=()
for i in $(seq 1 "$runs"); do
  level=$([ $((i % 2)) = 0 ] && echo high || echo low)
  printf 'year,school,factor,level\n2025,R00001,1,%s\n' "$level" > "$work/one.csv"
  "$opora" --db "$db" import risks "$work/one.csv" >/dev/null
  cold+=($(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$base/risks"))
  warm+=($(curl -s -b "$jar" -o "$work/page.html" -w '%{time_total}' "$base/risks"))
done
size=$(wc -c < "$work/page.html")
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, slowest %.1f ms", a[int((NR+1)/2)]*1000, a[NR]*1000}'; }
echo "Risk matrix, 1,000 schools × 12 factors ($((size / 1024)) KB), $runs runs:"
echo "  after a change: $(stats "${cold[@]}")"
echo "  again:          $(stats "${warm[@]}")"
