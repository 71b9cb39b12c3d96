#!/usr/bin/env bash
# The Docker engine stopped mid-workflow, on a private engine this script starts (the shared one is left alone):
#   A. stopped for good while an action runs (`sleep 30`): the workflow ends FAILED within DWF_ENGINE_STOP_BOUND seconds
#      (default 90) with an error naming the engine's endpoint; once the engine is back, no container of the workflow
#      is left after a few reaper periods.
#   B. stopped and started again at once while an action runs: the attempt fails at once with a clear reason (its
#      container was stopped with the engine) instead of hanging; the action's retry runs on the engine that is back,
#      the workflow succeeds, and no container is left.
# Prints one line per case with its figures; exits 1 when a case fails.
#
# Needs: dockerd (scripts/docker-up.sh starts the private engine), DOCKER_HOST of the main engine (its images are
# copied with docker save | docker load), curl, jq, dotnet. Builds the CLI when dwf.dll is missing; DWF_DLL points at
# another build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dll=${DWF_DLL:-$here/src/DurableWorkflows.Cli/bin/Debug/net10.0/dwf.dll}
bound=${DWF_ENGINE_STOP_BOUND:-90}
: "${DOCKER_HOST:?set DOCKER_HOST (scripts/setup.sh prints it)}"
main_host=$DOCKER_HOST
for tool in dockerd docker curl jq dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "engine-stop.sh: $tool is not installed" >&2; exit 2; }
done
if [ ! -f "$dll" ]; then
  dotnet build "$here/src/DurableWorkflows.Cli" -v quiet -nologo >/dev/null
fi
. "$here/bench/lib.sh"

