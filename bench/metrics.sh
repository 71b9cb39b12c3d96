#!/usr/bin/env bash
# What metrics cost: two warm `dwf serve` (memory backend, task hubs of their own), one with metrics on (the default)
# and one with DurableWorkflows:Metrics:Enabled=false, run the reference workflow (bench/reference.yaml) in turn,
# ROUNDS times each (default 10), while a Prometheus-like scraper reads /metrics of the first every second. Prints
# each side's median wall time and the difference. Usage: bench/metrics.sh [ROUNDS] (DWF_BENCH_SKIP_BUILD=1 reuses the
# last Release build).
set -euo pipefail
rounds=${1:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
client="python3 $here/bench/client.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/dwf-bench-metrics-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
if [ "${DWF_BENCH_SKIP_BUILD:-}" != 1 ]; then
  dotnet build "$here/src/DurableWorkflows.Cli" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
dll="$here/src/DurableWorkflows.Cli/bin/Release/net10.0/dwf.dll"
eval "$("$here/scripts/setup.sh")"
export DOCKER_HOST
export DurableWorkflows__Docker__PullPolicy=never DurableWorkflows__Docker__StopGracePeriodSeconds=1

start() { # NAME METRICS -> prints the base URL
  local port sidecar
  port=$($client free-port); sidecar=$($client free-port)
  DurableWorkflows__DataDirectory="$work/$1-data" DurableWorkflows__Metrics__Enabled="$2" \
    dotnet "$dll" serve --backend memory --urls "http://127.0.0.1:$port" --sidecar-port "$sidecar" --task-hub "benchmetrics$1$$" >"$work/$1.log" 2>&1 &
  pids+=($!)
  $client wait-healthy "http://127.0.0.1:$port" 120 || { tail -30 "$work/$1.log" >&2; exit 1; }
  echo "http://127.0.0.1:$port"
}
on=$(start on true)
off=$(start off false)
# A scraper on the metrics side, as Prometheus would be.
( while true; do curl -sf "$on/metrics" >/dev/null || true; sleep 1; done ) &
pids+=($!)
$client run "$on" "$here/bench/reference.yaml" "$($client free-port)" >/dev/null
$client run "$off" "$here/bench/reference.yaml" "$($client free-port)" >/dev/null

median() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }'; }
a=(); b=()
for _ in $(seq 1 "$rounds"); do
  read -r w state < <($client run "$on" "$here/bench/reference.yaml" "$($client free-port)"); [ "$state" = SUCCESS ] || exit 1; a+=("$w")
  read -r w state < <($client run "$off" "$here/bench/reference.yaml" "$($client free-port)"); [ "$state" = SUCCESS ] || exit 1; b+=("$w")
done
ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
echo "reference workflow, warm server, $rounds rounds each, alternating: metrics on median ${ma} s, metrics off median ${mb} s"
awk -v a="$ma" -v b="$mb" 'BEGIN { printf "difference (on - off): %+.0f ms (%+.1f %%)\n", (a - b) * 1000, (a - b) / b * 100 }'
