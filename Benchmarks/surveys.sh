#!/usr/bin/env bash
# The public survey form under load (issue 22): RESPONDENTS phones within SECONDS, each loading its school's form
# `/s/<token>` and posting answers, on the release build with the demo's database (SQLite). Passes with 0 errors and
# p99 < 300 ms; prints the figures and checks that exactly RESPONDENTS responses were stored.
#
#   Benchmarks/surveys.sh [RESPONDENTS=1000] [SECONDS=60]
#   OPORA_BUILD=debug Benchmarks/surveys.sh      the debug build (figures labelled «debug», not the acceptance run)
#
# The load generator is Benchmarks/survey_load.py (Python's standard library, threads). A link's token exists only
# when it is issued, so the script issues the demo campaign's links anew (as «Выдать ссылки заново» does: a new
# random token per link, its SHA-256 stored) and hands the tokens to the generator; each link's expected count is
# raised so that 1,000 respondents do not close the form as «far past the expected».
set -euo pipefail
cd "$(dirname "$0")/.."
respondents=${1:-1000}
seconds=${2:-60}
build=${OPORA_BUILD:-release}
out=Benchmarks/out
mkdir -p "$out"
if [ "$build" = release ]; then
  swift build -c release --product opora >/dev/null
else
  swift build --product opora >/dev/null
fi
opora=$PWD/.build/$build/opora
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

db="$work/opora-demo.sqlite"
(cd "$work" && LOG_LEVEL=warning exec "$opora" demo --port "$port" --file "$db" > demo.log 2>&1) &
server=$!
for _ in $(seq 1 1200); do curl -sf "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$base/health" >/dev/null || { echo "the demo server did not start:"; tail -n 20 "$work/demo.log"; exit 1; }

python3 - "$db" "$work/links.txt" "$respondents" <<'PY'
import hashlib, secrets, sqlite3, sys, datetime
db, links_file, respondents = sys.argv[1], sys.argv[2], int(sys.argv[3])
connection = sqlite3.connect(db, timeout=30)
today = datetime.date.today().isoformat()
row = connection.execute("""
    SELECT c.id, COUNT(l.id) FROM survey_campaigns c JOIN survey_links l ON l.campaign_id = c.id
    WHERE c.starts_on <= ? AND c.ends_on >= ? GROUP BY c.id ORDER BY COUNT(l.id) DESC LIMIT 1""", (today, today)).fetchone()
if row is None:
    sys.exit("the demo has no campaign open today")
campaign, count = row
tokens = []
with connection:
    for (link,) in connection.execute("SELECT id FROM survey_links WHERE campaign_id = ?", (campaign,)).fetchall():
        token = secrets.token_urlsafe(32)
        tokens.append(token)
        connection.execute("UPDATE survey_links SET token_hash = ?, expected = MAX(expected, ?) WHERE id = ?",
                           (hashlib.sha256(token.encode()).hexdigest(), respondents, link))
open(links_file, "w").write("\n".join(tokens) + "\n")
print("campaign %d: %d links issued anew" % (campaign, len(tokens)))
PY
count() {
  python3 -c "import sqlite3, sys
print(sqlite3.connect(sys.argv[1], timeout=30).execute('SELECT COUNT(*) FROM survey_responses').fetchone()[0])" "$db"
}
before=$(count)

label=$build
[ "$build" = release ] || label="$build (NOT the acceptance figures: those are on the release build)"
echo "surveys, $label build: $respondents respondents within $seconds s"
status=0
python3 Benchmarks/survey_load.py "$base" "$work/links.txt" --respondents "$respondents" --seconds "$seconds" \
  --check --json "$out/surveys-$build.json" || status=$?
after=$(count)
echo "responses stored: $((after - before)) (expected $respondents)"
[ "$((after - before))" -eq "$respondents" ] || { echo "FAIL: stored responses differ from the respondents"; status=1; }
rss=$(ps -o rss= -p "$server" 2>/dev/null | tail -n 1 || true)
[ -n "${rss// /}" ] && echo "server memory after the run: $((rss / 1024)) MB"
exit "$status"
