#!/usr/bin/env bash
# The agent benchmark: one `dwf serve` (memory backend) with its agent endpoint and AGENTS `dwf agent` processes
# (default 20, IDs agent-01...), then AGENTS workflows of ACTIONS no-op actions (default 5) at once, each on its own
# agent (the pull path), then the same workflows on the server's own Docker endpoint (the push path), all on the same
# Docker engine. Prints each path's wall time per action and the pull path's hand-off: from an agent's final report
# taken to its next action handed out (median, p95). Usage: bench/agents.sh [AGENTS] [ACTIONS]
# (DWF_BENCH_SKIP_BUILD=1 reuses the last Release build).
set -euo pipefail
agents=${1:-20}
actions=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dwf-agents-bench-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
if [ "${DWF_BENCH_SKIP_BUILD:-}" != 1 ]; then
  echo "building dwf (Release)..." >&2
  dotnet build "$here/src/DurableWorkflows.Cli" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
dll="$here/src/DurableWorkflows.Cli/bin/Release/net10.0/dwf.dll"
eval "$("$here/scripts/setup.sh")"
export DOCKER_HOST DurableWorkflows__Docker__PullPolicy=never DurableWorkflows__Docker__StopGracePeriodSeconds=1
port=$(python3 "$here/bench/client.py" free-port)
agent_port=$(python3 "$here/bench/client.py" free-port)
DurableWorkflows__DataDirectory="$work/server" DurableWorkflows__Docker__Workers__local="$DOCKER_HOST" \
  DurableWorkflows__Docker__UnknownWorkers=agent \
  dotnet "$dll" serve --urls "http://127.0.0.1:$port" --tink-agent-urls "http://127.0.0.1:$agent_port" >"$work/serve.log" 2>&1 &
pids+=($!)
python3 "$here/bench/client.py" wait-healthy "http://127.0.0.1:$port" 60
mkdir -p "$work/agents"
for i in $(seq 1 "$agents"); do
  id=$(printf 'agent-%02d' "$i")
  DurableWorkflows__DataDirectory="$work/agent-$id" dotnet "$dll" agent --server "http://127.0.0.1:$agent_port" --id "$id" >"$work/agents/$id.log" 2>&1 &
  pids+=($!)
done
sleep 3
python3 "$here/bench/agents.py" run "http://127.0.0.1:$port" "$agents" "$actions" pull "$work/agents"
python3 "$here/bench/agents.py" run "http://127.0.0.1:$port" "$agents" "$actions" push
