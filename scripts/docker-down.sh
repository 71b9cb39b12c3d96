#!/usr/bin/env bash
# Stops the private Docker engine that docker-up.sh started.
set -uo pipefail
root=${DWF_DOCKER_ROOT:-/tmp/dwf-docker}
[ -f "$root/dockerd.pid" ] || exit 0
pid=$(cat "$root/dockerd.pid")
kill "$pid" 2>/dev/null || exit 0
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.5; done
kill -9 "$pid" 2>/dev/null || true
