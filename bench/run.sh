#!/usr/bin/env bash
# The benchmark against raw Docker. Publishes dwf (Release, ReadyToRun, artifacts/dwf), sets up the engine (scripts/setup.sh), then over
# ROUNDS rounds (default 5) alternates:
#   (a) bench/raw-docker.sh          the reference workflow scripted with the docker CLI
#   (b) dwf run bench/reference.yaml  cold: a new process per workflow (memory backend)
#   (c) the same on a warm `dwf serve` (memory backend), started over HTTP and polled every 20 ms
# and prints the medians. Then: 50 reference workflows started at once on the warm server (all must
# complete; total time; the server's peak RSS), the reference workflow on the Azurite backend (own task
# hub), and, as its last two lines, the wall ratio (warm median / script median) and the engine's
# overhead per action on a 20-action no-op workflow: the engine's wall time minus Docker's own time for the same 20
# containers (create, start, run to exit, remove, driven straight through Docker's API with no engine, alternating
# with the engine, medians), divided by 20. See docs/BENCHMARKS.md for why Docker's create and start count as the
# containers' own time.
# Usage: bench/run.sh [ROUNDS] (DWF_BENCH_SKIP_BUILD=1 reuses the last published build, artifacts/dwf). Needs docker, dotnet, curl-free python3 (bench only), npm for Azurite.
set -euo pipefail
rounds=${1:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
client="python3 $here/bench/client.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/dwf-bench-XXXXXX")
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT

