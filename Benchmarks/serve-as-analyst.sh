# Sourced by the benchmark scripts: serve_as_analyst DB PASSWORD starts the release server on DB with an analyst
# account and signs in; it sets $server (the process), $base (the address) and $jar (the signed-in cookies).
# Expects $opora and $work.
serve_as_analyst() {
  local db=$1 password=$2
  "$opora" --db "$db" user add --login analyst --name "Аналитик" --role regional_analyst --password "$password" >/dev/null
  local port=$((20000 + RANDOM % 20000))
  (cd "$work" && LOG_LEVEL=warning "$opora" serve --port "$port" --db "$db" > serve.log 2>&1) &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do curl -sf "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
  jar="$work/jar"
  local csrf
  csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode login=analyst --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf" "$base/login"
}
