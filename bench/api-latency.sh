#!/usr/bin/env bash
# The API's own latency on a warm `dwf serve` (memory backend): after one reference workflow has run and while a
# second workflow runs (one long action), N GETs (default 500) of each of: the running workflow's status (the path
# clients poll), the finished one's, the list, the hardware list, /healthz, over one kept-alive connection, the paths
# taken in turn; prints the median and 95th percentile in ms of each.
# Usage: bench/api-latency.sh [N]. DWF_DLL picks the build (default: the Release build bench/run.sh makes), so two
# builds can be compared on one machine.
set -euo pipefail
n=${1:-500}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
client="python3 $here/bench/client.py"
start_warm_server latency
$client run "$base" "$here/bench/reference.yaml" "$(free_port)" >/dev/null
done_id=$(curl -fsS "$base/api/workflows" | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflows"][0]["id"])')
long='{"id":"'"latency-running-$$"'","template":"version: \"0.1\"\nname: long\nglobal_timeout: 600\ntasks:\n  - name: t\n    worker: local\n    actions:\n      - name: wait\n        image: dwf-busybox:latest\n        command: [\"sleep\", \"600\"]\n"}'
curl -fsS -X POST -H 'Content-Type: application/json' -d "$long" "$base/api/workflows" >/dev/null
until curl -fsS "$base/api/workflows/latency-running-$$" | grep -q '"RUNNING"'; do sleep 0.1; done
paths=(/api/workflows/latency-running-$$ "/api/workflows/$done_id" /api/workflows /api/hardware /healthz)
$client latency "$base" 50 "${paths[@]}" >/dev/null   # warm-up
$client latency "$base" "$n" "${paths[@]}"
curl -fsS -X POST "$base/api/workflows/latency-running-$$/cancel" >/dev/null
# The long workflow ends with its container removed before the server stops.
until curl -fsS "$base/api/workflows/latency-running-$$" | grep -q '"CANCELLED"'; do sleep 0.1; done