if [ "${DWF_BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "publishing dwf (Release, ReadyToRun)..." >&2
  dotnet publish "$here/src/DurableWorkflows.Cli" -c Release -r linux-x64 -o "$here/artifacts/dwf" -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
dll="$here/artifacts/dwf/dwf.dll"
eval "$("$here/scripts/setup.sh")"
export DOCKER_HOST
export DurableWorkflows__Docker__PullPolicy=never
export DurableWorkflows__Docker__StopGracePeriodSeconds=1

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'; }

# start_server NAME BACKEND [EXTRA ARGS...]: a server with its own ports and data dir; sets base and server_pid.
start_server() {
  local name=$1 backend=$2; shift 2
  local port sidecar
  port=$($client free-port); sidecar=$($client free-port)
  base="http://127.0.0.1:$port"
  DurableWorkflows__DataDirectory="$work/$name-data" \
    dotnet "$dll" serve --backend "$backend" --urls "$base" --sidecar-port "$sidecar" "$@" >"$work/$name.log" 2>&1 &
  server_pid=$!
  $client wait-healthy "$base" 120 || { tail -30 "$work/$name.log" >&2; exit 1; }
}

# Every server's reaper removes the containers of its task hub's workflows it does not know as running, so
# the cold runs and the warm server each use a task hub of their own (other servers on this engine use "dwf").
start_server warm memory --task-hub "benchwarm$$"
warm_pid=$server_pid
warm_base=$base
# One workflow first so the warm figures do not include the first run's JIT.
$client run "$warm_base" "$here/bench/reference.yaml" "$($client free-port)" >/dev/null

raw=(); cold=(); warm=()
for r in $(seq 1 "$rounds"); do
  t0=$(now); "$here/bench/raw-docker.sh" "$($client free-port)"; t1=$(now)
  raw+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
  t0=$(now)
  DurableWorkflows__TaskHub="benchcold$$" dotnet "$dll" run "$here/bench/reference.yaml" --var "port=$($client free-port)" >"$work/cold.log" 2>&1 || { cat "$work/cold.log" >&2; exit 1; }
  t1=$(now)
  cold+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
  read -r w state < <($client run "$warm_base" "$here/bench/reference.yaml" "$($client free-port)")
  [ "$state" = SUCCESS ] || { echo "warm run ended $state" >&2; exit 1; }
  warm+=("$w")
  echo "round $r/$rounds: raw-docker ${raw[-1]} s, dwf run (cold) ${cold[-1]} s, dwf serve (warm) ${warm[-1]} s"
done
raw_m=$(printf '%s\n' "${raw[@]}" | median)
cold_m=$(printf '%s\n' "${cold[@]}" | median)
warm_m=$(printf '%s\n' "${warm[@]}" | median)
echo "median of $rounds: raw-docker $raw_m s, dwf run (cold) $cold_m s, dwf serve (warm) $warm_m s"

# 50 at once means 100 services probed by Docker together: with the reference's 100 ms probes a loaded 2-core
# machine times the probes out, so the burst runs the reference with 1 s probes, 10 s probe timeout, 60 s start period.
sed -e 's/interval: 100ms/interval: 1s/' -e 's/timeout: 1s/timeout: 10s/' -e 's/start_period: 5s/start_period: 60s/' \
  "$here/bench/reference.yaml" >"$work/burst.yaml"
read -r ok total summary < <($client burst "$warm_base" "$work/burst.yaml" 50)
rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$warm_pid/status")
echo "50 workflows at once (warm server): $ok/50 SUCCESS ($summary) in $total s; server peak RSS $rss MiB"

# The 20-action no-op workflow for the overhead per action.
{
  printf 'version: "0.1"\nname: bench-overhead\nglobal_timeout: 300\ntasks:\n  - name: noop\n    worker: local\n    actions:\n'
  for i in $(seq 1 20); do
    printf '      - name: a%s\n        image: dwf-busybox:latest\n        command: ["true"]\n' "$i"
  done
} >"$work/overhead.yaml"
$client overhead "$warm_base" "$work/overhead.yaml" 20 >/dev/null   # warm-up
# Alternating, as the wall ratio is: Docker's own time for the same 20 containers (its API driven directly, in order,
# no engine: create, start, wait; then all removed at once), then the engine on the warm server.
floor=(); engine=(); own=()
for r in $(seq 1 "$rounds"); do
  floor+=("$($client floor dwf-busybox:latest 20)")
  read -r ow orun ostate < <($client overhead "$warm_base" "$work/overhead.yaml" 20)
  [ "$ostate" = SUCCESS ] || { echo "overhead workflow ended $ostate" >&2; exit 1; }
  engine+=("$ow"); own+=("$orun")
done
floor_m=$(printf '%s\n' "${floor[@]}" | median)
engine_m=$(printf '%s\n' "${engine[@]}" | median)
own_m=$(printf '%s\n' "${own[@]}" | median)
stop_server

# The reference workflow on the Azurite backend, in a task hub of its own.
if "$here/scripts/azurite-up.sh" >&2; then
  hub="bench$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  start_server azurite azurestorage --storage-connection UseDevelopmentStorage=true --task-hub "$hub"
  $client run "$base" "$here/bench/reference.yaml" "$($client free-port)" >/dev/null
  read -r az state < <($client run "$base" "$here/bench/reference.yaml" "$($client free-port)")
  echo "reference workflow on the Azurite backend (warm server, task hub $hub): $az s ($state)"
  stop_server
else
  echo "reference workflow on the Azurite backend: skipped (Azurite did not start)"
fi

# The same 20 no-op containers run by hand (docker run --rm, in order), for context.
t0=$(now)
for i in $(seq 1 20); do docker run --rm --network host dwf-busybox:latest true; done
t1=$(now)
echo "20 no-op actions, median of $rounds: engine (warm server) $engine_m s; Docker's own time for the same 20 containers through its API, no engine $floor_m s; by hand with docker run --rm $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s; the containers' run time from start to exit (Docker's StartedAt to FinishedAt) $own_m s, so wall minus run time is $(awk -v e="$engine_m" -v o="$own_m" 'BEGIN { printf "%.0f", (e - o) * 1000 / 20 }') ms per action (Docker's create and start included)"
awk -v w="$warm_m" -v r="$raw_m" 'BEGIN { printf "engine/raw-docker wall ratio: %.2f\n", w / r }'
awk -v e="$engine_m" -v f="$floor_m" 'BEGIN { printf "engine overhead per action (ms): %.0f\n", (e - f) * 1000 / 20 }'
