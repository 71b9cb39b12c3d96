#!/usr/bin/env bash
# Runs every test: sets up the Docker engine, the images and Azurite, then `dotnet test` on the solution.
# Extra arguments go to dotnet test (e.g. --filter FullyQualifiedName~Core).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval "$("$here/scripts/setup.sh")"
# The durable backend's tests run against the Azure Storage emulator.
"$here/scripts/azurite-up.sh"
cd "$here"
if [ $# -gt 0 ]; then
  dotnet test DurableWorkflows.sln --blame-hang-timeout 10m --logger "console;verbosity=normal" "$@"
else
  dotnet test DurableWorkflows.sln --blame-hang-timeout 10m --logger "console;verbosity=normal" --filter "FullyQualifiedName!~DurableWorkflows.Durability.Tests"
  # The durability tests SIGKILL servers and check that nothing ran twice: alone, not beside the other projects' engines and agents.
  dotnet test tests/DurableWorkflows.Durability.Tests --no-build --blame-hang-timeout 10m --logger "console;verbosity=normal"
fi
# The crash suite on Azurite: SIGKILL the server at 3 random points of a workflow (bench/crash.sh runs 20 by default).
"$here/bench/crash.sh" 3
# A burst of 500 start requests on one server: every one accepted, every workflow final and listed once.
"$here/bench/burst.sh" 500
# The Docker engine stopped mid-workflow, on a private engine of its own: the workflow fails naming the engine, an
# engine that comes back at once costs the attempt, not the workflow, and no container is left.
"$here/bench/engine-stop.sh"
