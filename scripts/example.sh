#!/usr/bin/env bash
# Runs the example workflow (examples/provision.yaml) on this machine: sets up the Docker engine and the
# example images, builds dwf, and runs the workflow in-process. Extra arguments go to `dwf run`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$here/scripts/setup.sh")"
cd "$here"
dotnet build -v q -nologo src/DurableWorkflows.Cli >/dev/null
exec dotnet src/DurableWorkflows.Cli/bin/Debug/net10.0/dwf.dll run examples/provision.yaml \
  --var provisioner1=local --var device_1=local "$@"
