#!/usr/bin/env bash
# The rate limits' cost on the public read (GET /api/v1/credentials/:uuid), side by side: three
# production services on one SQLite file — limits off, on with the memory store, on with Redis
# (REDIS_URL, default redis://127.0.0.1:6379) — driven by autocannon in alternating rounds.
# The budgets are set out of reach so every request is counted and none refused. Reports req/s and
# p99 (both move with the machine's other load) and the service's CPU time per request (from
# /proc/<pid>/stat, which other load barely moves).
# Usage: bench/rate-limit-overhead.sh [seconds per round, default 10] [rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/side-by-side.sh
duration=${1:-10}
rounds=${2:-2}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
npm run build >/dev/null
dir=$(mktemp -d)
export DATABASE_URL="file:$dir/credentials.db" LOG_LEVEL=info HOST=127.0.0.1
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
node dist/src/cli/main.js db:migrate >/dev/null
node dist/src/cli/main.js site:create --domain localhost --name Bench >/dev/null 2>&1 || true
SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '=+/') node dist/src/cli/main.js site:auth --domain localhost --issuer https://lms.bench --secret-env SECRET >/dev/null
token=$(node dist/src/cli/main.js token:mint --domain localhost --username lms --roles admin)

start() { # name port env...
  local name=$1 port=$2; shift 2
  env PORT="$port" RATE_LIMIT_READ_MAX=10000000 RATE_LIMIT_WRITE_MAX=10000000 "$@" \
    node --max-old-space-size=512 --max-semi-space-size=8 dist/src/main.js >"$dir/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.5; done
  echo "$name did not start"; cat "$dir/$name.log"; exit 1
}
start off 3941 RATE_LIMIT_ENABLED=false
start memory 3942 RATE_LIMIT_ENABLED=true
start redis 3943 RATE_LIMIT_ENABLED=true REDIS_URL="$redis_url" RATE_LIMIT_REDIS_PREFIX="bench:$$:"

api="http://127.0.0.1:3941/api/v1"
uuid=$(issue_credential "$api" "$token" course-v1:Bench+RL+1)
path="/api/v1/credentials/$uuid"
curl -fsS -D - -o /dev/null "http://127.0.0.1:3942$path" | grep -i '^ratelimit-limit' >/dev/null || { echo "limiter not on"; exit 1; }

declare -A pid_of=([off]=${pids[0]} [memory]=${pids[1]} [redis]=${pids[2]})
declare -A url_of=([off]="http://127.0.0.1:3941$path" [memory]="http://127.0.0.1:3942$path" [redis]="http://127.0.0.1:3943$path")
side_by_side "" off memory redis
