#!/usr/bin/env bash
# Starts a private Docker engine for development and tests, unless one already answers at DOCKER_HOST.
# Prints the DOCKER_HOST to use. State lives under DWF_DOCKER_ROOT (default /tmp/dwf-docker).
set -euo pipefail
root=${DWF_DOCKER_ROOT:-/tmp/dwf-docker}
sock="$root/docker.sock"
export DOCKER_HOST="unix://$sock"
if docker version >/dev/null 2>&1; then echo "$DOCKER_HOST"; exit 0; fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "dockerd is not installed: apt-get install -y docker.io busybox-static" >&2
  exit 1
fi
mkdir -p "$root/data" "$root/exec"
nohup dockerd --data-root "$root/data" --exec-root "$root/exec" --pidfile "$root/dockerd.pid" \
  --host "$DOCKER_HOST" --bridge=none --iptables=false --ip6tables=false >"$root/dockerd.log" 2>&1 &
for _ in $(seq 1 120); do
  if docker version >/dev/null 2>&1; then echo "$DOCKER_HOST"; exit 0; fi
  sleep 0.5
done
echo "the Docker engine did not start; see $root/dockerd.log" >&2
tail -20 "$root/dockerd.log" >&2 || true
exit 1
