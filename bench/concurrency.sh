#!/usr/bin/env bash
# Concurrency: N reference workflows at once on one warm `dwf serve` (memory backend) against N copies of the
# operator's script (bench/raw-docker.sh) in parallel, each with its own port, for each N given (default 10 50 100):
# the total time of each side, the engine's throughput as a share of the scripts' (scripts' time / engine's time),
# and the server's peak RSS. With N at once, 2N services are probed together: both sides use 1 s probes with a 10 s
# timeout and a 60 s start period (bench/run.sh's burst does the same), so that a probe's lateness on a loaded
# machine is not a failure.
# Usage: bench/concurrency.sh [N...]. DWF_DLL picks the build (default: the Release build bench/run.sh makes).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
client="python3 $here/bench/client.py"
start_warm_server concurrency
# The scripts wait as long as the workflows may (their global timeout): the engine's side has no shorter bound.
# Both get 900 s: 100 at once on a 2-core machine took 170-320 s, near the reference's own 300 s.
export DWF_PROBE_INTERVAL=1s DWF_PROBE_TIMEOUT=10s DWF_PROBE_START=60s DWF_HEALTH_DEADLINE=900
sed -e 's/interval: 100ms/interval: 1s/' -e 's/timeout: 1s/timeout: 10s/' -e 's/start_period: 5s/start_period: 60s/' -e 's/^global_timeout: 300$/global_timeout: 900/' \
  "$here/bench/reference.yaml" >"$work/reference.yaml"
for _ in $(seq 1 10); do $client run "$base" "$here/bench/reference.yaml" "$(free_port)" >/dev/null; done   # warm
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10 50 100)
for count in "${counts[@]}"; do
  read -r ok engine summary < <($client burst "$base" "$work/reference.yaml" "$count")
  if [ "$ok" != "$count" ]; then
    echo "N=$count: only $ok of $count workflows succeeded ($summary):" >&2
    curl -fsS "$base/api/workflows?state=FAILED" | python3 -c 'import json, sys; [print(" ", w["id"], w.get("message"), file=sys.stderr) for w in json.load(sys.stdin)["workflows"]]'
    exit 1
  fi
  t0=$(now)
  pids=()
  first=$(free_port)
  for i in $(seq 1 "$count"); do "$here/bench/raw-docker.sh" "$((first + i))" >/dev/null 2>&1 & pids+=($!); done
  failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  t1=$(now)
  scripts=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  echo "N=$count: engine $engine s ($ok/$count SUCCESS), scripts $scripts s ($((count - failed))/$count ok); engine throughput $(awk -v e="$engine" -v s="$scripts" 'BEGIN { printf "%.0f", 100 * s / e }') % of the scripts'; server peak RSS $rss MiB"
done
