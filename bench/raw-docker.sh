#!/usr/bin/env bash
# The reference workflow (bench/reference.yaml) written by hand with the docker CLI, as a competent operator
# would script it: both services started at once in the background, their health polled together with one
# `docker inspect` every 100 ms, actions in order with `docker run --rm`, services removed.
# Usage: raw-docker.sh PORT. Exit 0 when every action succeeded.
set -euo pipefail
port=${1:?port}
id="raw-$$-$RANDOM"
img=dwf-busybox:latest
cleanup() { docker rm -f "$id-files" "$id-slow" >/dev/null 2>&1 || true; }
trap cleanup EXIT
docker run -d --name "$id-files" --network host \
  --health-cmd "wget -q -O /dev/null http://127.0.0.1:$port/" --health-interval 100ms --health-timeout 1s --health-retries 3 --health-start-period 5s \
  "$img" sh -c "mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:$port -h /tmp/www" >/dev/null &
files=$!
docker run -d --name "$id-slow" --network host \
  --health-cmd "test -f /tmp/ready" --health-interval 100ms --health-timeout 1s --health-retries 3 --health-start-period 5s \
  "$img" sh -c "sleep 1; touch /tmp/ready; exec sleep 3600" >/dev/null &
slow=$!
wait "$files" && wait "$slow"
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id-files" "$id-slow" | sort -u)" = healthy ]; do sleep 0.1; done
docker run --rm --network host "$img" wget -q -O - "http://127.0.0.1:$port/" >/dev/null
docker run --rm --network host "$img" sh -c "echo two" >/dev/null
docker run --rm --network host "$img" sh -c "echo three" >/dev/null
docker run --rm --network host "$img" sh -c "echo four" >/dev/null
docker run --rm --network host "$img" wget -q -O - "http://127.0.0.1:$port/" >/dev/null
