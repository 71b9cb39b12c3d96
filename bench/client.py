#!/usr/bin/env python3
"""HTTP client of the benchmark (bench/run.sh): starts workflows on a running `dwf serve` and waits for them.

  client.py free-port
  client.py wait-healthy URL SECONDS
  client.py run URL TEMPLATE_FILE PORT_VAR            -> "<wall seconds> <state>"
  client.py burst URL TEMPLATE_FILE N                  -> "<completed> <total seconds> <states>"
  client.py overhead URL TEMPLATE_FILE ACTIONS         -> "<wall s> <sum of container run s> <state>"
  client.py floor IMAGE N                              -> "<wall s>": N no-op containers through Docker's API, no engine
  client.py latency URL N PATH...                      -> per PATH "<path> <median ms> <p95 ms>": N GETs each, one kept-alive connection

Wall time is measured from the moment before the start request to the first status answer that is final: each
status read waits on the server for the workflow to end (GET ...?wait=30), which answers as soon as it has, so there
is no polling slack (the benchmark used to poll every 20 ms: up to 20 ms of slack, and 50 reads a second that took
the server about 7 % of a core while the workflow ran).
"""
import http.client
import json
import os
import socket
import tempfile
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

FINAL = {"SUCCESS", "FAILED", "TIMEOUT", "CANCELLED"}
WAIT = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def start(base, template, variables, wid):
    code, body = request("POST", f"{base}/api/workflows", {"template": template, "vars": variables, "id": wid})
    if code != 202:
        raise SystemExit(f"start returned {code}: {body[:300]!r}")


def wait(base, wid, bound=300):
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        code, body = request("GET", f"{base}/api/workflows/{wid}?wait={WAIT}", timeout=WAIT + 30)
        if code == 200:
            status = json.loads(body)
            if status.get("state") in FINAL:
                return status
        elif code != 202:
            raise SystemExit(f"status of {wid} returned {code}: {body[:300]!r}")
    raise SystemExit(f"workflow {wid} did not finish within {bound} s")


def run_one(base, template, variables):
    wid = "bench-" + uuid.uuid4().hex[:12]
    t0 = time.monotonic()
    start(base, template, variables, wid)
    status = wait(base, wid)
    return time.monotonic() - t0, status


class UnixConnection(http.client.HTTPConnection):
    """HTTP over the Docker engine's unix socket (DOCKER_HOST=unix://...)."""

    def __init__(self, path):
        super().__init__("localhost", timeout=120)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def docker(conn, method, path, body=None):
    conn.request(method, path, None if body is None else json.dumps(body), {"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise SystemExit(f"docker {method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


def floor(image, n):
    """Docker's own time for N no-op containers, as the engine makes them (host network, init, a bind-mounted
    folder) but driven straight through the API in order, no engine: create, start, wait for the exit; then
    every container removed at once, as the engine's cleanup does."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        raise SystemExit("floor needs DOCKER_HOST=unix://...")
    path = host[len("unix://"):]
    folder = tempfile.mkdtemp(prefix="dwf-floor-")
    conn = UnixConnection(path)
    ids = []
    t0 = time.monotonic()
    for _ in range(n):
        created = docker(conn, "POST", "/containers/create", {
            "Image": image, "Cmd": ["true"],
            "HostConfig": {"NetworkMode": "host", "Init": True, "Binds": [f"{folder}:/workflow"]}})
        ids.append(created["Id"])
        docker(conn, "POST", f"/containers/{created['Id']}/start")
        docker(conn, "POST", f"/containers/{created['Id']}/wait")

    def remove(cid):
        docker(UnixConnection(path), "DELETE", f"/containers/{cid}?force=1")

    threads = [threading.Thread(target=remove, args=(c,)) for c in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    os.rmdir(folder)
    return wall


def latency(base, n, paths):
    """Median and 95th percentile of N GETs of each path over one kept-alive connection, the paths taken in turn."""
    host = base.split("://", 1)[1]
    conn = http.client.HTTPConnection(host, timeout=30)
    times = {p: [] for p in paths}
    for _ in range(n):
        for p in paths:
            t0 = time.perf_counter()
            conn.request("GET", p)
            r = conn.getresponse()
            r.read()
            times[p].append((time.perf_counter() - t0) * 1000)
            if r.status >= 400:
                raise SystemExit(f"GET {p} returned {r.status}")
    for p in paths:
        v = sorted(times[p])
        print(f"{p} {v[len(v) // 2]:.2f} {v[int(len(v) * 0.95)]:.2f}")


def main():
    cmd = sys.argv[1]
    if cmd == "free-port":
        print(free_port())
    elif cmd == "wait-healthy":
        base, bound = sys.argv[2], float(sys.argv[3])
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            try:
                if request("GET", f"{base}/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"{base}/healthz did not answer within {bound} s")
    elif cmd == "run":
        base, template = sys.argv[2], open(sys.argv[3]).read()
        wall, status = run_one(base, template, {"port": sys.argv[4]})
        print(f"{wall:.3f} {status['state']}")
    elif cmd == "burst":
        base, template, n = sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4])
        ids = ["burst-" + uuid.uuid4().hex[:12] for _ in range(n)]
        states = {}
        t0 = time.monotonic()
        # Every start request at once (one thread each), then wait for every workflow.
        # A port each, all different: the OS may hand out a port it just gave, and two services on one port fail.
        ports = set()
        while len(ports) < n:
            ports.add(free_port())
        threads = [threading.Thread(target=start, args=(base, template, {"port": str(p)}, w)) for w, p in zip(ids, sorted(ports))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for w in ids:
            states[w] = wait(base, w, bound=600)["state"]
        total = time.monotonic() - t0
        ok = sum(1 for s in states.values() if s == "SUCCESS")
        summary = ",".join(sorted({f"{s}={list(states.values()).count(s)}" for s in states.values()}))
        print(f"{ok} {total:.3f} {summary}")
    elif cmd == "overhead":
        base, template, actions = sys.argv[2], open(sys.argv[3]).read(), int(sys.argv[4])
        wall, status = run_one(base, template, {})
        run = 0.0
        counted = 0
        for task in status["tasks"]:
            for a in task["actions"]:
                if a.get("seconds") is not None:
                    run += a["seconds"]
                    counted += 1
        if counted != actions:
            raise SystemExit(f"expected {actions} actions with a run time, found {counted}")
        print(f"{wall:.3f} {run:.3f} {status['state']}")
    elif cmd == "latency":
        latency(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif cmd == "floor":
        print(f"{floor(sys.argv[2], int(sys.argv[3])):.3f}")
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