# A short root: the engine's socket path must stay under the 108 bytes a unix socket path may have.
root=$(mktemp -d /tmp/dwf-es-XXXXXX)
scratch="$root/scratch"
mkdir -p "$scratch"
private="unix://$root/docker.sock"
server_pid=""
ids=()
engine_up() { DWF_DOCKER_ROOT=$root "$here/scripts/docker-up.sh" >/dev/null; }
engine_down() { # SIGTERM, as a service manager stops it; dockerd stops its containers first (no live restore)
  local pid
  pid=$(cat "$root/dockerd.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "engine-stop.sh: the private engine did not stop within 60 s" >&2
  return 1
}
on_engine() { DOCKER_HOST=$private docker "$@"; }
containers_of() { on_engine ps -aq --filter "label=io.durableworkflows.workflow-id=$1" 2>/dev/null | wc -l; }
cleanup() {
  stop_pid "$server_pid"
  if on_engine version >/dev/null 2>&1 || engine_up 2>/dev/null; then
    for id in "${ids[@]}"; do
      on_engine ps -aq --filter "label=io.durableworkflows.workflow-id=$id" | xargs -r env DOCKER_HOST="$private" docker rm -f >/dev/null 2>&1 || true
    done
  fi
  DWF_DOCKER_ROOT=$root "$here/scripts/docker-down.sh" || true
  # dockerd leaves its default network namespace mounted under its exec root.
  umount "$root/exec/netns/default" 2>/dev/null || true
  rm -rf "$root" 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "engine-stop.sh: FAILED: $*" >&2; echo "--- server log (last 40 lines) ---" >&2; tail -40 "$scratch/serve.log" >&2 || true; exit 1; }

engine_up || fail "the private engine did not start (see $root/dockerd.log)"
DOCKER_HOST=$main_host docker save dwf-busybox:latest | on_engine load >/dev/null

port=$(free_port)
base="http://127.0.0.1:$port"
DOCKER_HOST=$private \
DurableWorkflows__DataDirectory="$scratch/data" \
DurableWorkflows__TaskHub="es$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
DurableWorkflows__Docker__Privileged=${DWF_PRIVILEGED:-false} \
DurableWorkflows__Docker__PullPolicy=never \
DurableWorkflows__Docker__StopGracePeriodSeconds=1 \
DurableWorkflows__Docker__RequestTimeoutSeconds=10 \
DurableWorkflows__Docker__ReaperPeriodSeconds=2 \
  dotnet "$dll" serve --backend memory --urls "$base" >"$scratch/serve.log" 2>&1 &
server_pid=$!
wait_healthz "$base" "$server_pid" "$scratch/serve.log" || fail "dwf serve did not start"

# The action sleeps 30 s on its first attempt; a retry (after the engine is back) ends at once.
template='version: "0.1"
name: engine-stop
global_timeout: 300
tasks:
  - name: provision
    worker: local
    actions:
      - name: long
        image: dwf-busybox:latest
        timeout: 120
        retries: 1
        command: ["sh", "-c", "if [ -e /workflow/tried ]; then echo retry; exit 0; fi; touch /workflow/tried; exec sleep 30"]'

status_of() { curl -fsS "$base/api/workflows/$1" 2>/dev/null || true; }

# start_and_wait_running ID: starts the workflow and waits (at most 60 s) until its action's container runs.
start_and_wait_running() {
  local id=$1 body code
  ids+=("$id")
  body=$(jq -n --arg t "$template" --arg id "$id" '{template: $t, id: $id}')
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$body" "$base/api/workflows")
  [ "$code" = 202 ] || fail "$id: start returned $code"
  for _ in $(seq 1 600); do
    [ "$(on_engine ps -q --filter "label=io.durableworkflows.workflow-id=$id" --filter status=running | wc -l)" -gt 0 ] && return 0
    sleep 0.1
  done
  fail "$id: its action did not start within 60 s"
}

# wait_final ID: waits (at most $bound s) for a final state; prints the status JSON.
wait_final() {
  local id=$1 status state
  local deadline=$(( $(date +%s) + bound ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    status=$(status_of "$id")
    state=$(jq -r '.state // empty' <<<"$status" 2>/dev/null || true)
    case "$state" in SUCCESS|FAILED|TIMEOUT|CANCELLED) echo "$status"; return 0 ;; esac
    sleep 0.25
  done
  fail "$id: no final state within $bound s (last: ${state:-none})"
}

# wait_no_containers ID SECONDS: prints how long it took until no container of the workflow is left.
wait_no_containers() {
  local id=$1 limit=$2 from
  from=$(now)
  for _ in $(seq 1 $((limit * 10))); do
    [ "$(containers_of "$id")" = 0 ] && { elapsed "$from" "$(now)"; return 0; }
    sleep 0.1
  done
  fail "$id: $(containers_of "$id") containers left $limit s after the engine was back"
}

# A. The engine stops for good while the action runs.
id="es-a-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_and_wait_running "$id"
stopped=$(now)
engine_down || fail "A: the engine did not stop"
down=$(elapsed "$stopped" "$(now)")
status=$(wait_final "$id")
failed_after=$(elapsed "$stopped" "$(now)")
state=$(jq -r '.state' <<<"$status")
message=$(jq -r '.message // ""' <<<"$status")
[ "$state" = FAILED ] || fail "A: the workflow ended $state, not FAILED: $message"
grep -qF "$private" <<<"$message" || fail "A: the error does not name the engine's endpoint $private: $message"
grep -qiE 'unreachable|did not answer' <<<"$message" || fail "A: the error does not say the engine is unreachable: $message"
if grep -qE '^\s+at |Exception:' <<<"$message"; then fail "A: the error is an exception dump: $message"; fi
restarted=$(now)
engine_up || fail "A: the engine did not start again"
up=$(elapsed "$restarted" "$(now)")
left_before=$(containers_of "$id")
gone=$(wait_no_containers "$id" 30)
echo "engine stopped for good: dockerd stopped in ${down}s; workflow FAILED ${failed_after}s after the stop; engine back in ${up}s with $left_before container(s) of the workflow, none left ${gone}s later"
echo "  error: $(head -c 400 <<<"$message")"

# B. The engine stops and starts again at once while the action runs: the attempt fails clearly, the retry succeeds.
id="es-b-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_and_wait_running "$id"
stopped=$(now)
engine_down || fail "B: the engine did not stop"
engine_up || fail "B: the engine did not start again"
back=$(elapsed "$stopped" "$(now)")
status=$(wait_final "$id")
ended_after=$(elapsed "$stopped" "$(now)")
state=$(jq -r '.state' <<<"$status")
first=$(curl -fsS "$base/api/workflows/$id/events" | jq -r '[.[] | select(.kind == "ActionFailed")][0].message // ""')
[ "$state" = SUCCESS ] || fail "B: the workflow ended $state, not SUCCESS after its retry: $(jq -r '.message // ""' <<<"$status")"
[ -n "$first" ] || fail "B: no failed first attempt in the events"
grep -qiE 'engine|signal|unreachable' <<<"$first" || fail "B: the first attempt's error does not say what happened: $first"
gone=$(wait_no_containers "$id" 30)
echo "engine restarted at once: back ${back}s after the stop; workflow SUCCESS on its retry ${ended_after}s after the stop; no container left ${gone}s later"
echo "  first attempt: $first"
echo "engine-stop: passed"
