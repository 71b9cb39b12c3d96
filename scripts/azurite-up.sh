#!/usr/bin/env bash
# Starts Azurite (the Azure Storage emulator) on 127.0.0.1 with the default ports 10000-10002, unless one
# already answers. Installs the npm package `azurite` into DWF_AZURITE_ROOT (default /tmp/dwf-azurite) when
# missing. Connection string for the engine: UseDevelopmentStorage=true
set -euo pipefail
root=${DWF_AZURITE_ROOT:-/tmp/dwf-azurite}
version=3.37.0
answers() { (exec 3<>/dev/tcp/127.0.0.1/10001) 2>/dev/null; }
if answers; then exit 0; fi
mkdir -p "$root/data"
if [ ! -x "$root/node_modules/.bin/azurite" ]; then
  command -v npm >/dev/null 2>&1 || { echo "npm is not installed (apt-get install -y nodejs npm)" >&2; exit 1; }
  (cd "$root" && npm install --silent --no-audit --no-fund "azurite@$version" >/dev/null)
fi
nohup "$root/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --location "$root/data" >"$root/azurite.log" 2>&1 &
echo $! >"$root/azurite.pid"
for _ in $(seq 1 120); do
  if answers; then exit 0; fi
  sleep 0.5
done
echo "Azurite did not start; see $root/azurite.log" >&2
exit 1
