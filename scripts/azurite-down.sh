#!/usr/bin/env bash
# Stops the Azurite that azurite-up.sh started.
set -uo pipefail
root=${DWF_AZURITE_ROOT:-/tmp/dwf-azurite}
[ -f "$root/azurite.pid" ] || exit 0
kill "$(cat "$root/azurite.pid")" 2>/dev/null || true
rm -f "$root/azurite.pid"
