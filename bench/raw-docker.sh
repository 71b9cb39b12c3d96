#!/usr/bin/env bash
# The reference workflow (bench/reference.yaml) written by hand with the docker CLI, as a competent operator
# would script it: both services started at once in the background, their health polled together with one
# `docker inspect` every 100 ms, actions in order with `docker run --rm`, services removed.
# Usage: raw-docker.sh PORT. Exit 0 when every action succeeded. DWF_PROBE_INTERVAL, DWF_PROBE_TIMEOUT and
# DWF_PROBE_START (default 100ms, 1s, 5s) set the health probes, as bench/concurrency.sh does for many at once;
# DWF_HEALTH_DEADLINE (default 120) how many seconds the script waits for its services before it gives up.
set -euo pipefail
port=${1:?port}
id="raw-$$-$RANDOM"
img=dwf-busybox:latest
probe=(--health-interval "${DWF_PROBE_INTERVAL:-100ms}" --health-timeout "${DWF_PROBE_TIMEOUT:-1s}" --health-retries 3 --health-start-period "${DWF_PROBE_START:-5s}")
cleanup() { docker rm -f "$id-files" "$id-slow" >/dev/null 2>&1 || true; }
trap cleanup EXIT
docker run -d --name "$id-files" --network host \
  --health-cmd "wget -q -O /dev/null http://127.0.0.1:$port/" "${probe[@]}" \
  "$img" sh -c "mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:$port -h /tmp/www" >/dev/null &
files=$!
docker run -d --name "$id-slow" --network host \
  --health-cmd "test -f /tmp/ready" "${probe[@]}" \
  "$img" sh -c "sleep 1; touch /tmp/ready; exec sleep 3600" >/dev/null &
slow=$!
wait "$files" && wait "$slow"
deadline=$((SECONDS + ${DWF_HEALTH_DEADLINE:-120}))
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id-files" "$id-slow" | sort -u)" = healthy ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "services not healthy within ${DWF_HEALTH_DEADLINE:-120} s" >&2; exit 1; }
  sleep 0.1
done
docker run --rm --network host "$img" wget -q -O - "http://127.0.0.1:$port/" >/dev/null
docker run --rm --network host "$img" sh -c "echo two" >/dev/null
docker run --rm --network host "$img" sh -c "echo three" >/dev/null
docker run --rm --network host "$img" sh -c "echo four" >/dev/null
docker run --rm --network host "$img" wget -q -O - "http://127.0.0.1:$port/" >/dev/null
