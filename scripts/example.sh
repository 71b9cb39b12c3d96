#!/usr/bin/env bash
# Runs the example workflow (examples/provision.yaml) on this machine: sets up the Docker engine and the
# example images, publishes dwf, and runs the workflow in-process. Extra arguments go to `dwf run`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$here/scripts/setup.sh")"
cd "$here"
# Published as a user gets it: Release, compiled ahead of time (ReadyToRun), in artifacts/dwf.
dotnet publish -v q -nologo -c Release -r linux-x64 -o artifacts/dwf src/DurableWorkflows.Cli >/dev/null
exec artifacts/dwf/dwf run examples/provision.yaml \
  --var provisioner1=local --var device_1=local "$@"
