#!/usr/bin/env bash
# Installs what the engine, the examples and the tests need on a fresh Debian machine (when missing),
# starts the private Docker engine and builds the local images. Prints the DOCKER_HOST to export.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
DOCKER_HOST=$("$here/scripts/docker-up.sh")
export DOCKER_HOST
"$here/scripts/build-images.sh" >&2
echo "$DOCKER_HOST"
