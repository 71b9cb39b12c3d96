#!/usr/bin/env bash
# Crash suite: N times (default 20), start `dwf serve --backend azurestorage` on Azurite, start a workflow of three
# actions, SIGKILL the server at a random moment of it, start the server again and check that
#   - the workflow completes (SUCCESS),
#   - no action container was started twice (each action appends a line to its own counter file on every start),
#   - no container labelled with the workflow id is left.
# Prints one line per run and the totals; exits 1 when any run failed.
#
# Needs: DOCKER_HOST (scripts/setup.sh prints it), Azurite on 127.0.0.1:10000-10002 (scripts/azurite-up.sh),
# the image dwf-busybox:latest (scripts/build-images.sh), docker, curl and jq. Builds the CLI when dwf.dll is missing;
# DWF_DLL points at another build.
set -euo pipefail
runs=${1:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
dll=${DWF_DLL:-$here/src/DurableWorkflows.Cli/bin/Debug/net10.0/dwf.dll}
recovery_bound=${DWF_CRASH_RECOVERY_BOUND:-180}
: "${DOCKER_HOST:?set DOCKER_HOST (scripts/setup.sh prints it)}"
export DOCKER_HOST
for tool in docker curl jq dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "crash.sh: $tool is not installed" >&2; exit 2; }
done
(exec 3<>/dev/tcp/127.0.0.1/10001) 2>/dev/null || { echo "crash.sh: Azurite is not running (scripts/azurite-up.sh)" >&2; exit 2; }
if [ ! -f "$dll" ]; then
  dotnet build "$here/src/DurableWorkflows.Cli" -v quiet -nologo >/dev/null
fi

read -r -d '' template <<'YAML' || true
version: "0.1"
name: crash
global_timeout: 600
tasks:
  - name: provision
    worker: local
    actions:
      - name: one
        image: dwf-busybox:latest
        timeout: 300
        command: ["sh", "-c", "echo started >> /workflow/one.count; sleep 3"]
      - name: two
        image: dwf-busybox:latest
        timeout: 300
        command: ["sh", "-c", "echo started >> /workflow/two.count; sleep 3"]
      - name: three
        image: dwf-busybox:latest
        timeout: 300
        command: ["sh", "-c", "echo started >> /workflow/three.count; sleep 3"]
YAML

. "$here/bench/lib.sh"

server_pid=""
workflow_id=""
scratch=""
stop_server() {
  stop_pid "$server_pid"
  server_pid=""
}
remove_leftovers() {
  [ -n "$workflow_id" ] || return 0
  docker ps -aq --filter "label=io.durableworkflows.workflow-id=$workflow_id" | xargs -r docker rm -f >/dev/null 2>&1 || true
}
cleanup() {
  stop_server
  remove_leftovers
  [ -z "$scratch" ] || rm -rf "$scratch"
}
trap cleanup EXIT

# start_server HUB PORT DATA LOG: starts the node in the background and waits (bounded) for /healthz.
start_server() {
  local hub=$1 port=$2 data=$3 log=$4
  DurableWorkflows__DataDirectory="$data" \
  DurableWorkflows__Docker__Privileged=${DWF_PRIVILEGED:-false} \
  DurableWorkflows__Docker__StopGracePeriodSeconds=1 \
  DurableWorkflows__Docker__PullPolicy=never \
    dotnet "$dll" serve --backend azurestorage --storage-connection UseDevelopmentStorage=true \
      --task-hub "$hub" --worker-id crash-node --urls "http://127.0.0.1:$port" >>"$log" 2>&1 &
  server_pid=$!
  wait_healthz "http://127.0.0.1:$port" "$server_pid" "$log"
}

state_of() {
  curl -fsS "http://127.0.0.1:$1/api/workflows/$2" 2>/dev/null | jq -r '.state // empty' 2>/dev/null || true
}

passed=0
failed=0
recoveries=()
for i in $(seq 1 "$runs"); do
  hub="crash$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/dwf-crash-XXXXXX")
  port=$(free_port)
  log="$scratch/serve.log"
  workflow_id=$(cat /proc/sys/kernel/random/uuid)
  start_server "$hub" "$port" "$scratch/data" "$log"

  body=$(jq -n --arg t "$template" --arg id "$workflow_id" '{template: $t, id: $id}')
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/workflows")
  [ "$code" = 202 ] || { echo "run $i: start returned $code" >&2; exit 1; }

  # A random point of the workflow (about 10 s long with three 3 s actions): 0.0 to 9.9 s after the start.
  delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", (r % 100) / 10 }')
  sleep "$delay"
  state_before=$(state_of "$port" "$workflow_id")
  kill -KILL "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  echo "--- killed at $delay s" >>"$log"

  restarted=$(now)
  start_server "$hub" "$port" "$scratch/data" "$log"
  state=""
  deadline=$(( $(date +%s) + recovery_bound ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    state=$(state_of "$port" "$workflow_id")
    case "$state" in SUCCESS|FAILED|TIMEOUT|CANCELLED) break ;; esac
    sleep 0.25
  done
  recovered=$(elapsed "$restarted" "$(now)")

  folder="$scratch/data/workflows/$workflow_id"
  starts=""
  twice=0
  for action in one two three; do
    n=$( [ -f "$folder/$action.count" ] && wc -l <"$folder/$action.count" || echo 0)
    n=$((n + 0))
    starts="$starts $action=$n"
    [ "$n" = 1 ] || twice=1
  done
  left=0
  for _ in $(seq 1 50); do
    left=$(docker ps -aq --filter "label=io.durableworkflows.workflow-id=$workflow_id" | wc -l)
    [ "$left" = 0 ] && break
    sleep 0.2
  done

  verdict=OK
  if [ "$state" != SUCCESS ] || [ "$twice" != 0 ] || [ "$left" != 0 ]; then
    verdict=FAILED
    failed=$((failed + 1))
    echo "run $i: server log follows" >&2
    tail -40 "$log" >&2
  else
    passed=$((passed + 1))
    recoveries+=("$recovered")
  fi
  echo "run $i/$runs: killed ${delay}s after start (state then: ${state_before:-unknown}), state ${state:-none} ${recovered}s after restart, starts:${starts}, containers left $left: $verdict"

  stop_server
  remove_leftovers
  rm -rf "$scratch"
  scratch=""
  workflow_id=""
done

if [ "${#recoveries[@]}" -gt 0 ]; then
  stats=$(printf '%s\n' "${recoveries[@]}" | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %.1f s, max %.1f s", m, v[NR] }')
else
  stats="none"
fi
echo "crash runs: $runs, passed $passed, failed $failed; restart to completion: $stats"
[ "$failed" = 0 ]
