#!/usr/bin/env bash
# Builds the local images the examples, tests and benchmarks use, from the host's static busybox.
#   dwf-busybox:latest           images/busybox
#   <dir name>:latest            every examples/images/<dir>/Dockerfile and tests/images/<dir>/Dockerfile
# Needs DOCKER_HOST pointing at an engine (scripts/docker-up.sh) and busybox-static installed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bb=$(command -v busybox || true)
[ -n "$bb" ] || { echo "busybox-static is not installed" >&2; exit 1; }
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$here/images/busybox/Dockerfile" "$ctx/"
cp -L "$bb" "$ctx/busybox"
build() { # tag context: quiet unless the build fails
  if ! docker build -q -t "$1" "$2" >"$ctx/build.log" 2>&1; then cat "$ctx/build.log" >&2; exit 1; fi
}
build dwf-busybox:latest "$ctx"
echo "built dwf-busybox:latest"
for dir in "$here"/examples/images/*/ "$here"/tests/images/*/; do
  [ -f "$dir/Dockerfile" ] || continue
  name=$(basename "$dir")
  build "$name:latest" "$dir"
  echo "built $name:latest"
done
