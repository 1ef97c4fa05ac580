#!/usr/bin/env bash
# Load on `cohort serve` from a second process on loopback, bounded in time: wrk (Debian's package) for 20 s per
# page kind, 8 connections, URLs rotating over bench/queries.txt (search) and every report id (group pages).
#   bench/serve.sh INDEX_DIR [SECONDS]
# Needs wrk (`apt-get install wrk`) and a release build; prints wrk's summaries (requests/s, latency percentiles)
# and the load average before each run (the machine may be shared: figures mean little beside a high load).
set -euo pipefail
cd "$(dirname "$0")/.."
index=$1
seconds=${2:-20}
bin=${CARGO_TARGET_DIR:-$HOME/.cache/cohort-target}/release/cohort
port=${PORT:-18931}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
"$bin" serve --index "$index" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
until grep -q "cohort serve:" "$work/serve.log"; do sleep 0.2; kill -0 "$server"; done
# Search URLs: every query of bench/queries.txt, percent-encoded.
python3 - "$work" "$bin" "$index" <<'PY'
import json, subprocess, sys, urllib.parse
work, binary, index = sys.argv[1:4]
qs = [l.strip() for l in open("bench/queries.txt") if l.strip() and not l.startswith("#")]
open(f"{work}/search.txt", "w").write("".join(f"/search?q={urllib.parse.quote(q, safe='')}\n" for q in qs))
ids = [json.loads(l)["id"] for l in subprocess.run([binary, "reports", "--json", "--index", index], capture_output=True, text=True).stdout.splitlines()]
open(f"{work}/group.txt", "w").write("".join(f"/group/{urllib.parse.quote(i, safe='')}\n" for i in ids))
PY
cat > "$work/rotate.lua" <<'LUA'
local paths = {}
local n = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
LUA
# Warm: the first group page waits for the check and duplicate results the server computes once.
curl -s -o /dev/null "http://127.0.0.1:$port/group/$(head -1 "$work/group.txt" | cut -d/ -f3)" || true
for kind in search group; do
  echo "== $kind pages ($(wc -l < "$work/$kind.txt") URLs), ${seconds}s, 8 connections, 2 wrk threads"
  echo "load before: $(uptime | sed 's/.*load average: //')"
  # The server's own CPU time over the run (utime + stime, in clock ticks): CPU per page does not depend on how
  # many other processes share the cores, so it says what an idle 2-core machine would sustain.
  before=$(awk '{print $14 + $15}' "/proc/$server/stat")
  wrk -t2 -c8 -d"${seconds}s" --latency -s "$work/rotate.lua" "http://127.0.0.1:$port" -- "$work/$kind.txt" \
    | tee "$work/wrk.txt"
  after=$(awk '{print $14 + $15}' "/proc/$server/stat")
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {
    s = t / hz; printf "server CPU: %.1f s for %d requests = %.2f ms per page (%.0f pages/s per core)\n", s, n, 1000 * s / n, n / s }'
done
