# Shell helpers of the reliability scripts under bench/ (source it: . "$here/bench/lib.sh").

now() { date +%s.%N; }

# elapsed FROM TO: seconds between two `now` readings, one decimal.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A loopback port nothing listens on.
free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}

# stop_pid PID: SIGTERM, up to 10 s to exit, then SIGKILL; reaps it when it is a child of this shell.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# wait_healthz BASE_URL PID LOG: waits (at most 60 s) until the server answers /healthz; fails when it exits first.
wait_healthz() {
  local base=$1 pid=$2 log=$3
  for _ in $(seq 1 600); do
    if curl -fsS "$base/healthz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "dwf serve exited; see $log" >&2; tail -20 "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "dwf serve did not answer /healthz within 60 s; see $log" >&2
  return 1
}

# start_warm_server NAME: a `dwf serve` (memory backend, task hub NAME$$) of the build DWF_DLL (default: the Release
# build, made when missing) on the engine scripts/setup.sh sets up, with its own ports and a work folder; sets
# here-relative globals dll, work, base and pid, and a trap that stops it and removes the folder. Needs $here.
start_warm_server() {
  local name=$1
  dll=${DWF_DLL:-$here/src/DurableWorkflows.Cli/bin/Release/net10.0/dwf.dll}
  [ -f "$dll" ] || dotnet build "$here/src/DurableWorkflows.Cli" -c Release -v quiet -nologo >/dev/null
  eval "$("$here/scripts/setup.sh")"
  export DOCKER_HOST DurableWorkflows__Docker__PullPolicy=never DurableWorkflows__Docker__StopGracePeriodSeconds=1
  work=$(mktemp -d "${TMPDIR:-/tmp}/dwf-$name-XXXXXX")
  base="http://127.0.0.1:$(free_port)"
  DurableWorkflows__DataDirectory="$work/data" dotnet "$dll" serve --backend memory --urls "$base" \
    --sidecar-port "$(free_port)" --task-hub "$name$$" >"$work/serve.log" 2>&1 &
  pid=$!
  # On a failure the server's log is kept (its folder is removed either way) and its path printed.
  serve_name=$name
  trap 'rc=$?; stop_pid $pid; if [ $rc -ne 0 ]; then kept=$(mktemp "${TMPDIR:-/tmp}/dwf-$serve_name-serve-XXXXXX.log"); cp "$work/serve.log" "$kept" && echo "the server log is kept in $kept" >&2; fi; rm -rf "$work"' EXIT
  wait_healthz "$base" "$pid" "$work/serve.log"
}
