#!/usr/bin/env bash
# Burst: N start requests (default 500) at once against one `dwf serve` (memory backend), then checks that
#   - every request was accepted (202),
#   - every workflow ends in a final state (SUCCESS), within DWF_BURST_BOUND seconds (default 300),
#   - the list API returns each of them exactly once (none lost, none duplicated).
# Prints the time to accept all N, the time until all N finished and the server's peak memory; exits 1 when any
# request or workflow is lost, fails or is duplicated.
#
# The workflow is one task with no action (the schema allows it), so the burst measures the engine, not Docker.
# DWF_BURST_ACTION=1 gives the task one `true` action instead (N containers on the engine: slow on 2 cores).
#
# Needs: DOCKER_HOST (scripts/setup.sh prints it), curl (with --parallel), jq, dotnet. Builds the CLI when dwf.dll is
# missing; DWF_DLL points at another build.
set -euo pipefail
count=${1:-500}
here=$(cd "$(dirname "$0")/.." && pwd)
dll=${DWF_DLL:-$here/src/DurableWorkflows.Cli/bin/Debug/net10.0/dwf.dll}
bound=${DWF_BURST_BOUND:-300}
: "${DOCKER_HOST:?set DOCKER_HOST (scripts/setup.sh prints it)}"
export DOCKER_HOST
for tool in curl jq dotnet; do
  command -v "$tool" >/dev/null 2>&1 || { echo "burst.sh: $tool is not installed" >&2; exit 2; }
done
if [ ! -f "$dll" ]; then
  dotnet build "$here/src/DurableWorkflows.Cli" -v quiet -nologo >/dev/null
fi

if [ "${DWF_BURST_ACTION:-0}" = 1 ]; then
  actions='    actions:
      - name: noop
        image: dwf-busybox:latest
        timeout: 120
        command: ["true"]'
else
  actions='    actions: []'
fi
template="version: \"0.1\"
name: burst
global_timeout: 600
tasks:
  - name: only
    worker: local
$actions"

. "$here/bench/lib.sh"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dwf-burst-XXXXXX")
server_pid=""
run="b$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cleanup() {
  stop_pid "$server_pid"
  docker ps -aq --filter "label=io.durableworkflows.task-hub=$run" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "burst.sh: FAILED: $*" >&2; echo "--- server log (last 30 lines) ---" >&2; tail -30 "$scratch/serve.log" >&2 || true; exit 1; }

port=$(free_port)
DurableWorkflows__DataDirectory="$scratch/data" \
DurableWorkflows__TaskHub="$run" \
DurableWorkflows__Docker__Privileged=${DWF_PRIVILEGED:-false} \
DurableWorkflows__Docker__PullPolicy=never \
  dotnet "$dll" serve --backend memory --urls "http://127.0.0.1:$port" >"$scratch/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
wait_healthz "$base" "$server_pid" "$scratch/serve.log" || fail "dwf serve did not start"

# curl sends the requests in parallel, at most 250 per process (its limit is 300), all processes at once. Each request
# has its own id, in the URL's query (which the API ignores) too, so every answer can be matched to its request.
jq -nc --arg t "$template" --arg run "$run" --argjson n "$count" 'range(1; $n + 1) | {template: $t, id: "\($run)-\(.)"}' \
  | awk -v dir="$scratch" '{ f = dir "/body-" NR ".json"; print > f; close(f) }'
chunk=250
for i in $(seq 1 "$count"); do
  id="$run-$i"
  cfg="$scratch/requests-$(( (i - 1) / chunk )).cfg"
  [ ! -s "$cfg" ] || echo next >>"$cfg"
  printf 'url = "%s/api/workflows?n=%s"\nrequest = "POST"\nheader = "Content-Type: application/json"\ndata = "@%s"\noutput = "/dev/null"\nmax-time = 120\nwrite-out = "%%{http_code} %%{url_effective}\\n"\n' \
    "$base" "$id" "$scratch/body-$i.json" >>"$cfg"
