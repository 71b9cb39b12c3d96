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
dll=${DWF_DLL:-$here/src/DurableWorkflows.Cli/bin/Release/net10.0/dwf.dll}
[ -f "$dll" ] || dotnet build "$here/src/DurableWorkflows.Cli" -c Release -v quiet -nologo >/dev/null
eval "$("$here/scripts/setup.sh")"
export DOCKER_HOST DurableWorkflows__Docker__PullPolicy=never DurableWorkflows__Docker__StopGracePeriodSeconds=1
export DWF_PROBE_INTERVAL=1s DWF_PROBE_TIMEOUT=10s DWF_PROBE_START=60s
work=$(mktemp -d "${TMPDIR:-/tmp}/dwf-concurrency-XXXXXX")
sed -e 's/interval: 100ms/interval: 1s/' -e 's/timeout: 1s/timeout: 10s/' -e 's/start_period: 5s/start_period: 60s/' \
  "$here/bench/reference.yaml" >"$work/reference.yaml"
port=$(free_port); base="http://127.0.0.1:$port"
DurableWorkflows__DataDirectory="$work/data" dotnet "$dll" serve --backend memory --urls "$base" \
  --sidecar-port "$(free_port)" --task-hub "concurrency$$" >"$work/serve.log" 2>&1 &
pid=$!
trap 'stop_pid $pid; rm -rf "$work"' EXIT
wait_healthz "$base" "$pid" "$work/serve.log"
for _ in $(seq 1 10); do $client run "$base" "$here/bench/reference.yaml" "$(free_port)" >/dev/null; done   # warm
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10 50 100)
for count in "${counts[@]}"; do
  read -r ok engine summary < <($client burst "$base" "$work/reference.yaml" "$count")
  [ "$ok" = "$count" ] || { echo "N=$count: only $ok of $count workflows succeeded ($summary)" >&2; exit 1; }
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
