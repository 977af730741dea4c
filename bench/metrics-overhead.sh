#!/usr/bin/env bash
# The request metrics' cost (src/http/metrics.ts: one more onResponse hook per request), side by
# side: this working tree's production build and a build of a base ref without it (default main),
# two services on one SQLite file, driven by autocannon in alternating rounds on the public read
# (GET /api/v1/credentials/:uuid, the fastest request, where a fixed cost shows most) and on
# /healthz (almost nothing but the framework). Reports req/s, p99 (both move with the machine's
# other load) and the service's CPU time per request (from /proc/<pid>/stat, which other load
# barely moves), then the time one /metrics scrape takes. Budgets of the rate limits are out of reach.
# Usage: bench/metrics-overhead.sh [seconds per round, default 10] [rounds, default 2] [base ref, default main]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/side-by-side.sh
duration=${1:-10}
rounds=${2:-2}
base_ref=${3:-main}
dir=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

npm run build >/dev/null
# The base: its sources built with this tree's node_modules and generated clients.
mkdir -p "$dir/base"
git archive "$base_ref" | tar -x -C "$dir/base"
ln -s "$PWD/node_modules" "$dir/base/node_modules"
cp -r src/db/generated "$dir/base/src/db/generated"
(cd "$dir/base" && node node_modules/typescript/bin/tsc -p tsconfig.build.json)

export DATABASE_URL="file:$dir/credentials.db" LOG_LEVEL=info HOST=127.0.0.1
node dist/src/cli/main.js db:migrate >/dev/null
node dist/src/cli/main.js site:create --domain localhost --name Bench >/dev/null 2>&1 || true
SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '=+/') node dist/src/cli/main.js site:auth --domain localhost --issuer https://lms.bench --secret-env SECRET >/dev/null
token=$(node dist/src/cli/main.js token:mint --domain localhost --username lms --roles admin)

start() { # name port root
  local name=$1 port=$2 root=$3
  env PORT="$port" RATE_LIMIT_READ_MAX=10000000 RATE_LIMIT_WRITE_MAX=10000000 node --max-old-space-size=512 --max-semi-space-size=8 "$root/dist/src/main.js" >"$dir/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.5; done
  echo "$name did not start"; cat "$dir/$name.log"; exit 1
}
start base 3951 "$dir/base"
start metrics 3952 "$PWD"
declare -A pid_of=([base]=${pids[0]} [metrics]=${pids[1]})

api="http://127.0.0.1:3951/api/v1"
uuid=$(issue_credential "$api" "$token" course-v1:Bench+Metrics+1)
curl -fs -o /dev/null "http://127.0.0.1:3952/metrics" || { echo "the build under test serves no /metrics"; exit 1; }

for path in "/api/v1/credentials/$uuid" /healthz; do
  declare -A url_of=([base]="http://127.0.0.1:3951$path" [metrics]="http://127.0.0.1:3952$path")
  side_by_side "$path " base metrics
done
curl -fsS -o "$dir/metrics.txt" -w "one /metrics scrape: %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:3952/metrics"
