# Sourced by bench/*-overhead.sh: drives services side by side with autocannon (10 connections) in
# alternating rounds (the sides in order, then in reverse, ...) so that a machine that speeds up or
# slows down favours none, and reports each side's req/s, p99 and CPU time per request (from
# /proc/<pid>/stat: user + system, which the machine's other load barely moves).
# side_by_side needs: $rounds, $duration (seconds per round) and associative arrays url_of[side], pid_of[side].
# Usage: side_by_side <label> <side>...
# issue_credential <api base URL> <token> <course id>: creates the course's certificate configuration
# and awards it to "learner"; prints the credential's uuid.
issue_credential() {
  curl -fsS -o /dev/null -H "authorization: Bearer $2" -H 'content-type: application/json' \
    -d "{\"course_id\":\"$3\",\"certificate_type\":\"verified\"}" "$1/course-certificates/"
  curl -fsS -H "authorization: Bearer $2" -H 'content-type: application/json' \
    -d "{\"username\":\"learner\",\"course_id\":\"$3\",\"certificate_type\":\"verified\",\"attributes\":[{\"namespace\":\"grade\",\"name\":\"final\",\"value\":\"0.9\"}]}" \
    "$1/user-credentials/" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).uuid))'
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # in clock ticks
side_by_side() {
  local label=$1 hz round side before out used rps lat non2xx sent
  shift
  local sides=("$@") order
  hz=$(getconf CLK_TCK)
  declare -A total=() p99=() cpu=() count=()
  for side in "${sides[@]}"; do total[$side]=0 p99[$side]=0 cpu[$side]=0 count[$side]=0; done
  for round in $(seq 1 "$rounds"); do
    order=("${sides[@]}")
    if [ $((round % 2)) -eq 0 ]; then order=(); for ((i = ${#sides[@]} - 1; i >= 0; i--)); do order+=("${sides[i]}"); done; fi
    for side in "${order[@]}"; do
      npx autocannon -c 10 -d 2 "${url_of[$side]}" >/dev/null 2>&1 # warm-up
      before=$(ticks "${pid_of[$side]}")
      out=$(npx autocannon -c 10 -d "$duration" -j "${url_of[$side]}" 2>/dev/null)
      used=$(($(ticks "${pid_of[$side]}") - before))
      read -r rps lat non2xx sent < <(node -e 'const r=JSON.parse(process.argv[1]); console.log(Math.round(r.requests.average), Math.ceil(r.latency.p99), r.non2xx, r.requests.total)' "$out")
      echo "${label}round $round $side: $rps req/s, p99 $lat ms, non-2xx $non2xx, CPU $((used * 1000000 / hz / sent)) µs/request"
      total[$side]=$((total[$side] + rps))
      cpu[$side]=$((cpu[$side] + used))
      count[$side]=$((count[$side] + sent))
      [ "$lat" -gt "${p99[$side]}" ] && p99[$side]=$lat
    done
  done
  for side in "${sides[@]}"; do
    echo "${label}$side: mean $((total[$side] / rounds)) req/s, worst p99 ${p99[$side]} ms, CPU $((cpu[$side] * 1000000 / hz / count[$side])) µs/request"
  done
}
