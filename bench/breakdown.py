#!/usr/bin/env python3
"""Where the time goes, from Docker's own clock: the reference workflow on a warm `dwf serve` against the operator's
script (bench/raw-docker.sh), alternating over ROUNDS rounds, timed from two records taken on this machine's clock:

- every request made to the Docker engine, recorded by a pass-through proxy on a unix socket of its own (the server
  and the script both talk to Docker through it): when each call was sent;
- Docker's event stream (create, start, health_status, die), with Docker's own timestamps: when each thing happened.

Per run it measures the issue's steps, then prints the median of each over the rounds:

  start -> first Docker call     from the start request (the engine: the moment before POST /api/workflows; the script:
                                 the moment before it is launched, its CLI's start included) to the first call for it
  start -> first create          to the first container's create event
  healthy -> first action start  from the last service's first health_status: healthy to the first action's start call,
                                 and to its start event
  exit -> next action start      from an action's die to the next action's start call, and to its start event (all
                                 four hand-offs of each run)

Usage: breakdown.py DWF_DLL ROUNDS (DOCKER_HOST: the engine's unix socket). The raw data of the last round of each
kind goes to $DWF_BREAKDOWN_LOG when set.
"""
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import client  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REQUEST = re.compile(rb"(GET|POST|DELETE|PUT|HEAD) (/[^ ]*) HTTP/1\.[01]\r\n")
START = re.compile(r"^(?:/v[\d.]+)?/containers/([^/]+)/start")
LABEL = "io.durableworkflows.workflow-id"


class Proxy:
    """A unix-socket pass-through to the Docker engine that records when each request was sent."""

    def __init__(self, target, path):
        self.target, self.path, self.calls, self.lock = target, path, [], threading.Lock()
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(path)
        self.server.listen(512)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            downstream, _ = self.server.accept()
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.target)
            threading.Thread(target=self.pump, args=(downstream, upstream, True), daemon=True).start()
            threading.Thread(target=self.pump, args=(upstream, downstream, False), daemon=True).start()

    def pump(self, source, sink, record):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if record:
                    t = time.time()
                    with self.lock:
                        self.calls.extend((t, m.group(1).decode(), m.group(2).decode()) for m in REQUEST.finditer(data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (sink, source):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def between(self, t0, t1):
        with self.lock:
            return [c for c in self.calls if t0 <= c[0] <= t1]


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


def steps(t0, calls, events, is_service):
    """The issue's steps of one run, in ms: (first call, first create, healthy->start call, healthy->started,
    [exit->next start call], [exit->next started])."""
    created = [e for e in events if e[1] == "create"]
    services = {e[2] for e in created if is_service(e[3])}
    actions = [e[2] for e in created if not is_service(e[3])]  # in create order, which is run order
    first = lambda action, cid: min(e[0] for e in events if e[1] == action and e[2] == cid)  # noqa: E731
    start_call = lambda cid: min(c[0] for c in calls if c[1] == "POST" and (m := START.match(c[2])) and cid.startswith(m.group(1)))  # noqa: E731
    healthy = max(min(e[0] for e in events if e[2] == s and e[1] == "health_status: healthy") for s in services)
    ms = lambda a, b: (b - a) * 1000  # noqa: E731
    handoffs_call = [ms(first("die", a), start_call(b)) for a, b in zip(actions, actions[1:])]
    handoffs_start = [ms(first("die", a), first("start", b)) for a, b in zip(actions, actions[1:])]
    return (ms(t0, calls[0][0]), ms(t0, created[0][0]), ms(healthy, start_call(actions[0])), ms(healthy, first("start", actions[0])),
            handoffs_call, handoffs_start)


def main():
    dll, rounds = sys.argv[1], int(sys.argv[2])
    docker_socket = os.environ["DOCKER_HOST"].removeprefix("unix://")
    work = tempfile.mkdtemp(prefix="dwf-breakdown-")
    proxy = Proxy(docker_socket, os.path.join(work, "docker.sock"))
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
        client.run_one(base, template, {"port": str(client.free_port())})  # JIT warm-up
        results = {"engine": [], "script": []}
        for r in range(rounds):
            t0 = time.time()
            wall, status = client.run_one(base, template, {"port": str(client.free_port())})
            t1 = time.time()
            wid = status["id"]
            assert status["state"] == "SUCCESS", status["state"]
            ev = [e for e in events.between(t0, t1 + 1) if e[3].get(LABEL) == wid]
            # Not the server's own background calls (the reaper's list, an event subscription): the calls for this run.
            calls = [c for c in proxy.between(t0, t1) if "/events" not in c[2] and not c[2].split("?")[0].endswith("/containers/json")]
            results["engine"].append(steps(t0, calls, ev, lambda a: a.get("io.durableworkflows.role") == "service"))
            t0 = time.time()
            subprocess.run([os.path.join(HERE, "raw-docker.sh"), str(client.free_port())], env=env, check=True)
            t1 = time.time()
            ev = [e for e in events.between(t0, t1) if LABEL not in e[3]]
            results["script"].append(steps(t0, proxy.between(t0, t1), ev, lambda a: a.get("name", "").endswith(("-files", "-slow"))))
            print(f"round {r + 1}/{rounds}: engine {wall:.3f} s, script {t1 - t0:.3f} s", file=sys.stderr)
        report(results, rounds)
    finally:
        server.terminate()
        server.wait(30)


def report(results, rounds):
    rows = [("start request -> first Docker call", 0), ("start request -> first container created", 1),
            ("last service healthy -> first action's start call", 2), ("last service healthy -> first action started", 3),
            ("action exits -> next action's start call", 4), ("action exits -> next action started", 5)]
    print(f"| step (medians of {rounds} rounds, ms) | engine | script |")
    print("|---|---|---|")
    for name, i in rows:
        med = []
        for kind in ("engine", "script"):
            values = [v for run in results[kind] for v in (run[i] if isinstance(run[i], list) else [run[i]])]
            med.append(f"{statistics.median(values):.0f}")
        print(f"| {name} | {med[0]} | {med[1]} |")


if __name__ == "__main__":
    main()
