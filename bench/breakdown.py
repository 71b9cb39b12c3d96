#!/usr/bin/env python3
"""Where the time goes, from Docker's own clock: the reference workflow on a warm `dwf serve`, the operator's script
(bench/raw-docker.sh) and a new `dwf run` process, alternating over ROUNDS rounds, timed from two records taken on
this machine's clock:

- every request made to the Docker engine, recorded by a pass-through proxy on a unix socket of its own
  (bench/dockerproxy, in Go so that it adds next to nothing; the server, the script and dwf run all talk to Docker
  through it): when each call was sent;
- Docker's event stream (create, start, health_status, die, destroy), with Docker's own timestamps: when each thing
  happened.

Per run it measures the issue's steps, then prints the median of each over the rounds:

  start -> first Docker call     from the start request (the engine: the moment before POST /api/workflows; the script
                                 and dwf run: the moment before the process is launched) to the first call for it
  start -> first create          to the first container's create event
  healthy -> first action start  from the last service's first health_status: healthy to the first action's start call,
                                 and to its start event
  exit -> next action start      from an action's die to the next action's start call, and to its start event (all
                                 four hand-offs of each run)
  start call -> started          Docker's own start of each action's container
  start -> last service healthy  from the start to the last service's first health_status: healthy (where the probes fall
                                 against the service's readiness differs from run to run by up to a probe's period)
  last exit -> last removed      from the last action's die to the last destroy event: the end of the run
  last removed -> end seen       from the last destroy event to the API's answer that the run ended (the script's exit)

then the wall times, the time from the last service healthy to the end (the part the services' health probes do not
decide: where they fall against a service's readiness moves either side by up to a probe period, round by round), and
dwf run's overhead (its wall minus the warm server's for the same workflow). The server first
runs the workflow DWF_BREAKDOWN_WARMUP times (default 20), so that its code is compiled at the JIT's last tier.

Usage: breakdown.py DWF_DLL ROUNDS (DOCKER_HOST: the engine's unix socket; go: to build the proxy). The calls and
events of the last run of each kind (with when each call's answer began) go to $DWF_BREAKDOWN_LOG.{engine,script,cold}
when it is set.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import client  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
START = re.compile(r"^(?:/v[\d.]+)?/containers/([^/]+)/start")
ATTACH = re.compile(r"^(?:/v[\d.]+)?/containers/([^/]+)/attach")
LABEL = "io.durableworkflows.workflow-id"


class Proxy:
    """The pass-through proxy to the Docker engine (bench/dockerproxy, Go, built here) that records when each request was sent."""

    def __init__(self, target, path, work):
        binary = os.path.join(work, "dockerproxy")
        subprocess.run(["go", "build", "-o", binary, "."], cwd=os.path.join(HERE, "dockerproxy"), check=True,
                       env=dict(os.environ, GO111MODULE="off", GOPATH=os.path.join(work, "go"), GOCACHE=os.path.join(work, "gocache")))
        self.path, self.log = path, os.path.join(work, "calls.log")
        self.process = subprocess.Popen([binary, path, target], stdout=open(self.log, "w"))
        while not os.path.exists(path):
            time.sleep(0.01)

    def between(self, t0, t1):
        calls = []
        for line in open(self.log):
            t, method, path = line.split(" ", 2)
            if t0 <= float(t) <= t1:
                calls.append((float(t), method, path.rstrip("\n")))
        return calls


class Events:
    """Docker's container events, read from the engine's own socket (not through the proxy)."""

    def __init__(self, socket_path):
        self.items, self.lock = [], threading.Lock()
        conn = client.UnixConnection(socket_path)
        conn.request("GET", '/events?filters={"type":["container"]}')
        self.response = conn.getresponse()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.response:
            e = json.loads(line)
            with self.lock:
                self.items.append((e["timeNano"] / 1e9, e["Action"], e["Actor"]["ID"], e["Actor"].get("Attributes", {})))

    def between(self, t0, t1):
        time.sleep(0.3)  # the stream's last events of the run
        with self.lock:
            return [e for e in self.items if t0 <= e[0] <= t1]


def steps(t0, calls, events, is_service, t1):
    """The issue's steps of one run, in ms: (first call, first create, healthy->start call, healthy->started,
    [exit->next start call], [exit->next started], [each action's start call->started], start->last service healthy,
    last action's exit->last container removed, last container removed->the end seen, last service healthy->the end seen).
    An action's container started ahead (held by a waiter until its turn) is started, for its action, by its release: the
    first write to its stdin on its attach's connection; Docker's start of it is then its waiter's, off the run's path."""
    writes = [c for c in calls if c[1] == "WRITE"]
    calls = [c for c in calls if c[1] not in ("ANSWER", "WRITE")]
    created = [e for e in events if e[1] == "create"]
    services = {e[2] for e in created if is_service(e[3])}
    first = lambda action, cid: min(e[0] for e in events if e[1] == action and e[2] == cid)  # noqa: E731
    # In run order: by their end (the engine creates and starts the next action's container ahead).
    actions = sorted((e[2] for e in created if not is_service(e[3])), key=lambda cid: first("die", cid))
    of = lambda cid, path, call: (m := call.match(path)) and cid.startswith(m.group(1))  # noqa: E731
    start_call = lambda cid: min(c[0] for c in calls if c[1] == "POST" and of(cid, c[2], START))  # noqa: E731
    release = lambda cid: min((w[0] for w in writes if of(cid, w[2].split(" ", 1)[1], ATTACH)), default=None)  # noqa: E731
    turn = lambda cid: release(cid) or start_call(cid)  # noqa: E731
    began = lambda cid: release(cid) or first("start", cid)  # noqa: E731
    healthy = max(min(e[0] for e in events if e[2] == s and e[1] == "health_status: healthy") for s in services)
    ms = lambda a, b: (b - a) * 1000  # noqa: E731
    handoffs_call = [ms(first("die", a), turn(b)) for a, b in zip(actions, actions[1:])]
    handoffs_start = [ms(first("die", a), began(b)) for a, b in zip(actions, actions[1:])]
    docker_start = [ms(start_call(a), first("start", a)) for a in actions]
    removed = max(e[0] for e in events if e[1] == "destroy")
    return (ms(t0, calls[0][0]), ms(t0, created[0][0]), ms(healthy, turn(actions[0])), ms(healthy, began(actions[0])),
            handoffs_call, handoffs_start, docker_start, ms(t0, healthy), ms(first("die", actions[-1]), removed), ms(removed, t1),
            ms(healthy, t1))


def add(results, kind, *args):
    """One run's steps; a run whose records lack a step (a proxy line cut while it was read) is left out of the table, not the wall."""
    try:
        results[kind].append(steps(*args))
    except ValueError as e:
        print(f"{kind}: a run's steps left out ({e})", file=sys.stderr)


def main():
    dll, rounds = sys.argv[1], int(sys.argv[2])
    docker_socket = os.environ["DOCKER_HOST"].removeprefix("unix://")
    work = tempfile.mkdtemp(prefix="dwf-breakdown-")
    proxy = Proxy(docker_socket, os.path.join(work, "docker.sock"), work)
    events = Events(docker_socket)
    env = dict(os.environ, DOCKER_HOST=f"unix://{proxy.path}", DurableWorkflows__DataDirectory=os.path.join(work, "data"))
    base = f"http://127.0.0.1:{client.free_port()}"
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen(["dotnet", dll, "serve", "--backend", "memory", "--urls", base, "--sidecar-port", str(client.free_port()),
                               "--task-hub", f"breakdown{os.getpid()}"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if client.request("GET", f"{base}/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"dwf serve did not start; see {log.name}")
            time.sleep(0.1)
        template = open(os.path.join(HERE, "reference.yaml")).read()
        # A warm server is one that has run workflows for a while: its code compiled at the JIT's last tier, not still
        # being recompiled in the background (that costs a 2-core machine CPU that Docker needs).
        for _ in range(int(os.environ.get("DWF_BREAKDOWN_WARMUP", "20"))):
            client.run_one(base, template, {"port": str(client.free_port())})
        results = {"engine": [], "script": [], "cold": []}
        cold_extra = []
        for r in range(rounds):
            t0 = time.time()
            wall, status = client.run_one(base, template, {"port": str(client.free_port())})
            t1 = time.time()
            wid = status["id"]
            assert status["state"] == "SUCCESS", status["state"]
            ev = [e for e in events.between(t0, t1 + 1) if e[3].get(LABEL) == wid]
            # Not the server's own background calls (the reaper's list, an event subscription): the calls for this run.
            calls = [c for c in proxy.between(t0, t1) if "/events" not in c[2] and not c[2].split("?")[0].endswith("/containers/json")]
            add(results, "engine", t0, calls, ev, lambda a: a.get("io.durableworkflows.role") == "service", t1)
            dump("engine", t0, calls, ev)
            t0 = time.time()
            subprocess.run([os.path.join(HERE, "raw-docker.sh"), str(client.free_port())], env=env, check=True)
            t1 = time.time()
            ev = [e for e in events.between(t0, t1) if LABEL not in e[3]]
            add(results, "script", t0, proxy.between(t0, t1), ev, lambda a: a.get("name", "").endswith(("-files", "-slow")), t1)
            dump("script", t0, proxy.between(t0, t1), ev)
            script_wall = t1 - t0
            # dwf run: a new process per workflow, its own task hub (a server's reaper leaves other hubs alone).
            t0 = time.time()
            cold = subprocess.run(["dotnet", dll, "run", os.path.join(HERE, "reference.yaml"), "--var", f"port={client.free_port()}"],
                                  env=dict(env, DurableWorkflows__TaskHub=f"breakdowncold{os.getpid()}"), capture_output=True, text=True)
            if cold.returncode != 0:
                raise SystemExit(f"dwf run exited with {cold.returncode}:\n{cold.stdout[-3000:]}{cold.stderr[-3000:]}")
            t1 = time.time()
            ev = [e for e in events.between(t0, t1 + 1) if LABEL in e[3]]
            calls = [c for c in proxy.between(t0, t1) if "/events" not in c[2] and not c[2].split("?")[0].endswith("/containers/json")]
            add(results, "cold", t0, calls, ev, lambda a: a.get("io.durableworkflows.role") == "service", t1)
            dump("cold", t0, calls, ev)
            last_removed = max(e[0] for e in ev if e[1] == "destroy")
            cold_extra.append((t1 - t0, wall, (last_removed - t0) * 1000, (t1 - last_removed) * 1000, script_wall))
            print(f"round {r + 1}/{rounds}: engine {wall:.3f} s, script {script_wall:.3f} s, dwf run {t1 - t0:.3f} s", file=sys.stderr)
        report(results, rounds)
        med = lambda i: statistics.median(x[i] for x in cold_extra)  # noqa: E731
        # Each round's engine run and script run are next to each other: their ratio leaves out how fast Docker was that minute.
        paired = sorted(x[1] / x[4] for x in cold_extra)
        print(f"\nwall, medians: engine (warm server) {med(1):.3f} s, script {med(4):.3f} s, ratio {med(1) / med(4):.2f};"
              f" each round's engine / script: median {statistics.median(paired):.2f} ({paired[0]:.2f}-{paired[-1]:.2f})")
        after = lambda kind: statistics.median(run[10] for run in results[kind])  # noqa: E731
        print(f"after the last service is healthy (the part of a run its services' probes do not decide), medians: engine"
              f" {after('engine'):.0f} ms, script {after('script'):.0f} ms, ratio {after('engine') / after('script'):.2f}")
        print(f"dwf run (a new process per workflow), medians: wall {med(0):.3f} s; the same workflow on the warm server {med(1):.3f} s;"
              f" overhead {statistics.median(x[0] - x[1] for x in cold_extra):.3f} s; process start -> first Docker call"
              f" {statistics.median(x[0] for x in results['cold']):.0f} ms; last container removed -> process exit {med(3):.0f} ms")
    finally:
        server.terminate()
        server.wait(30)
        proxy.process.terminate()


def dump(kind, t0, calls, events):
    """The run's calls and events in time order, ms from its start, to $DWF_BREAKDOWN_LOG (the last run of each kind)."""
    if not (path := os.environ.get("DWF_BREAKDOWN_LOG")):
        return
    lines = [(c[0], f"answer {c[2][:110]}" if c[1] == "ANSWER" else f"call  {c[1]} {c[2][:110]}") for c in calls]
    lines += [(e[0], f"event {e[1]} {e[3].get('name', '')} {e[2][:12]}") for e in events]
    with open(f"{path}.{kind}", "w") as f:
        f.writelines(f"{(t - t0) * 1000:9.1f} {text}\n" for t, text in sorted(lines))


def report(results, rounds):
    rows = [("start request -> first Docker call", 0), ("start request -> first container created", 1),
            ("last service healthy -> first action's start call", 2), ("last service healthy -> first action started", 3),
            ("action exits -> next action's start call", 4), ("action exits -> next action started", 5),
            ("an action's start call -> started (Docker's own start)", 6),
            ("start request -> last service healthy (its probes' phase varies by up to one probe period)", 7),
            ("last action exits -> last container removed", 8),
            ("last container removed -> the end seen (the API's answer; the process's exit)", 9)]
    print(f"| step (medians of {rounds} rounds, ms) | engine (warm server) | script | dwf run |")
    print("|---|---|---|---|")
    for name, i in rows:
        med = []
        for kind in ("engine", "script", "cold"):
            values = [v for run in results[kind] for v in (run[i] if isinstance(run[i], list) else [run[i]])]
            med.append(f"{statistics.median(values):.0f}")
        print(f"| {name} | {' | '.join(med)} |")


if __name__ == "__main__":
    main()