done
started=$(now)
curls=()
for cfg in "$scratch"/requests-*.cfg; do
  curl -sS --parallel --parallel-immediate --parallel-max "$chunk" --config "$cfg" >"$cfg.answers" 2>"$cfg.err" &
  curls+=($!)
done
for pid in "${curls[@]}"; do wait "$pid" || true; done
accepted_at=$(now)

cat "$scratch"/requests-*.cfg.answers >"$scratch/answers.txt"
cat "$scratch"/requests-*.cfg.err >"$scratch/curl.err"
answers=$(wc -l <"$scratch/answers.txt")
accepted=$(grep -c '^202 ' "$scratch/answers.txt" || true)
if [ "$accepted" != "$count" ]; then
  echo "answers other than 202:" >&2
  grep -v '^202 ' "$scratch/answers.txt" | sort | uniq -c | head -20 >&2
  head -5 "$scratch/curl.err" >&2
  fail "$accepted of $count start requests accepted ($answers answered)"
fi

# Every workflow, through the list API (all pages), until all N are final or the bound passes.
list_all() {
  local token="" page
  : >"$scratch/list.txt"
  while true; do
    page=$(curl -fsS -G "$base/api/workflows" --data-urlencode "top=1000" ${token:+--data-urlencode "continuationToken=$token"}) || return 1
    jq -r '.workflows[] | "\(.id) \(.state)"' <<<"$page" >>"$scratch/list.txt"
    token=$(jq -r '.continuationToken // empty' <<<"$page")
    [ -n "$token" ] || return 0
  done
}
deadline=$(( $(date +%s) + bound ))
final=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  if list_all; then
    final=$(grep "^$run-" "$scratch/list.txt" | grep -cE ' (SUCCESS|FAILED|TIMEOUT|CANCELLED)$' || true)
    [ "$final" -ge "$count" ] && break
  fi
  sleep 0.5
done
finished_at=$(now)

listed=$(grep -c "^$run-" "$scratch/list.txt" || true)
distinct=$(grep "^$run-" "$scratch/list.txt" | cut -d' ' -f1 | sort -u | wc -l)
succeeded=$(grep "^$run-" "$scratch/list.txt" | grep -c ' SUCCESS$' || true)
missing=$(comm -23 <(seq 1 "$count" | sed "s/^/$run-/" | sort) <(grep "^$run-" "$scratch/list.txt" | cut -d' ' -f1 | sort -u) | head -5 | tr '\n' ' ')
peak=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status" 2>/dev/null || echo "?")
echo "burst of $count: accepted $accepted in $(elapsed "$started" "$accepted_at") s; listed $listed ($distinct distinct), final $final, SUCCESS $succeeded; all finished $(elapsed "$started" "$finished_at") s after the first request; server peak RSS ${peak} MiB"
[ "$listed" = "$count" ] && [ "$distinct" = "$count" ] || fail "the list API returned $listed workflows ($distinct distinct) of $count${missing:+; missing: $missing}"
[ "$final" = "$count" ] || fail "$final of $count workflows reached a final state within $bound s"
if [ "$succeeded" != "$count" ]; then
  first=$(grep "^$run-" "$scratch/list.txt" | grep -v ' SUCCESS$' | head -1 | cut -d' ' -f1)
  echo "--- status of $first ---" >&2
  curl -fsS "$base/api/workflows/$first" | jq '{state, message, createdAt, startedAt, finishedAt, actions: [.tasks[].actions[]], events}' >&2 || true
  fail "$succeeded of $count workflows succeeded: $(grep "^$run-" "$scratch/list.txt" | grep -v ' SUCCESS$' | head -3 | tr '\n' ';')"
fi
left=$(docker ps -aq --filter "label=io.durableworkflows.task-hub=$run" | wc -l)
[ "$left" = 0 ] || fail "$left containers left"
echo "burst: passed"
