#!/usr/bin/env bash
# Installs what the engine, the examples and the tests need on a fresh Debian machine (when missing),
# starts the private Docker engine and builds the local images. Prints the environment to use, as
# shell `export` lines:  eval "$(scripts/setup.sh)"
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v busybox >/dev/null 2>&1 || missing+=(busybox-static)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# bench/crash.sh (run by scripts/test.sh) talks to the API with curl and reads it with jq.
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
# The agent tests give Tinkerbell's tink-worker a local registry to pull from.
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
# The template language's differential test renders with the real Go text/template and sprig.
command -v go >/dev/null 2>&1 || missing+=(golang-go)
# The metrics test scrapes the server with a real Prometheus.
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
[ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || missing+=(golang-github-masterminds-sprig-dev)
# The dashboard's browser tests drive Debian's headless Chromium through its chromedriver.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
DOCKER_HOST=$("$here/scripts/docker-up.sh")
export DOCKER_HOST
"$here/scripts/build-images.sh" >&2
echo "export DOCKER_HOST=$DOCKER_HOST"
# Tinkerbell runs every action privileged, and so does the engine by default. Some engines (inside an
# unprivileged sandbox, rootless Docker) cannot: then say so, and run actions unprivileged.
if ! docker run --rm --privileged --network host dwf-busybox:latest true >/dev/null 2>&1; then
  echo "note: this Docker engine cannot run privileged containers; actions run unprivileged" >&2
  echo "export DurableWorkflows__Docker__Privileged=false"
fi
